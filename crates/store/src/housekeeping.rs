//! Deleting what has served its purpose: expired sessions, spent one-time links, finished jobs and
//! sign-in counters whose window closed. Each is a single `DELETE` over an indexed or small
//! condition, run by the housekeeping job (`irnet_app::housekeeping`); `reclaim` then gives the
//! freed space back.

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::DbConn;
use crate::db::PG_LOCK_TIMEOUT;
use crate::schema::{alert_ack_tokens, jobs, login_throttle};

/// What one clean-up deleted, per kind of row.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    pub sessions: usize,
    pub ack_links: usize,
    pub jobs: usize,
    pub throttles: usize,
}

impl Removed {
    pub fn total(&self) -> usize {
        self.sessions + self.ack_links + self.jobs + self.throttles
    }
}

/// What to keep: rows are deleted only once these moments have passed.
#[derive(Debug, Clone, Copy)]
pub struct Cutoffs {
    /// now: a session past its expiry is useless (its cookie is refused) and is a credential
    pub now: NaiveDateTime,
    /// finished (done or given up) jobs, and one-time links used or expired, before this
    pub finished_before: NaiveDateTime,
    /// sign-in counters whose window started before this and that hold no lockout now
    pub throttle_window_before: NaiveDateTime,
}

pub fn clean(conn: &mut DbConn, c: Cutoffs) -> QueryResult<Removed> {
    let sessions = crate::identity::sessions::delete_expired(conn, c.now)?;
    let ack_links = diesel::delete(
        alert_ack_tokens::table.filter(
            alert_ack_tokens::used_at
                .le(c.finished_before)
                .or(alert_ack_tokens::expires_at.le(c.finished_before)),
        ),
    )
    .execute(conn)?;
    let jobs = diesel::delete(
        jobs::table
            .filter(jobs::status.eq_any([crate::jobs::DONE, crate::jobs::FAILED]))
            .filter(jobs::finished_at.le(c.finished_before)),
    )
    .execute(conn)?;
    let throttles = diesel::delete(
        login_throttle::table
            .filter(login_throttle::window_started_at.le(c.throttle_window_before))
            .filter(
                login_throttle::locked_until
                    .is_null()
                    .or(login_throttle::locked_until.le(c.now)),
            ),
    )
    .execute(conn)?;
    Ok(Removed {
        sessions,
        ack_links,
        jobs,
        throttles,
    })
}

/// Gives the space of deleted rows back, outside any transaction.
///
/// SQLite: a database created with incremental auto-vacuum (every database irnet creates, see
/// `db.rs`) returns its free pages to the file system; an older file keeps them for reuse.
///
/// PostgreSQL: a plain `VACUUM` makes the space reusable (the table stops growing) but returns
/// only empty pages at a table's end, and new rows are always written there. A table of which the
/// clean-up deleted more rows than it left (the first clean-up after months, or after a burst) is
/// rewritten with `VACUUM FULL`, which is quick on what is left but locks the table meanwhile: it
/// waits at most two seconds for that lock, and otherwise falls back to the plain `VACUUM`.
pub fn reclaim(conn: &mut DbConn, removed: &Removed) -> QueryResult<()> {
    let c = match conn {
        DbConn::Sqlite(c) => return c.batch_execute("PRAGMA incremental_vacuum"),
        DbConn::Pg(c) => c,
    };
    for (table, gone) in [
        ("sessions", removed.sessions),
        ("alert_ack_tokens", removed.ack_links),
        ("jobs", removed.jobs),
        ("login_throttle", removed.throttles),
    ] {
        if gone == 0 {
            continue;
        }
        let left = diesel::sql_query(format!("SELECT COUNT(*) AS bytes FROM {table}"))
            .get_result::<Bytes>(c)?
            .bytes;
        // One statement per call: PostgreSQL runs a multi-statement string as one transaction,
        // and VACUUM refuses to run inside one.
        let rewritten = i64::try_from(gone).unwrap_or(i64::MAX) > left && {
            c.batch_execute("SET lock_timeout = '2s'")?;
            let full = c.batch_execute(&format!("VACUUM FULL {table}"));
            c.batch_execute(&format!("SET lock_timeout = '{PG_LOCK_TIMEOUT}'"))?;
            full.is_ok()
        };
        if !rewritten {
            c.batch_execute(&format!("VACUUM {table}"))?;
        }
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Bytes {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    bytes: i64,
}

/// The database's size as its operator sees it: SQLite's pages in use (free pages excluded,
/// counted only until incremental vacuum returns them), PostgreSQL's files.
pub fn database_bytes(conn: &mut DbConn) -> QueryResult<i64> {
    let sql = match conn {
        DbConn::Sqlite(_) => {
            "SELECT (SELECT page_count FROM pragma_page_count()) \
             * (SELECT page_size FROM pragma_page_size()) AS bytes"
        }
        DbConn::Pg(_) => "SELECT pg_database_size(current_database()) AS bytes",
    };
    diesel::sql_query(sql)
        .get_result::<Bytes>(conn)
        .map(|b| b.bytes)
}
