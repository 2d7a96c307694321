//! Information systems of members — part of the directory's private part: callers check that the
//! reader may see the owner's (or operator's) private part.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use irnet_domain::search::words as folded_words;

use super::search::SYSTEM;
use crate::directory::private::{self, PrivateScope};
use crate::schema::information_systems;
use crate::words::json_list;
use crate::{DbConn, words};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = information_systems)]
pub struct SystemRow {
    pub id: String,
    pub owner_org_id: String,
    pub operator_org_id: Option<String>,
    pub name: String,
    pub purpose: Option<String>,
    pub information_classes: String,
    pub proposed_level: Option<i32>,
    pub approved_level: Option<i32>,
    pub approver: Option<String>,
    pub approval_decision: Option<String>,
    pub approval_date: Option<NaiveDate>,
    pub public_urls: String,
    pub domains: String,
    pub ip_ranges: String,
    pub internet_facing: bool,
    pub critical: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// the operating system and its version (Mẫu 03 item 11)
    pub os: Option<String>,
    pub os_version: Option<String>,
}

/// Stores a system and indexes it for search in the same transaction.
pub fn insert(conn: &mut DbConn, row: &SystemRow) -> QueryResult<()> {
    diesel::insert_into(information_systems::table)
        .values(row)
        .execute(conn)?;
    index(conn, row)
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<SystemRow>> {
    information_systems::table
        .find(id)
        .select(SystemRow::as_select())
        .first(conn)
        .optional()
}

/// The given systems, in no particular order (absent ids are left out).
pub fn get_many(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<SystemRow>> {
    information_systems::table
        .filter(information_systems::id.eq_any(ids.to_vec()))
        .select(SystemRow::as_select())
        .load(conn)
}

/// Systems an organisation owns or operates, by name.
pub fn of_org(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<SystemRow>> {
    information_systems::table
        .filter(
            information_systems::owner_org_id
                .eq(org_id)
                .or(information_systems::operator_org_id.eq(org_id)),
        )
        .select(SystemRow::as_select())
        .order((information_systems::name, information_systems::id))
        .load(conn)
}

/// Every system whose owner or operator the scope admits, filtered in SQL, by name.
pub fn visible(conn: &mut DbConn, scope: &PrivateScope) -> QueryResult<Vec<SystemRow>> {
    let q = information_systems::table
        .select(SystemRow::as_select())
        .order((information_systems::name, information_systems::id));
    match private::org_ids(conn, scope)? {
        None => q.load(conn),
        Some(orgs) => q
            .filter(
                information_systems::owner_org_id
                    .eq_any(orgs.clone())
                    .or(information_systems::operator_org_id.eq_any(orgs)),
            )
            .load(conn),
    }
}

/// What an edit may change (the owner stays).
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = information_systems, treat_none_as_null = true)]
pub struct SystemChanges {
    pub operator_org_id: Option<String>,
    pub name: String,
    pub purpose: Option<String>,
    pub information_classes: String,
    pub proposed_level: Option<i32>,
    pub approved_level: Option<i32>,
    pub approver: Option<String>,
    pub approval_decision: Option<String>,
    pub approval_date: Option<NaiveDate>,
    pub public_urls: String,
    pub domains: String,
    pub ip_ranges: String,
    pub internet_facing: bool,
    pub critical: bool,
    pub os: Option<String>,
    pub os_version: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// Changes a system and re-indexes it for search in the same transaction.
pub fn update(conn: &mut DbConn, id: &str, changes: &SystemChanges) -> QueryResult<usize> {
    let n = diesel::update(information_systems::table.find(id))
        .set(changes)
        .execute(conn)?;
    if let Some(s) = get(conn, id)? {
        index(conn, &s)?;
    }
    Ok(n)
}

/// Deletes a system and its search words.
pub fn delete(conn: &mut DbConn, id: &str) -> QueryResult<usize> {
    words::forget(conn, id)?;
    diesel::delete(information_systems::table.find(id)).execute(conn)
}

/// Indexes a system under its name, domains and URLs, readable through its owner and operator.
pub fn index(conn: &mut DbConn, s: &SystemRow) -> QueryResult<()> {
    let mut tokens = folded_words(&s.name);
    for d in json_list(&s.domains)
        .iter()
        .chain(&json_list(&s.public_urls))
    {
        tokens.extend(folded_words(d));
    }
    let mut owners = vec![s.owner_org_id.as_str()];
    owners.extend(s.operator_org_id.as_deref());
    words::replace(conn, SYSTEM, &s.id, &owners, &tokens)
}
