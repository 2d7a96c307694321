//! Incidents: a member reports, the network handles, the coordinator closes. Every read goes
//! through `load` (a single audience check; anyone outside the audience gets "not found"), every
//! list through the store's SQL filter compiled from the same rule.

//!
//! One file per use-case: `create`, `submit`, `classify`, `status`, `escalate`, `coordinate`
//! (acknowledge, decide seriousness), `close`, `share`, `list`; `report`, `reports`, `handling`
//! and `support` for the work inside an incident. `access` (the audience check), `read` (the
//! view) and `write` (save and timeline) are what they share.

mod access;
mod classify;
mod close;
mod coordinate;
mod create;
pub mod deadlines;
mod escalate;
pub mod handling;
pub mod handover;
mod list;
pub mod notice;
mod read;
pub mod reminders;
pub mod report;
pub mod reports;
pub mod settings;
mod share;
pub mod statistics;
pub mod statistics_filing;
mod status;
mod submit;
pub mod support;
pub mod synthetic;
pub(crate) mod tell;
pub mod types;
mod write;

pub use classify::{Classification, classify};
pub use close::close;
pub use coordinate::{acknowledge, decide_serious};
pub use create::{NewNotice, create, parse_local_time};
pub use escalate::escalate;
pub use list::{Counts, IncidentSummary, ListQuery, StatusCount, count, list};
pub use notice::{acknowledge_notice, resend_notice};
pub use read::{Abilities, IncidentView, get};
pub use report::InitialReportFields;
pub use share::share;
pub use status::set_status;
pub use submit::submit;

pub(crate) use access::{Loaded, load, require, with_incident};
pub(crate) use create::system_of;
pub(crate) use escalate::coordinator_org;
pub(crate) use read::view;
pub(crate) use write::{clean, event, save};
