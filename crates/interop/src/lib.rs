//! STIX 2.1, TAXII 2.1 and MISP: our own serde types and the mapping between them and irnet's
//! indicators. No database and no HTTP here — the store, app and web layers wire these in — so
//! every format rule can be tested on plain values.
//!
//! - [`json_text`]: exchanged JSON read as other tools write it (a BOM skipped, errors placed).
//! - [`observable`]: a typed indicator value in canonical form (the domain's observable kinds).
//! - [`stix`]: bundle validation with per-object problems, TLP markings, patterns, import, export.
//! - [`taxii`]: the TAXII 2.1 resources, media types and query filters.
//! - [`misp`]: MISP events (import and export) and MISP feeds.

pub mod json_text;
pub mod misp;
pub mod observable;
pub mod stix;
pub mod taxii;

pub use observable::{IndicatorValue, Observable};
