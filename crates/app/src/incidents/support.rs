//! Support between members, and the coordinator's instructions. A request reaches the
//! organisations asked (cluster peers of the day, the coordinator, named members) with only what
//! the requester wrote in it; the incident itself opens to an organisation only when the
//! requester accepts its offer, and closes again when that is revoked.

use chrono::NaiveDate;
use irnet_domain::ids::IncidentId;
use irnet_store::DbConn;
use irnet_store::directory::{clusters, orgs};
use irnet_store::incidents::support::{
    self as store, InstructionRow, RecipientRow, RequestRow, TargetRow,
};
use irnet_store::incidents::{self as incidents_store};
use irnet_store::time::to_db;

use super::{IncidentView, clean, coordinator_org, event, require, with_incident};
use crate::audit::{self, Change};
use crate::directory::names::{self, OrgName};
use crate::error::Problems;
use crate::{Actor, App, AppError};

pub(crate) fn is_accepted_supporter(
    conn: &mut DbConn,
    incident_id: &IncidentId,
    org: &str,
) -> Result<bool, AppError> {
    Ok(store::requests_of_incident(conn, incident_id)?
        .iter()
        .map(|r| store::recipient(conn, &r.id, org))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .any(|r| r.accepted_at.is_some() && r.revoked_at.is_none()))
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct SupportRequestInput {
    /// skill keys of the capability taxonomy (`GET /api/v1/skills`)
    #[serde(default)]
    pub skills: Vec<String>,
    /// e.g. "2 people for 3 days"
    pub effort: Option<String>,
    pub deadline: Option<NaiveDate>,
    /// what the recipients read: the incident itself stays closed to them until accepted
    pub message: String,
    /// ask every other member of the requester's clusters (as of today)
    #[serde(default)]
    pub cluster_peers: bool,
    #[serde(default)]
    pub coordinator: bool,
    /// named members
    #[serde(default)]
    pub orgs: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RecipientView {
    pub org_id: String,
    /// its name on the day support was asked (`org.name_vi`)
    pub org_name: String,
    /// the organisation by its name on the day support was asked, with today's where it differs
    pub org: OrgName,
    /// pending, offered, declined
    pub response: String,
    pub note: Option<String>,
    pub accepted: bool,
    pub revoked: bool,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SupportRequestView {
    pub id: String,
    pub requester_org_id: String,
    /// its name on the day support was asked (`requester.name_vi`)
    pub requester_name: String,
    /// the requester by its name on the day support was asked, with today's where it differs
    pub requester: OrgName,
    pub skills: Vec<String>,
    pub effort: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub message: String,
    pub to_coordinator: bool,
    pub created_at: String,
    /// every recipient's answer for the requester; only the reader's own otherwise
    pub recipients: Vec<RecipientView>,
    /// set for the requester and accepted supporters only
    pub incident_id: Option<String>,
}

fn request_view(
    conn: &mut DbConn,
    app: &App,
    r: RequestRow,
    recipients: Vec<RecipientRow>,
    show_incident: bool,
) -> Result<SupportRequestView, AppError> {
    // A request names the organisations as they were called on the day it was made: it asked
    // those of that day (the incident's detection day may be long before, under other names).
    let day = names::day_of(app, r.created_at);
    let mut ids: Vec<String> = recipients.iter().map(|x| x.org_id.clone()).collect();
    ids.push(r.requester_org_id.clone());
    let found = names::names_on(conn, &ids, day, app.today())?;
    let name = |id: &str| found.get(id).cloned().unwrap_or_else(|| names::unknown(id));
    let mut rv = Vec::new();
    for x in recipients {
        let org = name(&x.org_id);
        rv.push(RecipientView {
            org_name: org.name_vi.clone(),
            org,
            org_id: x.org_id,
            response: x.response,
            note: x.note,
            accepted: x.accepted_at.is_some(),
            revoked: x.revoked_at.is_some(),
        });
    }
    let requester = name(&r.requester_org_id);
    Ok(SupportRequestView {
        requester_name: requester.name_vi.clone(),
        requester,
        skills: serde_json::from_str(&r.skills).unwrap_or_default(),
        created_at: app.local(r.created_at),
        incident_id: show_incident.then(|| r.incident_id.to_string()),
        id: r.id,
        requester_org_id: r.requester_org_id,
        effort: r.effort,
        deadline: r.deadline,
        message: r.message,
        to_coordinator: r.to_coordinator,
        recipients: rv,
    })
}

/// The owner asks for support.
pub async fn request(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    input: SupportRequestInput,
) -> Result<IncidentView, AppError> {
    let mut p = Problems::default();
    for (i, s) in input.skills.iter().enumerate() {
        if !irnet_domain::profile::SKILLS.iter().any(|k| k.code == s) {
            p.add(&format!("skills[{i}]"), "unknown_skill");
        }
    }
    let message = clean(Some(&input.message)).unwrap_or_default();
    p.text("message", &message, true, 5000);
    if !input.cluster_peers && !input.coordinator && input.orgs.is_empty() {
        p.add("orgs", "no_recipients");
    }
    p.into_result()?;
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).manage)?;
        if l.row.number.is_none() {
            return Err(AppError::Conflict {
                code: "not_submitted",
                field: None,
            });
        }
        let owner = l.row.owner_org_id.clone();
        let mut to: Vec<String> = Vec::new();
        for (i, o) in input.orgs.iter().enumerate() {
            orgs::get(conn, o)?
                .ok_or_else(|| AppError::invalid(&format!("orgs[{i}]"), "unknown_org"))?;
            to.push(o.clone());
        }
        let coordinator = coordinator_org(conn, app)?;
        if input.coordinator {
            to.push(coordinator.clone().ok_or(AppError::Conflict {
                code: "no_coordinator",
                field: None,
            })?);
        }
        if input.cluster_peers {
            let today = app.today();
            for c in clusters::clusters_of_org(conn, &owner, today)? {
                for m in clusters::memberships_on(conn, &c, today)? {
                    to.push(m.org_id);
                }
            }
        }
        to.retain(|o| *o != owner);
        to.sort_unstable();
        to.dedup();
        if to.is_empty() {
            return Err(AppError::invalid("orgs", "no_recipients"));
        }
        let now = to_db(app.now());
        let row = RequestRow {
            id: uuid::Uuid::now_v7().to_string(),
            incident_id: l.row.id.clone(),
            requester_org_id: owner.clone(),
            skills: serde_json::to_string(&input.skills).unwrap_or_else(|_| "[]".into()),
            effort: clean(input.effort.as_deref()),
            deadline: input.deadline,
            message: message.clone(),
            to_coordinator: coordinator.as_ref().is_some_and(|c| to.contains(c)),
            created_by: actor.principal.user_id.as_str().to_owned(),
            created_at: now,
            closed_at: None,
        };
        let recipients: Vec<RecipientRow> = to
            .iter()
            .map(|o| RecipientRow {
                request_id: row.id.clone(),
                org_id: o.clone(),
                response: "pending".into(),
                note: None,
                responded_by: None,
                responded_at: None,
                accepted_at: None,
                revoked_at: None,
            })
            .collect();
        store::insert_request(conn, &row, &recipients)?;
        for o in &to {
            let people = super::tell::people_of(conn, app, o)?;
            super::tell::tell(
                conn,
                app,
                &l.row,
                "incident.support_requested",
                "support-requested",
                &[("message", message.clone())],
                people,
            )?;
        }
        super::deadlines::refresh_serious(conn, app, &mut l.row)?;
        super::save(conn, app, &mut l.row)?;
        event(
            conn,
            app,
            actor,
            &l.row.id,
            "support_requested",
            Some(message),
            serde_json::json!({
                "request_id": row.id, "to": to, "skills": input.skills,
            }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.support_requested",
                object_type: "incident",
                object_id: Some(l.row.id.as_str()),
                object_org_id: Some(&owner),
                summary: serde_json::json!({ "request_id": row.id, "to": to }),
            },
        )
    })
    .await
}

