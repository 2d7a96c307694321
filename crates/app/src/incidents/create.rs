//! A quick notice: a member records an incident as a draft, or submits it at once.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use irnet_domain::Tlp;
use irnet_domain::ids::IncidentId;
use irnet_domain::incident::{DataLoss, Severity, Status};
use irnet_store::DbConn;
use irnet_store::directory::systems;
use irnet_store::incidents::{self as store, IncidentRow};
use irnet_store::time::to_db;

use super::submit::submit_loaded;
use super::{IncidentView, clean, deadlines, event, load, types, view};
use crate::audit::{self, Change};
use crate::error::Problems;
use crate::{Actor, App, AppError};

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

fn validate_notice(app: &App, n: &NewNotice) -> Result<ValidNotice, AppError> {
    let mut p = Problems::default();
    let title = irnet_domain::text::nfc(n.title.trim());
    p.text("title", &title, true, 300);
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
        return Err(AppError::internal("validated notice incomplete"));
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
pub(crate) fn system_of(
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
            // A merged or dissolved organisation files nothing new: its successor does.
            crate::directory::succession::ensure_open(conn, &org, app2.today(), "org_id")?;
            let level = system_of(conn, &org, v.system_id.as_deref())?;
            let now = to_db(app2.now());
            let mut row = IncidentRow {
                id: IncidentId::new(),
                number: None,
                owner_org_id: org.clone(),
                created_by: p.user_id.as_str().to_owned(),
                status: Status::Draft,
                tlp: v.tlp,
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
            row.next_due_at = deadlines::next_due(conn, &app2, &row)?;
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
                    object_id: Some(row.id.as_str()),
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
