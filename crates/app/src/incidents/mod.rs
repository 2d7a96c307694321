//! Incidents: a member reports, the network handles, the coordinator closes. Every read goes
//! through `load` (a single audience check; anyone outside the audience gets "not found"), every
//! list through the store's SQL filter compiled from the same rule.

pub mod deadlines;
pub mod handling;
pub mod reminders;
pub mod report;
pub mod reports;
pub mod settings;
pub mod statistics;
pub mod support;
pub mod synthetic;
pub(crate) mod tell;
pub mod types;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDateTime, TimeZone, Utc};
use irnet_domain::ids::{OrgId, UserId};
use irnet_domain::incident::{DataLoss, Effect, Severity, Status};
use irnet_domain::{IncidentAbilities, IncidentFacts, OrgKind, RecordAccess, Tlp};
use irnet_store::DbConn;
use irnet_store::directory::{orgs, systems};
use irnet_store::incidents::parts::{self as store_parts, EventRow};
use irnet_store::incidents::{self as store, Filter, IncidentRow};
use irnet_store::page::{Page, clamp_limit};
use irnet_store::time::{from_db, to_db};

use crate::audit::{self, Change};
use crate::error::Problems;
use crate::{Actor, App, AppError};

pub use report::InitialReportFields;

/// An incident as its audience sees it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct IncidentView {
    pub id: String,
    /// given on submission, per member and year, e.g. "LS-2026-0003" (incidents submitted
    /// before per-member numbering keep their network-wide "2024-000001")
    pub number: Option<String>,
    pub owner_org_id: String,
    pub owner_name: String,
    pub status: String,
    pub tlp: String,
    pub title: String,
    pub summary: Option<String>,
    pub type_key: Option<String>,
    pub severity: Option<String>,
    /// in the network's time zone
    pub detected_at: String,
    pub system_id: Option<String>,
    pub system_name: Option<String>,
    pub system_level: Option<i32>,
    pub effects: Vec<String>,
    pub exceeds_capacity: bool,
    pub serious_proposed: bool,
    /// `null` until the coordinator decides
    pub serious_confirmed: Option<bool>,
    pub data_loss: String,
    pub data_loss_detail: Option<String>,
    pub damage_estimate: Option<String>,
    pub helped_by_foreign: bool,
    pub report: InitialReportFields,
    pub submitted_at: Option<String>,
    pub escalated_at: Option<String>,
    pub acknowledged_at: Option<String>,
    pub response_ended_at: Option<String>,
    pub closed_at: Option<String>,
    pub deadlines: Vec<deadlines::DeadlineView>,
    /// what the reader may do here
    pub may: Abilities,
}

/// The reader's abilities on one incident, as `domain::policy` decides them
/// (`Principal::incident_abilities`), so pages and clients need not re-derive the policy.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Abilities {
    /// edit the report, classify, file reports, ask for support (the owner)
    pub manage: bool,
    /// add tasks, observables, comments, attachments (owner and accepted supporters)
    pub work: bool,
    /// acknowledge, confirm seriousness, instruct (the coordinator once reported)
    pub coordinate: bool,
    pub close: bool,
}

/// An incident and the reader's place in its audience.
pub(crate) struct Loaded {
    pub row: IncidentRow,
    pub shared_orgs: Vec<String>,
    pub facts: IncidentFacts,
}

impl Loaded {
    pub(crate) fn abilities(&self, actor: &Actor) -> Abilities {
        let IncidentAbilities {
            manage,
            work,
            coordinate,
            close,
        } = actor.principal.incident_abilities(&self.facts);
        Abilities {
            manage,
            work,
            coordinate,
            close,
        }
    }
}

/// The coordinator's organisation (the one national coordinator in the directory).
pub(crate) fn coordinator_org(conn: &mut DbConn) -> Result<Option<String>, AppError> {
    Ok(orgs::of_kind(conn, OrgKind::NationalCoordinator.as_str())?
        .into_iter()
        .next()
        .map(|o| o.id))
}

