//! A member's incident response team (established by a decision; its members and their roles) and
//! its capabilities and skills, which support requests will match on. Both are the member's
//! private part (`Principal::may_read_org_private`; 404 to anyone else), edited by its org admins
//! and the coordinator, each edit replacing the section whole, audited in the same transaction.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use irnet_domain::profile::{self, SkillLevel, TeamRole};
use irnet_domain::text;
use irnet_store::DbConn;
use irnet_store::directory::people as people_store;
use irnet_store::directory::profile::{self as store, CapabilityRow, TeamMemberRow, TeamRow};
use irnet_store::time::{from_db, to_db};

use super::people::{PersonView, editable, readable, view as person_view};
use crate::audit::{self, Change};
use crate::error::Problems;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TeamMemberView {
    /// leader, deputy, member or expert
    pub role: String,
    pub person: PersonView,
}

#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct TeamView {
    /// the establishing decision's number as written, e.g. `125/QĐ-SKHCN`
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub decision_issuer: Option<String>,
    pub members: Vec<TeamMemberView>,
    /// absent while the member has recorded no team
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CapabilityView {
    /// a code of the skills taxonomy (`GET /api/v1/skills`)
    pub skill: String,
    pub label_vi: String,
    pub label_en: String,
    /// basic, intermediate or advanced
    pub level: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct TeamInput {
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub decision_issuer: Option<String>,
    /// (person id, role), in the order to list them
    pub members: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct CapabilityInput {
    pub skill: String,
    pub level: String,
    pub note: Option<String>,
}

fn clean_opt(s: Option<&str>, p: &mut Problems, field: &str, max: usize) -> Option<String> {
    let v = s.map(|v| text::nfc(v.trim())).filter(|v| !v.is_empty());
    if v.as_ref().is_some_and(|v| v.chars().count() > max) {
        p.add(field, "invalid_length");
    }
    v
}

pub(crate) fn team_view(conn: &mut DbConn, org_id: &str) -> Result<TeamView, AppError> {
    let Some(team) = store::team(conn, org_id)? else {
        return Ok(TeamView::default());
    };
    let mut members = Vec::new();
    for m in store::team_members(conn, org_id)? {
        if let Some(p) = people_store::get(conn, &m.person_id)? {
            members.push(TeamMemberView {
                role: m.role,
                person: person_view(p),
            });
        }
    }
    Ok(TeamView {
        decision_number: team.decision_number,
        decision_date: team.decision_date,
        decision_issuer: team.decision_issuer,
        members,
        updated_at: Some(from_db(team.updated_at)),
    })
}

/// Capabilities in the taxonomy's order (the order the form lists them in).
pub(crate) fn capability_views(
    conn: &mut DbConn,
    org_id: &str,
) -> Result<Vec<CapabilityView>, AppError> {
    let rows = store::capabilities(conn, org_id)?;
    Ok(profile::SKILLS
        .iter()
        .filter_map(|s| {
            rows.iter()
                .find(|r| r.skill == s.code)
                .map(|r| CapabilityView {
                    skill: s.code.to_owned(),
                    label_vi: s.label_vi.to_owned(),
                    label_en: s.label_en.to_owned(),
                    level: r.level.clone(),
                    note: r.note.clone(),
                })
        })
        .collect())
}

pub async fn get_team(app: &App, actor: &Actor, org_id: &str) -> Result<TeamView, AppError> {
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .read(move |conn| {
            readable(conn, &app2, &actor2, &org_id)?;
            team_view(conn, &org_id)
        })
        .await
}

/// Records the team: its decision and all its members (replacing what was recorded).
pub async fn set_team(
    app: &App,
    actor: &Actor,
    org_id: &str,
    input: TeamInput,
) -> Result<TeamView, AppError> {
    let today = app.today();
    let mut p = Problems::default();
    let decision_number = clean_opt(
        input.decision_number.as_deref(),
        &mut p,
        "decision_number",
        100,
    );
    let decision_issuer = clean_opt(
        input.decision_issuer.as_deref(),
        &mut p,
        "decision_issuer",
        300,
    );
    if input.decision_date.is_some_and(|d| d > today) {
        p.add("decision_date", "date_in_future");
    }
    let mut members = Vec::new();
    let mut seen = HashSet::new();
    for (i, (person_id, role)) in input.members.iter().enumerate() {
        let role = p.check(&format!("members[{i}].role"), TeamRole::parse(role));
        let person_id = person_id.trim().to_owned();
        if !seen.insert(person_id.clone()) {
            p.add(&format!("members[{i}].person_id"), "duplicate_person");
        }
        members.push((i, person_id, role));
    }
    if members.len() > 200 {
        p.add("members", "too_many");
    }
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .write(move |conn| {
            editable(conn, &app2, &actor2, &org_id)?;
            for (i, person_id, _) in &members {
                let ours = people_store::get(conn, person_id)?.is_some_and(|x| x.org_id == org_id);
                if !ours {
                    p.add(&format!("members[{i}].person_id"), "unknown_person");
                }
            }
            p.into_result()?;
            let now = to_db(app2.now());
            let rows: Vec<TeamMemberRow> = members
                .iter()
                .filter_map(|(i, person_id, role)| {
                    role.map(|r| TeamMemberRow {
                        id: uuid::Uuid::now_v7().to_string(),
                        org_id: org_id.clone(),
                        person_id: person_id.clone(),
                        role: r.as_str().to_owned(),
                        position: i32::try_from(*i).unwrap_or(i32::MAX),
                    })
                })
                .collect();
            store::replace_team(
                conn,
                &TeamRow {
                    org_id: org_id.clone(),
                    decision_number: decision_number.clone(),
                    decision_date: input.decision_date,
                    decision_issuer: decision_issuer.clone(),
                    updated_at: now,
                },
                &rows,
            )?;
            store::touch(conn, &org_id, now, None)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "response_team.set",
                    object_type: "organisation",
                    object_id: Some(&org_id),
                    object_org_id: Some(&org_id),
                    summary: serde_json::json!({
                        "decision_number": decision_number,
                        "decision_date": input.decision_date,
                        "members": rows.iter().map(|r| serde_json::json!({"person": r.person_id, "role": r.role})).collect::<Vec<_>>(),
                    }),
                },
            )?;
            team_view(conn, &org_id)
        })
        .await
}

