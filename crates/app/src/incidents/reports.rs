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
    /// Mẫu 03 and Mẫu 04: the office's document number, place, recipients and signer
    pub filing: crate::filing::FilingInput,
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

/// The form a report kind is filed on, and the code its number carries.
fn form_of(kind: ReportKind) -> Option<(&'static str, &'static str)> {
    match kind {
        ReportKind::Initial => Some(("mau_03", "BC03")),
        ReportKind::Closing => Some(("mau_04", "BC04")),
        _ => None,
    }
}

/// The number of a version: "BK-2024-0001/BC04" for the first, "BK-2024-0001/BC04-2" for the
/// second, so that no two filed documents share one.
fn numbered(incident_number: &str, code: &str, version: i32) -> String {
    if version <= 1 {
        format!("{incident_number}/{code}")
    } else {
        format!("{incident_number}/{code}-{version}")
    }
}

/// Files a new version of a report. Mẫu 03 and Mẫu 04 are rendered now and frozen
/// ([`crate::filing`]): their downloads return these bytes whatever changes later.
pub async fn file(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    input: ReportInput,
) -> Result<IncidentView, AppError> {
    let kind = ReportKind::parse(&input.kind).map_err(|e| AppError::field("kind", &e))?;
    let filing = crate::filing::validate(&input.filing, "filing")?;
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).manage)?;
        let org = actor.principal.org_id.as_str().to_owned();
        crate::directory::succession::ensure_open(conn, &org, app.today(), "org_id")?;
        let Some(number) = l.row.number.clone() else {
            return Err(AppError::invalid("kind", "not_submitted"));
        };
        let initial = store_parts::first_report(conn, &l.row.id, ReportKind::Initial.as_str())?;
        let body = match kind {
            ReportKind::Initial => initial_body(conn, app, actor, l)?,
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
        let now = to_db(app.now());
        let row = ReportRow {
            id: uuid::Uuid::now_v7().to_string(),
            incident_id: l.row.id.clone(),
            kind: kind.as_str().to_owned(),
            version,
            number: form_of(kind).map(|(_, code)| numbered(&number, code, version)),
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
        if let (Some((form, _)), Some(doc_number)) = (form_of(kind), row.number.clone()) {
            let (data, docx) = render(conn, app, l, &row, &filing, false)?;
            let l = &*l;
            crate::filing::freeze(
                conn,
                app,
                actor,
                crate::filing::Frozen {
                    kind: form,
                    subject_type: "incident",
                    subject_id: l.row.id.as_str(),
                    period: "",
                    report_id: Some(&row.id),
                    org_id: &l.row.owner_org_id,
                    number: doc_number,
                    version,
                    filing: &filing,
                    data,
                    docx,
                    xlsx: None,
                },
            )?;
        }
        let r = &l.row;
        event(
            conn,
            app,
            actor,
            &r.id,
            "report_filed",
            None,
            serde_json::json!({
                "kind": kind.as_str(), "version": version, "number": row.number,
            }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.report_filed",
                object_type: "incident",
                object_id: Some(r.id.as_str()),
                object_org_id: Some(&r.owner_org_id),
                summary: serde_json::json!({ "kind": kind.as_str(), "version": version }),
            },
        )
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

/// The initial report's content as filed: the incident and its completed report fields.
fn initial_body(
    conn: &mut irnet_store::DbConn,
    app: &App,
    actor: &Actor,
    l: &super::Loaded,
) -> Result<serde_json::Value, AppError> {
    let v = super::view(conn, app, actor, l)?;
    Ok(serde_json::json!({
        "title": v.title, "summary": v.summary, "detected_at": v.detected_at,
        "system_id": v.system_id, "system_name": v.system_name, "system_level": v.system_level,
        "type_key": v.type_key, "severity": v.severity, "tlp": v.tlp,
        "data_loss": v.data_loss, "fields": v.report,
    }))
}

/// A party of the form: what the reporter wrote, else the organisation the directory names
/// (with its name on the filing day).
fn party_or(
    written: &super::report::Contact,
    org: Option<&crate::directory::names::OrgName>,
) -> Option<crate::documents::initial_report::Party> {
    use crate::documents::initial_report::Party;
    match (&written.name, org) {
        (Some(name), _) => Some(Party {
            name: name.clone(),
            address: written.address.clone(),
            phone: written.phone.clone(),
            email: written.email.clone(),
        }),
        (None, Some(o)) => Some(Party {
            name: o.name_vi.clone(),
            address: written.address.clone(),
            phone: written.phone.clone(),
            email: written.email.clone(),
        }),
        (None, None) => None,
    }
}

/// Renders Mẫu 03 or Mẫu 04 for a report row (filed or a draft) from the row's body, the
/// filing's fields, the directory (names of the filing day) and the incident's files as of now,
/// and returns the data the document shows (as JSON) with its bytes.
fn render(
    conn: &mut irnet_store::DbConn,
    app: &App,
    l: &super::Loaded,
    r: &ReportRow,
    filing: &crate::filing::Filing,
    draft: bool,
) -> Result<(serde_json::Value, Vec<u8>), AppError> {
    use crate::directory::names;
    use crate::documents::{closing_report as cr, initial_report as ir};
    let body: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    let reported_at = local_naive(app, r.created_at);
    let day = reported_at.date();
    let today = app.today();
    let system = match &l.row.system_id {
        Some(s) => irnet_store::directory::systems::get(conn, s)?,
        None => None,
    };
    let mut org_ids = vec![l.row.owner_org_id.clone()];
    if let Some(s) = &system {
        org_ids.push(s.owner_org_id.clone());
        org_ids.extend(s.operator_org_id.clone());
    }
    let (helpers, _) = irnet_store::incidents::support::helpers(conn, &l.row.id)?;
    org_ids.extend(helpers.iter().cloned());
    let names = names::names_on(conn, &org_ids, day, today)?;
    let organisation = names
        .get(&l.row.owner_org_id)
        .map(|n| n.name_vi.clone())
        .unwrap_or_default();
    let attachments: Vec<String> = crate::attachments::of_records(
        conn,
        super::handling::ATTACHMENT_KIND,
        &[l.row.id.to_string()],
    )?
    .into_iter()
    .map(|a| a.filename)
    .collect();
    let signer = filing.signer();
    let (data, bytes) = match r.kind.as_str() {
        "initial" => {
            let f: InitialReportFields =
                serde_json::from_value(body.get("fields").cloned().unwrap_or_default())
                    .unwrap_or_default();
            let owner_org = system.as_ref().and_then(|s| names.get(&s.owner_org_id));
            let operator_org = system
                .as_ref()
                .and_then(|s| s.operator_org_id.as_ref())
                .and_then(|o| names.get(o))
                .or(owner_org);
            let doc = ir::InitialReport {
                number: filing.document_number.clone(),
                reference: r.number.clone(),
                place: filing.place.clone(),
                reported_at,
                recipients: filing.recipients.clone(),
                organisation,
                reporter: ir::Reporter {
                    name: f.reporter.name.clone().unwrap_or_default(),
                    title: f.reporter.title.clone(),
                    phone: f.reporter.phone.clone(),
                    email: f.reporter.email.clone(),
                },
                operator: party_or(&f.operator, operator_org),
                owner: party_or(&f.owner, owner_org),
                system: ir::AffectedSystem {
                    name: system.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
                    purpose: f
                        .system_purpose
                        .clone()
                        .or_else(|| system.as_ref().and_then(|s| s.purpose.clone())),
                    security_level: l.row.system_level.and_then(|v| u8::try_from(v).ok()),
                    os: f
                        .os
                        .clone()
                        .or_else(|| system.as_ref().and_then(|s| s.os.clone())),
                    os_version: system.as_ref().and_then(|s| s.os_version.clone()),
                    services: f.services.clone(),
                    security_measures: f.security_measures.clone(),
                    public_ips: f.public_ips.clone(),
                    domains: f.domains.clone(),
                },
                security_provider: f.security_provider.clone(),
                connectivity_provider: f.connectivity_provider.clone(),
                summary: text_of(&body, "summary").unwrap_or_else(|| l.row.title.clone()),
                detected_at: local_naive(app, l.row.detected_at),
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
                attachments,
                signer,
            };
            let bytes = if draft {
                ir::render_draft(&doc)?
            } else {
                ir::render(&doc)?
            };
            (
                serde_json::to_value(&doc).map_err(AppError::internal)?,
                bytes,
            )
        }
        "closing" => {
            let initial = store_parts::first_report(conn, &l.row.id, ReportKind::Initial.as_str())?;
            let helped_by = helpers
                .iter()
                .filter_map(|h| names.get(h).map(|n| n.name_vi.clone()))
                .collect();
            let doc = cr::ClosingReport {
                number: filing.document_number.clone(),
                reference: r.number.clone(),
                place: filing.place.clone(),
                reported_at,
                recipients: filing.recipients.clone(),
                organisation,
                initial_report: match initial {
                    Some(i) => {
                        let network = i.number.clone().unwrap_or_default();
                        let office =
                            irnet_store::filed_reports::of_report(conn, l.row.id.as_str(), &i.id)?
                                .and_then(|f| f.document_number);
                        Some(cr::Citation {
                            number: match office {
                                Some(o) => format!("{o} (mã hồ sơ {network})"),
                                None => network,
                            },
                            date: local_naive(app, i.created_at).date(),
                        })
                    }
                    None => None,
                },
                incident_title: l.row.title.clone(),
                system: system.map(|s| s.name),
                response_started: l.row.submitted_at.map(|t| local_naive(app, t)),
                response_ended: l.row.response_ended_at.map(|t| local_naive(app, t)),
                result: text_of(&body, "result"),
                cause: text_of(&body, "cause"),
                damage: text_of(&body, "damage"),
                lessons: text_of(&body, "lessons"),
                proposals: text_of(&body, "proposals"),
                helped_by,
                attachments,
                signer,
            };
            let bytes = if draft {
                cr::render_draft(&doc)?
            } else {
                cr::render(&doc)?
            };
            (
                serde_json::to_value(&doc).map_err(AppError::internal)?,
                bytes,
            )
        }
        _ => return Err(AppError::NotFound),
    };
    Ok((
        serde_json::json!({ "form": data, "body": body, "draft": draft }),
        bytes,
    ))
}

fn form_code(kind: &str) -> &'static str {
    if kind == "initial" || kind == "mau_03" {
        "03"
    } else {
        "04"
    }
}

fn download(form: &str, number: &str, bytes: Vec<u8>) -> crate::directory::profile::Download {
    crate::directory::profile::Download {
        bytes,
        ascii_name: format!("mau-{form}-{}.docx", crate::filing::ascii_name(number)),
        name: format!("Mẫu {form} - {number}.docx"),
    }
}

/// A filed initial (Mẫu 03) or closing (Mẫu 04) report as a DOCX: the bytes frozen when it was
/// filed (byte-identical, whatever changed since); the audience only. A report filed before
/// documents were frozen is rendered from what it stored. Other kinds have no official form.
pub async fn docx(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    report_id: &str,
) -> Result<crate::directory::profile::Download, AppError> {
    let incident_id = id.to_owned();
    let (app2, actor2, id, rid) = (
        app.clone(),
        actor.clone(),
        id.to_owned(),
        report_id.to_owned(),
    );
    let (kind, number, bytes, sha256): (String, String, Vec<u8>, Option<String>) = app
        .store
        .read(move |conn| {
            let l = load(conn, &actor2, &id)?;
            let r = store_parts::reports(conn, &l.row.id)?
                .into_iter()
                .find(|r| r.id == rid)
                .ok_or(AppError::NotFound)?;
            if let Some(f) = irnet_store::filed_reports::of_report(conn, l.row.id.as_str(), &r.id)?
            {
                return Ok::<_, AppError>((r.kind, f.number, f.docx, Some(f.sha256)));
            }
            let (_, bytes) = render(
                conn,
                &app2,
                &l,
                &r,
                &crate::filing::Filing::default(),
                false,
            )?;
            Ok((r.kind, r.number.unwrap_or_default(), bytes, None))
        })
        .await?;
    let form = form_code(&kind);
    crate::audit::exported(
        app,
        actor,
        &format!("docx_mau_{form}"),
        Some(("incident", incident_id.as_str())),
        serde_json::json!({ "report_id": report_id, "sha256": sha256 }),
    )
    .await?;
    Ok(download(form, &number, bytes))
}

/// What Mẫu 03 or Mẫu 04 would say if filed now, rendered live from today's data and marked
/// as a draft on its first line. `kind` is `initial` or `closing`.
pub async fn draft_docx(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    kind: &str,
    filing: &crate::filing::FilingInput,
) -> Result<crate::directory::profile::Download, AppError> {
    let kind = match kind {
        "initial" => ReportKind::Initial,
        "closing" => ReportKind::Closing,
        _ => return Err(AppError::invalid("kind", "invalid_option")),
    };
    let filing = crate::filing::validate(filing, "filing")?;
    let (app2, actor2, id2) = (app.clone(), actor.clone(), id.to_owned());
    let bytes: Vec<u8> = app
        .store
        .read(move |conn| {
            let l = load(conn, &actor2, &id2)?;
            let body = match kind {
                ReportKind::Initial => initial_body(conn, &app2, &actor2, &l)?,
                _ => serde_json::json!({}),
            };
            let row = ReportRow {
                id: String::new(),
                incident_id: l.row.id.clone(),
                kind: kind.as_str().to_owned(),
                version: 0,
                number: None,
                body: body.to_string(),
                org_id: l.row.owner_org_id.clone(),
                created_by: actor2.principal.user_id.as_str().to_owned(),
                created_at: to_db(app2.now()),
            };
            Ok::<_, AppError>(render(conn, &app2, &l, &row, &filing, true)?.1)
        })
        .await?;
    let form = form_code(kind.as_str());
    Ok(download(form, "du-thao", bytes))
}

/// Every document filed about an incident (each version of Mẫu 03 and Mẫu 04), oldest first.
pub async fn filed(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
) -> Result<Vec<crate::filing::FiledReportView>, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let l = load(conn, &actor2, &id)?;
            Ok(
                irnet_store::filed_reports::of_subject(conn, "incident", l.row.id.as_str())?
                    .into_iter()
                    .map(|r| crate::filing::view(&app2, r))
                    .collect(),
            )
        })
        .await
}

/// One filed document of an incident, exactly as filed.
pub async fn filed_docx(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    filed_id: &str,
) -> Result<crate::directory::profile::Download, AppError> {
    let (actor2, id2, fid) = (actor.clone(), id.clone(), filed_id.to_owned());
    let f = app
        .store
        .read(move |conn| {
            let l = load(conn, &actor2, &id2)?;
            irnet_store::filed_reports::get(conn, "incident", l.row.id.as_str(), &fid)?
                .ok_or(AppError::NotFound)
        })
        .await?;
    let form = form_code(&f.kind);
    crate::audit::exported(
        app,
        actor,
        &format!("docx_mau_{form}"),
        Some(("incident", id.as_str())),
        serde_json::json!({ "filed_report_id": f.id, "sha256": f.sha256 }),
    )
    .await?;
    Ok(download(form, &f.number, f.docx))
}
