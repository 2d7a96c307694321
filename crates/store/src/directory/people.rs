//! People of member organisations and their 24/7 focal points. This is the directory's private
//! part: callers filter by the organisations the policy lets the reader see.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use irnet_domain::search::{phone_words, words as folded_words};

use super::search::PERSON;
use crate::directory::private::{self, PrivateScope};
use crate::schema::{focal_points, people};
use crate::words::json_list;
use crate::{DbConn, words};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = people)]
pub struct PersonRow {
    pub id: String,
    pub org_id: String,
    pub family_name: String,
    pub middle_name: Option<String>,
    pub given_name: String,
    pub title: Option<String>,
    /// JSON array of text
    pub phones: String,
    /// JSON array of text
    pub emails: String,
    pub user_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = focal_points)]
pub struct FocalPointRow {
    pub id: String,
    pub org_id: String,
    /// "main" or "backup"
    pub kind: String,
    pub person_id: String,
    pub since: NaiveDateTime,
    pub confirmed_at: NaiveDateTime,
}

/// Stores a person and indexes them for search in the same transaction.
pub fn insert(conn: &mut DbConn, row: &PersonRow) -> QueryResult<()> {
    diesel::insert_into(people::table)
        .values(row)
        .execute(conn)?;
    index(conn, row)
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<PersonRow>> {
    people::table
        .find(id)
        .select(PersonRow::as_select())
        .first(conn)
        .optional()
}

/// The given people, in no particular order (absent ids are left out).
pub fn get_many(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<PersonRow>> {
    people::table
        .filter(people::id.eq_any(ids.to_vec()))
        .select(PersonRow::as_select())
        .load(conn)
}

/// The people of the given organisations (the ones the reader may see).
pub fn of_orgs(conn: &mut DbConn, org_ids: &[String]) -> QueryResult<Vec<PersonRow>> {
    people::table
        .filter(people::org_id.eq_any(org_ids.to_vec()))
        .select(PersonRow::as_select())
        .load(conn)
}

/// Every person the scope admits, filtered in SQL.
pub fn visible(conn: &mut DbConn, scope: &PrivateScope) -> QueryResult<Vec<PersonRow>> {
    match private::org_ids(conn, scope)? {
        None => people::table
            .select(PersonRow::as_select())
            .order(people::id)
            .load(conn),
        Some(orgs) => people::table
            .filter(people::org_id.eq_any(orgs))
            .select(PersonRow::as_select())
            .order(people::id)
            .load(conn),
    }
}

/// What an edit may change (the organisation and the account link stay).
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = people, treat_none_as_null = true)]
pub struct PersonChanges {
    pub family_name: String,
    pub middle_name: Option<String>,
    pub given_name: String,
    pub title: Option<String>,
    pub phones: String,
    pub emails: String,
    pub updated_at: NaiveDateTime,
}

/// Changes a person and re-indexes them for search in the same transaction.
pub fn update(conn: &mut DbConn, id: &str, changes: &PersonChanges) -> QueryResult<usize> {
    let n = diesel::update(people::table.find(id))
        .set(changes)
        .execute(conn)?;
    if let Some(p) = get(conn, id)? {
        index(conn, &p)?;
    }
    Ok(n)
}

/// Deletes a person and their search words.
pub fn delete(conn: &mut DbConn, id: &str) -> QueryResult<usize> {
    words::forget(conn, id)?;
    diesel::delete(people::table.find(id)).execute(conn)
}

/// The focal-point roles ("main", "backup") a person holds.
pub fn focal_roles_of(conn: &mut DbConn, person_id: &str) -> QueryResult<Vec<String>> {
    focal_points::table
        .filter(focal_points::person_id.eq(person_id))
        .select(focal_points::kind)
        .order(focal_points::kind.desc())
        .load(conn)
}

pub fn focal_points_of(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<FocalPointRow>> {
    focal_points::table
        .filter(focal_points::org_id.eq(org_id))
        .select(FocalPointRow::as_select())
        .order(focal_points::kind.desc())
        .load(conn)
}

/// Names `person_id` as the organisation's `kind` focal point, replacing whoever held it.
pub fn set_focal_point(conn: &mut DbConn, row: &FocalPointRow) -> QueryResult<()> {
    diesel::delete(
        focal_points::table
            .filter(focal_points::org_id.eq(&row.org_id))
            .filter(focal_points::kind.eq(&row.kind)),
    )
    .execute(conn)?;
    diesel::insert_into(focal_points::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Records that the organisation confirmed its focal points are current.
pub fn confirm_focal_points(
    conn: &mut DbConn,
    org_id: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(focal_points::table.filter(focal_points::org_id.eq(org_id)))
        .set(focal_points::confirmed_at.eq(at))
        .execute(conn)
}

/// Indexes a person under their names (in any order), emails and phone numbers.
pub fn index(conn: &mut DbConn, p: &PersonRow) -> QueryResult<()> {
    let mut tokens = words::words_of(
        [
            Some(p.family_name.as_str()),
            p.middle_name.as_deref(),
            Some(p.given_name.as_str()),
        ]
        .into_iter()
        .flatten(),
    );
    for e in json_list(&p.emails) {
        tokens.extend(folded_words(&e));
    }
    for ph in json_list(&p.phones) {
        tokens.extend(phone_words(&ph));
    }
    words::replace(conn, PERSON, &p.id, &[p.org_id.as_str()], &tokens)
}
