use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConn;
use crate::page::{Page, decode_cursor, encode_cursor, paginate};
use crate::schema::users;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub org_id: String,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub password_hash: String,
    pub active: bool,
    pub mfa_secret: Option<String>,
    pub mfa_pending_secret: Option<String>,
    pub mfa_enabled_at: Option<NaiveDateTime>,
    pub mfa_last_step: Option<i64>,
    pub password_changed_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl UserRow {
    /// A new active account, without two-step verification, created at `now`.
    pub fn new_account(
        org_id: String,
        email: String,
        display_name: String,
        locale: String,
        password_hash: String,
        now: NaiveDateTime,
    ) -> Self {
        UserRow {
            id: uuid::Uuid::now_v7().to_string(),
            org_id,
            email,
            display_name,
            locale,
            password_hash,
            active: true,
            mfa_secret: None,
            mfa_pending_secret: None,
            mfa_enabled_at: None,
            mfa_last_step: None,
            password_changed_at: now,
            created_at: now,
            updated_at: now,
        }
    }
}

#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub locale: Option<String>,
    pub active: Option<bool>,
    pub org_id: Option<String>,
    pub password_hash: Option<String>,
    pub password_changed_at: Option<NaiveDateTime>,
    pub mfa_secret: Option<Option<String>>,
    pub mfa_pending_secret: Option<Option<String>>,
    pub mfa_enabled_at: Option<Option<NaiveDateTime>>,
    pub mfa_last_step: Option<Option<i64>>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, row: &UserRow) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn update(conn: &mut DbConn, id: &str, changes: &UserChanges) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// Accounts in email order; `orgs` restricts the list to those organisations (`None`: all).
pub fn list(
    conn: &mut DbConn,
    orgs: Option<&[String]>,
    cursor: Option<&str>,
    limit: i64,
) -> QueryResult<Page<UserRow>> {
    let mut q = users::table.select(UserRow::as_select()).into_boxed();
    if let Some(orgs) = orgs {
        q = q.filter(users::org_id.eq_any(orgs.to_vec()));
    }
    if let Some([email]) = cursor.and_then(|c| decode_cursor(c, 1)).as_deref() {
        q = q.filter(users::email.gt(email.clone()));
    }
    let rows = q.order(users::email).limit(limit + 1).load(conn)?;
    Ok(paginate(rows, limit, |r| encode_cursor(&[&r.email])))
}

/// The active accounts among `ids` (inactive and unknown ones are left out).
pub fn active_by_ids(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<UserRow>> {
    users::table
        .filter(users::id.eq_any(ids))
        .filter(users::active.eq(true))
        .order(users::id.asc())
        .select(UserRow::as_select())
        .load(conn)
}
