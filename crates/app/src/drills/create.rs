//! A new drill: a scenario or live-fire drill the coordinator (or a cluster's lead, for its
//! cluster) will run, or an external drill recorded after the fact with its results.

use irnet_domain::drills::{DrillRole, Kind, State, Window};
use irnet_domain::ids::{ClusterId, DrillId};
use irnet_domain::text::nfc;
use irnet_store::drills::{self as store, DrillRow, MemberRow};
use irnet_store::time::to_db;

use super::read::{DrillView, view};
use crate::audit::{self, Change};
use crate::error::Problems;
use crate::incidents::parse_local_time;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillInput {
    /// scenario, live_fire or external
    pub kind: String,
    pub title: String,
    /// the cluster whose lead organises it; none for a drill of the coordinator
    #[serde(default)]
    pub organiser_cluster_id: Option<String>,
    /// who ran an external drill (APCERT, CSA Singapore…)
    #[serde(default)]
    pub organiser_name: Option<String>,
    #[serde(default)]
    pub theme: String,
    #[serde(default)]
    pub rules: String,
    /// local date and time ("2024-10-15T08:00") or RFC 3339
    pub starts_at: String,
    pub ends_at: String,
    /// the window's zone in minutes east of UTC; default the network's (+420)
    #[serde(default)]
    pub utc_offset_minutes: Option<i32>,
    /// answers a team may give per inject; default 3
    #[serde(default)]
    pub attempts_allowed: Option<i32>,
    /// the member teams taking part (organisation ids)
    #[serde(default)]
    pub teams: Vec<String>,
}

const TEXT_MAX: usize = 300;
const RULES_MAX: usize = 20_000;

pub async fn create(app: &App, actor: &Actor, input: DrillInput) -> Result<DrillView, AppError> {
    let cluster = match input.organiser_cluster_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => {
            Some(ClusterId::parse(c).map_err(|e| AppError::field("organiser_cluster_id", &e))?)
        }
    };
    super::allowed(actor, actor.principal.may_create_drill(cluster.as_ref()))?;
    let mut p = Problems::default();
    let kind = p.check("kind", Kind::parse(&input.kind));
    p.text("title", &input.title, true, TEXT_MAX);
    p.text("theme", &input.theme, false, TEXT_MAX);
    p.text("rules", &input.rules, false, RULES_MAX);
    let organiser_name = input
        .organiser_name
        .as_deref()
        .map(|s| nfc(s.trim()))
        .filter(|s| !s.is_empty());
    if let Some(n) = &organiser_name {
        p.text("organiser_name", n, false, TEXT_MAX);
    }
    let offset = input
        .utc_offset_minutes
        .unwrap_or_else(|| app.settings.local_offset.local_minus_utc() / 60);
    let zone = chrono::FixedOffset::east_opt(offset * 60).unwrap_or(app.settings.local_offset);
    let starts = parse_local_time(&input.starts_at, zone);
    let ends = parse_local_time(&input.ends_at, zone);
    if starts.is_none() {
        p.add("starts_at", "invalid_datetime");
    }
    if ends.is_none() {
        p.add("ends_at", "invalid_datetime");
    }
    let window = match (starts, ends) {
        (Some(s), Some(e)) => p.check("ends_at", Window::new(to_db(s), to_db(e), offset)),
        _ => None,
    };
    let attempts = input.attempts_allowed.unwrap_or(3);
    if !(1..=100).contains(&attempts) {
        p.add("attempts_allowed", "invalid_value");
    }
    let mut teams: Vec<String> = Vec::new();
    for t in &input.teams {
        if let Some(id) = p.check("teams", irnet_domain::ids::OrgId::parse(t))
            && !teams.contains(&id.as_str().to_owned())
        {
            teams.push(id.as_str().to_owned());
        }
    }
    p.into_result()?;
    let (Some(kind), Some(window)) = (kind, window) else {
        return Err(AppError::invalid("kind", "invalid_value"));
    };
    let (app2, actor2) = (app.clone(), actor.clone());
    let title = nfc(input.title.trim());
    let theme = nfc(input.theme.trim());
    let rules = nfc(input.rules.trim());
    app.store
        .write(move |conn| {
            if let Some(c) = &cluster
                && irnet_store::directory::clusters::get(conn, c.as_str())?.is_none()
            {
                return Err(AppError::invalid("organiser_cluster_id", "unknown_cluster"));
            }
            let known = irnet_store::directory::orgs::get_many(conn, &teams)?;
            if known.len() != teams.len() {
                return Err(AppError::invalid("teams", "unknown_org"));
            }
            let now = to_db(app2.now());
            let row = DrillRow {
                id: DrillId::new(),
                kind,
                title,
                organiser_cluster_id: cluster.map(|c| c.as_str().to_owned()),
                organiser_name,
                theme,
                rules,
                starts_at: window.starts_at,
                ends_at: window.ends_at,
                utc_offset_minutes: window.utc_offset_minutes,
                // an external drill is recorded once it has happened: its results are published
                state: if kind == Kind::External {
                    State::Published
                } else {
                    State::Planned
                },
                attempts_allowed: attempts,
                frozen_at: None,
                created_by: actor2.user_id().map(str::to_owned),
                created_at: now,
                updated_at: now,
            };
            store::insert(conn, &row)?;
            for team in &teams {
                store::add_member(
                    conn,
                    &MemberRow {
                        id: uuid::Uuid::now_v7().to_string(),
                        drill_id: row.id.clone(),
                        role: DrillRole::Participant,
                        org_id: Some(team.clone()),
                        user_id: None,
                        created_at: now,
                    },
                )?;
                store::add_team(conn, &row.id, team)?;
            }
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "drill.created",
                    object_type: "drill",
                    object_id: Some(row.id.as_str()),
                    object_org_id: None,
                    summary: serde_json::json!({
                        "kind": kind.as_str(),
                        "title": row.title,
                        "teams": teams.len(),
                    }),
                },
            )?;
            let loaded = super::load(conn, &actor2, &row.id)?;
            view(conn, &app2, &actor2, &loaded)
        })
        .await
}