pub async fn get_capabilities(
    app: &App,
    actor: &Actor,
    org_id: &str,
) -> Result<Vec<CapabilityView>, AppError> {
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .read(move |conn| {
            readable(conn, &app2, &actor2, &org_id)?;
            capability_views(conn, &org_id)
        })
        .await
}

/// Records the member's capabilities (replacing what was recorded): each a skill of the taxonomy
/// with a level and an optional note.
pub async fn set_capabilities(
    app: &App,
    actor: &Actor,
    org_id: &str,
    input: Vec<CapabilityInput>,
) -> Result<Vec<CapabilityView>, AppError> {
    let mut p = Problems::default();
    let mut rows: HashMap<&'static str, (SkillLevel, Option<String>)> = HashMap::new();
    for (i, c) in input.iter().enumerate() {
        let skill = p.check(
            &format!("capabilities[{i}].skill"),
            profile::skill(&c.skill),
        );
        let level = p.check(
            &format!("capabilities[{i}].level"),
            SkillLevel::parse(&c.level),
        );
        let note = clean_opt(
            c.note.as_deref(),
            &mut p,
            &format!("capabilities[{i}].note"),
            500,
        );
        if let (Some(skill), Some(level)) = (skill, level)
            && rows.insert(skill.code, (level, note)).is_some()
        {
            p.add(&format!("capabilities[{i}].skill"), "duplicate_skill");
        }
    }
    p.into_result()?;
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .write(move |conn| {
            editable(conn, &app2, &actor2, &org_id)?;
            let stored: Vec<CapabilityRow> = rows
                .into_iter()
                .map(|(skill, (level, note))| CapabilityRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    org_id: org_id.clone(),
                    skill: skill.to_owned(),
                    level: level.as_str().to_owned(),
                    note,
                })
                .collect();
            store::replace_capabilities(conn, &org_id, &stored)?;
            store::touch(conn, &org_id, to_db(app2.now()), None)?;
            let views = capability_views(conn, &org_id)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "capabilities.set",
                    object_type: "organisation",
                    object_id: Some(&org_id),
                    object_org_id: Some(&org_id),
                    summary: serde_json::json!(
                        views
                            .iter()
                            .map(|c| serde_json::json!({"skill": c.skill, "level": c.level}))
                            .collect::<Vec<_>>()
                    ),
                },
            )?;
            Ok(views)
        })
        .await
}
