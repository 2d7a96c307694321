//! Training: programmes with their invited members and sessions (`training_programmes`,
//! `training_invitations`, `training_sessions`), the hours people spent in training
//! (`training_hours`, one row per person and source) and their certificates
//! (`training_certificates`). Lists are filtered in SQL: programmes by
//! `Principal::programme_read_rule`, hours and certificates — an organisation's private part — by
//! `org_private_visible!`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use irnet_domain::PrivateReadRule;
use irnet_domain::ProgrammeReadRule;
use irnet_domain::ids::{CertificateId, ProgrammeId, TrainingSessionId};
use irnet_domain::training::HoursSource;

use crate::DbConn;
use crate::schema::{
    training_certificates as certs, training_hours as hours, training_invitations as inv,
    training_programmes as programmes, training_sessions as sessions,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = programmes)]
pub struct ProgrammeRow {
    pub id: ProgrammeId,
    pub organiser_org_id: String,
    pub organiser_kind: String,
    pub cluster_id: Option<String>,
    pub title: String,
    pub topic: String,
    pub audience: String,
    pub year: i32,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: TrainingSessionId,
    pub programme_id: ProgrammeId,
    pub held_on: NaiveDate,
    pub place: String,
    pub minutes: i32,
    pub topic: String,
    pub trainer: String,
    pub created_at: NaiveDateTime,
}

/// Hours one person spent in training from one source (a session attended, a drill).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hours)]
pub struct HoursRow {
    pub id: String,
    pub person_id: String,
    /// the person's organisation when the hours were recorded
    pub org_id: String,
    pub held_on: NaiveDate,
    pub year: i32,
    pub minutes: i32,
    pub source: HoursSource,
    pub source_id: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = certs)]
pub struct CertificateRow {
    pub id: CertificateId,
    pub person_id: String,
    pub org_id: String,
    pub name: String,
    pub issuer: String,
    pub number: String,
    pub issued_on: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    /// the last valid day its expiry reminder was sent for
    pub reminded_for: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A member's training in one year: people trained (distinct) and minutes, summed in SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearTotals {
    pub org_id: String,
    pub year: i32,
    pub people: i64,
    pub minutes: i64,
}

pub fn insert_programme(
    conn: &mut DbConn,
    row: &ProgrammeRow,
    invited: &[String],
) -> QueryResult<()> {
    diesel::insert_into(programmes::table)
        .values(row)
        .execute(conn)?;
    set_invitations(conn, &row.id, invited)
}

