//! Pure types and rules of irnet: identifiers, TLP markings, roles, the one access
//! policy, and Vietnamese text handling. No IO, no database and no clock reading here,
//! so every rule can be tested in isolation and reused by the store, the app and the web.

pub mod abilities;
pub mod alert;
pub mod channel;
pub mod clock;
pub mod drills;
pub mod email;
pub mod error;
pub mod ids;
pub mod incident;
pub mod ip_scope;
pub mod locale;
pub mod lunar;
pub mod net;
pub mod org_kind;
pub mod password;
pub mod policy;
pub mod profile;
pub mod province;
pub mod roles;
pub mod rules;
pub mod search;
#[cfg(feature = "diesel")]
mod sql;
pub mod text;
pub mod tlp;
// Training (issue 20).
pub mod training;
pub mod webhook;

pub use abilities::{
    AlertAbilities, AlertFacts, AlertTargets, CredentialGate, IncidentAbilities, IncidentFacts,
    RECENT_CHECK_SECONDS, escalation_audience,
};
pub use channel::Channel;
pub use clock::{Clock, FixedClock};
pub use email::Email;
pub use error::DomainError;
pub use locale::Locale;
pub use org_kind::OrgKind;
pub use policy::{
    AlertReadRule, AuditVisibility, OrgRef, Principal, PrivateReadRule, ProgrammeReadRule,
    ReadPart, ReadRule, RecordAccess, TokenScope,
};
pub use roles::{Grant, Role, Scope};
pub use tlp::Tlp;
