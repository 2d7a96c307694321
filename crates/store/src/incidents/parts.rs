//! What is filed inside an incident: its timeline, tasks, observables and reports (its files are in
//! `store::attachments`). Callers have already decided that the reader is in the incident's audience.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use irnet_domain::ids::IncidentId;

use crate::DbConn;
use crate::schema::{incident_events, incident_observables, incident_reports, incident_tasks};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = incident_events)]
pub struct EventRow {
    pub id: String,
    pub incident_id: IncidentId,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub actor_org_id: Option<String>,
    pub kind: String,
    pub body: Option<String>,
    pub data: String,
}

pub fn add_event(conn: &mut DbConn, row: &EventRow) -> QueryResult<()> {
    diesel::insert_into(incident_events::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn events(conn: &mut DbConn, incident_id: &IncidentId) -> QueryResult<Vec<EventRow>> {
    incident_events::table
        .filter(incident_events::incident_id.eq(incident_id))
        .order((incident_events::at.asc(), incident_events::id.asc()))
        .select(EventRow::as_select())
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = incident_tasks)]
pub struct TaskRow {
    pub id: String,
    pub incident_id: IncidentId,
    pub step: Option<i32>,
    pub title: String,
    pub assignee_id: Option<String>,
    pub due_on: Option<chrono::NaiveDate>,
    pub done_at: Option<NaiveDateTime>,
    pub org_id: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub fn add_tasks(conn: &mut DbConn, rows: &[TaskRow]) -> QueryResult<()> {
    for r in rows {
        diesel::insert_into(incident_tasks::table)
            .values(r)
            .execute(conn)?;
    }
    Ok(())
}

pub fn tasks(conn: &mut DbConn, incident_id: &IncidentId) -> QueryResult<Vec<TaskRow>> {
    incident_tasks::table
        .filter(incident_tasks::incident_id.eq(incident_id))
        .order((incident_tasks::step.asc(), incident_tasks::created_at.asc()))
        .select(TaskRow::as_select())
        .load(conn)
}

pub fn task(conn: &mut DbConn, incident_id: &IncidentId, id: &str) -> QueryResult<Option<TaskRow>> {
    incident_tasks::table
        .filter(incident_tasks::incident_id.eq(incident_id))
        .filter(incident_tasks::id.eq(id))
        .select(TaskRow::as_select())
        .first(conn)
        .optional()
}

pub fn update_task(
    conn: &mut DbConn,
    id: &str,
    assignee_id: Option<String>,
    due_on: Option<chrono::NaiveDate>,
    done_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(incident_tasks::table.find(id))
        .set((
            incident_tasks::assignee_id.eq(assignee_id),
            incident_tasks::due_on.eq(due_on),
            incident_tasks::done_at.eq(done_at),
        ))
        .execute(conn)
        .map(drop)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = incident_observables)]
pub struct ObservableRow {
    pub id: String,
    pub incident_id: IncidentId,
    pub kind: String,
    pub value: String,
    pub is_indicator: bool,
    pub note: Option<String>,
    pub org_id: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// Adds an observable unless the incident already has it (same kind and canonical value); true
/// when added.
pub fn add_observable(conn: &mut DbConn, row: &ObservableRow) -> QueryResult<bool> {
    let exists = incident_observables::table
        .filter(incident_observables::incident_id.eq(&row.incident_id))
        .filter(incident_observables::kind.eq(&row.kind))
        .filter(incident_observables::value.eq(&row.value))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if exists {
        return Ok(false);
    }
    diesel::insert_into(incident_observables::table)
        .values(row)
        .execute(conn)?;
    super::index(conn, &row.incident_id)?;
    Ok(true)
}

pub fn observables(conn: &mut DbConn, incident_id: &IncidentId) -> QueryResult<Vec<ObservableRow>> {
    incident_observables::table
        .filter(incident_observables::incident_id.eq(incident_id))
        .order(incident_observables::created_at.asc())
        .select(ObservableRow::as_select())
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = incident_reports)]
pub struct ReportRow {
    pub id: String,
    pub incident_id: IncidentId,
    pub kind: String,
    pub version: i32,
    pub number: Option<String>,
    pub body: String,
    pub org_id: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub fn add_report(conn: &mut DbConn, row: &ReportRow) -> QueryResult<()> {
    diesel::insert_into(incident_reports::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Every version of every report, oldest first.
pub fn reports(conn: &mut DbConn, incident_id: &IncidentId) -> QueryResult<Vec<ReportRow>> {
    incident_reports::table
        .filter(incident_reports::incident_id.eq(incident_id))
        .order((
            incident_reports::created_at.asc(),
            incident_reports::version.asc(),
        ))
        .select(ReportRow::as_select())
        .load(conn)
}

/// The latest version of a kind, if any.
pub fn latest_report(
    conn: &mut DbConn,
    incident_id: &IncidentId,
    kind: &str,
) -> QueryResult<Option<ReportRow>> {
    incident_reports::table
        .filter(incident_reports::incident_id.eq(incident_id))
        .filter(incident_reports::kind.eq(kind))
        .order(incident_reports::version.desc())
        .select(ReportRow::as_select())
        .first(conn)
        .optional()
}

/// The first version of a kind (its number and date are what later reports cite).
pub fn first_report(
    conn: &mut DbConn,
    incident_id: &IncidentId,
    kind: &str,
) -> QueryResult<Option<ReportRow>> {
    incident_reports::table
        .filter(incident_reports::incident_id.eq(incident_id))
        .filter(incident_reports::kind.eq(kind))
        .order(incident_reports::version.asc())
        .select(ReportRow::as_select())
        .first(conn)
        .optional()
}
