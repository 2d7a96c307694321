//! One row per recipient of a notice. Readers only ever see their own: every query here takes
//! the user id.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{cursor_of, decode};
use crate::DbConn;
use crate::page::{Page, paginate};
use crate::schema::notifications;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: String,
    pub user_id: String,
    pub event_id: String,
    pub kind: String,
    pub object_type: String,
    pub object_id: String,
    pub org_id: Option<String>,
    pub link: String,
    pub title: String,
    pub body: String,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, row: &NotificationRow) -> QueryResult<()> {
    diesel::insert_into(notifications::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// The user's notification `id`, if it is theirs.
pub fn get_own(conn: &mut DbConn, user_id: &str, id: &str) -> QueryResult<Option<NotificationRow>> {
    notifications::table
        .filter(notifications::id.eq(id))
        .filter(notifications::user_id.eq(user_id))
        .select(NotificationRow::as_select())
        .first(conn)
        .optional()
}

/// The user's notifications, newest first.
pub fn list_own(
    conn: &mut DbConn,
    user_id: &str,
    unread_only: bool,
    cursor: Option<&str>,
    limit: i64,
) -> QueryResult<Page<NotificationRow>> {
    let mut q = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .select(NotificationRow::as_select())
        .into_boxed();
    if unread_only {
        q = q.filter(notifications::read_at.is_null());
    }
    if let Some((at, id)) = decode(cursor) {
        q = q.filter(
            notifications::created_at
                .lt(at)
                .or(notifications::created_at
                    .eq(at)
                    .and(notifications::id.lt(id))),
        );
    }
    let rows = q
        .order((notifications::created_at.desc(), notifications::id.desc()))
        .limit(limit + 1)
        .load(conn)?;
    Ok(paginate(rows, limit, |r| cursor_of(r.created_at, &r.id)))
}

/// The user's notifications created after their notification `after_id` (all of them without
/// one), oldest first: what a stream resuming or re-reading has not sent. Nothing when `after_id`
/// is not theirs.
pub fn after_own(
    conn: &mut DbConn,
    user_id: &str,
    after_id: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<NotificationRow>> {
    let mut q = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .select(NotificationRow::as_select())
        .into_boxed();
    if let Some(after_id) = after_id {
        let Some(last) = get_own(conn, user_id, after_id)? else {
            return Ok(vec![]);
        };
        q = q.filter(
            notifications::created_at
                .gt(last.created_at)
                .or(notifications::created_at
                    .eq(last.created_at)
                    .and(notifications::id.gt(last.id))),
        );
    }
    q.order((notifications::created_at.asc(), notifications::id.asc()))
        .limit(limit)
        .load(conn)
}

/// The user's newest notification, where a fresh stream starts.
pub fn newest_own(conn: &mut DbConn, user_id: &str) -> QueryResult<Option<NotificationRow>> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .order((notifications::created_at.desc(), notifications::id.desc()))
        .select(NotificationRow::as_select())
        .first(conn)
        .optional()
}

pub fn unread_count(conn: &mut DbConn, user_id: &str) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
}

/// Marks one of the user's notifications read (if not already); false when it is not theirs.
pub fn mark_read(
    conn: &mut DbConn,
    user_id: &str,
    id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    if get_own(conn, user_id, id)?.is_none() {
        return Ok(false);
    }
    diesel::update(
        notifications::table
            .filter(notifications::id.eq(id))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Some(at)))
    .execute(conn)?;
    Ok(true)
}

/// Marks all of the user's unread notifications read; returns how many.
pub fn mark_all_read(conn: &mut DbConn, user_id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user_id))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Some(at)))
    .execute(conn)
}