/// The requests of an incident, with every answer (the audience only).
pub async fn of_incident(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
) -> Result<Vec<SupportRequestView>, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let l = super::load(conn, &actor2, &id)?;
            let mut out = Vec::new();
            for r in store::requests_of_incident(conn, &l.row.id)? {
                let rec = store::recipients(conn, &r.id)?;
                out.push(request_view(conn, &app2, r, rec, true)?);
            }
            Ok(out)
        })
        .await
}

/// Requests addressed to the reader's organisation, with its own answer only.
pub async fn inbox(app: &App, actor: &Actor) -> Result<Vec<SupportRequestView>, AppError> {
    let (app2, org) = (app.clone(), actor.principal.org_id.as_str().to_owned());
    app.store
        .read(move |conn| {
            let mut out = Vec::new();
            for (r, mine) in store::inbox(conn, &org)? {
                let open = mine.accepted_at.is_some() && mine.revoked_at.is_none();
                out.push(request_view(conn, &app2, r, vec![mine], open)?);
            }
            Ok(out)
        })
        .await
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct SupportAnswer {
    /// true: offer help; false: decline
    pub offer: bool,
    pub note: Option<String>,
}

/// A recipient offers or declines. Anyone else: not found.
pub async fn answer(
    app: &App,
    actor: &Actor,
    request_id: &str,
    a: SupportAnswer,
) -> Result<SupportRequestView, AppError> {
    let (app2, actor2, rid) = (app.clone(), actor.clone(), request_id.to_owned());
    app.store
        .write(move |conn| {
            let p = &actor2.principal;
            let org = p.org_id.as_str().to_owned();
            let req = store::request(conn, &rid)?.ok_or(AppError::NotFound)?;
            let mine = store::recipient(conn, &rid, &org)?.ok_or(AppError::NotFound)?;
            if !p.may_write() {
                return Err(AppError::ReadOnly);
            }
            require(p.may_act_for(&p.org_id))?;
            if mine.accepted_at.is_some() || req.closed_at.is_some() {
                return Err(AppError::Conflict {
                    code: "support_already_settled",
                    field: None,
                });
            }
            let response = if a.offer { "offered" } else { "declined" };
            store::respond(
                conn,
                &rid,
                &org,
                response,
                clean(a.note.as_deref()),
                p.user_id.as_str(),
                to_db(app2.now()),
            )?;
            incidents_store::parts::add_event(
                conn,
                &irnet_store::incidents::parts::EventRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    incident_id: req.incident_id.clone(),
                    at: to_db(app2.now()),
                    actor_id: Some(p.user_id.as_str().to_owned()),
                    actor_org_id: Some(org.clone()),
                    kind: format!("support_{response}"),
                    body: clean(a.note.as_deref()),
                    data: serde_json::json!({ "request_id": rid }).to_string(),
                },
            )?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "incident.support_answered",
                    object_type: "support_request",
                    object_id: Some(&rid),
                    object_org_id: Some(&req.requester_org_id),
                    summary: serde_json::json!({ "response": response }),
                },
            )?;
            if let Some(incident) = incidents_store::get(conn, &req.incident_id)? {
                // The answer is given today: its organisation is named as it is today.
                let today = app2.today();
                let by = names::name_on(conn, &org, today, today)?.name_vi;
                let people = super::tell::people_of(conn, &app2, &req.requester_org_id)?;
                super::tell::tell(
                    conn,
                    &app2,
                    &incident,
                    &format!("incident.support_{response}"),
                    &format!("support-{response}"),
                    &[("by", by)],
                    people,
                )?;
            }
            let mine = store::recipient(conn, &rid, &org)?.ok_or(AppError::NotFound)?;
            request_view(conn, &app2, req, vec![mine], false)
        })
        .await
}

