//! Reports filed in an incident's life: the initial report (Mẫu 03, a frozen copy of the
//! completed notice), situation updates, the response plan, requests for direction or support,
//! and the closing report (Mẫu 04, citing the initial report's number and date). Each filing is
//! a new version; earlier versions stay readable.

use irnet_domain::ids::IncidentId;
use irnet_domain::incident::ReportKind;
use irnet_store::incidents::parts::{self as store_parts, ReportRow};
use irnet_store::time::to_db;

use super::InitialReportFields;
use super::{IncidentView, clean, event, load, require, save, with_incident};
use crate::audit::{self, Change};
use crate::documents::Check;
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
        created_at: app.local(r.created_at),
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
    id: &IncidentId,
    input: ReportInput,
) -> Result<IncidentView, AppError> {
    let kind = ReportKind::parse(&input.kind).map_err(|e| AppError::field("kind", &e))?;
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).manage)?;
        let org = actor.principal.org_id.as_str().to_owned();
        crate::directory::succession::ensure_open(conn, &org, app.today(), "org_id")?;
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
                    "initial_report_date": app.local(initial.created_at),
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
            object_id: Some(r.id.as_str()),
            object_org_id: Some(&r.owner_org_id),
            summary: serde_json::json!({ "kind": kind.as_str(), "version": version }),
        })
    })
    .await
}

/// Every version of every report, oldest first.
pub async fn list(app: &App, actor: &Actor, id: &IncidentId) -> Result<Vec<ReportView>, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
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

/// The Vietnamese labels of the report's checklist keys, as the form prints them.
fn checks(keys: &[&str], chosen: &[String], label: fn(&str) -> &'static str) -> Vec<Check> {
    keys.iter()
        .map(|k| Check::new(label(k), chosen.iter().any(|c| c == k)))
        .collect()
}

fn status_label(k: &str) -> &'static str {
    match k {
        "ongoing" => "Đang xử lý",
        "contained" => "Đã ngăn chặn",
        "recovered" => "Đã được xử lý",
        _ => "Chưa xác định",
    }
}

fn detection_label(k: &str) -> &'static str {
    match k {
        "monitoring" => "Qua hệ thống giám sát",
        "user_report" => "Qua phản ánh của người sử dụng",
        "third_party" => "Qua thông báo, cảnh báo của tổ chức, cá nhân khác",
        "coordinator_alert" => "Qua cảnh báo của cơ quan điều phối",
        _ => "Khác",
    }
}

fn notified_label(k: &str) -> &'static str {
    match k {
        "owner" => "Cơ quan chủ quản",
        "coordinator" => "Cơ quan điều phối quốc gia",
        "department_in_charge" => "Đơn vị chuyên trách về an toàn thông tin",
        "police" => "Cơ quan công an",
        "isp" => "Doanh nghiệp cung cấp dịch vụ",
        _ => "Khác",
    }
}

fn local_naive(app: &App, t: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    irnet_store::time::from_db(t)
        .with_timezone(&app.settings.local_offset)
        .naive_local()
}

fn text_of(v: &serde_json::Value, key: &str) -> Option<String> {
    v.get(key).and_then(|x| x.as_str()).map(str::to_owned)
}