/// Reads an incident for `actor`, or "not found" when they are not in its audience: existence
/// never leaks. Drafts are their author's alone.
pub(crate) fn load(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<Loaded, AppError> {
    let row = store::get(conn, id)?.ok_or(AppError::NotFound)?;
    let (shared_orgs, shared_people) = store::audience(conn, id)?;
    let tlp = Tlp::parse(&row.tlp).map_err(|e| AppError::Internal(e.to_string()))?;
    let access = RecordAccess {
        owner_org: OrgId::from_trusted(row.owner_org_id.clone()),
        tlp,
        shared_orgs: shared_orgs
            .iter()
            .map(|o| OrgId::from_trusted(o.clone()))
            .collect(),
        shared_people: shared_people
            .iter()
            .map(|p| UserId::from_trusted(p.clone()))
            .collect(),
    };
    let p = &actor.principal;
    if !p.incident_read_rule().admits(&access) {
        return Err(AppError::NotFound);
    }
    if row.status == Status::Draft.as_str() && row.created_by != p.user_id.as_str() {
        return Err(AppError::NotFound);
    }
    let own = p.org_id.as_str();
    let owned = row.owner_org_id == own;
    let accepted_supporter = !owned
        && shared_orgs.iter().any(|o| o == own)
        && support::is_accepted_supporter(conn, id, own)?;
    let facts = IncidentFacts {
        owned,
        closed: row.status == Status::Closed.as_str(),
        escalated: row.escalated_at.is_some(),
        reader_named: shared_people.iter().any(|u| u == p.user_id.as_str()),
        accepted_supporter,
    };
    Ok(Loaded {
        row,
        shared_orgs,
        facts,
    })
}

pub(crate) fn local(app: &App, t: NaiveDateTime) -> String {
    from_db(t)
        .with_timezone(&app.settings.local_offset)
        .to_rfc3339()
}

fn list_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

pub(crate) fn view(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    l: &Loaded,
) -> Result<IncidentView, AppError> {
    let r = &l.row;
    let owner_name = orgs::get(conn, &r.owner_org_id)?
        .map(|o| o.name_vi)
        .unwrap_or_default();
    let system_name = match &r.system_id {
        Some(s) => systems::get(conn, s)?.map(|s| s.name),
        None => None,
    };
    let at = |t: Option<NaiveDateTime>| t.map(|t| local(app, t));
    Ok(IncidentView {
        id: r.id.clone(),
        number: r.number.clone(),
        owner_org_id: r.owner_org_id.clone(),
        owner_name,
        status: r.status.clone(),
        tlp: r.tlp.clone(),
        title: r.title.clone(),
        summary: r.summary.clone(),
        type_key: r.type_key.clone(),
        severity: r.severity.clone(),
        detected_at: local(app, r.detected_at),
        system_id: r.system_id.clone(),
        system_name,
        system_level: r.system_level,
        effects: list_of(&r.effects),
        exceeds_capacity: r.exceeds_capacity,
        serious_proposed: r.serious_proposed,
        serious_confirmed: r.serious_confirmed,
        data_loss: r.data_loss.clone(),
        data_loss_detail: r.data_loss_detail.clone(),
        damage_estimate: r.damage_estimate.clone(),
        helped_by_foreign: r.helped_by_foreign,
        report: serde_json::from_str(&r.report).unwrap_or_default(),
        submitted_at: at(r.submitted_at),
        escalated_at: at(r.escalated_at),
        acknowledged_at: at(r.acknowledged_at),
        response_ended_at: at(r.response_ended_at),
        closed_at: at(r.closed_at),
        deadlines: deadlines::views(app, r),
        may: l.abilities(actor),
    })
}

/// Appends to the timeline.
pub(crate) fn event(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    incident_id: &str,
    kind: &str,
    body: Option<String>,
    data: serde_json::Value,
) -> Result<(), AppError> {
    store_parts::add_event(
        conn,
        &EventRow {
            id: uuid::Uuid::now_v7().to_string(),
            incident_id: incident_id.to_owned(),
            at: to_db(app.now()),
            actor_id: actor.user_id().map(str::to_owned),
            actor_org_id: actor.org_id().map(str::to_owned),
            kind: kind.to_owned(),
            body,
            data: data.to_string(),
        },
    )?;
    Ok(())
}

/// Saves the row with its next open deadline recomputed.
pub(crate) fn save(conn: &mut DbConn, app: &App, row: &mut IncidentRow) -> Result<(), AppError> {
    row.next_due_at = deadlines::next_due(app, row);
    row.updated_at = to_db(app.now());
    store::save(conn, row)?;
    // Re-armed at every change: the reminders' keys stop a second mail for the same deadline.
    store::set_remind_at(conn, &row.id, row.next_due_at)?;
    Ok(())
}

/// Parses a detection time: RFC 3339 with an offset, or a local date and time
/// ("2024-12-20T09:00") read in the network's time zone — which is how a member's clock shows it.
pub fn parse_local_time(s: &str, zone: FixedOffset) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .and_then(|n| zone.from_local_datetime(&n).single())
        .map(|t| t.with_timezone(&Utc))
}

