//! The periodic statistics of Mẫu 05 (per member, half-year or year) and a cluster's yearly
//! dashboard, computed from the incidents themselves. Both are aggregates of a member's private
//! work, so they open only to those the directory's private-part rule admits: the member itself,
//! this year's lead of its cluster, the coordinator (to whom Mẫu 05 is sent) and administrators.
//! What they count is cut by the reader's incident read rule, in SQL
//! (`Principal::counts_every_incident_of`): only a member's own Mẫu 05, read by the member or the
//! coordinator, counts every incident; a damage estimate is joined only from incidents the
//! reader may read.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate, TimeZone};
use irnet_domain::ids::IncidentId;
use irnet_domain::ids::OrgId;
use irnet_store::directory::{clusters, orgs};
use irnet_store::incidents::{self as store, IncidentRow};
use irnet_store::time::to_db;

use crate::directory::orgs::org_ref;
use crate::directory::succession;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct TypeRow {
    pub type_key: String,
    pub name_vi: String,
    pub name_en: String,
    pub count: i64,
    pub handled_alone: i64,
    pub helped_domestic: i64,
    pub helped_foreign: i64,
    pub requested_coordinator: i64,
    /// the members' own estimates, joined
    pub damage: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Statistics {
    pub org_id: String,
    /// the member's name during the period (on its last day)
    pub org_name: String,
    /// the member's name during the period, with today's beside it where it differs
    pub org: crate::directory::names::OrgName,
    pub member_code: Option<String>,
    pub year: i32,
    /// 1: first half-year; 2: second half-year; null: the whole year
    pub half: Option<u8>,
    pub from: NaiveDate,
    /// first day after the period
    pub to: NaiveDate,
    pub rows: Vec<TypeRow>,
    pub total: TypeRow,
}

fn period(year: i32, half: Option<u8>) -> Result<(NaiveDate, NaiveDate), AppError> {
    let d = |y, m| {
        NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(|| AppError::invalid("year", "invalid_year"))
    };
    if !(2000..=2100).contains(&year) {
        return Err(AppError::invalid("year", "invalid_year"));
    }
    match half {
        None => Ok((d(year, 1)?, d(year + 1, 1)?)),
        Some(1) => Ok((d(year, 1)?, d(year, 7)?)),
        Some(2) => Ok((d(year, 7)?, d(year + 1, 1)?)),
        Some(_) => Err(AppError::invalid("half", "invalid_half")),
    }
}

/// Local midnight of `day`, as stored (UTC).
fn start_of(app: &App, day: NaiveDate) -> chrono::NaiveDateTime {
    let local = app
        .settings
        .local_offset
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|t| t.to_utc())
        .unwrap_or_default();
    to_db(local)
}

