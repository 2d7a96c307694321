//! Submitting a draft: it gets its number, per member and year, and its checklist.

use chrono::Datelike;
use irnet_domain::ids::IncidentId;
use irnet_domain::incident::Status;
use irnet_store::DbConn;
use irnet_store::directory::orgs;
use irnet_store::incidents::{self as store, IncidentRow};
use irnet_store::time::to_db;

use super::{IncidentView, event, handling, require, save, with_incident};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

pub(crate) fn submit_loaded(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    row: &mut IncidentRow,
) -> Result<(), AppError> {
    if row.status != Status::Draft {
        return Err(AppError::Conflict {
            code: "already_submitted",
            field: None,
        });
    }
    let now = app.now();
    let year = now.with_timezone(&app.settings.local_offset).year();
    let code = member_code(conn, &row.owner_org_id)?;
    let number = store::next_number(conn, &row.owner_org_id, &code, year)?;
    row.number = Some(number.clone());
    row.status = Status::New;
    save(conn, app, row)?;
    handling::add_checklist(conn, app, actor, &row.id, &row.owner_org_id)?;
    event(
        conn,
        app,
        actor,
        &row.id,
        "submitted",
        None,
        serde_json::json!({ "number": number }),
    )?;
    audit::record(
        conn,
        app,
        actor,
        Change {
            action: "incident.submitted",
            object_type: "incident",
            object_id: Some(row.id.as_str()),
            object_org_id: Some(&row.owner_org_id),
            summary: serde_json::json!({ "number": number }),
        },
    )?;
    // The notice reaches its receivers at once. It counts as given (`submitted_at`, which meets
    // the notice deadline) only when it reached any; otherwise the deadline stays open.
    if super::notice::send(conn, app, actor, row)? {
        row.submitted_at = Some(to_db(now));
    }
    save(conn, app, row)
}

/// The code an incident number starts with: the member's code in the directory ("LS"), or,
/// for a member that has none yet, its id — unique too, so numbers never collide.
fn member_code(conn: &mut DbConn, org_id: &str) -> Result<String, AppError> {
    Ok(orgs::get(conn, org_id)?
        .and_then(|o| o.member_code)
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| org_id.to_owned()))
}

/// Submits a draft: it gets its number and time, and the notice deadline is met.
pub async fn submit(app: &App, actor: &Actor, id: &IncidentId) -> Result<IncidentView, AppError> {
    with_incident(app, actor, id, |conn, app, actor, l| {
        require(l.abilities(actor).manage)?;
        // A draft left by a merged or dissolved organisation is filed by its successor's people.
        crate::directory::succession::ensure_open(
            conn,
            actor.principal.org_id.as_str(),
            app.today(),
            "org_id",
        )?;
        submit_loaded(conn, app, actor, &mut l.row)
    })
    .await
}
