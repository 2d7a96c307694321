use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::history;
use super::search::ORG;
use crate::page::{Page, decode_cursor, encode_cursor, paginate};
use crate::schema::organisations;
use crate::{DbConn, words};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = organisations)]
pub struct OrgRow {
    pub id: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub short_name: Option<String>,
    pub kind: String,
    pub name_folded: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// the code used in the half-year and annual statistics
    pub member_code: Option<String>,
}

#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = organisations)]
pub struct OrgChanges {
    pub name_vi: Option<String>,
    pub name_en: Option<Option<String>>,
    pub short_name: Option<Option<String>>,
    pub kind: Option<String>,
    pub name_folded: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

/// Stores an organisation and indexes it for search in the same transaction.
pub fn insert(conn: &mut DbConn, row: &OrgRow) -> QueryResult<()> {
    diesel::insert_into(organisations::table)
        .values(row)
        .execute(conn)?;
    // Organisations are public: their words are readable through the organisation itself.
    words::add(conn, ORG, &row.id, &[row.id.as_str()], &words_of(row))
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<OrgRow>> {
    organisations::table
        .find(id)
        .select(OrgRow::as_select())
        .first(conn)
        .optional()
}

/// Finds an organisation by its id, its folded name or its folded short name (for the CLI).
pub fn find(conn: &mut DbConn, id_or_name: &str, folded: &str) -> QueryResult<Option<OrgRow>> {
    if let Some(row) = get(conn, id_or_name)? {
        return Ok(Some(row));
    }
    organisations::table
        .filter(organisations::name_folded.eq(folded))
        .select(OrgRow::as_select())
        .order(organisations::id)
        .first(conn)
        .optional()
}

/// The given organisations, in no particular order (absent ids are left out).
pub fn get_many(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<OrgRow>> {
    organisations::table
        .filter(organisations::id.eq_any(ids.to_vec()))
        .select(OrgRow::as_select())
        .load(conn)
}

/// Changes an organisation and re-indexes it for search in the same transaction.
pub fn update(conn: &mut DbConn, id: &str, changes: &OrgChanges) -> QueryResult<usize> {
    let n = diesel::update(organisations::table.find(id))
        .set(changes)
        .execute(conn)?;
    index(conn, id)?;
    Ok(n)
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    organisations::table.count().get_result(conn)
}

/// Organisations in name order. Every member of the network may list organisations.
pub fn list(conn: &mut DbConn, cursor: Option<&str>, limit: i64) -> QueryResult<Page<OrgRow>> {
    let mut q = organisations::table
        .select(OrgRow::as_select())
        .into_boxed();
    if let Some([name, id]) = cursor.and_then(|c| decode_cursor(c, 2)).as_deref() {
        q = q.filter(
            organisations::name_folded
                .gt(name.clone())
                .or(organisations::name_folded
                    .eq(name.clone())
                    .and(organisations::id.gt(id.clone()))),
        );
    }
    let rows = q
        .order((organisations::name_folded, organisations::id))
        .limit(limit + 1)
        .load(conn)?;
    Ok(paginate(rows, limit, |r| {
        encode_cursor(&[&r.name_folded, &r.id])
    }))
}

/// Every member code in use, with its organisation.
pub fn member_codes(conn: &mut DbConn) -> QueryResult<Vec<(String, String)>> {
    let rows: Vec<(Option<String>, String)> = organisations::table
        .filter(organisations::member_code.is_not_null())
        .select((organisations::member_code, organisations::id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(c, id)| c.map(|c| (c, id)))
        .collect())
}

/// Every organisation, by name (the public part; for exports).
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<OrgRow>> {
    organisations::table
        .select(OrgRow::as_select())
        .order((organisations::name_folded, organisations::id))
        .load(conn)
}

/// Organisations of one kind (e.g. the national coordinator), oldest first.
pub fn of_kind(conn: &mut DbConn, kind: &str) -> QueryResult<Vec<OrgRow>> {
    organisations::table
        .filter(organisations::kind.eq(kind))
        .order(organisations::created_at.asc())
        .select(OrgRow::as_select())
        .load(conn)
}

/// The words of an organisation's row: its current names and member code.
fn words_of(org: &OrgRow) -> Vec<String> {
    words::words_of(
        [
            Some(org.name_vi.as_str()),
            org.name_en.as_deref(),
            org.short_name.as_deref(),
            org.member_code.as_deref(),
        ]
        .into_iter()
        .flatten(),
    )
}

/// Re-indexes an organisation under every name it ever had (Vietnamese, English, short) and its
/// member code.
pub fn index(conn: &mut DbConn, org_id: &str) -> QueryResult<()> {
    let Some(org) = get(conn, org_id)? else {
        return words::forget(conn, org_id);
    };
    let mut tokens = words_of(&org);
    for n in history::names(conn, org_id)? {
        tokens.extend(history::name_words(&n));
    }
    words::replace(conn, ORG, org_id, &[org_id], &tokens)
}
