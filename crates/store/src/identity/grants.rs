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

/// The grants of several accounts in one query (for lists), by account.
pub fn of_users(
    conn: &mut DbConn,
    user_ids: &[String],
) -> QueryResult<std::collections::HashMap<String, Vec<GrantRow>>> {
    let rows: Vec<GrantRow> = role_grants::table
        .filter(role_grants::user_id.eq_any(user_ids.to_vec()))
        .select(GrantRow::as_select())
        .order(role_grants::created_at)
        .load(conn)?;
    let mut by_user: std::collections::HashMap<String, Vec<GrantRow>> =
        std::collections::HashMap::new();
    for g in rows {
        by_user.entry(g.user_id.clone()).or_default().push(g);
    }
    Ok(by_user)
}

/// The active accounts holding `role` at exactly this scope (e.g. the org admins of one
/// organisation), oldest account first: whom to tell about that scope.
pub fn holders(
    conn: &mut DbConn,
    role: &str,
    scope_kind: &str,
    scope_id: &str,
) -> QueryResult<Vec<crate::identity::users::UserRow>> {
    use crate::identity::users::UserRow;
    use crate::schema::users;
    role_grants::table
        .inner_join(users::table)
        .filter(role_grants::role.eq(role))
        .filter(role_grants::scope_kind.eq(scope_kind))
        .filter(role_grants::scope_id.eq(scope_id))
        .filter(users::active.eq(true))
        .select(UserRow::as_select())
        .order((users::created_at, users::id))
        .distinct()
        .load(conn)
}
