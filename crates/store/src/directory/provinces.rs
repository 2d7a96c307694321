//! Provinces as reference data: each code's versions (names and kind over half-open periods) and
//! the mergers between them. `provinces` holds each code's latest version for foreign keys.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::{province_successions, province_versions, provinces};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = provinces)]
pub struct ProvinceRow {
    pub code: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    /// province or city (centrally-run)
    pub kind: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = province_versions)]
pub struct VersionRow {
    pub id: String,
    pub province_code: String,
    pub valid_from: NaiveDate,
    /// the first day this version no longer holds
    pub valid_to: Option<NaiveDate>,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub name_folded: String,
    pub kind: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = province_successions)]
pub struct SuccessionRow {
    pub id: String,
    pub predecessor_code: String,
    pub successor_code: String,
    /// the first day of the merged province
    pub effective: NaiveDate,
    /// the resolution behind it, as written
    pub decision: Option<String>,
}

/// Every known code.
pub fn codes(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    provinces::table.select(provinces::code).load(conn)
}

/// Replaces what is known of the given provinces: their versions and the mergers they were
/// absorbed by are dropped and written anew, their latest version kept in `provinces`. Codes the
/// data does not name are left alone (organisations may refer to them).
pub fn replace(
    conn: &mut DbConn,
    latest: &[ProvinceRow],
    versions: &[VersionRow],
    successions: &[SuccessionRow],
) -> QueryResult<()> {
    let codes: Vec<String> = latest.iter().map(|p| p.code.clone()).collect();
    diesel::delete(
        province_successions::table
            .filter(province_successions::predecessor_code.eq_any(codes.clone())),
    )
    .execute(conn)?;
    diesel::delete(province_versions::table.filter(province_versions::province_code.eq_any(codes)))
        .execute(conn)?;
    for p in latest {
        let updated = diesel::update(provinces::table.find(&p.code))
            .set(p)
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(provinces::table)
                .values(p)
                .execute(conn)?;
        }
    }
    for v in versions {
        diesel::insert_into(province_versions::table)
            .values(v)
            .execute(conn)?;
    }
    for s in successions {
        diesel::insert_into(province_successions::table)
            .values(s)
            .execute(conn)?;
    }
    Ok(())
}

/// The versions that hold on `day` (all of them when `codes` is `None`), by code.
pub fn versions_on(
    conn: &mut DbConn,
    day: NaiveDate,
    codes: Option<&[String]>,
) -> QueryResult<Vec<VersionRow>> {
    let mut q = province_versions::table
        .filter(province_versions::valid_from.le(day))
        .filter(
            province_versions::valid_to
                .is_null()
                .or(province_versions::valid_to.gt(day)),
        )
        .select(VersionRow::as_select())
        .order(province_versions::province_code)
        .into_boxed();
    if let Some(codes) = codes {
        q = q.filter(province_versions::province_code.eq_any(codes.to_vec()));
    }
    q.load(conn)
}

/// The mergers that ended the given provinces, by predecessor code.
pub fn absorbed_into(
    conn: &mut DbConn,
    codes: &[String],
) -> QueryResult<HashMap<String, Vec<SuccessionRow>>> {
    let rows: Vec<SuccessionRow> = province_successions::table
        .filter(province_successions::predecessor_code.eq_any(codes.to_vec()))
        .select(SuccessionRow::as_select())
        .order(province_successions::effective)
        .load(conn)?;
    let mut by_code: HashMap<String, Vec<SuccessionRow>> = HashMap::new();
    for r in rows {
        by_code
            .entry(r.predecessor_code.clone())
            .or_default()
            .push(r);
    }
    Ok(by_code)
}
