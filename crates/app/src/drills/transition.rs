//! Moving a drill along its timeline (organisers): planned → open → frozen → closed →
//! published, and unfreezing. A freeze keeps the standings as they stand, in the same
//! transaction, for participants to read until publication.

use irnet_domain::drills::{Kind, State};
use irnet_domain::ids::DrillId;
use irnet_store::drills as store;
use irnet_store::time::to_db;

use super::read::{DrillView, view};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    /// open, frozen, closed or published
    pub state: String,
}

pub async fn transition(
    app: &App,
    actor: &Actor,
    id: &DrillId,
    input: TransitionInput,
) -> Result<DrillView, AppError> {
    let to = State::parse(&input.state).map_err(|e| AppError::field("state", &e))?;
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .write(move |conn| {
            let d = super::load(conn, &actor2, &id)?;
            super::allowed(&actor2, actor2.principal.may_run_drill(&d.facts))?;
            let from = d.row.state;
            if d.row.kind == Kind::External || from.become_(to).is_err() {
                return Err(AppError::Conflict {
                    code: "drill_invalid_transition",
                    field: Some("state"),
                });
            }
            let now = to_db(app2.now());
            let frozen_at = (to == State::Frozen).then_some(now);
            if frozen_at.is_some() {
                store::freeze(conn, &d.row.id)?;
            }
            store::set_state(conn, &d.row.id, to, frozen_at, now)?;
            // A freeze, an unfreeze or publication changes what participants' boards show.
            super::changed(conn, &d.row.id)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "drill.state_changed",
                    object_type: "drill",
                    object_id: Some(d.row.id.as_str()),
                    object_org_id: None,
                    summary: serde_json::json!({ "from": from.as_str(), "to": to.as_str() }),
                },
            )?;
            let d = super::load(conn, &actor2, &id)?;
            view(conn, &app2, &actor2, &d)
        })
        .await
}
