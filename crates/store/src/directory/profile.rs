//! The member profile (Mẫu 01) beyond people and systems: the incident response team, capabilities,
//! staff counts, experts and the yearly confirmation. Part of the directory's private part:
//! callers check that the reader may see the organisation's private part. Each section is
//! replaced whole, so a write never leaves half of an edit behind.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::{
    experts, member_profiles, org_capabilities, response_team_members, response_teams, staff_counts,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = response_teams)]
pub struct TeamRow {
    pub org_id: String,
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub decision_issuer: Option<String>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = response_team_members)]
pub struct TeamMemberRow {
    pub id: String,
    pub org_id: String,
    pub person_id: String,
    /// leader, deputy, member or expert
    pub role: String,
    /// the order the member listed them in
    pub position: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = org_capabilities)]
pub struct CapabilityRow {
    pub id: String,
    pub org_id: String,
    /// a code of the taxonomy in `domain::profile`
    pub skill: String,
    /// basic, intermediate or advanced
    pub level: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = staff_counts)]
pub struct StaffCountRow {
    pub id: String,
    pub org_id: String,
    /// field, degree or certificate
    pub category: String,
    /// the field or degree code, or the certificate's name as written
    pub name: String,
    pub head_count: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = experts)]
pub struct ExpertRow {
    pub id: String,
    pub org_id: String,
    pub person_id: String,
    pub expertise: String,
    /// JSON array of text
    pub certificates: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = member_profiles)]
pub struct ProfileRow {
    pub org_id: String,
    pub updated_at: NaiveDateTime,
    pub confirmed_on: Option<NaiveDate>,
}

pub fn team(conn: &mut DbConn, org_id: &str) -> QueryResult<Option<TeamRow>> {
    response_teams::table
        .find(org_id)
        .select(TeamRow::as_select())
        .first(conn)
        .optional()
}

pub fn team_members(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<TeamMemberRow>> {
    response_team_members::table
        .filter(response_team_members::org_id.eq(org_id))
        .select(TeamMemberRow::as_select())
        .order((response_team_members::position, response_team_members::id))
        .load(conn)
}

/// Replaces the organisation's team: its decision and all its members.
pub fn replace_team(
    conn: &mut DbConn,
    team: &TeamRow,
    members: &[TeamMemberRow],
) -> QueryResult<()> {
    diesel::delete(response_teams::table.find(&team.org_id)).execute(conn)?;
    diesel::insert_into(response_teams::table)
        .values(team)
        .execute(conn)?;
    diesel::delete(
        response_team_members::table.filter(response_team_members::org_id.eq(&team.org_id)),
    )
    .execute(conn)?;
    // One statement per row: the multi-backend connection has no batch insert.
    for row in members {
        diesel::insert_into(response_team_members::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn capabilities(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<CapabilityRow>> {
    org_capabilities::table
        .filter(org_capabilities::org_id.eq(org_id))
        .select(CapabilityRow::as_select())
        .load(conn)
}

pub fn replace_capabilities(
    conn: &mut DbConn,
    org_id: &str,
    rows: &[CapabilityRow],
) -> QueryResult<()> {
    diesel::delete(org_capabilities::table.filter(org_capabilities::org_id.eq(org_id)))
        .execute(conn)?;
    // One statement per row: the multi-backend connection has no batch insert.
    for row in rows {
        diesel::insert_into(org_capabilities::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn staff(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<StaffCountRow>> {
    staff_counts::table
        .filter(staff_counts::org_id.eq(org_id))
        .select(StaffCountRow::as_select())
        .order((staff_counts::category, staff_counts::name))
        .load(conn)
}

pub fn replace_staff(conn: &mut DbConn, org_id: &str, rows: &[StaffCountRow]) -> QueryResult<()> {
    diesel::delete(staff_counts::table.filter(staff_counts::org_id.eq(org_id))).execute(conn)?;
    // One statement per row: the multi-backend connection has no batch insert.
    for row in rows {
        diesel::insert_into(staff_counts::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn experts_of(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<ExpertRow>> {
    experts::table
        .filter(experts::org_id.eq(org_id))
        .select(ExpertRow::as_select())
        .order((experts::created_at, experts::id))
        .load(conn)
}

pub fn insert_expert(conn: &mut DbConn, row: &ExpertRow) -> QueryResult<()> {
    diesel::insert_into(experts::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Removes an expert of the organisation; 0 when there is no such expert there.
pub fn delete_expert(conn: &mut DbConn, org_id: &str, id: &str) -> QueryResult<usize> {
    diesel::delete(
        experts::table
            .filter(experts::org_id.eq(org_id))
            .filter(experts::id.eq(id)),
    )
    .execute(conn)
}

pub fn profile(conn: &mut DbConn, org_id: &str) -> QueryResult<Option<ProfileRow>> {
    member_profiles::table
        .find(org_id)
        .select(ProfileRow::as_select())
        .first(conn)
        .optional()
}

/// Records that the profile changed at `at` (and, with `confirmed_on`, that the member confirmed
/// it as current that day); keeps an earlier confirmation otherwise.
pub fn touch(
    conn: &mut DbConn,
    org_id: &str,
    at: NaiveDateTime,
    confirmed_on: Option<NaiveDate>,
) -> QueryResult<()> {
    let kept = profile(conn, org_id)?.and_then(|p| p.confirmed_on);
    diesel::delete(member_profiles::table.find(org_id)).execute(conn)?;
    diesel::insert_into(member_profiles::table)
        .values(&ProfileRow {
            org_id: org_id.to_owned(),
            updated_at: at,
            confirmed_on: confirmed_on.or(kept),
        })
        .execute(conn)
        .map(drop)
}

/// True when the person is in its organisation's response team or among its experts (a person
/// cannot be deleted from under the member profile).
pub fn mentions_person(conn: &mut DbConn, person_id: &str) -> QueryResult<bool> {
    use crate::schema::{experts, response_team_members};
    let in_team: i64 = response_team_members::table
        .filter(response_team_members::person_id.eq(person_id))
        .count()
        .get_result(conn)?;
    let expert: i64 = experts::table
        .filter(experts::person_id.eq(person_id))
        .count()
        .get_result(conn)?;
    Ok(in_team + expert > 0)
}

/// The organisation's address, phone, e-mail and head, as Mẫu 01 asks for them.
#[derive(Debug, Clone, Default, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::schema::org_details)]
pub struct DetailsRow {
    pub org_id: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub head_name: Option<String>,
    pub head_title: Option<String>,
    pub updated_at: NaiveDateTime,
}

pub fn details(conn: &mut DbConn, org_id: &str) -> QueryResult<Option<DetailsRow>> {
    use crate::schema::org_details;
    org_details::table
        .find(org_id)
        .select(DetailsRow::as_select())
        .first(conn)
        .optional()
}

/// Replaces the organisation's details whole.
pub fn replace_details(conn: &mut DbConn, row: &DetailsRow) -> QueryResult<()> {
    use crate::schema::org_details;
    diesel::delete(org_details::table.find(&row.org_id)).execute(conn)?;
    diesel::insert_into(org_details::table)
        .values(row)
        .execute(conn)
        .map(drop)
}
