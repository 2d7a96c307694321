//! What an organisation was called when, and how organisations succeeded each other. A record made
//! in 2024 keeps the name its organisation had then: readers ask for names "as of" a day.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::search::ORG;
use crate::schema::{org_names, org_successions};
use crate::{DbConn, words};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = org_names)]
pub struct NameRow {
    pub id: String,
    pub org_id: String,
    pub valid_from: NaiveDate,
    /// the first day this name no longer holds
    pub valid_to: Option<NaiveDate>,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub short_name: Option<String>,
    pub name_folded: String,
    /// founding, rename, merge…
    pub reason: String,
    /// the province it belonged to in this period (statistics code)
    pub province_code: Option<String>,
    /// its parent authority in this period
    pub parent_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = org_successions)]
pub struct SuccessionRow {
    pub id: String,
    /// rename, merge, split or dissolve
    pub kind: String,
    pub effective: NaiveDate,
    pub predecessor_id: String,
    pub successor_id: Option<String>,
    /// the decision or law behind it, as written
    pub decision: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Stores a name version; the organisation stays findable by it (re-indexed in the same
/// transaction).
pub fn insert_name(conn: &mut DbConn, row: &NameRow) -> QueryResult<()> {
    diesel::insert_into(org_names::table)
        .values(row)
        .execute(conn)?;
    // Names only accumulate in the index: a past name keeps finding the organisation.
    words::add_missing(
        conn,
        ORG,
        &row.org_id,
        &[row.org_id.as_str()],
        name_words(row),
    )
}

/// The words of a name version.
pub(crate) fn name_words(n: &NameRow) -> Vec<String> {
    words::words_of(
        [
            Some(n.name_vi.as_str()),
            n.name_en.as_deref(),
            n.short_name.as_deref(),
        ]
        .into_iter()
        .flatten(),
    )
}

/// Ends the name that holds now, on `day` (a rename starts the next one that day).
pub fn close_current_name(conn: &mut DbConn, org_id: &str, day: NaiveDate) -> QueryResult<usize> {
    diesel::update(
        org_names::table
            .filter(org_names::org_id.eq(org_id))
            .filter(org_names::valid_to.is_null()),
    )
    .set(org_names::valid_to.eq(day))
    .execute(conn)
}

/// All names of an organisation, oldest first.
pub fn names(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<NameRow>> {
    org_names::table
        .filter(org_names::org_id.eq(org_id))
        .select(NameRow::as_select())
        .order(org_names::valid_from)
        .load(conn)
}

/// The names the given organisations had on `day`, by organisation id. An organisation without a
/// name on that day (not founded yet, or gone) is absent.
pub fn names_on(
    conn: &mut DbConn,
    org_ids: &[String],
    day: NaiveDate,
) -> QueryResult<HashMap<String, NameRow>> {
    let rows: Vec<NameRow> = org_names::table
        .filter(org_names::org_id.eq_any(org_ids.to_vec()))
        .filter(org_names::valid_from.le(day))
        .filter(
            org_names::valid_to
                .is_null()
                .or(org_names::valid_to.gt(day)),
        )
        .select(NameRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.org_id.clone(), r)).collect())
}

/// The organisations whose name version on `day` places them in `province_code`, in id order.
pub fn orgs_in_province_on(
    conn: &mut DbConn,
    province_code: &str,
    day: NaiveDate,
) -> QueryResult<Vec<String>> {
    org_names::table
        .filter(org_names::province_code.eq(province_code))
        .filter(org_names::valid_from.le(day))
        .filter(
            org_names::valid_to
                .is_null()
                .or(org_names::valid_to.gt(day)),
        )
        .select(org_names::org_id)
        .distinct()
        .order(org_names::org_id)
        .load(conn)
}

/// Every organisation that has a name on `day`: the ones that exist that day (not yet merged
/// away or dissolved), in id order.
pub fn orgs_existing_on(conn: &mut DbConn, day: NaiveDate) -> QueryResult<Vec<String>> {
    org_names::table
        .filter(org_names::valid_from.le(day))
        .filter(
            org_names::valid_to
                .is_null()
                .or(org_names::valid_to.gt(day)),
        )
        .select(org_names::org_id)
        .distinct()
        .order(org_names::org_id)
        .load(conn)
}

pub fn insert_succession(conn: &mut DbConn, row: &SuccessionRow) -> QueryResult<()> {
    diesel::insert_into(org_successions::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Successions an organisation took part in, as predecessor or successor, oldest first.
pub fn successions(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<SuccessionRow>> {
    org_successions::table
        .filter(
            org_successions::predecessor_id
                .eq(org_id)
                .or(org_successions::successor_id.eq(org_id)),
        )
        .select(SuccessionRow::as_select())
        .order(org_successions::effective)
        .load(conn)
}
