use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::sessions;

/// A browser session. Only the SHA-256 of the cookie value is stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub token_hash: String,
    pub user_id: String,
    /// "mfa" between a correct password and a correct second factor, then "full"
    pub stage: String,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
    /// the last password or second-factor check in this session (`None`: at its creation)
    pub checked_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, row: &SessionRow) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn by_token_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<SessionRow>> {
    sessions::table
        .filter(sessions::token_hash.eq(hash))
        .select(SessionRow::as_select())
        .first(conn)
        .optional()
}

pub fn of_user(
    conn: &mut DbConn,
    user_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<SessionRow>> {
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::stage.eq("full"))
        .filter(sessions::expires_at.gt(now))
        .select(SessionRow::as_select())
        .order(sessions::last_seen_at.desc())
        .load(conn)
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<SessionRow>> {
    sessions::table
        .find(id)
        .select(SessionRow::as_select())
        .first(conn)
        .optional()
}

/// Records a fresh password or second-factor check in the session.
pub fn set_checked(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(sessions::table.find(id))
        .set(sessions::checked_at.eq(Some(at)))
        .execute(conn)
}

pub fn touch(
    conn: &mut DbConn,
    id: &str,
    seen: NaiveDateTime,
    expires: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(sessions::table.find(id))
        .set((
            sessions::last_seen_at.eq(seen),
            sessions::expires_at.eq(expires),
        ))
        .execute(conn)
}

pub fn delete(conn: &mut DbConn, user_id: &str, id: &str) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::id.eq(id))
            .filter(sessions::user_id.eq(user_id)),
    )
    .execute(conn)
}

/// Ends every session of a user but `keep` (the one asking, for "sign out everywhere else").
pub fn delete_all_of_user(
    conn: &mut DbConn,
    user_id: &str,
    keep: Option<&str>,
) -> QueryResult<usize> {
    let q = sessions::table
        .filter(sessions::user_id.eq(user_id))
        .into_boxed();
    let q = match keep {
        Some(keep) => q.filter(sessions::id.ne(keep.to_owned())),
        None => q,
    };
    let ids: Vec<String> = q.select(sessions::id).load(conn)?;
    diesel::delete(sessions::table.filter(sessions::id.eq_any(ids))).execute(conn)
}

/// Sessions past their expiry (idle or absolute, whichever came first): their cookies are refused,
/// so they only take space. Called by the housekeeping job.
pub fn delete_expired(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)
}
