//! STIX 2.1: validation of bundles as they arrive, TLP markings, patterns, and the mapping to
//! and from irnet's indicators. Objects are kept as JSON (`serde_json::Value`) because a bundle
//! may hold any of dozens of object types and custom ones; what we rely on is checked strictly,
//! and every problem is reported at once as a [`Problem`] naming the object and the property.

pub mod bundle;
pub mod export;
pub mod id;
pub mod import;
pub mod markings;
pub mod pattern;
pub mod problem;
pub mod timestamp;

/// `application/stix+json;version=2.1`: the media type of a STIX 2.1 bundle or object.
pub const MEDIA_TYPE: &str = "application/stix+json;version=2.1";

pub use bundle::{Bundle, ParseOptions};
pub use id::{StixId, TypeName};
pub use problem::Problem;
pub use timestamp::Timestamp;
