//! The jobs table: a queue in the database, so that any instance may run any job and nothing
//! enqueued is lost when an instance stops. Claiming is a short write transaction; the lease
//! (`locked_until`) lets another instance take over a job whose worker died.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::jobs;
use crate::{DbConn, is_unique_violation};

pub const PENDING: &str = "pending";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = jobs)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    /// JSON, read by the job's handler
    pub payload: String,
    /// at most one job per key, ever: periodic work is keyed by its period
    pub dedup_key: Option<String>,
    pub status: String,
    pub run_at: NaiveDateTime,
    pub attempts: i32,
    pub max_attempts: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

/// Adds a job; false when a job with the same `dedup_key` already exists (it is not added again).
/// Runs in a savepoint so that a duplicate does not abort the caller's transaction on PostgreSQL.
pub fn enqueue(conn: &mut DbConn, row: &JobRow) -> QueryResult<bool> {
    let inserted = conn.transaction(|c| {
        diesel::insert_into(jobs::table)
            .values(row)
            .execute(c)
            .map(drop)
    });
    match inserted {
        Ok(()) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Takes the oldest due job, leasing it to `worker` until `lease_until`, and counts the attempt.
/// Call inside a write transaction: on PostgreSQL the row is locked with `SKIP LOCKED`, so
/// concurrent instances take different jobs; SQLite's immediate transaction serialises claims.
pub fn claim(
    conn: &mut DbConn,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    worker: &str,
) -> QueryResult<Option<JobRow>> {
    let due = jobs::table
        .filter(jobs::status.eq(PENDING))
        .filter(jobs::run_at.le(now))
        .filter(jobs::locked_until.is_null().or(jobs::locked_until.lt(now)))
        .order((jobs::run_at, jobs::id))
        .select(jobs::id);
    let id: Option<String> = match conn {
        DbConn::Pg(c) => due.for_update().skip_locked().first(c).optional()?,
        DbConn::Sqlite(c) => due.first(c).optional()?,
    };
    let Some(id) = id else { return Ok(None) };
    diesel::update(jobs::table.find(&id))
        .set((
            jobs::locked_until.eq(Some(lease_until)),
            jobs::locked_by.eq(Some(worker)),
            jobs::attempts.eq(jobs::attempts + 1),
        ))
        .execute(conn)?;
    jobs::table
        .find(&id)
        .select(JobRow::as_select())
        .first(conn)
        .optional()
}

pub fn complete(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(jobs::table.find(id))
        .set((
            jobs::status.eq(DONE),
            jobs::finished_at.eq(Some(now)),
            jobs::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(drop)
}

/// Records a failed attempt: the job runs again at `retry_at`, or, without one, is given up.
pub fn fail(
    conn: &mut DbConn,
    id: &str,
    now: NaiveDateTime,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    let (status, run_at) = match retry_at {
        Some(at) => (PENDING, Some(at)),
        None => (FAILED, None),
    };
    diesel::update(jobs::table.find(id))
        .set((
            jobs::status.eq(status),
            jobs::last_error.eq(Some(error)),
            jobs::locked_until.eq(None::<NaiveDateTime>),
            jobs::finished_at.eq(retry_at.is_none().then_some(now)),
        ))
        .execute(conn)?;
    if let Some(at) = run_at {
        diesel::update(jobs::table.find(id))
            .set(jobs::run_at.eq(at))
            .execute(conn)?;
    }
    Ok(())
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<JobRow>> {
    jobs::table
        .find(id)
        .select(JobRow::as_select())
        .first(conn)
        .optional()
}

/// Jobs of a kind, newest first (for operators and tests).
pub fn of_kind(conn: &mut DbConn, kind: &str, limit: i64) -> QueryResult<Vec<JobRow>> {
    jobs::table
        .filter(jobs::kind.eq(kind))
        .order((jobs::created_at.desc(), jobs::id.desc()))
        .limit(limit)
        .select(JobRow::as_select())
        .load(conn)
}

/// When a job whose key starts with `prefix` was last enqueued (e.g. an organisation's last
/// reminder), if ever.
pub fn last_enqueued(conn: &mut DbConn, prefix: &str) -> QueryResult<Option<NaiveDateTime>> {
    let escaped = prefix
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    jobs::table
        .filter(jobs::dedup_key.like(format!("{escaped}%")).escape('\\'))
        .select(diesel::dsl::max(jobs::created_at))
        .first(conn)
}

/// How many jobs are in each status (for `/metrics`).
pub fn counts(conn: &mut DbConn) -> QueryResult<Vec<(String, i64)>> {
    jobs::table
        .group_by(jobs::status)
        .select((jobs::status, diesel::dsl::count_star()))
        .load(conn)
}
