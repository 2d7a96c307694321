//! Withdrawing an indicator (its owner).

use irnet_domain::ids::IndicatorId;
use irnet_store::sharing as store;
use irnet_store::time::to_db;

use super::{IndicatorView, manage, observables_of, value_of};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

/// Withdraws an indicator: a new version marked revoked, so that TAXII clients see the change.
pub async fn revoke(app: &App, actor: &Actor, id: &IndicatorId) -> Result<IndicatorView, AppError> {
    manage(app, actor, id, |conn, app, actor, row| {
        if row.revoked {
            return Err(AppError::Conflict {
                code: "already_revoked",
                field: None,
            });
        }
        let now = to_db(app.now());
        row.revoked = true;
        row.version += 1;
        row.modified_at = now.max(row.modified_at);
        row.added_at = now;
        let observables: Vec<(String, String)> = observables_of(&value_of(row));
        store::save(conn, row, &observables)?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "indicator.revoked",
                object_type: "indicator",
                object_id: Some(row.id.as_str()),
                object_org_id: Some(&row.owner_org_id),
                summary: serde_json::json!({ "version": row.version }),
            },
        )
    })
    .await
}
