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
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .read(move |conn| compute(conn, &app2, &actor2, org_id, year, half, false))
        .await
}

/// [`member`] inside the caller's transaction (filing counts and freezes in one). A `frozen`
/// report is read later by others than its filer, so its free text (damage estimates) leaves
/// out incidents at TLP:RED, which only their named people read.
pub(crate) fn compute(
    conn: &mut irnet_store::DbConn,
    app: &App,
    actor: &Actor,
    org_id: String,
    year: i32,
    half: Option<u8>,
    frozen: bool,
) -> Result<Statistics, AppError> {
    let (from, to) = period(year, half)?;
    let org = orgs::get(conn, &org_id)?.ok_or(AppError::NotFound)?;
    if !actor
        .principal
        .may_read_org_private(&org_ref(conn, app, &org_id)?)
    {
        return Err(AppError::NotFound);
    }
    let last_day = to.pred_opt().unwrap_or(to);
    let today = app.today();
    let named = crate::directory::names::name_on(conn, &org_id, last_day, today)?;
    let p = &actor.principal;
    let rule = p.incident_read_rule();
    let whole = p.counts_every_incident_of(&OrgId::from_trusted(org_id.clone()));
    // The member's own incidents while it existed, and those of organisations merged
    // into it from the day each merger took effect: a period after a merger counts
    // under the successor, one before it under the predecessor's own name.
    let mut readable: HashSet<IncidentId> = HashSet::new();
    let mut incidents = Vec::new();
    for (owner, from, to) in succession::owners_during(conn, &org_id, from, to)? {
        let owner = std::slice::from_ref(&owner);
        let (start, end) = (start_of(app, from), start_of(app, to));
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
    let mut rows: Vec<TypeRow> = app
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
        let asked = asked_coordinator(conn, i, asked)?;
        let key = i.type_key.clone().unwrap_or_else(|| "other".into());
        let Some(row) = rows.iter_mut().find(|r| r.type_key == key) else {
            continue;
        };
        let text = readable.contains(&i.id) && !(frozen && i.tlp == irnet_domain::tlp::Tlp::Red);
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
}

/// Whether the member asked the coordinator for help with an incident, from the incident's own
/// records: its report (Mẫu 03's "đề nghị hỗ trợ" filled in), a filed request for support among
/// its reports, or a support request sent to the coordinator. The closing report (Mẫu 04) has
/// no such field, so it is not read here.
fn asked_coordinator(
    conn: &mut irnet_store::DbConn,
    i: &IncidentRow,
    requested: bool,
) -> Result<bool, AppError> {
    if requested {
        return Ok(true);
    }
    let fields: super::InitialReportFields = serde_json::from_str(&i.report).unwrap_or_default();
    if fields
        .support_requested
        .is_some_and(|t| !t.trim().is_empty())
    {
        return Ok(true);
    }
    Ok(irnet_store::incidents::parts::latest_report(
        conn,
        &i.id,
        irnet_domain::incident::ReportKind::SupportRequest.as_str(),
    )?
    .is_some())
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

/// The Mẫu 05 period of a half-year (1, 2) or the whole year (`None`).
pub(crate) fn form_period(
    year: i32,
    half: Option<u8>,
) -> Result<crate::documents::statistics::Period, AppError> {
    use crate::documents::statistics::Period;
    period(year, half)?;
    match half {
        None => Ok(Period::Year(year)),
        Some(1) => Ok(Period::FirstHalf(year)),
        // The second half-year is a period like the first (it was refused here while the
        // form knew only the first half and the whole year).
        Some(2) => Ok(Period::SecondHalf(year)),
        Some(_) => Err(AppError::invalid("half", "invalid_half")),
    }
}

/// What Mẫu 05 shows of `s`, dated `issued_on`, with the filing's number, place, recipients
/// and signer.
pub(crate) fn form_data(
    s: &Statistics,
    issued_on: NaiveDate,
    filing: &crate::filing::Filing,
) -> Result<crate::documents::statistics::Statistics, AppError> {
    use crate::documents::statistics as doc;
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    Ok(doc::Statistics {
        number: filing.document_number.clone(),
        place: filing.place.clone(),
        issued_on,
        recipients: filing.recipients.clone(),
        member: s.org_name.clone(),
        member_code: s.member_code.clone(),
        period: form_period(s.year, s.half)?,
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
        signer: filing.signer(),
    })
}

/// "2024-h1" or "2024", for file names.
pub(crate) fn period_label(year: i32, half: Option<u8>) -> String {
    half.map_or(format!("{year}"), |h| format!("{year}-h{h}"))
}

/// Mẫu 05 as a file: DOCX (`xlsx = false`) or XLSX, in Vietnamese, rendered live from today's
/// data and so marked as a draft (what is sent is filed: `statistics_filing`). The form covers
/// a half-year or the whole year.
pub async fn form(
    app: &App,
    actor: &Actor,
    org_id: &str,
    year: i32,
    half: Option<u8>,
    xlsx: bool,
) -> Result<crate::directory::profile::Download, AppError> {
    use crate::documents::statistics as doc;
    form_period(year, half)?;
    let s = member(app, actor, org_id, year, half).await?;
    let data = form_data(&s, app.today(), &crate::filing::Filing::default())?;
    let bytes = tokio::task::spawn_blocking(move || {
        if xlsx {
            doc::render_xlsx_as(&data, true)
        } else {
            doc::render_as(&data, None, true)
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
    let label = period_label(year, half);
    Ok(crate::directory::profile::Download {
        bytes,
        ascii_name: format!("mau-05-{}-{label}.{ext}", ascii_words(&s.org_name)),
        name: format!("Mẫu 05 - {} - {label}.{ext}", s.org_name),
    })
}

/// A name's words folded to ASCII and joined by "-", for file names.
pub(crate) fn ascii_words(name: &str) -> String {
    irnet_domain::text::fold(name)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}
