//! A drill as shown to one reader, with what their part lets them do; and the drills a reader
//! knows of, filtered in SQL by the policy's drill rule.

use chrono::Offset;
use irnet_domain::drills::{Kind, State};
use irnet_domain::ids::DrillId;
use irnet_store::DbConn;
use irnet_store::drills as store;

use super::Loaded;
use super::results::{ResultView, results_view};
use crate::directory::names::{OrgName, names_on, unknown};
use crate::{Actor, App, AppError};

/// What the reader's part in a drill lets them do (pages show only these buttons).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DrillAbilities {
    /// run the drill: injects, grants, state
    pub may_run: bool,
    /// award points and penalties
    pub may_judge: bool,
    /// answer injects for the reader's team, now
    pub may_answer: bool,
    /// sees injects before their release and the live standings during a freeze
    pub sees_behind_the_scenes: bool,
    /// the states the reader may move the drill to
    pub next_states: Vec<String>,
    /// add injects and teams (organisers, before the drill closes)
    pub may_add_injects_and_teams: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DrillView {
    pub id: String,
    /// scenario, live_fire, external
    pub kind: String,
    pub title: String,
    pub organiser_cluster_id: Option<String>,
    pub organiser_name: Option<String>,
    pub theme: String,
    pub rules: String,
    /// the window, RFC 3339 in the drill's own zone
    pub starts_at: String,
    pub ends_at: String,
    pub utc_offset_minutes: i32,
    /// planned, open, frozen, closed, published
    pub state: String,
    pub attempts_allowed: i32,
    /// the reader's part: participant, observer, judge, organiser
    pub role: String,
    /// the team the reader answers for
    pub my_team: Option<String>,
    /// the member teams, named as they were on the drill's first day
    pub teams: Vec<OrgName>,
    /// an external drill's published results, best rank first
    pub results: Vec<ResultView>,
    /// the people given a part (judges, observers, organisers, named participants): shown to
    /// those who run the drill only
    pub people: Vec<DrillPerson>,
    pub abilities: DrillAbilities,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DrillPerson {
    pub name: String,
    /// participant, observer, judge, organiser
    pub role: String,
}

pub(crate) fn in_zone(t: chrono::NaiveDateTime, minutes: i32) -> String {
    let zone = chrono::FixedOffset::east_opt(minutes * 60).unwrap_or(chrono::Utc.fix());
    irnet_store::time::from_db(t)
        .with_timezone(&zone)
        .to_rfc3339()
}

pub(crate) fn view(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    d: &Loaded,
) -> Result<DrillView, AppError> {
    let p = &actor.principal;
    let row = &d.row;
    let day = super::day_of(row);
    let team_ids = super::teams(&d.members);
    let names = names_on(conn, &team_ids, day, app.today())?;
    let mut teams: Vec<OrgName> = team_ids
        .iter()
        .map(|t| names.get(t).cloned().unwrap_or_else(|| unknown(t)))
        .collect();
    teams.sort_by_key(|n| irnet_domain::text::vi_sort_key(&n.name_vi));
    let may_run = p.may_run_drill(&d.facts);
    let results = if row.kind == Kind::External {
        results_view(conn, app, row)?
    } else {
        vec![]
    };
    let mut people = Vec::new();
    if may_run {
        for m in &d.members {
            if let Some(u) = m.user_id.as_deref()
                && let Some(user) = irnet_store::identity::users::get(conn, u)?
            {
                people.push(DrillPerson {
                    name: user.display_name,
                    role: m.role.as_str().to_owned(),
                });
            }
        }
    }
    Ok(DrillView {
        id: row.id.as_str().to_owned(),
        kind: row.kind.as_str().to_owned(),
        title: row.title.clone(),
        organiser_cluster_id: row.organiser_cluster_id.clone(),
        organiser_name: row.organiser_name.clone(),
        theme: row.theme.clone(),
        rules: row.rules.clone(),
        starts_at: in_zone(row.starts_at, row.utc_offset_minutes),
        ends_at: in_zone(row.ends_at, row.utc_offset_minutes),
        utc_offset_minutes: row.utc_offset_minutes,
        state: row.state.as_str().to_owned(),
        attempts_allowed: row.attempts_allowed,
        role: d.role.as_str().to_owned(),
        my_team: p.drill_team(&d.facts).map(|o| o.as_str().to_owned()),
        teams,
        results,
        people,
        abilities: DrillAbilities {
            may_run,
            may_judge: p.may_judge_drill(&d.facts) && row.kind != Kind::External,
            may_answer: p.may_answer_in_drill(&d.facts, row.state),
            sees_behind_the_scenes: d.role.sees_behind_the_scenes(),
            may_add_injects_and_teams: may_run
                && row.kind != Kind::External
                && row.state.open_to_changes(),
            next_states: if may_run && row.kind != Kind::External {
                row.state
                    .next_states()
                    .into_iter()
                    .map(|s: State| s.as_str().to_owned())
                    .collect()
            } else {
                vec![]
            },
        },
    })
}

pub async fn get(app: &App, actor: &Actor, id: &DrillId) -> Result<DrillView, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let d = super::load(conn, &actor2, &id)?;
            view(conn, &app2, &actor2, &d)
        })
        .await
}

/// One line of the drills list.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DrillLine {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub organiser_name: Option<String>,
    pub starts_at: String,
    pub state: String,
}

/// The drills the reader knows of, the latest first.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<DrillLine>, AppError> {
    let rule = actor.principal.drill_read_rule();
    app.store
        .read(move |conn| {
            Ok::<_, AppError>(
                store::list(conn, &rule)?
                    .into_iter()
                    .map(|r| DrillLine {
                        id: r.id.as_str().to_owned(),
                        kind: r.kind.as_str().to_owned(),
                        title: r.title,
                        organiser_name: r.organiser_name,
                        starts_at: in_zone(r.starts_at, r.utc_offset_minutes),
                        state: r.state.as_str().to_owned(),
                    })
                    .collect(),
            )
        })
        .await
}
