//! Widening an incident's audience.

use irnet_domain::Tlp;
use irnet_store::directory::orgs;
use irnet_store::incidents as store;
use irnet_store::time::to_db;

use super::{IncidentView, event, require, with_incident};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

/// Shares the incident with another organisation (or, at TLP:RED, a named person). The owner
/// may always share; other audience members only what TLP:CLEAR or GREEN lets them pass on.
pub async fn share(
    app: &App,
    actor: &Actor,
    id: &str,
    org_id: Option<String>,
    user_id: Option<String>,
) -> Result<IncidentView, AppError> {
    with_incident(app, actor, id, move |conn, app, actor, l| {
        let tlp = Tlp::parse(&l.row.tlp).map_err(AppError::internal)?;
        let ab = l.abilities(actor);
        let may = ab.manage || (ab.work && tlp <= Tlp::Green);
        require(may)?;
        let now = to_db(app.now());
        match (&org_id, &user_id) {
            (Some(o), None) => {
                orgs::get(conn, o)?.ok_or_else(|| AppError::invalid("org_id", "unknown_org"))?;
                if tlp == Tlp::Red {
                    return Err(AppError::invalid("org_id", "red_needs_people"));
                }
                if !l.shared_orgs.contains(o) && *o != l.row.owner_org_id {
                    store::share_with(conn, &l.row.id, Some(o), None, now)?;
                }
            }
            (None, Some(u)) => {
                irnet_store::identity::users::get(conn, u)?
                    .ok_or_else(|| AppError::invalid("user_id", "unknown_user"))?;
                store::share_with(conn, &l.row.id, None, Some(u), now)?;
            }
            _ => return Err(AppError::invalid("org_id", "one_of_org_or_user")),
        }
        event(
            conn,
            app,
            actor,
            &l.row.id,
            "shared",
            None,
            serde_json::json!({ "org_id": org_id, "user_id": user_id }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.shared",
                object_type: "incident",
                object_id: Some(&l.row.id),
                object_org_id: Some(&l.row.owner_org_id),
                summary: serde_json::json!({ "org_id": org_id, "user_id": user_id }),
            },
        )
    })
    .await
}