/// A quick notice: what a responder can type on a phone. Everything else comes later.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct NewNotice {
    pub title: String,
    pub summary: Option<String>,
    /// RFC 3339, or local "YYYY-MM-DDTHH:MM" in the network's time zone
    pub detected_at: String,
    pub system_id: Option<String>,
    pub type_key: Option<String>,
    pub severity: Option<String>,
    /// default AMBER
    pub tlp: Option<String>,
    /// submit at once rather than keep a draft
    #[serde(default)]
    pub submit: bool,
}

struct ValidNotice {
    title: String,
    summary: Option<String>,
    detected_at: DateTime<Utc>,
    system_id: Option<String>,
    type_key: Option<String>,
    severity: Option<String>,
    tlp: Tlp,
}

fn clean(s: Option<&str>) -> Option<String> {
    s.map(|v| irnet_domain::text::nfc(v.trim()))
        .filter(|v| !v.is_empty())
}

fn validate_notice(app: &App, n: &NewNotice) -> Result<ValidNotice, AppError> {
    let mut p = Problems::default();
    let title = irnet_domain::text::nfc(n.title.trim());
    if title.is_empty() || title.chars().count() > 300 {
        p.add("title", "invalid_length");
    }
    let detected_at = match parse_local_time(&n.detected_at, app.settings.local_offset) {
        None => {
            p.add("detected_at", "invalid_datetime");
            None
        }
        Some(t) if t > app.now() => {
            p.add("detected_at", "in_future");
            None
        }
        Some(t) => Some(t),
    };
    let tlp = p.check("tlp", Tlp::parse(n.tlp.as_deref().unwrap_or("AMBER")));
    if let Some(t) = &n.type_key
        && types::find(&app.settings, t).is_none()
    {
        p.add("type_key", "unknown_incident_type");
    }
    let severity = n
        .severity
        .as_deref()
        .and_then(|s| p.check("severity", Severity::parse(s)))
        .map(|s| s.as_str().to_owned());
    p.into_result()?;
    let (Some(detected_at), Some(tlp)) = (detected_at, tlp) else {
        return Err(AppError::Internal("validated notice incomplete".into()));
    };
    Ok(ValidNotice {
        title,
        summary: clean(n.summary.as_deref()),
        detected_at,
        system_id: clean(n.system_id.as_deref()),
        type_key: n.type_key.clone(),
        severity,
        tlp,
    })
}

/// The system must belong to (or be operated by) the reporting member; its level comes with it.
fn system_of(
    conn: &mut DbConn,
    org: &str,
    system_id: Option<&str>,
) -> Result<Option<i32>, AppError> {
    let Some(id) = system_id else {
        return Ok(None);
    };
    let s = systems::get(conn, id)?
        .filter(|s| s.owner_org_id == org || s.operator_org_id.as_deref() == Some(org))
        .ok_or_else(|| AppError::invalid("system_id", "unknown_system"))?;
    Ok(s.approved_level.or(s.proposed_level))
}

