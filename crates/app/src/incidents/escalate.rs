//! Escalation: the owner reports the incident to the coordinator.

use irnet_domain::ids::IncidentId;
use irnet_domain::incident::Status;
use irnet_store::DbConn;
use irnet_store::incidents as store;
use irnet_store::time::to_db;

use super::{IncidentView, event, require, save, tell, with_incident};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

/// The coordinator's organisation today (the rule set in force may have moved the role).
pub(crate) fn coordinator_org(conn: &mut DbConn, app: &App) -> Result<Option<String>, AppError> {
    crate::rules::coordinator_org(conn, app, app.today())
}

/// Reports the incident to the coordinator, who must acknowledge within the acknowledgement
/// window. The people holding the coordinator role are named in the audience — not the
/// coordinator's whole organisation, whose other accounts (the platform's administrators
/// among them) have no part in handling it.
pub async fn escalate(app: &App, actor: &Actor, id: &IncidentId) -> Result<IncidentView, AppError> {
    with_incident(app, actor, id, |conn, app, actor, l| {
        require(l.abilities(actor).manage)?;
        if l.row.status == Status::Draft {
            return Err(AppError::Conflict {
                code: "not_submitted",
                field: None,
            });
        }
        if l.row.escalated_at.is_some() {
            return Ok(());
        }
        let coordinator = coordinator_org(conn, app)?.ok_or(AppError::Conflict {
            code: "no_coordinator",
            field: None,
        })?;
        let role = irnet_domain::escalation_audience();
        let people: Vec<String> = irnet_store::identity::grants::holders(
            conn,
            role.role.as_str(),
            role.scope.kind(),
            role.scope.id().unwrap_or(""),
        )?
        .into_iter()
        .map(|u| u.id)
        .collect();
        let now = to_db(app.now());
        let (_, named) = store::audience(conn, &l.row.id)?;
        for u in people.iter().filter(|u| !named.contains(u)) {
            store::share_with(conn, &l.row.id, None, Some(u), now)?;
        }
        let r = &mut l.row;
        r.escalated_at = Some(now);
        save(conn, app, r)?;
        event(
            conn,
            app,
            actor,
            &r.id,
            "escalated",
            None,
            serde_json::json!({ "to": coordinator }),
        )?;
        tell::tell(
            conn,
            app,
            r,
            "incident.escalated",
            "incident-escalated",
            &[],
            people,
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.escalated",
                object_type: "incident",
                object_id: Some(r.id.as_str()),
                object_org_id: Some(&r.owner_org_id),
                summary: serde_json::json!({ "coordinator": coordinator }),
            },
        )
    })
    .await
}