pub fn update_programme(
    conn: &mut DbConn,
    row: &ProgrammeRow,
    invited: &[String],
) -> QueryResult<()> {
    diesel::update(programmes::table.find(&row.id))
        .set((
            programmes::title.eq(&row.title),
            programmes::topic.eq(&row.topic),
            programmes::audience.eq(&row.audience),
            programmes::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    set_invitations(conn, &row.id, invited)
}

/// Replaces the invited members of a programme.
fn set_invitations(conn: &mut DbConn, id: &ProgrammeId, invited: &[String]) -> QueryResult<()> {
    diesel::delete(inv::table.filter(inv::programme_id.eq(id.as_str()))).execute(conn)?;
    for org in invited {
        diesel::insert_into(inv::table)
            .values((
                inv::id.eq(uuid::Uuid::now_v7().to_string()),
                inv::programme_id.eq(id.as_str()),
                inv::org_id.eq(org),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn get_programme(conn: &mut DbConn, id: &ProgrammeId) -> QueryResult<Option<ProgrammeRow>> {
    programmes::table
        .find(id)
        .select(ProgrammeRow::as_select())
        .first(conn)
        .optional()
}

/// The members a programme invited.
pub fn invited(conn: &mut DbConn, id: &ProgrammeId) -> QueryResult<Vec<String>> {
    inv::table
        .filter(inv::programme_id.eq(id.as_str()))
        .order(inv::org_id.asc())
        .select(inv::org_id)
        .load(conn)
}

/// The programmes `rule` admits (organised by or inviting one of its organisations), the
/// newest year first.
pub fn visible_programmes(
    conn: &mut DbConn,
    rule: &ProgrammeReadRule,
) -> QueryResult<Vec<ProgrammeRow>> {
    let orgs: Vec<String> = rule.orgs.iter().map(|o| o.as_str().to_owned()).collect();
    let inviting = inv::table
        .filter(inv::org_id.eq_any(orgs.clone()))
        .select(inv::programme_id);
    programmes::table
        .filter(
            programmes::organiser_org_id
                .eq_any(orgs)
                .or(programmes::id.eq_any(inviting)),
        )
        .order((programmes::year.desc(), programmes::created_at.desc()))
        .select(ProgrammeRow::as_select())
        .load(conn)
}

pub fn insert_session(conn: &mut DbConn, row: &SessionRow) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn get_session(conn: &mut DbConn, id: &TrainingSessionId) -> QueryResult<Option<SessionRow>> {
    sessions::table
        .find(id)
        .select(SessionRow::as_select())
        .first(conn)
        .optional()
}

pub fn sessions_of(conn: &mut DbConn, id: &ProgrammeId) -> QueryResult<Vec<SessionRow>> {
    sessions::table
        .filter(sessions::programme_id.eq(id.as_str()))
        .order((sessions::held_on.asc(), sessions::created_at.asc()))
        .select(SessionRow::as_select())
        .load(conn)
}

/// The one way hours are recorded, whatever their source: attending a session, and taking part
/// in a drill (the drills pillar calls this with `HoursSource::Drill` and the drill's id). A
/// second record for the same person and source replaces the first.
pub fn record_hours(conn: &mut DbConn, row: &HoursRow) -> QueryResult<()> {
    remove_hours(conn, row.source, &row.source_id, &row.person_id)?;
    diesel::insert_into(hours::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn remove_hours(
    conn: &mut DbConn,
    source: HoursSource,
    source_id: &str,
    person_id: &str,
) -> QueryResult<usize> {
    diesel::delete(
        hours::table
            .filter(hours::source.eq(source))
            .filter(hours::source_id.eq(source_id))
            .filter(hours::person_id.eq(person_id)),
    )
    .execute(conn)
}

/// The hours recorded for these sources whose people's organisations `rule` admits on `day`.
pub fn hours_of_sources(
    conn: &mut DbConn,
    source: HoursSource,
    source_ids: &[String],
    rule: &PrivateReadRule,
    day: NaiveDate,
) -> QueryResult<Vec<HoursRow>> {
    let mut q = hours::table
        .filter(hours::source.eq(source))
        .filter(hours::source_id.eq_any(source_ids.to_vec()))
        .select(HoursRow::as_select())
        .order((hours::held_on.asc(), hours::person_id.asc()))
        .into_boxed();
    if let Some(visible) = crate::org_private_visible!(rule, day, hours::org_id) {
        q = q.filter(visible);
    }
    q.load(conn)
}

/// One member's hours in one year, whatever their source (the XLSX export's rows).
pub fn hours_of_org_year(conn: &mut DbConn, org_id: &str, year: i32) -> QueryResult<Vec<HoursRow>> {
    hours::table
        .filter(hours::org_id.eq(org_id))
        .filter(hours::year.eq(year))
        .order((hours::held_on.asc(), hours::person_id.asc()))
        .select(HoursRow::as_select())
        .load(conn)
}

/// A member's people trained and minutes per year, newest year first, aggregated in SQL.
pub fn totals_by_year(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<YearTotals>> {
    use diesel::dsl::{count, sum};
    let rows: Vec<(i32, i64, Option<i64>)> = hours::table
        .filter(hours::org_id.eq(org_id))
        .group_by(hours::year)
        .select((
            hours::year,
            count(hours::person_id).aggregate_distinct(),
            sum(hours::minutes),
        ))
        .order(hours::year.desc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(year, people, minutes)| YearTotals {
            org_id: org_id.to_owned(),
            year,
            people,
            minutes: minutes.unwrap_or(0),
        })
        .collect())
}

pub fn insert_certificate(conn: &mut DbConn, row: &CertificateRow) -> QueryResult<()> {
    diesel::insert_into(certs::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn get_certificate(
    conn: &mut DbConn,
    id: &CertificateId,
) -> QueryResult<Option<CertificateRow>> {
    certs::table
        .find(id)
        .select(CertificateRow::as_select())
        .first(conn)
        .optional()
}

pub fn delete_certificate(conn: &mut DbConn, id: &CertificateId) -> QueryResult<usize> {
    diesel::delete(certs::table.find(id)).execute(conn)
}

/// A member's certificates, the soonest expiry first (those without one last).
pub fn certificates_of_org(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<CertificateRow>> {
    certs::table
        .filter(certs::org_id.eq(org_id))
        .order((
            certs::valid_until.is_null(),
            certs::valid_until.asc(),
            certs::name.asc(),
        ))
        .select(CertificateRow::as_select())
        .load(conn)
}

/// Certificates whose last valid day falls between `from` and `to` (both included): those the
/// expiry reminder looks at.
pub fn certificates_expiring(
    conn: &mut DbConn,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<CertificateRow>> {
    certs::table
        .filter(certs::valid_until.ge(from))
        .filter(certs::valid_until.le(to))
        .order(certs::valid_until.asc())
        .select(CertificateRow::as_select())
        .load(conn)
}

/// Notes that the expiry reminder for the certificate's last valid day `day` was sent.
pub fn mark_reminded(conn: &mut DbConn, id: &CertificateId, day: NaiveDate) -> QueryResult<usize> {
    diesel::update(certs::table.find(id))
        .set(certs::reminded_for.eq(Some(day)))
        .execute(conn)
}
