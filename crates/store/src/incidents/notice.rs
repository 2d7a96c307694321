//! The receivers of an incident's notice: one row per receiving organisation, with when the
//! notice reached it and who acknowledged it for that organisation, and when. A receiver the
//! notice could not reach is recorded too, with why (`not_reached`), until a resend reaches it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use irnet_domain::ids::IncidentId;

use crate::DbConn;
use crate::schema::incident_notice_receivers as r;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = r)]
pub struct ReceiverRow {
    pub id: String,
    pub incident_id: IncidentId,
    pub org_id: String,
    /// coordinator, department, cluster_lead
    pub part: String,
    /// the cluster a cluster lead leads
    pub cluster_id: Option<String>,
    pub reached_at: NaiveDateTime,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub acknowledged_by: Option<String>,
    /// why the notice could not reach it (`nobody`, `red_nobody_named`); `None` once reached
    pub not_reached: Option<String>,
}

pub fn insert(conn: &mut DbConn, row: &ReceiverRow) -> QueryResult<()> {
    diesel::insert_into(r::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// An incident's receivers, in the order they were reached.
pub fn of_incident(conn: &mut DbConn, incident_id: &IncidentId) -> QueryResult<Vec<ReceiverRow>> {
    r::table
        .filter(r::incident_id.eq(incident_id))
        .select(ReceiverRow::as_select())
        .order((r::reached_at, r::id))
        .load(conn)
}

/// Records an acknowledgement, once: a second one changes nothing (returns 0).
pub fn acknowledge(
    conn: &mut DbConn,
    id: &str,
    user_id: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        r::table
            .filter(r::id.eq(id))
            .filter(r::acknowledged_at.is_null()),
    )
    .set((r::acknowledged_at.eq(at), r::acknowledged_by.eq(user_id)))
    .execute(conn)
}

/// A resend reached a receiver: from now on it is reached (`reached_at` is when), and whatever
/// kept it from being reached before is cleared. A receiver reached before keeps its first time.
pub fn reached(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        r::table
            .filter(r::id.eq(id))
            .filter(r::not_reached.is_not_null()),
    )
    .set((r::reached_at.eq(at), r::not_reached.eq(None::<String>)))
    .execute(conn)
}