/// Records a quick notice as a draft of the actor's organisation, or submits it at once.
pub async fn create(app: &App, actor: &Actor, input: NewNotice) -> Result<IncidentView, AppError> {
    let v = validate_notice(app, &input)?;
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            let p = &actor2.principal;
            if !p.may_write() {
                return Err(AppError::ReadOnly);
            }
            if !p.may_act_for(&p.org_id) {
                return Err(AppError::Forbidden);
            }
            let org = p.org_id.as_str().to_owned();
            let level = system_of(conn, &org, v.system_id.as_deref())?;
            let now = to_db(app2.now());
            let mut row = IncidentRow {
                id: uuid::Uuid::now_v7().to_string(),
                number: None,
                owner_org_id: org.clone(),
                created_by: p.user_id.as_str().to_owned(),
                status: Status::Draft.as_str().to_owned(),
                tlp: v.tlp.as_str().to_owned(),
                title: v.title,
                summary: v.summary,
                type_key: v.type_key,
                severity: v.severity,
                detected_at: to_db(v.detected_at),
                system_id: v.system_id,
                system_level: level,
                effects: "[]".to_owned(),
                exceeds_capacity: false,
                serious_proposed: false,
                serious_confirmed: None,
                data_loss: DataLoss::Unknown.as_str().to_owned(),
                data_loss_detail: None,
                damage_estimate: None,
                helped_by_foreign: false,
                report: "{}".to_owned(),
                submitted_at: None,
                escalated_at: None,
                acknowledged_at: None,
                initial_report_at: None,
                response_ended_at: None,
                closing_report_at: None,
                closed_at: None,
                next_due_at: None,
                created_at: now,
                updated_at: now,
            };
            row.next_due_at = deadlines::next_due(&app2, &row);
            store::insert(conn, &row)?;
            store::set_remind_at(conn, &row.id, row.next_due_at)?;
            // The author is named, so that a TLP:RED incident stays readable to them.
            store::share_with(conn, &row.id, None, Some(p.user_id.as_str()), now)?;
            event(
                conn,
                &app2,
                &actor2,
                &row.id,
                "created",
                None,
                serde_json::json!({}),
            )?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "incident.created",
                    object_type: "incident",
                    object_id: Some(&row.id),
                    object_org_id: Some(&org),
                    summary: serde_json::json!({ "title": row.title, "tlp": row.tlp }),
                },
            )?;
            if input.submit {
                submit_loaded(conn, &app2, &actor2, &mut row)?;
            }
            let l = load(conn, &actor2, &row.id)?;
            view(conn, &app2, &actor2, &l)
        })
        .await
}

fn submit_loaded(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    row: &mut IncidentRow,
) -> Result<(), AppError> {
    if row.status != Status::Draft.as_str() {
        return Err(AppError::Conflict {
            code: "already_submitted",
            field: None,
        });
    }
    let now = app.now();
    let year = now.with_timezone(&app.settings.local_offset).year();
    let code = member_code(conn, &row.owner_org_id)?;
    let number = store::next_number(conn, &row.owner_org_id, &code, year)?;
    row.number = Some(number.clone());
    row.status = Status::New.as_str().to_owned();
    row.submitted_at = Some(to_db(now));
    save(conn, app, row)?;
    handling::add_checklist(conn, app, actor, &row.id, &row.owner_org_id)?;
    event(
        conn,
        app,
        actor,
        &row.id,
        "submitted",
        None,
        serde_json::json!({ "number": number }),
    )?;
    audit::record(
        conn,
        app,
        actor,
        Change {
            action: "incident.submitted",
            object_type: "incident",
            object_id: Some(&row.id),
            object_org_id: Some(&row.owner_org_id),
            summary: serde_json::json!({ "number": number }),
        },
    )?;
    Ok(())
}

/// The code an incident number starts with: the member's code in the directory ("LS"), or,
/// for a member that has none yet, its id — unique too, so numbers never collide.
fn member_code(conn: &mut DbConn, org_id: &str) -> Result<String, AppError> {
    Ok(orgs::get(conn, org_id)?
        .and_then(|o| o.member_code)
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| org_id.to_owned()))
}

