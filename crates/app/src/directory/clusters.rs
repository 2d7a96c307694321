//! Clusters of members. The directory pillar adds founding decisions, memberships over time and
//! the yearly lead; the foundation needs them to exist so cluster-scoped roles can be granted.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use irnet_domain::text;
use irnet_store::directory::clusters::{self, ClusterRow};
use irnet_store::directory::history;
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
    /// the founding decision's number, as written (e.g. `38/QĐ-CATTT`)
    pub founding_decision: Option<String>,
    pub founding_date: Option<NaiveDate>,
    pub founding_issuer: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<ClusterRow> for ClusterView {
    fn from(r: ClusterRow) -> Self {
        Self {
            id: r.id,
            number: r.number,
            name_vi: r.name_vi,
            name_en: r.name_en,
            founding_decision: r.founding_decision,
            founding_date: r.founding_date,
            founding_issuer: r.founding_issuer,
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
    p.text("name_vi", &name_vi, true, 300);
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
                founding_decision: None,
                founding_date: None,
                founding_issuer: None,
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

pub async fn get(app: &App, _actor: &Actor, cluster_id: &str) -> Result<ClusterView, AppError> {
    let id = cluster_id.to_owned();
    let row = app
        .store
        .read(move |c| Ok::<_, AppError>(clusters::get(c, &id)?))
        .await?;
    row.map(ClusterView::from).ok_or(AppError::NotFound)
}

/// The (Vietnamese, English, short) name found for a day, or, when none is recorded for that day,
/// the organisation's current one.
pub(super) fn name_or_current(
    conn: &mut irnet_store::DbConn,
    found: Option<history::NameRow>,
    org_id: &str,
) -> Result<(String, Option<String>, Option<String>), AppError> {
    if let Some(n) = found {
        return Ok((n.name_vi, n.name_en, n.short_name));
    }
    let o = irnet_store::directory::orgs::get(conn, org_id)?.ok_or(AppError::NotFound)?;
    Ok((o.name_vi, o.name_en, o.short_name))
}

/// A member of a cluster on a given day, under the name it had that day.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MemberView {
    pub org_id: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub short_name: Option<String>,
    /// the membership's first day
    pub since: NaiveDate,
    /// the first day it no longer holds, if it ended
    pub until: Option<NaiveDate>,
    /// why it began: founding, joined…
    pub reason: String,
    /// its province that day (statistics code), if it has one
    pub province_code: Option<String>,
    /// that province's name that day
    pub province_vi: Option<String>,
    pub province_en: Option<String>,
}

/// The members of a cluster on `day` (public directory data), with the names they had that day.
pub async fn members_on(
    app: &App,
    _actor: &Actor,
    cluster_id: &str,
    day: NaiveDate,
) -> Result<Vec<MemberView>, AppError> {
    let id = cluster_id.to_owned();
    app.store
        .read(move |conn| {
            clusters::get(conn, &id)?.ok_or(AppError::NotFound)?;
            let memberships = clusters::memberships_on(conn, &id, day)?;
            let org_ids: Vec<String> = memberships.iter().map(|m| m.org_id.clone()).collect();
            let mut names = history::names_on(conn, &org_ids, day)?;
            let codes: Vec<String> = names
                .values()
                .filter_map(|n| n.province_code.clone())
                .collect();
            let provinces: std::collections::HashMap<String, (String, Option<String>)> =
                irnet_store::directory::provinces::versions_on(conn, day, Some(&codes))?
                    .into_iter()
                    .map(|v| (v.province_code, (v.name_vi, v.name_en)))
                    .collect();
            let mut members = Vec::with_capacity(memberships.len());
            for m in memberships {
                let name = names.remove(&m.org_id);
                let province_code = name.as_ref().and_then(|n| n.province_code.clone());
                let province = province_code
                    .as_ref()
                    .and_then(|c| provinces.get(c))
                    .cloned();
                let (name_vi, name_en, short_name) = name_or_current(conn, name, &m.org_id)?;
                members.push(MemberView {
                    org_id: m.org_id,
                    name_vi,
                    name_en,
                    short_name,
                    since: m.valid_from,
                    until: m.valid_to,
                    reason: m.reason,
                    province_code,
                    province_vi: province.as_ref().map(|p| p.0.clone()),
                    province_en: province.and_then(|p| p.1),
                });
            }
            members.sort_by(|a, b| {
                irnet_domain::text::vi_sort_key(&a.name_vi)
                    .cmp(&irnet_domain::text::vi_sort_key(&b.name_vi))
            });
            Ok(members)
        })
        .await
}

/// The member that led a cluster in a year, and how the lead was handed over to it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LeadView {
    pub year: i32,
    pub org_id: String,
    /// the lead's name in that year (on its last day, or today for the current year)
    pub name_vi: String,
    pub name_en: Option<String>,
    pub handed_over_on: Option<NaiveDate>,
    pub handed_over_from: Option<String>,
    pub handed_over_from_name: Option<String>,
    pub handover_event: Option<String>,
    pub handed_over_by: Option<String>,
}

pub async fn leads(app: &App, _actor: &Actor, cluster_id: &str) -> Result<Vec<LeadView>, AppError> {
    let (id, today) = (cluster_id.to_owned(), app.today());
    app.store
        .read(move |conn| {
            clusters::get(conn, &id)?.ok_or(AppError::NotFound)?;
            let mut out = Vec::new();
            for l in clusters::leads(conn, &id)? {
                let year_end = NaiveDate::from_ymd_opt(l.year, 12, 31).unwrap_or(today);
                let day = if today.year() == l.year {
                    today
                } else {
                    year_end
                };
                let mut names = history::names_on(conn, std::slice::from_ref(&l.org_id), day)?;
                let lead = names.remove(&l.org_id);
                // The handing-over member under its name on the handover day; without a recorded
                // day, the lead changes at the turn of the year.
                let from_name = match &l.handed_over_from {
                    Some(f) => {
                        let on = l
                            .handed_over_on
                            .or_else(|| NaiveDate::from_ymd_opt(l.year - 1, 12, 31))
                            .unwrap_or(day);
                        history::names_on(conn, std::slice::from_ref(f), on)?
                            .remove(f)
                            .map(|n| n.name_vi)
                    }
                    None => None,
                };
                let (name_vi, name_en, _) = name_or_current(conn, lead, &l.org_id)?;
                out.push(LeadView {
                    year: l.year,
                    org_id: l.org_id,
                    name_vi,
                    name_en,
                    handed_over_on: l.handed_over_on,
                    handed_over_from: l.handed_over_from,
                    handed_over_from_name: from_name,
                    handover_event: l.handover_event,
                    handed_over_by: l.handed_over_by,
                });
            }
            Ok(out)
        })
        .await
}
