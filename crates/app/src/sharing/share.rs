//! Widening an indicator's audience (its owner).

use irnet_domain::ids::IndicatorId;
use irnet_store::directory::orgs;
use irnet_store::sharing as store;
use irnet_store::time::to_db;

use super::{IndicatorView, clean, manage};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct ShareInput {
    /// an organisation to add to the audience
    pub org_id: Option<String>,
    /// a person to name (needed for TLP:RED)
    pub user_id: Option<String>,
}

/// The owner adds an organisation or a named person to the audience.
pub async fn share(
    app: &App,
    actor: &Actor,
    id: &IndicatorId,
    input: ShareInput,
) -> Result<IndicatorView, AppError> {
    manage(app, actor, id, move |conn, app, actor, row| {
        let org = clean(input.org_id.as_deref());
        let user = clean(input.user_id.as_deref());
        if org.is_none() && user.is_none() {
            return Err(AppError::invalid("org_id", "required"));
        }
        if let Some(o) = &org
            && orgs::get(conn, o)?.is_none()
        {
            return Err(AppError::invalid("org_id", "unknown_org"));
        }
        if let Some(u) = &user
            && irnet_store::identity::users::get(conn, u)?.is_none()
        {
            return Err(AppError::invalid("user_id", "unknown_user"));
        }
        let now = to_db(app.now());
        if let Some(o) = &org {
            store::share_with(conn, &row.id, Some(o), None, now)?;
        }
        if let Some(u) = &user {
            store::share_with(conn, &row.id, None, Some(u), now)?;
        }
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "indicator.shared",
                object_type: "indicator",
                object_id: Some(row.id.as_str()),
                object_org_id: Some(&row.owner_org_id),
                summary: serde_json::json!({ "org_id": org, "user_id": user }),
            },
        )
    })
    .await
}