pub async fn member(
    app: &App,
    actor: &Actor,
    org_id: &str,
    year: i32,
    half: Option<u8>,
) -> Result<Statistics, AppError> {
    let (from, to) = period(year, half)?;
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .read(move |conn| {
            let org = orgs::get(conn, &org_id)?.ok_or(AppError::NotFound)?;
            if !actor2
                .principal
                .may_read_org_private(&org_ref(conn, &app2, &org_id)?)
            {
                return Err(AppError::NotFound);
            }
            let last_day = to.pred_opt().unwrap_or(to);
            let today = app2.today();
            let named = crate::directory::names::name_on(conn, &org_id, last_day, today)?;
            let p = &actor2.principal;
            let rule = p.incident_read_rule();
            let whole = p.counts_every_incident_of(&OrgId::from_trusted(org_id.clone()));
            // The member's own incidents while it existed, and those of organisations merged
            // into it from the day each merger took effect: a period after a merger counts
            // under the successor, one before it under the predecessor's own name.
            let mut readable: HashSet<IncidentId> = HashSet::new();
            let mut incidents = Vec::new();
            for (owner, from, to) in succession::owners_during(conn, &org_id, from, to)? {
                let owner = std::slice::from_ref(&owner);
                let (start, end) = (start_of(&app2, from), start_of(&app2, to));
                readable.extend(
                    store::of_org_detected_between(conn, owner, start, end, Some(&rule))?
                        .into_iter()
                        .map(|i| i.id),
                );
                incidents.extend(store::of_org_detected_between(
                    conn,
                    owner,
                    start,
                    end,
                    (!whole).then_some(&rule),
                )?);
            }
            let mut rows: Vec<TypeRow> = app2
                .settings
                .incident_types
                .iter()
                .map(|t| TypeRow {
                    type_key: t.key.clone(),
                    name_vi: t.name_vi.clone(),
                    name_en: t.name_en.clone(),
                    ..TypeRow::default()
                })
                .collect();
            let mut total = TypeRow {
                type_key: "total".into(),
                name_vi: "Tổng cộng".into(),
                name_en: "Total".into(),
                ..TypeRow::default()
            };
            for i in &incidents {
                let (helpers, asked) = irnet_store::incidents::support::helpers(conn, &i.id)?;
                let key = i.type_key.clone().unwrap_or_else(|| "other".into());
                let Some(row) = rows.iter_mut().find(|r| r.type_key == key) else {
                    continue;
                };
                let text = readable.contains(&i.id);
                for r in [row, &mut total] {
                    count(r, i, !helpers.is_empty(), asked, text);
                }
            }
            Ok(Statistics {
                org_id,
                org_name: named.name_vi.clone(),
                org: named,
                member_code: org.member_code,
                year,
                half,
                from,
                to,
                rows,
                total,
            })
        })
        .await
}

