//! What every change of an incident does: saves it with its next deadline re-armed, and
//! appends to its timeline.

use irnet_domain::ids::IncidentId;
use irnet_store::DbConn;
use irnet_store::incidents::parts::{self as store_parts, EventRow};
use irnet_store::incidents::{self as store, IncidentRow};
use irnet_store::time::to_db;

use super::deadlines;
use crate::{Actor, App, AppError};

/// Appends to the timeline.
pub(crate) fn event(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    incident_id: &IncidentId,
    kind: &str,
    body: Option<String>,
    data: serde_json::Value,
) -> Result<(), AppError> {
    store_parts::add_event(
        conn,
        &EventRow {
            id: uuid::Uuid::now_v7().to_string(),
            incident_id: incident_id.clone(),
            at: to_db(app.now()),
            actor_id: actor.user_id().map(str::to_owned),
            actor_org_id: actor.org_id().map(str::to_owned),
            kind: kind.to_owned(),
            body,
            data: data.to_string(),
        },
    )?;
    Ok(())
}

/// Saves the row with its next open deadline recomputed.
pub(crate) fn save(conn: &mut DbConn, app: &App, row: &mut IncidentRow) -> Result<(), AppError> {
    row.next_due_at = deadlines::next_due(conn, app, row)?;
    row.updated_at = to_db(app.now());
    store::save(conn, row)?;
    // Re-armed at every change: the reminders' keys stop a second mail for the same deadline.
    store::set_remind_at(conn, &row.id, row.next_due_at)?;
    Ok(())
}

/// Trimmed, NFC-normalised text, or `None` when nothing is left.
pub(crate) fn clean(s: Option<&str>) -> Option<String> {
    s.map(|v| irnet_domain::text::nfc(v.trim()))
        .filter(|v| !v.is_empty())
}
