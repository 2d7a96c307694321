//! The network's rule sets (`rule_sets`) and the version counter every change raises
//! (`rule_sets_version`), which instances read to know when to reload the sets they keep.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::{rule_sets, rule_sets_version};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = rule_sets)]
pub struct RuleSetRow {
    pub id: String,
    pub effective_from: NaiveDate,
    pub body: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Every set, by effective date.
pub fn list(conn: &mut DbConn) -> QueryResult<Vec<RuleSetRow>> {
    rule_sets::table
        .order(rule_sets::effective_from.asc())
        .select(RuleSetRow::as_select())
        .load(conn)
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<RuleSetRow>> {
    rule_sets::table
        .find(id)
        .select(RuleSetRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConn, row: &RuleSetRow) -> QueryResult<()> {
    diesel::insert_into(rule_sets::table)
        .values(row)
        .execute(conn)?;
    bump(conn)
}

pub fn update(conn: &mut DbConn, row: &RuleSetRow) -> QueryResult<()> {
    diesel::update(rule_sets::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    bump(conn)
}

pub fn delete(conn: &mut DbConn, id: &str) -> QueryResult<()> {
    diesel::delete(rule_sets::table.find(id)).execute(conn)?;
    bump(conn)
}

/// The counter every change raises: one primary-key read.
pub fn version(conn: &mut DbConn) -> QueryResult<i64> {
    rule_sets_version::table
        .find(1)
        .select(rule_sets_version::version)
        .first(conn)
}

fn bump(conn: &mut DbConn) -> QueryResult<()> {
    diesel::update(rule_sets_version::table.find(1))
        .set(rule_sets_version::version.eq(rule_sets_version::version + 1))
        .execute(conn)
        .map(|_| ())
}