/// Counts `i` in `r`; its damage estimate only when the reader may read it (`text`).
fn count(r: &mut TypeRow, i: &IncidentRow, domestic: bool, asked_coordinator: bool, text: bool) {
    r.count += 1;
    if domestic {
        r.helped_domestic += 1;
    }
    if i.helped_by_foreign {
        r.helped_foreign += 1;
    }
    if !domestic && !i.helped_by_foreign {
        r.handled_alone += 1;
    }
    if asked_coordinator {
        r.requested_coordinator += 1;
    }
    if let Some(d) = i.damage_estimate.as_ref().filter(|_| text) {
        r.damage.push(d.clone());
    }
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ClusterYear {
    pub cluster_id: String,
    pub year: i32,
    /// members at any time of the year
    pub members: i64,
    pub incidents: i64,
    /// incidents with confirmed data loss: the answer to "any data-loss incident this year?"
    pub data_loss_confirmed: i64,
    /// incidents where data loss is not yet known either way
    pub data_loss_unknown: i64,
    /// incidents per month of detection (local time), January first
    pub per_month: Vec<i64>,
}

/// A cluster's year: its lead of this year, the coordinator and administrators, each counting
/// the incidents they may read.
pub async fn cluster_year(
    app: &App,
    actor: &Actor,
    cluster_id: &str,
    year: i32,
) -> Result<ClusterYear, AppError> {
    let (from, to) = period(year, None)?;
    let (app2, actor2, cid) = (app.clone(), actor.clone(), cluster_id.to_owned());
    app.store
        .read(move |conn| {
            clusters::get(conn, &cid)?.ok_or(AppError::NotFound)?;
            let rule = actor2.principal.private_read_rule();
            if !(rule.all || rule.led_clusters.iter().any(|c| c.as_str() == cid)) {
                return Err(AppError::NotFound);
            }
            // Each member counts only for the part of the year it belonged to the cluster: a
            // province that merged away in July brings its first half-year, its successor the
            // rest.
            let periods: Vec<(String, NaiveDate, NaiveDate)> = clusters::memberships(conn, &cid)?
                .into_iter()
                .filter(|m| m.valid_from < to && m.valid_to.is_none_or(|t| t > from))
                .map(|m| {
                    let end = m.valid_to.map_or(to, |t| t.min(to));
                    (m.org_id, m.valid_from.max(from), end)
                })
                .collect();
            let mut members: Vec<&String> = periods.iter().map(|(o, _, _)| o).collect();
            members.sort_unstable();
            members.dedup();
            let members = members.len() as i64;
            let rule = actor2.principal.incident_read_rule();
            let mut incidents = Vec::new();
            for (member, start, end) in &periods {
                // A member brings its predecessors' incidents from the day they merged into it
                // (Bắc Giang's after 01/07/2025 count for Bắc Ninh, so for the cluster).
                for (org, start, end) in succession::owners_during(conn, member, *start, *end)? {
                    incidents.extend(store::of_org_detected_between(
                        conn,
                        std::slice::from_ref(&org),
                        start_of(&app2, start),
                        start_of(&app2, end),
                        Some(&rule),
                    )?);
                }
            }
            incidents.sort_unstable_by(|a, b| a.id.cmp(&b.id));
            incidents.dedup_by(|a, b| a.id == b.id);
            let mut per_month = vec![0i64; 12];
            for i in &incidents {
                let local = irnet_store::time::from_db(i.detected_at)
                    .with_timezone(&app2.settings.local_offset);
                if let Some(m) = per_month.get_mut(local.month0() as usize) {
                    *m += 1;
                }
            }
            Ok(ClusterYear {
                cluster_id: cid,
                year,
                members,
                incidents: incidents.len() as i64,
                data_loss_confirmed: incidents
                    .iter()
                    .filter(|i| i.data_loss == "confirmed")
                    .count() as i64,
                data_loss_unknown: incidents
                    .iter()
                    .filter(|i| i.data_loss == "unknown")
                    .count() as i64,
                per_month,
            })
        })
        .await
}

/// Mẫu 05 as a file: DOCX (`xlsx = false`) or XLSX, in Vietnamese. The form covers a half-year
/// or the whole year.
pub async fn form(
    app: &App,
    actor: &Actor,
    org_id: &str,
    year: i32,
    half: Option<u8>,
    xlsx: bool,
) -> Result<crate::directory::profile::Download, AppError> {
    use crate::documents::statistics::{self as doc, Period};
    let period = match half {
        None => Period::Year(year),
        Some(1) => Period::FirstHalf(year),
        // The second half-year is a period like the first (it was refused here while the
        // form knew only the first half and the whole year).
        Some(2) => Period::SecondHalf(year),
        Some(_) => return Err(AppError::invalid("half", "invalid_half")),
    };
    let s = member(app, actor, org_id, year, half).await?;
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    let data = doc::Statistics {
        number: None,
        place: None,
        issued_on: app.today(),
        recipients: vec![],
        member: s.org_name.clone(),
        member_code: s.member_code.clone(),
        period,
        rows: s
            .rows
            .iter()
            .map(|r| doc::TypeRow {
                incident_type: r.name_vi.clone(),
                count: n(r.count),
                handled_alone: n(r.handled_alone),
                helped_domestic: n(r.helped_domestic),
                helped_foreign: n(r.helped_foreign),
                coordinator_requested: n(r.requested_coordinator),
                estimated_damage: (!r.damage.is_empty()).then(|| r.damage.join("; ")),
            })
            .collect(),
        total_damage: (!s.total.damage.is_empty()).then(|| s.total.damage.join("; ")),
        proposals: None,
        signer: None,
    };
    let bytes = tokio::task::spawn_blocking(move || {
        if xlsx {
            doc::render_xlsx(&data)
        } else {
            doc::render(&data)
        }
    })
    .await
    .map_err(AppError::internal)??;
    let ext = if xlsx { "xlsx" } else { "docx" };
    crate::audit::exported(
        app,
        actor,
        &format!("mau_05_{ext}"),
        None,
        serde_json::json!({ "org_id": org_id, "year": year, "half": half }),
    )
    .await?;
    let label = half.map_or(format!("{year}"), |h| format!("{year}-h{h}"));
    let ascii: String = irnet_domain::text::fold(&s.org_name)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    Ok(crate::directory::profile::Download {
        bytes,
        ascii_name: format!("mau-05-{ascii}-{label}.{ext}"),
        name: format!("Mẫu 05 - {} - {label}.{ext}", s.org_name),
    })
}