/// A filed initial (Mẫu 03) or closing (Mẫu 04) report as a DOCX in the official layout, in
/// Vietnamese; the audience only. Other kinds have no official form.
pub async fn docx(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    report_id: &str,
) -> Result<crate::directory::profile::Download, AppError> {
    use crate::documents::{closing_report as cr, initial_report as ir};
    let incident_id = id.to_owned();
    let (app2, actor2, id, rid) = (
        app.clone(),
        actor.clone(),
        id.to_owned(),
        report_id.to_owned(),
    );
    let (kind, number, doc): (String, String, Result<Vec<u8>, AppError>) = app
        .store
        .read(move |conn| {
            let l = load(conn, &actor2, &id)?;
            let r = store_parts::reports(conn, &l.row.id)?
                .into_iter()
                .find(|r| r.id == rid)
                .ok_or(AppError::NotFound)?;
            let body: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
            let organisation = irnet_store::directory::orgs::get(conn, &l.row.owner_org_id)?
                .map(|o| o.name_vi)
                .unwrap_or_default();
            let number = r.number.clone().unwrap_or_default();
            let reported_at = local_naive(&app2, r.created_at);
            let system = match &l.row.system_id {
                Some(s) => irnet_store::directory::systems::get(conn, s)?,
                None => None,
            };
            let doc = match r.kind.as_str() {
                "initial" => {
                    let f: InitialReportFields =
                        serde_json::from_value(body.get("fields").cloned().unwrap_or_default())
                            .unwrap_or_default();
                    let party = |c: &super::report::Contact| {
                        c.name.clone().map(|name| ir::Party {
                            name,
                            address: c.address.clone(),
                            phone: c.phone.clone(),
                            email: c.email.clone(),
                        })
                    };
                    ir::render(&ir::InitialReport {
                        number: r.number.clone(),
                        place: None,
                        reported_at,
                        recipients: vec![],
                        organisation,
                        reporter: ir::Reporter {
                            name: f.reporter.name.clone().unwrap_or_default(),
                            title: f.reporter.title.clone(),
                            phone: f.reporter.phone.clone(),
                            email: f.reporter.email.clone(),
                        },
                        operator: party(&f.operator),
                        owner: party(&f.owner),
                        system: ir::AffectedSystem {
                            name: system.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
                            purpose: f
                                .system_purpose
                                .clone()
                                .or_else(|| system.as_ref().and_then(|s| s.purpose.clone())),
                            security_level: l.row.system_level.and_then(|v| u8::try_from(v).ok()),
                            os: f.os.clone(),
                            os_version: None,
                            services: f.services.clone(),
                            security_measures: f.security_measures.clone(),
                            public_ips: f.public_ips.clone(),
                            domains: f.domains.clone(),
                        },
                        security_provider: f.security_provider.clone(),
                        connectivity_provider: f.connectivity_provider.clone(),
                        summary: text_of(&body, "summary").unwrap_or_else(|| l.row.title.clone()),
                        detected_at: local_naive(&app2, l.row.detected_at),
                        status: checks(
                            &super::report::STATUS_OPTIONS,
                            &f.status_checklist,
                            status_label,
                        ),
                        detection: checks(
                            &super::report::DETECTION_OPTIONS,
                            &f.detection_methods,
                            detection_label,
                        ),
                        notified: checks(
                            &super::report::NOTIFIED_OPTIONS,
                            &f.notified,
                            notified_label,
                        ),
                        confidential: f.confidential,
                        support_requested: f.support_requested.clone(),
                        actions: f.actions_taken.clone(),
                        assisting_organisations: f.assisting_orgs.clone(),
                        initial_result: f.initial_result.clone(),
                        attachments: crate::attachments::of_records(
                            conn,
                            super::handling::ATTACHMENT_KIND,
                            &[l.row.id.to_string()],
                        )?
                        .into_iter()
                        .map(|a| a.filename)
                        .collect(),
                        signer: None,
                    })
                }
                "closing" => {
                    let initial =
                        store_parts::first_report(conn, &l.row.id, ReportKind::Initial.as_str())?;
                    let (helpers, _) = irnet_store::incidents::support::helpers(conn, &l.row.id)?;
                    let helped_by = irnet_store::directory::orgs::get_many(conn, &helpers)?
                        .into_iter()
                        .map(|o| o.name_vi)
                        .collect();
                    cr::render(&cr::ClosingReport {
                        number: r.number.clone(),
                        place: None,
                        reported_at,
                        recipients: vec![],
                        organisation,
                        initial_report: initial.map(|i| cr::Citation {
                            number: i.number.unwrap_or_default(),
                            date: local_naive(&app2, i.created_at).date(),
                        }),
                        incident_title: l.row.title.clone(),
                        system: system.map(|s| s.name),
                        response_started: l.row.submitted_at.map(|t| local_naive(&app2, t)),
                        response_ended: l.row.response_ended_at.map(|t| local_naive(&app2, t)),
                        result: text_of(&body, "result"),
                        cause: text_of(&body, "cause"),
                        damage: text_of(&body, "damage"),
                        lessons: text_of(&body, "lessons"),
                        proposals: text_of(&body, "proposals"),
                        helped_by,
                        attachments: vec![],
                        signer: None,
                    })
                }
                _ => return Err(AppError::NotFound),
            };
            Ok((r.kind, number, doc))
        })
        .await?;
    let bytes = doc?;
    let form = if kind == "initial" { "03" } else { "04" };
    crate::audit::exported(
        app,
        actor,
        &format!("docx_mau_{form}"),
        Some(("incident", incident_id.as_str())),
        serde_json::json!({ "report_id": report_id }),
    )
    .await?;
    let ascii: String = number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Ok(crate::directory::profile::Download {
        bytes,
        ascii_name: format!("mau-{form}-{ascii}.docx"),
        name: format!("Mẫu {form} - {number}.docx"),
    })
}
