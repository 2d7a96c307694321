//! Closing an incident.

use irnet_domain::ids::IncidentId;
use irnet_domain::incident::Status;
use irnet_store::time::to_db;

use super::{IncidentView, event, require, save, with_incident};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

/// Closes the incident: only once its closing report is in; by the coordinator once the
/// incident was reported to it, else by the owner. Who helped is recorded for the statistics.
pub async fn close(app: &App, actor: &Actor, id: &IncidentId) -> Result<IncidentView, AppError> {
    with_incident(app, actor, id, |conn, app, actor, l| {
        require(l.abilities(actor).close)?;
        let r = &mut l.row;
        if r.closing_report_at.is_none() {
            return Err(AppError::Conflict {
                code: "closing_report_missing",
                field: None,
            });
        }
        let (helpers, asked_coordinator) = irnet_store::incidents::support::helpers(conn, &r.id)?;
        let now = to_db(app.now());
        r.status = Status::Closed;
        r.closed_at = Some(now);
        if r.response_ended_at.is_none() {
            r.response_ended_at = Some(now);
        }
        save(conn, app, r)?;
        event(
            conn,
            app,
            actor,
            &r.id,
            "closed",
            None,
            serde_json::json!({
                "helped_by": helpers, "asked_coordinator": asked_coordinator,
            }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.closed",
                object_type: "incident",
                object_id: Some(r.id.as_str()),
                object_org_id: Some(&r.owner_org_id),
                summary: serde_json::json!({ "helped_by": helpers }),
            },
        )
    })
    .await
}
