use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::recovery_codes;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = recovery_codes)]
pub struct RecoveryCodeRow {
    pub id: String,
    pub user_id: String,
    pub code_hash: String,
    pub used_at: Option<NaiveDateTime>,
}

/// Replaces all recovery codes of a user (enrolment, regeneration); `rows` empty just removes them.
pub fn replace(conn: &mut DbConn, user_id: &str, rows: &[RecoveryCodeRow]) -> QueryResult<()> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)?;
    for row in rows {
        diesel::insert_into(recovery_codes::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// Marks an unused code as used; true if it was one. A code works once.
pub fn consume(
    conn: &mut DbConn,
    user_id: &str,
    code_hash: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user_id))
            .filter(recovery_codes::code_hash.eq(code_hash))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(at))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn remaining(conn: &mut DbConn, user_id: &str) -> QueryResult<i64> {
    recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
}