/// Runs `f` on an incident the actor may read, in one write transaction, then returns the view.
pub(crate) async fn with_incident<F>(
    app: &App,
    actor: &Actor,
    id: &str,
    f: F,
) -> Result<IncidentView, AppError>
where
    F: FnOnce(&mut DbConn, &App, &Actor, &mut Loaded) -> Result<(), AppError> + Send + 'static,
{
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.to_owned());
    app.store
        .write(move |conn| {
            let mut l = load(conn, &actor2, &id)?;
            if !actor2.principal.may_write() {
                return Err(AppError::ReadOnly);
            }
            f(conn, &app2, &actor2, &mut l)?;
            let l = load(conn, &actor2, &id)?;
            view(conn, &app2, &actor2, &l)
        })
        .await
}

pub(crate) fn require(allowed: bool) -> Result<(), AppError> {
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Submits a draft: it gets its number and time, and the notice deadline is met.
pub async fn submit(app: &App, actor: &Actor, id: &str) -> Result<IncidentView, AppError> {
    with_incident(app, actor, id, |conn, app, actor, l| {
        require(l.abilities(actor).manage)?;
        submit_loaded(conn, app, actor, &mut l.row)
    })
    .await
}

pub async fn get(app: &App, actor: &Actor, id: &str) -> Result<IncidentView, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.to_owned());
    app.store
        .read(move |conn| {
            let l = load(conn, &actor2, &id)?;
            view(conn, &app2, &actor2, &l)
        })
        .await
}

/// One line of a list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct IncidentSummary {
    pub id: String,
    pub number: Option<String>,
    pub owner_org_id: String,
    /// the owner's current Vietnamese name, so that a list needs no second read per line
    pub owner_name: String,
    pub status: String,
    pub tlp: String,
    pub title: String,
    pub type_key: Option<String>,
    pub detected_at: String,
    /// the earliest open deadline, in the network's time zone
    pub next_due_at: Option<String>,
    pub overdue: bool,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// words of the title, summary, number or an observable (accents optional)
    pub q: Option<String>,
    pub status: Option<String>,
    pub org: Option<String>,
    /// `overdue`: only incidents with a deadline passed and not met
    pub due: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

fn filter_of(app: &App, actor: &Actor, q: &ListQuery) -> Result<Filter, AppError> {
    if let Some(s) = &q.status {
        Status::parse(s).map_err(|e| AppError::field("status", &e))?;
    }
    let overdue_at = match q.due.as_deref() {
        None | Some("") => None,
        Some("overdue") => Some(to_db(app.now())),
        Some(_) => return Err(AppError::invalid("due", "invalid_value")),
    };
    Ok(Filter {
        words: q
            .q
            .as_deref()
            .map(irnet_domain::search::words)
            .unwrap_or_default(),
        status: q.status.clone(),
        owner_org_id: q.org.clone(),
        overdue_at,
        author: actor.principal.user_id.as_str().to_owned(),
    })
}

