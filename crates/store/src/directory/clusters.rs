use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::{cluster_memberships, clusters};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = clusters)]
pub struct ClusterRow {
    pub id: String,
    pub number: i32,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub created_at: NaiveDateTime,
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
