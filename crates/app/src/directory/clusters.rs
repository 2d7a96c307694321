//! Clusters of members. The directory pillar adds founding decisions, memberships over time and
//! the yearly lead; the foundation needs them to exist so cluster-scoped roles can be granted.

use chrono::{DateTime, Utc};
use irnet_domain::text;
use irnet_store::directory::clusters::{self, ClusterRow};
use irnet_store::is_unique_violation;
use irnet_store::time::{from_db, to_db};

use crate::audit::{self, Change};
use crate::error::Problems;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ClusterView {
    pub id: String,
    pub number: i32,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<ClusterRow> for ClusterView {
    fn from(r: ClusterRow) -> Self {
        Self {
            id: r.id,
            number: r.number,
            name_vi: r.name_vi,
            name_en: r.name_en,
            created_at: from_db(r.created_at),
        }
    }
}

pub async fn list(app: &App, _actor: &Actor) -> Result<Vec<ClusterView>, AppError> {
    let rows = app
        .store
        .read(|c| Ok::<_, AppError>(clusters::list(c)?))
        .await?;
    Ok(rows.into_iter().map(ClusterView::from).collect())
}

pub async fn create(
    app: &App,
    actor: &Actor,
    number: i32,
    name_vi: &str,
    name_en: Option<&str>,
) -> Result<ClusterView, AppError> {
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    if !actor.principal.may_create_org() {
        return Err(AppError::Forbidden);
    }
    let mut p = Problems::default();
    if !(1..=999).contains(&number) {
        p.add("number", "out_of_range");
    }
    let name_vi = text::nfc(name_vi.trim());
    if name_vi.is_empty() || name_vi.chars().count() > 300 {
        p.add("name_vi", "invalid_length");
    }
    p.into_result()?;
    let name_en = name_en
        .map(|n| text::nfc(n.trim()))
        .filter(|n| !n.is_empty());
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            let row = ClusterRow {
                id: uuid::Uuid::now_v7().to_string(),
                number,
                name_vi,
                name_en,
                created_at: to_db(app2.now()),
            };
            clusters::insert(conn, &row).map_err(|e| {
                if is_unique_violation(&e) {
                    AppError::Conflict {
                        code: "cluster_number_taken",
                        field: Some("number"),
                    }
                } else {
                    e.into()
                }
            })?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "cluster.created",
                    object_type: "cluster",
                    object_id: Some(&row.id),
                    object_org_id: None,
                    summary: serde_json::json!({ "number": row.number, "name_vi": row.name_vi }),
                },
            )?;
            Ok(ClusterView::from(row))
        })
        .await
}
