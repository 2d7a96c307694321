//! Storage for irnet: one diesel schema over SQLite and PostgreSQL, embedded migrations per backend,
//! and repositories per pillar. Repositories are plain functions over `&mut DbConn` so that a
//! use-case composes several of them, and its audit entry, in one transaction.

pub mod access;
pub mod alerts;
pub mod attachments;
pub mod audit;
pub mod bulk;
pub mod channels;
pub mod db;
pub mod directory;
pub mod drills;
pub mod events;
pub mod filed_reports;
pub mod housekeeping;
pub mod identity;
pub mod incidents;
pub mod jobs;
pub mod notify;
pub mod page;
pub mod rules;
pub mod schema;
pub mod sharing;
pub mod stix_objects;
pub mod time;
// Training (issue 20).
pub mod training;
pub mod words;

pub use db::{Backend, DbConn, DbTarget, PoolStatus, Store};
pub use diesel;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database configuration: {0}")]
    Config(String),
    #[error("database connection: {0}")]
    Connection(String),
    #[error("database pool: {0}")]
    Pool(String),
    #[error("migration: {0}")]
    Migration(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// True when `e` says the database stayed locked for longer than a connection waits (SQLite's
/// `busy_timeout`; PostgreSQL's `lock_timeout`): the transaction was rolled back and may be retried.
pub fn is_busy(e: &diesel::result::Error) -> bool {
    match e {
        diesel::result::Error::DatabaseError(_, info) => {
            let m = info.message();
            m.starts_with("database is locked")
                || m.starts_with("database table is locked")
                || m.contains("lock timeout")
        }
        _ => false,
    }
}

/// True when `e` is a unique-constraint violation, which use-cases report as a conflict.
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
