//! Reading the audit trail (administrators and coordinators: all of it; org admins: their
//! organisation's part).

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use irnet_app::audit::ShownEntry;
use irnet_store::audit::AuditFilter;
use irnet_store::time::{from_db, to_db};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::PageOf;
use crate::AppState;
use crate::error::WebError;
use crate::extract::{Authed, Query};

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditParams {
    pub actor_id: Option<String>,
    /// e.g. `user.created`, `auth.signed_in`
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// entries at or after this instant
    pub from: Option<DateTime<Utc>>,
    /// entries before this instant
    pub to: Option<DateTime<Utc>>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

impl AuditParams {
    pub fn filter(&self) -> AuditFilter {
        let keep = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
        AuditFilter {
            actor_id: keep(&self.actor_id),
            action: keep(&self.action),
            object_type: keep(&self.object_type),
            object_id: keep(&self.object_id),
            from: self.from.map(to_db),
            to: self.to.map(to_db),
        }
    }
}

/// One entry of the audit trail. `hash` commits to `prev_hash` and the entry's content (an
/// HMAC keyed outside the database). An entry about a record the reader may not read keeps its
/// action, time and actor, with `details_withheld` set and no summary or object; an anonymous
/// actor is named `anonymous` to all but the platform administrator and its own organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub id: String,
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub object_org_id: Option<String>,
    pub summary: serde_json::Value,
    pub request_id: Option<String>,
    pub client_addr: Option<String>,
    pub prev_hash: String,
    pub hash: String,
    /// the entry describes a record the reader cannot open: its details are not shown
    pub details_withheld: bool,
}

impl From<ShownEntry> for AuditEntry {
    fn from(e: ShownEntry) -> Self {
        let r = e.row;
        Self {
            details_withheld: e.withheld,
            seq: r.seq,
            id: r.id,
            at: from_db(r.at),
            actor_id: r.actor_id,
            actor: r.actor,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            object_org_id: r.object_org_id,
            summary: serde_json::from_str(&r.summary)
                .unwrap_or(serde_json::Value::String(r.summary)),
            request_id: r.request_id,
            client_addr: r.client_addr,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// Newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams), responses((status = 200, body = PageOf<AuditEntry>)))]
pub async fn list_audit(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<AuditParams>,
) -> Result<Json<PageOf<AuditEntry>>, WebError> {
    let page =
        irnet_app::audit::list(&s.app, &a.actor, q.filter(), q.cursor.clone(), q.limit).await?;
    Ok(Json(PageOf {
        items: page.items.into_iter().map(AuditEntry::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// The OpenAPI tag of this pillar's operations.
pub(super) const AUDIT: super::Tag = super::Tag {
    name: "audit",
    description: "The audit trail",
};

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(AUDIT).routes(utoipa_axum::routes!(list_audit))
}
