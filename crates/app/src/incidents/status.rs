//! Moving an incident through its workflow.

use irnet_domain::incident::Status;
use irnet_store::time::to_db;

use super::{IncidentView, clean, event, require, save, with_incident};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

/// Moves the incident forward in its workflow (never to closed: see `close`).
pub async fn set_status(
    app: &App,
    actor: &Actor,
    id: &str,
    status: &str,
    note: Option<String>,
) -> Result<IncidentView, AppError> {
    let next = Status::parse(status).map_err(|e| AppError::field("status", &e))?;
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).work)?;
        let r = &mut l.row;
        let current = Status::parse(&r.status).map_err(AppError::internal)?;
        if !current.may_move_to(next) {
            return Err(AppError::invalid("status", "invalid_transition"));
        }
        r.status = next.as_str().to_owned();
        if next.response_ended() && r.response_ended_at.is_none() {
            r.response_ended_at = Some(to_db(app.now()));
        }
        save(conn, app, r)?;
        event(
            conn,
            app,
            actor,
            &r.id,
            "status",
            clean(note.as_deref()),
            serde_json::json!({
                "from": current.as_str(), "to": next.as_str(),
            }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.status_changed",
                object_type: "incident",
                object_id: Some(&r.id),
                object_org_id: Some(&r.owner_org_id),
                summary: serde_json::json!({ "from": current.as_str(), "to": next.as_str() }),
            },
        )
    })
    .await
}
