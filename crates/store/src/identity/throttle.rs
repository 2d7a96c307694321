//! Failed sign-ins counted in the database, so that a lockout earned on one instance holds on all.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::login_throttle;
use crate::{DbConn, is_unique_violation};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = login_throttle)]
pub struct ThrottleRow {
    pub key: String,
    pub failures: i32,
    pub window_started_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
}

pub fn get(conn: &mut DbConn, key: &str) -> QueryResult<Option<ThrottleRow>> {
    login_throttle::table
        .find(key)
        .select(ThrottleRow::as_select())
        .first(conn)
        .optional()
}

/// Counts one failure and returns the row after it. Failures older than `window_start` no longer
/// count. The increment is a single UPDATE so that concurrent instances do not lose counts.
pub fn record_failure(
    conn: &mut DbConn,
    key: &str,
    now: NaiveDateTime,
    window_start: NaiveDateTime,
) -> QueryResult<ThrottleRow> {
    // A stale window starts again from zero.
    diesel::update(
        login_throttle::table
            .find(key)
            .filter(login_throttle::window_started_at.lt(window_start)),
    )
    .set((
        login_throttle::failures.eq(0),
        login_throttle::window_started_at.eq(now),
    ))
    .execute(conn)?;
    let updated = diesel::update(login_throttle::table.find(key))
        .set(login_throttle::failures.eq(login_throttle::failures + 1))
        .execute(conn)?;
    if updated == 0 {
        let row = ThrottleRow {
            key: key.to_owned(),
            failures: 1,
            window_started_at: now,
            locked_until: None,
        };
        match diesel::insert_into(login_throttle::table)
            .values(&row)
            .execute(conn)
        {
            Ok(_) => {}
            // Another instance inserted it first: count on its row.
            Err(e) if is_unique_violation(&e) => {
                diesel::update(login_throttle::table.find(key))
                    .set(login_throttle::failures.eq(login_throttle::failures + 1))
                    .execute(conn)?;
            }
            Err(e) => return Err(e),
        }
    }
    login_throttle::table
        .find(key)
        .select(ThrottleRow::as_select())
        .first(conn)
}

pub fn lock(conn: &mut DbConn, key: &str, until: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(login_throttle::table.find(key))
        .set((
            login_throttle::locked_until.eq(until),
            login_throttle::failures.eq(0),
        ))
        .execute(conn)
}

pub fn clear(conn: &mut DbConn, key: &str) -> QueryResult<usize> {
    diesel::delete(login_throttle::table.find(key)).execute(conn)
}
