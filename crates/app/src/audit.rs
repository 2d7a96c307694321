//! Writing and reading the audit trail. `record` is called inside the transaction of the change.

use irnet_domain::policy::AuditVisibility;
use irnet_store::DbConn;
use irnet_store::audit::{self, AuditFilter, AuditRow, NewAuditEntry, Verification, Visibility};
use irnet_store::page::{Page, clamp_limit};

use crate::{Actor, App, AppError};

/// What changed, for one audit entry.
pub struct Change<'a> {
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Option<&'a str>,
    pub object_org_id: Option<&'a str>,
    pub summary: serde_json::Value,
}

pub fn record(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    change: Change<'_>,
) -> Result<(), AppError> {
    record_many(conn, app, actor, vec![change])
}

/// Records changes in order, as that many `record`s would, in one append (bulk imports).
pub fn record_many(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    changes: Vec<Change<'_>>,
) -> Result<(), AppError> {
    let at = app.now();
    let entries: Vec<NewAuditEntry> = changes
        .into_iter()
        .map(|change| NewAuditEntry {
            at,
            actor_id: actor.user_id().map(str::to_owned),
            actor: actor.label.clone(),
            actor_org_id: actor.org_id().map(str::to_owned),
            action: change.action.to_owned(),
            object_type: change.object_type.to_owned(),
            object_id: change.object_id.map(str::to_owned),
            object_org_id: change.object_org_id.map(str::to_owned),
            summary: change.summary,
            request_id: actor.meta.request_id.clone(),
            client_addr: actor.meta.client_addr.clone(),
        })
        .collect();
    audit::append_many(conn, &entries)?;
    Ok(())
}

pub async fn list(
    app: &App,
    actor: &Actor,
    filter: AuditFilter,
    cursor: Option<String>,
    limit: Option<i64>,
) -> Result<Page<AuditRow>, AppError> {
    let visibility = match actor.principal.audit_visibility() {
        AuditVisibility::All => Visibility::All,
        AuditVisibility::Orgs(orgs) => {
            Visibility::Orgs(orgs.iter().map(|o| o.as_str().to_owned()).collect())
        }
        AuditVisibility::Nothing => return Err(AppError::Forbidden),
    };
    let limit = clamp_limit(limit);
    app.store
        .read(move |conn| {
            Ok(audit::list(
                conn,
                &visibility,
                &filter,
                cursor.as_deref(),
                limit,
            )?)
        })
        .await
}

pub async fn verify(app: &App) -> Result<Verification, AppError> {
    app.store.read(|conn| Ok(audit::verify(conn)?)).await
}
