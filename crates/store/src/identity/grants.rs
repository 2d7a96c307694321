use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::role_grants;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = role_grants)]
pub struct GrantRow {
    pub id: String,
    pub user_id: String,
    pub role: String,
    pub scope_kind: String,
    /// '' for the network scope
    pub scope_id: String,
    pub granted_by: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn of_user(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<GrantRow>> {
    role_grants::table
        .filter(role_grants::user_id.eq(user_id))
        .select(GrantRow::as_select())
        .order(role_grants::created_at)
        .load(conn)
}

pub fn insert(conn: &mut DbConn, row: &GrantRow) -> QueryResult<()> {
    diesel::insert_into(role_grants::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, user_id: &str, grant_id: &str) -> QueryResult<Option<GrantRow>> {
    role_grants::table
        .filter(role_grants::id.eq(grant_id))
        .filter(role_grants::user_id.eq(user_id))
        .select(GrantRow::as_select())
        .first(conn)
        .optional()
}

pub fn delete(conn: &mut DbConn, grant_id: &str) -> QueryResult<usize> {
    diesel::delete(role_grants::table.find(grant_id)).execute(conn)
}

/// Whether anyone holds `role` at the network scope (the first-run check looks for an admin).
pub fn exists_network_role(conn: &mut DbConn, role: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        role_grants::table
            .filter(role_grants::role.eq(role))
            .filter(role_grants::scope_kind.eq("network")),
    ))
    .get_result(conn)
}
