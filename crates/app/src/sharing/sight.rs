//! Sightings: a reader reports seeing an indicator, or a false positive.

use irnet_domain::ids::IndicatorId;
use irnet_store::sharing::{self as store, SightingRow};
use irnet_store::time::to_db;

use super::{IndicatorView, clean, load, require_author, view_one};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct SightingInput {
    /// seen, false_positive
    pub kind: String,
    /// hide the reporter (person and organisation) from everyone but the reporting organisation
    #[serde(default)]
    pub anonymous: bool,
    pub note: Option<String>,
}

/// Anyone who may read the indicator and act for their organisation reports a sighting.
pub async fn sight(
    app: &App,
    actor: &Actor,
    id: &IndicatorId,
    input: SightingInput,
) -> Result<IndicatorView, AppError> {
    if !matches!(input.kind.as_str(), "seen" | "false_positive") {
        return Err(AppError::invalid("kind", "invalid_value"));
    }
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .write(move |conn| {
            let row = load(conn, &actor2, &id)?;
            require_author(&actor2)?;
            let p = &actor2.principal;
            let s = SightingRow {
                id: uuid::Uuid::now_v7().to_string(),
                indicator_id: row.id.clone(),
                org_id: p.org_id.as_str().to_owned(),
                reported_by: p.user_id.as_str().to_owned(),
                kind: input.kind.clone(),
                anonymous: input.anonymous,
                note: clean(input.note.as_deref()),
                created_at: to_db(app2.now()),
            };
            store::add_sighting(conn, &s)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "indicator.sighted",
                    object_type: "indicator",
                    object_id: Some(row.id.as_str()),
                    object_org_id: Some(&s.org_id),
                    summary: serde_json::json!({ "kind": s.kind, "anonymous": s.anonymous }),
                },
            )?;
            view_one(conn, &app2, &actor2, row)
        })
        .await
}