/// The requester accepts an offer (the supporter joins the audience) or revokes an accepted one
/// (it leaves it). Both are on the timeline and in the audit trail.
pub async fn decide(
    app: &App,
    actor: &Actor,
    request_id: &str,
    org_id: &str,
    accept: bool,
) -> Result<IncidentView, AppError> {
    let (rid, org) = (request_id.to_owned(), org_id.to_owned());
    let incident_id = {
        let rid = rid.clone();
        app.store
            .read(move |conn| {
                Ok::<_, AppError>(
                    store::request(conn, &rid)?
                        .ok_or(AppError::NotFound)?
                        .incident_id,
                )
            })
            .await?
    };
    with_incident(app, actor, &incident_id, move |conn, app, actor, l| {
        require(l.abilities(actor).manage)?;
        let rec = store::recipient(conn, &rid, &org)?
            .ok_or_else(|| AppError::invalid("org_id", "not_a_recipient"))?;
        let now = to_db(app.now());
        if accept {
            if rec.response != "offered" {
                return Err(AppError::invalid("org_id", "no_offer"));
            }
            if rec.accepted_at.is_none() || rec.revoked_at.is_some() {
                store::set_accepted(conn, &rid, &org, Some(now), None)?;
                if !l.shared_orgs.contains(&org) {
                    incidents_store::share_with(conn, &l.row.id, Some(&org), None, now)?;
                }
            }
        } else {
            if rec.accepted_at.is_none() {
                return Err(AppError::invalid("org_id", "not_accepted"));
            }
            store::set_accepted(conn, &rid, &org, rec.accepted_at, Some(now))?;
            // Escalation names the coordinator's people, not its organisation: a revoked
            // supporter leaves the audience whoever it is.
            incidents_store::unshare_org(conn, &l.row.id, &org)?;
        }
        if accept {
            let people = super::tell::people_of(conn, app, &org)?;
            super::tell::tell(
                conn,
                app,
                &l.row,
                "incident.support_accepted",
                "support-accepted",
                &[],
                people,
            )?;
        }
        let what = if accept {
            "support_accepted"
        } else {
            "support_revoked"
        };
        event(
            conn,
            app,
            actor,
            &l.row.id,
            what,
            None,
            serde_json::json!({ "request_id": rid, "org_id": org }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: &format!("incident.{what}"),
                object_type: "incident",
                object_id: Some(l.row.id.as_str()),
                object_org_id: Some(&l.row.owner_org_id),
                summary: serde_json::json!({ "request_id": rid, "org_id": org }),
            },
        )
    })
    .await
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct InstructionInput {
    pub text: String,
    /// RFC 3339 or local "YYYY-MM-DDTHH:MM"
    pub due_at: Option<String>,
    pub orgs: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct InstructionView {
    pub id: String,
    /// null in a member's inbox when it is not in the incident's audience: an instruction
    /// opens no incident
    pub incident_id: Option<String>,
    pub text: String,
    pub due_at: Option<String>,
    pub created_at: String,
    pub targets: Vec<TargetView>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TargetView {
    pub org_id: String,
    pub acknowledged_at: Option<String>,
    pub report: Option<String>,
    pub reported_at: Option<String>,
}

fn instruction_view(app: &App, r: InstructionRow, t: Vec<TargetRow>) -> InstructionView {
    InstructionView {
        due_at: r.due_at.map(|d| app.local(d)),
        created_at: app.local(r.created_at),
        id: r.id,
        incident_id: Some(r.incident_id.to_string()),
        text: r.body,
        targets: t
            .into_iter()
            .map(|t| TargetView {
                acknowledged_at: t.acknowledged_at.map(|d| app.local(d)),
                reported_at: t.reported_at.map(|d| app.local(d)),
                org_id: t.org_id,
                report: t.report,
            })
            .collect(),
    }
}

/// The coordinator instructs named members; each acknowledges and reports back.
pub async fn instruct(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    input: InstructionInput,
) -> Result<IncidentView, AppError> {
    let mut p = Problems::default();
    let text = clean(Some(&input.text)).unwrap_or_default();
    if text.is_empty() {
        p.add("text", "invalid_length");
    }
    let due_at = match input.due_at.as_deref() {
        None | Some("") => None,
        Some(s) => match super::parse_local_time(s, app.settings.local_offset) {
            Some(t) => Some(t),
            None => {
                p.add("due_at", "invalid_datetime");
                None
            }
        },
    };
    if input.orgs.is_empty() {
        p.add("orgs", "no_recipients");
    }
    p.into_result()?;
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).coordinate)?;
        for (i, o) in input.orgs.iter().enumerate() {
            orgs::get(conn, o)?
                .ok_or_else(|| AppError::invalid(&format!("orgs[{i}]"), "unknown_org"))?;
        }
        let now = to_db(app.now());
        let row = InstructionRow {
            id: uuid::Uuid::now_v7().to_string(),
            incident_id: l.row.id.clone(),
            body: text.clone(),
            due_at: due_at.map(to_db),
            org_id: actor.principal.org_id.as_str().to_owned(),
            created_by: actor.principal.user_id.as_str().to_owned(),
            created_at: now,
        };
        let mut targets = input.orgs.clone();
        targets.sort_unstable();
        targets.dedup();
        let rows: Vec<TargetRow> = targets
            .iter()
            .map(|o| TargetRow {
                instruction_id: row.id.clone(),
                org_id: o.clone(),
                acknowledged_at: None,
                acknowledged_by: None,
                report: None,
                reported_at: None,
            })
            .collect();
        store::insert_instruction(conn, &row, &rows)?;
        for o in &targets {
            let people = super::tell::people_of(conn, app, o)?;
            super::tell::tell(
                conn,
                app,
                &l.row,
                "incident.instructed",
                "incident-instructed",
                &[("text", text.clone())],
                people,
            )?;
        }
        event(
            conn,
            app,
            actor,
            &l.row.id,
            "instruction",
            Some(text),
            serde_json::json!({ "instruction_id": row.id, "orgs": targets }),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.instructed",
                object_type: "incident",
                object_id: Some(l.row.id.as_str()),
                object_org_id: Some(&l.row.owner_org_id),
                summary: serde_json::json!({ "instruction_id": row.id, "orgs": targets }),
            },
        )
    })
    .await
}

