//! Reports filed in an incident's life: the initial report (Mẫu 03, a frozen copy of the
//! completed notice), situation updates, the response plan, requests for direction or support,
//! and the closing report (Mẫu 04, citing the initial report's number and date). Each filing is
//! a new version; earlier versions stay readable.

use irnet_domain::incident::ReportKind;
use irnet_store::incidents::parts::{self as store_parts, ReportRow};
use irnet_store::time::to_db;

use super::{IncidentView, clean, event, load, local, require, save, with_incident};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

/// What the owner writes when filing. The initial report takes its content from the incident
/// (complete it first); the closing report from these fields.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReportInput {
    /// initial, situation_update, response_plan, direction_request, support_request, closing
    pub kind: String,
    /// free text of an update, plan or request
    pub text: Option<String>,
    /// closing report: the result of the response
    pub result: Option<String>,
    pub cause: Option<String>,
    pub damage: Option<String>,
    pub lessons: Option<String>,
    pub proposals: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReportView {
    pub id: String,
    pub kind: String,
    pub version: i32,
    pub number: Option<String>,
    pub body: serde_json::Value,
    pub org_id: String,
    pub created_by: String,
    /// in the network's time zone
    pub created_at: String,
}

fn view(app: &App, r: ReportRow) -> ReportView {
    ReportView {
        body: serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null),
        created_at: local(app, r.created_at),
        id: r.id,
        kind: r.kind,
        version: r.version,
        number: r.number,
        org_id: r.org_id,
        created_by: r.created_by,
    }
}

/// Files a new version of a report.
pub async fn file(
    app: &App,
    actor: &Actor,
    id: &str,
    input: ReportInput,
) -> Result<IncidentView, AppError> {
    let kind = ReportKind::parse(&input.kind).map_err(|e| AppError::field("kind", &e))?;
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).manage)?;
        let Some(number) = l.row.number.clone() else {
            return Err(AppError::invalid("kind", "not_submitted"));
        };
        let initial = store_parts::first_report(conn, &l.row.id, ReportKind::Initial.as_str())?;
        let body = match kind {
            ReportKind::Initial => {
                let v = super::view(conn, app, actor, l)?;
                serde_json::json!({
                    "title": v.title, "summary": v.summary, "detected_at": v.detected_at,
                    "system_id": v.system_id, "system_name": v.system_name, "system_level": v.system_level,
                    "type_key": v.type_key, "severity": v.severity, "tlp": v.tlp,
                    "data_loss": v.data_loss, "fields": v.report,
                })
            }
            ReportKind::Closing => {
                let Some(initial) = &initial else {
                    return Err(AppError::invalid("kind", "initial_report_missing"));
                };
                serde_json::json!({
                    "initial_report_number": initial.number,
                    "initial_report_date": local(app, initial.created_at),
                    "result": clean(input.result.as_deref()),
                    "cause": clean(input.cause.as_deref()),
                    "damage": clean(input.damage.as_deref()),
                    "lessons": clean(input.lessons.as_deref()),
                    "proposals": clean(input.proposals.as_deref()),
                })
            }
            _ => {
                let Some(text) = clean(input.text.as_deref()) else {
                    return Err(AppError::invalid("text", "required"));
                };
                serde_json::json!({ "text": text })
            }
        };
        let previous = store_parts::latest_report(conn, &l.row.id, kind.as_str())?;
        let version = previous.map_or(1, |p| p.version + 1);
        let form = match kind {
            ReportKind::Initial => Some("BC03"),
            ReportKind::Closing => Some("BC04"),
            _ => None,
        };
        let now = to_db(app.now());
        let row = ReportRow {
            id: uuid::Uuid::now_v7().to_string(),
            incident_id: l.row.id.clone(),
            kind: kind.as_str().to_owned(),
            version,
            number: form.map(|f| format!("{number}/{f}")),
            body: body.to_string(),
            org_id: actor.principal.org_id.as_str().to_owned(),
            created_by: actor.principal.user_id.as_str().to_owned(),
            created_at: now,
        };
        store_parts::add_report(conn, &row)?;
        let r = &mut l.row;
        match kind {
            ReportKind::Initial if r.initial_report_at.is_none() => r.initial_report_at = Some(now),
            ReportKind::Closing => {
                r.closing_report_at = Some(now);
                if r.response_ended_at.is_none() {
                    r.response_ended_at = Some(now);
                }
            }
            _ => {}
        }
        save(conn, app, r)?;
        event(conn, app, actor, &r.id, "report_filed", None, serde_json::json!({
            "kind": kind.as_str(), "version": version, "number": row.number,
        }))?;
        audit::record(conn, app, actor, Change {
            action: "incident.report_filed",
            object_type: "incident",
            object_id: Some(&r.id),
            object_org_id: Some(&r.owner_org_id),
            summary: serde_json::json!({ "kind": kind.as_str(), "version": version }),
        })
    })
    .await
}

/// Every version of every report, oldest first.
pub async fn list(app: &App, actor: &Actor, id: &str) -> Result<Vec<ReportView>, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.to_owned());
    app.store
        .read(move |conn| {
            let l = load(conn, &actor2, &id)?;
            Ok(store_parts::reports(conn, &l.row.id)?
                .into_iter()
                .map(|r| view(&app2, r))
                .collect())
        })
        .await
}
