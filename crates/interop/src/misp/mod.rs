//! MISP: events as MISP writes them (JSON, `{"Event": …}` or bare), their mapping to irnet's
//! observables, TLP and audience, the export of our indicators as an event, and MISP feeds.
//! MISP is loose about JSON types (numbers and booleans often arrive as strings), so reading is
//! lenient about representation and strict about meaning.

pub mod event;
pub mod export;
pub mod feed;
pub mod mapping;

pub use event::{Attribute, Event, MispObject, Org, Tag};
pub use mapping::{Audience, MispImport, import_event};

use serde::Serialize;

/// A problem of a MISP document: where (a JSON path such as `Event.Attribute[3].Tag[0]`) and a
/// stable key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MispProblem {
    pub path: String,
    pub message_key: &'static str,
}

impl MispProblem {
    pub fn new(path: impl Into<String>, key: &'static str) -> Self {
        MispProblem {
            path: path.into(),
            message_key: key,
        }
    }
}

impl std::fmt::Display for MispProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message_key)
    }
}