pub async fn list(
    app: &App,
    actor: &Actor,
    q: ListQuery,
) -> Result<Page<IncidentSummary>, AppError> {
    let filter = filter_of(app, actor, &q)?;
    let limit = clamp_limit(q.limit);
    let (app2, rule) = (app.clone(), actor.principal.incident_read_rule());
    app.store
        .read(move |conn| {
            let page = store::list(conn, &rule, &filter, q.cursor.as_deref(), limit)?;
            let now = to_db(app2.now());
            let mut names = std::collections::HashMap::new();
            for r in &page.items {
                if !names.contains_key(&r.owner_org_id) {
                    let name = orgs::get(conn, &r.owner_org_id)?
                        .map(|o| o.name_vi)
                        .unwrap_or_default();
                    names.insert(r.owner_org_id.clone(), name);
                }
            }
            Ok(Page {
                next_cursor: page.next_cursor,
                items: page
                    .items
                    .into_iter()
                    .map(|r| IncidentSummary {
                        owner_name: names.get(&r.owner_org_id).cloned().unwrap_or_default(),
                        overdue: r.next_due_at.is_some_and(|d| d < now),
                        next_due_at: r.next_due_at.map(|t| local(&app2, t)),
                        detected_at: local(&app2, r.detected_at),
                        id: r.id,
                        number: r.number,
                        owner_org_id: r.owner_org_id,
                        status: r.status,
                        tlp: r.tlp,
                        title: r.title,
                        type_key: r.type_key,
                    })
                    .collect(),
            })
        })
        .await
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub total: i64,
    pub by_status: Vec<StatusCount>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct StatusCount {
    pub status: String,
    pub count: i64,
}

/// How many incidents the reader may see, by status (same filters as the list).
pub async fn count(app: &App, actor: &Actor, q: ListQuery) -> Result<Counts, AppError> {
    let filter = filter_of(app, actor, &q)?;
    let rule = actor.principal.incident_read_rule();
    app.store
        .read(move |conn| {
            let by_status = store::count_by_status(conn, &rule, &filter)?;
            Ok(Counts {
                total: by_status.iter().map(|(_, n)| n).sum(),
                by_status: by_status
                    .into_iter()
                    .map(|(status, count)| StatusCount { status, count })
                    .collect(),
            })
        })
        .await
}

/// Classification: type, severity, TLP, effects, capacity, data loss. The serious-incident
/// proposal is recomputed from the system's level and the effects.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct Classification {
    pub type_key: Option<String>,
    pub severity: Option<String>,
    pub tlp: Option<String>,
    #[serde(default)]
    pub effects: Vec<String>,
    #[serde(default)]
    pub exceeds_capacity: bool,
    /// none / confirmed / unknown
    pub data_loss: Option<String>,
    pub data_loss_detail: Option<String>,
    pub damage_estimate: Option<String>,
    #[serde(default)]
    pub helped_by_foreign: bool,
}

pub async fn classify(
    app: &App,
    actor: &Actor,
    id: &str,
    c: Classification,
) -> Result<IncidentView, AppError> {
    let mut p = Problems::default();
    if let Some(t) = &c.type_key
        && types::find(&app.settings, t).is_none()
    {
        p.add("type_key", "unknown_incident_type");
    }
    let severity = c
        .severity
        .as_deref()
        .and_then(|s| p.check("severity", Severity::parse(s)));
    let tlp = c.tlp.as_deref().and_then(|t| p.check("tlp", Tlp::parse(t)));
    let effects: Vec<Effect> = c
        .effects
        .iter()
        .enumerate()
        .filter_map(|(i, e)| p.check(&format!("effects[{i}]"), Effect::parse(e)))
        .collect();
    let data_loss = c
        .data_loss
        .as_deref()
        .and_then(|d| p.check("data_loss", DataLoss::parse(d)));
    p.into_result()?;
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).manage)?;
        let r = &mut l.row;
        r.type_key = c.type_key.clone();
        r.severity = severity.map(|s| s.as_str().to_owned());
        if let Some(t) = tlp {
            r.tlp = t.as_str().to_owned();
        }
        let mut keys: Vec<&str> = effects.iter().map(|e| e.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        r.effects = serde_json::to_string(&keys).unwrap_or_else(|_| "[]".into());
        r.exceeds_capacity = c.exceeds_capacity;
        if let Some(d) = data_loss {
            r.data_loss = d.as_str().to_owned();
        }
        r.data_loss_detail = clean(c.data_loss_detail.as_deref());
        r.damage_estimate = clean(c.damage_estimate.as_deref());
        r.helped_by_foreign = c.helped_by_foreign;
        deadlines::refresh_serious(conn, r)?;
        save(conn, app, r)?;
        event(conn, app, actor, &r.id, "classified", None, serde_json::json!({
            "type": r.type_key, "severity": r.severity, "tlp": r.tlp, "data_loss": r.data_loss,
            "serious_proposed": r.serious_proposed,
        }))?;
        audit::record(conn, app, actor, Change {
            action: "incident.classified",
            object_type: "incident",
            object_id: Some(&r.id),
            object_org_id: Some(&r.owner_org_id),
            summary: serde_json::json!({ "type": r.type_key, "tlp": r.tlp, "data_loss": r.data_loss }),
        })
    })
    .await
}

