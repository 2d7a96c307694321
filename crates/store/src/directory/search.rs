//! The directory in the word index (`crate::words`): organisations by every name they ever had
//! (Vietnamese, English, short) and their member code, people by their names (in any order),
//! emails and phone numbers, information systems by name, domains and URLs, each row tagged with
//! the organisation whose private part it belongs to. Each repository feeds the index its own
//! rows' words in the same transaction as it writes them (`orgs::insert`, `history::insert_name`,
//! `people::insert`, `systems::update`…); `reindex` builds it for rows that predate it.

pub use crate::words::{Reader, matching, rows_with_prefix};

/// The kinds of the directory's entries in the word index.
pub const ORG: &str = "org";
pub const PERSON: &str = "person";
pub const SYSTEM: &str = "system";
