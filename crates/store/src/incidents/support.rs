//! Support between members (requests, offers, acceptances) and the coordinator's instructions.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use irnet_domain::ids::IncidentId;

use crate::DbConn;
use crate::schema::{
    incident_instructions, instruction_targets, support_recipients, support_requests,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = support_requests)]
pub struct RequestRow {
    pub id: String,
    pub incident_id: IncidentId,
    pub requester_org_id: String,
    pub skills: String,
    pub effort: Option<String>,
    pub deadline: Option<chrono::NaiveDate>,
    pub message: String,
    pub to_coordinator: bool,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = support_recipients)]
pub struct RecipientRow {
    pub request_id: String,
    pub org_id: String,
    pub response: String,
    pub note: Option<String>,
    pub responded_by: Option<String>,
    pub responded_at: Option<NaiveDateTime>,
    pub accepted_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn insert_request(
    conn: &mut DbConn,
    row: &RequestRow,
    recipients: &[RecipientRow],
) -> QueryResult<()> {
    diesel::insert_into(support_requests::table)
        .values(row)
        .execute(conn)?;
    for r in recipients {
        diesel::insert_into(support_recipients::table)
            .values(r)
            .execute(conn)?;
    }
    Ok(())
}

pub fn request(conn: &mut DbConn, id: &str) -> QueryResult<Option<RequestRow>> {
    support_requests::table
        .find(id)
        .select(RequestRow::as_select())
        .first(conn)
        .optional()
}

pub fn requests_of_incident(
    conn: &mut DbConn,
    incident_id: &IncidentId,
) -> QueryResult<Vec<RequestRow>> {
    support_requests::table
        .filter(support_requests::incident_id.eq(incident_id))
        .order(support_requests::created_at.asc())
        .select(RequestRow::as_select())
        .load(conn)
}

/// Requests addressed to `org_id`, newest first, with that organisation's own answer.
pub fn inbox(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<(RequestRow, RecipientRow)>> {
    support_requests::table
        .inner_join(
            support_recipients::table.on(support_recipients::request_id.eq(support_requests::id)),
        )
        .filter(support_recipients::org_id.eq(org_id))
        .order(support_requests::created_at.desc())
        .select((RequestRow::as_select(), RecipientRow::as_select()))
        .load(conn)
}

pub fn recipients(conn: &mut DbConn, request_id: &str) -> QueryResult<Vec<RecipientRow>> {
    support_recipients::table
        .filter(support_recipients::request_id.eq(request_id))
        .order(support_recipients::org_id.asc())
        .select(RecipientRow::as_select())
        .load(conn)
}

pub fn recipient(
    conn: &mut DbConn,
    request_id: &str,
    org_id: &str,
) -> QueryResult<Option<RecipientRow>> {
    support_recipients::table
        .find((request_id, org_id))
        .select(RecipientRow::as_select())
        .first(conn)
        .optional()
}

pub fn respond(
    conn: &mut DbConn,
    request_id: &str,
    org_id: &str,
    response: &str,
    note: Option<String>,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(support_recipients::table.find((request_id, org_id)))
        .set((
            support_recipients::response.eq(response),
            support_recipients::note.eq(note),
            support_recipients::responded_by.eq(by),
            support_recipients::responded_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

pub fn set_accepted(
    conn: &mut DbConn,
    request_id: &str,
    org_id: &str,
    accepted_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(support_recipients::table.find((request_id, org_id)))
        .set((
            support_recipients::accepted_at.eq(accepted_at),
            support_recipients::revoked_at.eq(revoked_at),
        ))
        .execute(conn)
        .map(drop)
}

/// Organisations whose offer was accepted for an incident (revoked ones included: they helped
/// until revoked), and whether any request went to the coordinator.
pub fn helpers(conn: &mut DbConn, incident_id: &IncidentId) -> QueryResult<(Vec<String>, bool)> {
    let mut orgs: Vec<String> = support_recipients::table
        .inner_join(
            support_requests::table.on(support_requests::id.eq(support_recipients::request_id)),
        )
        .filter(support_requests::incident_id.eq(incident_id))
        .filter(support_recipients::accepted_at.is_not_null())
        .select(support_recipients::org_id)
        .load(conn)?;
    orgs.sort_unstable();
    orgs.dedup();
    let asked_coordinator = support_requests::table
        .filter(support_requests::incident_id.eq(incident_id))
        .filter(support_requests::to_coordinator.eq(true))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    Ok((orgs, asked_coordinator))
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = incident_instructions)]
pub struct InstructionRow {
    pub id: String,
    pub incident_id: IncidentId,
    pub body: String,
    pub due_at: Option<NaiveDateTime>,
    pub org_id: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = instruction_targets)]
pub struct TargetRow {
    pub instruction_id: String,
    pub org_id: String,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub acknowledged_by: Option<String>,
    pub report: Option<String>,
    pub reported_at: Option<NaiveDateTime>,
}

pub fn insert_instruction(
    conn: &mut DbConn,
    row: &InstructionRow,
    targets: &[TargetRow],
) -> QueryResult<()> {
    diesel::insert_into(incident_instructions::table)
        .values(row)
        .execute(conn)?;
    for t in targets {
        diesel::insert_into(instruction_targets::table)
            .values(t)
            .execute(conn)?;
    }
    Ok(())
}

pub fn instructions(
    conn: &mut DbConn,
    incident_id: &IncidentId,
) -> QueryResult<Vec<(InstructionRow, Vec<TargetRow>)>> {
    let rows: Vec<InstructionRow> = incident_instructions::table
        .filter(incident_instructions::incident_id.eq(incident_id))
        .order(incident_instructions::created_at.asc())
        .select(InstructionRow::as_select())
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let t = instruction_targets::table
            .filter(instruction_targets::instruction_id.eq(&r.id))
            .order(instruction_targets::org_id.asc())
            .select(TargetRow::as_select())
            .load(conn)?;
        out.push((r, t));
    }
    Ok(out)
}

pub fn answer_instruction(
    conn: &mut DbConn,
    instruction_id: &str,
    org_id: &str,
    by: &str,
    report: Option<String>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let target = instruction_targets::table.find((instruction_id, org_id));
    let ack = diesel::update(target.filter(instruction_targets::acknowledged_at.is_null()))
        .set((
            instruction_targets::acknowledged_at.eq(at),
            instruction_targets::acknowledged_by.eq(by),
        ))
        .execute(conn)?;
    if let Some(r) = report {
        return diesel::update(target)
            .set((
                instruction_targets::report.eq(r),
                instruction_targets::reported_at.eq(at),
            ))
            .execute(conn);
    }
    Ok(ack)
}

pub fn target(
    conn: &mut DbConn,
    instruction_id: &str,
    org_id: &str,
) -> QueryResult<Option<TargetRow>> {
    instruction_targets::table
        .find((instruction_id, org_id))
        .select(TargetRow::as_select())
        .first(conn)
        .optional()
}

/// Instructions addressed to `org_id`, newest first, with its own target row.
pub fn instructions_of_org(
    conn: &mut DbConn,
    org_id: &str,
) -> QueryResult<Vec<(InstructionRow, TargetRow)>> {
    incident_instructions::table
        .inner_join(
            instruction_targets::table
                .on(instruction_targets::instruction_id.eq(incident_instructions::id)),
        )
        .filter(instruction_targets::org_id.eq(org_id))
        .order(incident_instructions::created_at.desc())
        .select((InstructionRow::as_select(), TargetRow::as_select()))
        .load(conn)
}