/// Moves the incident forward in its workflow (never to closed: see `close`).
pub async fn set_status(
    app: &App,
    actor: &Actor,
    id: &str,
    status: &str,
    note: Option<String>,
) -> Result<IncidentView, AppError> {
    let next = Status::parse(status).map_err(|e| AppError::field("status", &e))?;
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).work)?;
        let r = &mut l.row;
        let current = Status::parse(&r.status).map_err(|e| AppError::Internal(e.to_string()))?;
        if !current.may_move_to(next) {
            return Err(AppError::invalid("status", "invalid_transition"));
        }
        r.status = next.as_str().to_owned();
        if next.response_ended() && r.response_ended_at.is_none() {
            r.response_ended_at = Some(to_db(app.now()));
        }
        save(conn, app, r)?;
        event(
            conn,
            app,
            actor,
            &r.id,
            "status",
            clean(note.as_deref()),
            serde_json::json!({
                "from": current.as_str(), "to": next.as_str(),
            }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.status_changed",
                object_type: "incident",
                object_id: Some(&r.id),
                object_org_id: Some(&r.owner_org_id),
                summary: serde_json::json!({ "from": current.as_str(), "to": next.as_str() }),
            },
        )
    })
    .await
}

/// Reports the incident to the coordinator, who must acknowledge within the acknowledgement
/// window. The people holding the coordinator role are named in the audience — not the
/// coordinator's whole organisation, whose other accounts (the platform's administrators
/// among them) have no part in handling it.
pub async fn escalate(app: &App, actor: &Actor, id: &str) -> Result<IncidentView, AppError> {
    with_incident(app, actor, id, |conn, app, actor, l| {
        require(l.abilities(actor).manage)?;
        if l.row.status == Status::Draft.as_str() {
            return Err(AppError::Conflict {
                code: "not_submitted",
                field: None,
            });
        }
        if l.row.escalated_at.is_some() {
            return Ok(());
        }
        let coordinator = coordinator_org(conn)?.ok_or(AppError::Conflict {
            code: "no_coordinator",
            field: None,
        })?;
        let role = irnet_domain::escalation_audience();
        let people: Vec<String> = irnet_store::identity::grants::holders(
            conn,
            role.role.as_str(),
            role.scope.kind(),
            role.scope.id().unwrap_or(""),
        )?
        .into_iter()
        .map(|u| u.id)
        .collect();
        let now = to_db(app.now());
        let (_, named) = store::audience(conn, &l.row.id)?;
        for u in people.iter().filter(|u| !named.contains(u)) {
            store::share_with(conn, &l.row.id, None, Some(u), now)?;
        }
        let r = &mut l.row;
        r.escalated_at = Some(now);
        save(conn, app, r)?;
        event(
            conn,
            app,
            actor,
            &r.id,
            "escalated",
            None,
            serde_json::json!({ "to": coordinator }),
        )?;
        tell::tell(
            conn,
            app,
            r,
            "incident.escalated",
            "incident-escalated",
            &[],
            people,
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.escalated",
                object_type: "incident",
                object_id: Some(&r.id),
                object_org_id: Some(&r.owner_org_id),
                summary: serde_json::json!({ "coordinator": coordinator }),
            },
        )
    })
    .await
}

/// The coordinator acknowledges a reported incident.
pub async fn acknowledge(app: &App, actor: &Actor, id: &str) -> Result<IncidentView, AppError> {
    with_incident(app, actor, id, |conn, app, actor, l| {
        require(l.abilities(actor).coordinate)?;
        let r = &mut l.row;
        if r.acknowledged_at.is_some() {
            return Ok(());
        }
        r.acknowledged_at = Some(to_db(app.now()));
        if r.status == Status::New.as_str() {
            r.status = Status::Acknowledged.as_str().to_owned();
        }
        save(conn, app, r)?;
        event(
            conn,
            app,
            actor,
            &r.id,
            "acknowledged",
            None,
            serde_json::json!({}),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.acknowledged",
                object_type: "incident",
                object_id: Some(&r.id),
                object_org_id: Some(&r.owner_org_id),
                summary: serde_json::json!({}),
            },
        )
    })
    .await
}

