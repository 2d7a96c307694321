use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::api_tokens;

/// An API token. Only its SHA-256 is stored; `prefix` lets its owner recognise it in a list.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct TokenRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub token_hash: String,
    pub prefix: String,
    pub scope: String,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, row: &TokenRow) -> QueryResult<()> {
    diesel::insert_into(api_tokens::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn by_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<TokenRow>> {
    api_tokens::table
        .filter(api_tokens::token_hash.eq(hash))
        .select(TokenRow::as_select())
        .first(conn)
        .optional()
}

pub fn of_user(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<TokenRow>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .select(TokenRow::as_select())
        .order(api_tokens::created_at.desc())
        .load(conn)
}

pub fn get(conn: &mut DbConn, user_id: &str, id: &str) -> QueryResult<Option<TokenRow>> {
    api_tokens::table
        .filter(api_tokens::id.eq(id))
        .filter(api_tokens::user_id.eq(user_id))
        .select(TokenRow::as_select())
        .first(conn)
        .optional()
}

pub fn revoke(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(at))
    .execute(conn)
}

pub fn touch(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::last_used_at.eq(at))
        .execute(conn)
}
