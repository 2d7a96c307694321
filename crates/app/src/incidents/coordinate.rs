//! The coordinator's part once an incident is reported: acknowledging it, deciding whether it is
//! serious.

use irnet_domain::ids::IncidentId;
use irnet_domain::incident::Status;
use irnet_store::time::to_db;

use super::{IncidentView, event, handling, require, save, with_incident};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

/// The coordinator acknowledges a reported incident.
pub async fn acknowledge(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
) -> Result<IncidentView, AppError> {
    with_incident(app, actor, id, |conn, app, actor, l| {
        require(l.abilities(actor).coordinate)?;
        let r = &mut l.row;
        if r.acknowledged_at.is_some() {
            return Ok(());
        }
        r.acknowledged_at = Some(to_db(app.now()));
        if r.status == Status::New {
            r.status = Status::Acknowledged;
        }
        save(conn, app, r)?;
        event(
            conn,
            app,
            actor,
            &r.id,
            "acknowledged",
            None,
            serde_json::json!({}),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.acknowledged",
                object_type: "incident",
                object_id: Some(r.id.as_str()),
                object_org_id: Some(&r.owner_org_id),
                summary: serde_json::json!({}),
            },
        )
    })
    .await
}

/// The coordinator confirms or rejects the serious-incident proposal.
pub async fn decide_serious(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    serious: bool,
) -> Result<IncidentView, AppError> {
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).coordinate)?;
        let r = &mut l.row;
        r.serious_confirmed = Some(serious);
        save(conn, app, r)?;
        if serious {
            handling::add_serious_checklist(conn, app, actor, &r.id, &r.owner_org_id)?;
        }
        event(
            conn,
            app,
            actor,
            &r.id,
            "serious_decided",
            None,
            serde_json::json!({ "serious": serious }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.serious_decided",
                object_type: "incident",
                object_id: Some(r.id.as_str()),
                object_org_id: Some(&r.owner_org_id),
                summary: serde_json::json!({ "serious": serious }),
            },
        )
    })
    .await
}