/// The coordinator confirms or rejects the serious-incident proposal.
pub async fn decide_serious(
    app: &App,
    actor: &Actor,
    id: &str,
    serious: bool,
) -> Result<IncidentView, AppError> {
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).coordinate)?;
        let r = &mut l.row;
        r.serious_confirmed = Some(serious);
        save(conn, app, r)?;
        if serious {
            handling::add_serious_checklist(conn, app, actor, &r.id, &r.owner_org_id)?;
        }
        event(
            conn,
            app,
            actor,
            &r.id,
            "serious_decided",
            None,
            serde_json::json!({ "serious": serious }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.serious_decided",
                object_type: "incident",
                object_id: Some(&r.id),
                object_org_id: Some(&r.owner_org_id),
                summary: serde_json::json!({ "serious": serious }),
            },
        )
    })
    .await
}

/// Closes the incident: only once its closing report is in; by the coordinator once the
/// incident was reported to it, else by the owner. Who helped is recorded for the statistics.
pub async fn close(app: &App, actor: &Actor, id: &str) -> Result<IncidentView, AppError> {
    with_incident(app, actor, id, |conn, app, actor, l| {
        require(l.abilities(actor).close)?;
        let r = &mut l.row;
        if r.closing_report_at.is_none() {
            return Err(AppError::Conflict {
                code: "closing_report_missing",
                field: None,
            });
        }
        let (helpers, asked_coordinator) = irnet_store::incidents::support::helpers(conn, &r.id)?;
        let now = to_db(app.now());
        r.status = Status::Closed.as_str().to_owned();
        r.closed_at = Some(now);
        if r.response_ended_at.is_none() {
            r.response_ended_at = Some(now);
        }
        save(conn, app, r)?;
        event(
            conn,
            app,
            actor,
            &r.id,
            "closed",
            None,
            serde_json::json!({
                "helped_by": helpers, "asked_coordinator": asked_coordinator,
            }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.closed",
                object_type: "incident",
                object_id: Some(&r.id),
                object_org_id: Some(&r.owner_org_id),
                summary: serde_json::json!({ "helped_by": helpers }),
            },
        )
    })
    .await
}

/// Shares the incident with another organisation (or, at TLP:RED, a named person). The owner
/// may always share; other audience members only what TLP:CLEAR or GREEN lets them pass on.
pub async fn share(
    app: &App,
    actor: &Actor,
    id: &str,
    org_id: Option<String>,
    user_id: Option<String>,
) -> Result<IncidentView, AppError> {
    with_incident(app, actor, id, move |conn, app, actor, l| {
        let tlp = Tlp::parse(&l.row.tlp).map_err(|e| AppError::Internal(e.to_string()))?;
        let ab = l.abilities(actor);
        let may = ab.manage || (ab.work && tlp <= Tlp::Green);
        require(may)?;
        let now = to_db(app.now());
        match (&org_id, &user_id) {
            (Some(o), None) => {
                orgs::get(conn, o)?.ok_or_else(|| AppError::invalid("org_id", "unknown_org"))?;
                if tlp == Tlp::Red {
                    return Err(AppError::invalid("org_id", "red_needs_people"));
                }
                if !l.shared_orgs.contains(o) && *o != l.row.owner_org_id {
                    store::share_with(conn, &l.row.id, Some(o), None, now)?;
                }
            }
            (None, Some(u)) => {
                irnet_store::identity::users::get(conn, u)?
                    .ok_or_else(|| AppError::invalid("user_id", "unknown_user"))?;
                store::share_with(conn, &l.row.id, None, Some(u), now)?;
            }
            _ => return Err(AppError::invalid("org_id", "one_of_org_or_user")),
        }
        event(
            conn,
            app,
            actor,
            &l.row.id,
            "shared",
            None,
            serde_json::json!({ "org_id": org_id, "user_id": user_id }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.shared",
                object_type: "incident",
                object_id: Some(&l.row.id),
                object_org_id: Some(&l.row.owner_org_id),
                summary: serde_json::json!({ "org_id": org_id, "user_id": user_id }),
            },
        )
    })
    .await
}
