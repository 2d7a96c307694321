//! The web face of irnet: the JSON API under `/api/v1` (with its OpenAPI document), the
//! server-rendered UI, and the operational endpoints. Every request passes one context layer
//! (`context`) that authenticates it, checks CSRF, picks the language and turns failures into
//! localised problem documents or pages.

pub mod api;
pub mod assets;
pub mod context;
pub mod cookies;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod i18n;
pub mod limits;
pub mod ops;
pub mod security;
pub mod server;
pub mod sheets;
pub mod state;
pub mod taxii;
pub mod text;
pub mod ui;

pub use server::{router, serve, serve_metrics};
pub use state::{AppState, MetricsToken, WebConfig};
