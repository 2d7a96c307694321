use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::{cluster_leads, cluster_memberships, clusters};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = clusters)]
pub struct ClusterRow {
    pub id: String,
    pub number: i32,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub created_at: NaiveDateTime,
    /// the founding decision's number, as written (e.g. `38/QĐ-CATTT`)
    pub founding_decision: Option<String>,
    pub founding_date: Option<NaiveDate>,
    pub founding_issuer: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cluster_memberships)]
pub struct MembershipRow {
    pub id: String,
    pub cluster_id: String,
    pub org_id: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub reason: String,
}

pub fn insert(conn: &mut DbConn, row: &ClusterRow) -> QueryResult<()> {
    diesel::insert_into(clusters::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<ClusterRow>> {
    clusters::table
        .find(id)
        .select(ClusterRow::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<ClusterRow>> {
    clusters::table
        .select(ClusterRow::as_select())
        .order(clusters::number)
        .load(conn)
}

pub fn insert_membership(conn: &mut DbConn, row: &MembershipRow) -> QueryResult<()> {
    diesel::insert_into(cluster_memberships::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// The clusters `org_id` belongs to on `day` (membership periods are half-open: `valid_to` is the
/// first day it no longer holds).
pub fn clusters_of_org(
    conn: &mut DbConn,
    org_id: &str,
    day: NaiveDate,
) -> QueryResult<Vec<String>> {
    cluster_memberships::table
        .filter(cluster_memberships::org_id.eq(org_id))
        .filter(cluster_memberships::valid_from.le(day))
        .filter(
            cluster_memberships::valid_to
                .is_null()
                .or(cluster_memberships::valid_to.gt(day)),
        )
        .select(cluster_memberships::cluster_id)
        .order(cluster_memberships::cluster_id)
        .load(conn)
}

/// The memberships of a cluster that hold on `day`.
pub fn memberships_on(
    conn: &mut DbConn,
    cluster_id: &str,
    day: NaiveDate,
) -> QueryResult<Vec<MembershipRow>> {
    cluster_memberships::table
        .filter(cluster_memberships::cluster_id.eq(cluster_id))
        .filter(cluster_memberships::valid_from.le(day))
        .filter(
            cluster_memberships::valid_to
                .is_null()
                .or(cluster_memberships::valid_to.gt(day)),
        )
        .select(MembershipRow::as_select())
        .order(cluster_memberships::valid_from)
        .load(conn)
}

/// Every membership a cluster ever had, oldest first (the composition timeline).
pub fn memberships(conn: &mut DbConn, cluster_id: &str) -> QueryResult<Vec<MembershipRow>> {
    cluster_memberships::table
        .filter(cluster_memberships::cluster_id.eq(cluster_id))
        .select(MembershipRow::as_select())
        .order((cluster_memberships::valid_from, cluster_memberships::id))
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cluster_leads)]
pub struct LeadRow {
    pub id: String,
    pub cluster_id: String,
    pub year: i32,
    pub org_id: String,
    pub handed_over_on: Option<NaiveDate>,
    pub handed_over_from: Option<String>,
    /// where the lead was handed over, e.g. the year-end conference
    pub handover_event: Option<String>,
    /// who handed over, as the record names them
    pub handed_over_by: Option<String>,
}

pub fn insert_lead(conn: &mut DbConn, row: &LeadRow) -> QueryResult<()> {
    diesel::insert_into(cluster_leads::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn leads(conn: &mut DbConn, cluster_id: &str) -> QueryResult<Vec<LeadRow>> {
    cluster_leads::table
        .filter(cluster_leads::cluster_id.eq(cluster_id))
        .select(LeadRow::as_select())
        .order(cluster_leads::year)
        .load(conn)
}

/// The lead of `cluster_id` in `year`: the one recorded for that year, or, while no lead is
/// recorded for it yet, the latest earlier one — a lead holds until it is handed over (at the
/// year-end conference), so a year whose hand-over is not recorded keeps the last lead.
pub fn lead_in(conn: &mut DbConn, cluster_id: &str, year: i32) -> QueryResult<Option<LeadRow>> {
    cluster_leads::table
        .filter(cluster_leads::cluster_id.eq(cluster_id))
        .filter(cluster_leads::year.le(year))
        .select(LeadRow::as_select())
        .order(cluster_leads::year.desc())
        .first(conn)
        .optional()
}

/// The clusters `org_id` leads in `year` (the lead grants of its people count for these only),
/// by `lead_in`: a lead recorded for the year, or the last one while the next is not recorded.
pub fn led_by(conn: &mut DbConn, org_id: &str, year: i32) -> QueryResult<Vec<String>> {
    let candidates: Vec<String> = cluster_leads::table
        .filter(cluster_leads::org_id.eq(org_id))
        .filter(cluster_leads::year.le(year))
        .select(cluster_leads::cluster_id)
        .distinct()
        .order(cluster_leads::cluster_id)
        .load(conn)?;
    let mut out = Vec::new();
    for c in candidates {
        if lead_in(conn, &c, year)?.is_some_and(|l| l.org_id == org_id) {
            out.push(c);
        }
    }
    Ok(out)
}
