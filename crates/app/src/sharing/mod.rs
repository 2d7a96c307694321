//! Indicators shared across the network. Every read goes through `load` (one check against
//! `Principal::read_rule`; anyone else gets "not found") and every list, count, lookup and export
//! through the store's SQL filter compiled from the same rule. Writes check the policy, change,
//! and audit in one transaction.

//!
//! One file per use-case: `create`, `list` (and count), `revoke`, `share`, `sight`; the STIX,
//! MISP and TAXII exchanges and the lookup beside them. `access` (the read check, the owner's
//! gate), `read` (the view), `links`, `valid` and `upsert` are what they share.

mod access;
mod create;
mod links;
mod list;
pub mod lookup;
pub mod misp;
pub mod objects;
mod project;
mod read;
mod revoke;
mod share;
mod sight;
pub mod stix;
pub mod taxii;
mod upsert;
mod valid;

pub use create::create;
pub use list::{Count, ListQuery, count, list};
pub use read::{IndicatorView, ObservableIo, SightingView, get};
pub use revoke::revoke;
pub use share::{ShareInput, share};
pub use sight::{SightingInput, sight};
pub use valid::NewIndicator;

pub(crate) use access::{load, manage, owns, require_author};
pub(crate) use links::Links;
pub(crate) use read::{value_of, view, view_one};
pub(crate) use upsert::{observables_of, upsert};
pub(crate) use valid::{Valid, clean, validate};