pub async fn instructions(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
) -> Result<Vec<InstructionView>, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let l = super::load(conn, &actor2, &id)?;
            Ok(store::instructions(conn, &l.row.id)?
                .into_iter()
                .map(|(r, t)| instruction_view(&app2, r, t))
                .collect())
        })
        .await
}

/// The instructions addressed to the reader's organisation, newest first, each with its own
/// answer only. The incident is named only to those who may read it.
pub async fn instruction_inbox(app: &App, actor: &Actor) -> Result<Vec<InstructionView>, AppError> {
    let (app2, actor2) = (app.clone(), actor.clone());
    let org = actor.principal.org_id.as_str().to_owned();
    app.store
        .read(move |conn| {
            let mut out = Vec::new();
            for (r, mine) in store::instructions_of_org(conn, &org)? {
                let readable = super::load(conn, &actor2, &r.incident_id).is_ok();
                let mut v = instruction_view(&app2, r, vec![mine]);
                if !readable {
                    v.incident_id = None;
                }
                out.push(v);
            }
            Ok(out)
        })
        .await
}

/// A named member acknowledges an instruction and, with `report`, says what it did.
pub async fn answer_instruction(
    app: &App,
    actor: &Actor,
    instruction_id: &str,
    report: Option<String>,
) -> Result<(), AppError> {
    let (app2, actor2, iid) = (app.clone(), actor.clone(), instruction_id.to_owned());
    app.store
        .write(move |conn| {
            let p = &actor2.principal;
            let org = p.org_id.as_str().to_owned();
            store::target(conn, &iid, &org)?.ok_or(AppError::NotFound)?;
            if !p.may_write() {
                return Err(AppError::ReadOnly);
            }
            require(p.may_act_for(&p.org_id))?;
            store::answer_instruction(
                conn,
                &iid,
                &org,
                p.user_id.as_str(),
                clean(report.as_deref()),
                to_db(app2.now()),
            )?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "incident.instruction_answered",
                    object_type: "instruction",
                    object_id: Some(&iid),
                    object_org_id: Some(&org),
                    summary: serde_json::json!({ "reported": report.is_some() }),
                },
            )
        })
        .await
}
