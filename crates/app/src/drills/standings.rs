//! The standings of a scenario drill: read from the standings table (one row per team, kept in
//! the ledger's transaction), ranked by score and then by who reached it first. While a drill is
//! frozen (or closed after a freeze, until published), participants and observers read the
//! standings as they stood at the freeze, and their own team's answers after it without their
//! outcome; judges and organisers read everything live. A replay sums the ledger afresh.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use irnet_domain::drills::{Kind, LedgerEvent, Score, State, ranked};
use irnet_domain::ids::DrillId;
use irnet_domain::text::nfc;
use irnet_store::DbConn;
use irnet_store::drills::{self as store, LedgerRow, StandingRow};
use irnet_store::time::to_db;

use super::Loaded;
use super::read::in_zone;
use crate::directory::names::{OrgName, names_on, unknown};
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct StandingLine {
    pub rank: u32,
    /// the number of teams: the rank reads "rank/out_of"
    pub out_of: u32,
    pub team: OrgName,
    pub score: i64,
    /// when the team reached its score (RFC 3339 in the drill's zone)
    pub last_score_at: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct StandingsView {
    /// the reader sees the standings as they stood at the freeze
    pub frozen: bool,
    /// the freeze time shown (RFC 3339 in the drill's zone), when frozen
    pub as_of: Option<String>,
    pub lines: Vec<StandingLine>,
    /// what the board shows, as a tag that changes whenever it may have changed for this reader:
    /// the newest scoring event counted, or the freeze for a reader held to it (so a frozen
    /// board's version says nothing of what happens behind it)
    pub version: String,
}

/// Participants and observers see the frozen board from the freeze until publication (or an
/// unfreeze).
pub(crate) fn sees_frozen(d: &Loaded) -> Option<NaiveDateTime> {
    let hidden = matches!(d.row.state, State::Frozen | State::Closed);
    if d.role.sees_behind_the_scenes() || !hidden {
        None
    } else {
        d.row.frozen_at
    }
}

fn scenario(d: &Loaded) -> Result<(), AppError> {
    if d.row.kind == Kind::Scenario {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn lines(
    conn: &mut DbConn,
    app: &App,
    d: &Loaded,
    rows: Vec<StandingRow>,
) -> Result<Vec<StandingLine>, AppError> {
    let ids: Vec<String> = rows.iter().map(|r| r.team_org_id.clone()).collect();
    let names = names_on(conn, &ids, super::day_of(&d.row), app.today())?;
    let scores: Vec<Score<String>> = rows
        .into_iter()
        .map(|r| Score {
            team: r.team_org_id,
            score: r.score,
            last_score_at: r.last_score_at,
        })
        .collect();
    let out_of = u32::try_from(scores.len()).unwrap_or(u32::MAX);
    Ok(ranked(&scores)
        .into_iter()
        .map(|(rank, s)| StandingLine {
            rank,
            out_of,
            team: names
                .get(&s.team)
                .cloned()
                .unwrap_or_else(|| unknown(&s.team)),
            score: s.score,
            last_score_at: s
                .last_score_at
                .map(|t| in_zone(t, d.row.utc_offset_minutes)),
        })
        .collect())
}

pub async fn standings(app: &App, actor: &Actor, id: &DrillId) -> Result<StandingsView, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let d = super::load(conn, &actor2, &id)?;
            scenario(&d)?;
            let frozen = sees_frozen(&d);
            let rows = match frozen {
                Some(_) => store::frozen_standings(conn, &d.row.id)?,
                None => store::standings(conn, &d.row.id)?,
            };
            let version = match frozen {
                Some(t) => format!("frozen-{}", t.and_utc().timestamp_micros()),
                None => store::last_event_id(conn, &d.row.id)?.unwrap_or_else(|| "start".into()),
            };
            Ok(StandingsView {
                frozen: frozen.is_some(),
                as_of: frozen.map(|t| in_zone(t, d.row.utc_offset_minutes)),
                lines: lines(conn, &app2, &d, rows)?,
                version,
            })
        })
        .await
}

/// The standings summed afresh from the ledger (judges and organisers): equal to `standings`
/// unless something is badly wrong. With `at` (a local time in the drill's zone,
/// `2026-11-10T09:30`), the standings as they stood then: the ledger's events up to that instant.
pub async fn replay(
    app: &App,
    actor: &Actor,
    id: &DrillId,
    at: Option<&str>,
) -> Result<StandingsView, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    let at = at.map(str::to_owned);
    app.store
        .read(move |conn| {
            let d = super::load(conn, &actor2, &id)?;
            scenario(&d)?;
            if !d.role.sees_behind_the_scenes() {
                return Err(AppError::Forbidden);
            }
            let cut = match &at {
                None => None,
                Some(text) => {
                    let zone = chrono::FixedOffset::east_opt(d.row.utc_offset_minutes * 60)
                        .unwrap_or(app2.settings.local_offset);
                    let t = crate::incidents::parse_local_time(text, zone)
                        .ok_or_else(|| AppError::invalid("at", "invalid_datetime"))?;
                    Some(to_db(t))
                }
            };
            let mut by_team: HashMap<String, StandingRow> = store::standings(conn, &d.row.id)?
                .into_iter()
                .map(|r| {
                    (
                        r.team_org_id.clone(),
                        StandingRow {
                            score: 0,
                            last_score_at: None,
                            ..r
                        },
                    )
                })
                .collect();
            for e in store::ledger(conn, &d.row.id)? {
                if cut.is_some_and(|c| e.at > c) {
                    continue;
                }
                if let Some(t) = by_team.get_mut(&e.team_org_id)
                    && e.points != 0
                {
                    t.score += e.points;
                    t.last_score_at = Some(t.last_score_at.map_or(e.at, |l| l.max(e.at)));
                }
            }
            let version = match cut {
                Some(c) => format!("replay-{}", c.and_utc().timestamp_micros()),
                None => "replay".to_owned(),
            };
            Ok(StandingsView {
                frozen: false,
                as_of: cut.map(|c| in_zone(c, d.row.utc_offset_minutes)),
                lines: lines(conn, &app2, &d, by_team.into_values().collect())?,
                version,
            })
        })
        .await
}

/// One of the reader's team's answers.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct HistoryLine {
    pub inject_id: String,
    pub answer: String,
    /// none when given after the freeze the reader is held to
    pub correct: Option<bool>,
    pub at: String,
}

/// The reader's own team's answers, newest first (participants).
pub async fn history(app: &App, actor: &Actor, id: &DrillId) -> Result<Vec<HistoryLine>, AppError> {
    let (actor2, id) = (actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let d = super::load(conn, &actor2, &id)?;
            scenario(&d)?;
            let Some(team) = actor2.principal.drill_team(&d.facts) else {
                return Ok(vec![]);
            };
            let frozen = sees_frozen(&d);
            Ok::<_, AppError>(
                store::answers_of(conn, &d.row.id, team.as_str())?
                    .into_iter()
                    .map(|a| HistoryLine {
                        inject_id: a.inject_id.as_str().to_owned(),
                        answer: a.answer,
                        correct: match frozen {
                            Some(f) if a.created_at > f => None,
                            _ => Some(a.correct),
                        },
                        at: in_zone(a.created_at, d.row.utc_offset_minutes),
                    })
                    .collect(),
            )
        })
        .await
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustInput {
    /// the member team
    pub team_org_id: String,
    /// positive for an award, negative for a penalty
    pub points: i64,
    pub note: String,
}

/// An award or a penalty (judges and organisers), a ledger event like any answer.
pub async fn adjust(
    app: &App,
    actor: &Actor,
    id: &DrillId,
    input: AdjustInput,
) -> Result<StandingsView, AppError> {
    if input.points == 0 || input.points.abs() > 100_000 {
        return Err(AppError::invalid("points", "invalid_value"));
    }
    if input.note.trim().is_empty() {
        return Err(AppError::invalid("note", "required"));
    }
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .write(move |conn| {
            let d = super::load(conn, &actor2, &id)?;
            scenario(&d)?;
            super::allowed(&actor2, actor2.principal.may_judge_drill(&d.facts))?;
            if !store::lock_team(conn, &d.row.id, input.team_org_id.trim())? {
                return Err(AppError::invalid("team_org_id", "unknown_team"));
            }
            let now = to_db(app2.now());
            store::record(
                conn,
                &LedgerRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    drill_id: d.row.id.clone(),
                    team_org_id: input.team_org_id.trim().to_owned(),
                    event: if input.points > 0 {
                        LedgerEvent::Award
                    } else {
                        LedgerEvent::Penalty
                    },
                    inject_id: None,
                    points: input.points,
                    note: nfc(input.note.trim()),
                    by_user: actor2.user_id().map(str::to_owned),
                    at: now,
                },
            )?;
            crate::audit::record(
                conn,
                &app2,
                &actor2,
                crate::audit::Change {
                    action: "drill.points_adjusted",
                    object_type: "drill",
                    object_id: Some(d.row.id.as_str()),
                    object_org_id: Some(input.team_org_id.trim()),
                    summary: serde_json::json!({ "points": input.points }),
                },
            )?;
            super::changed(conn, &d.row.id)?;
            let rows = store::standings(conn, &d.row.id)?;
            Ok(StandingsView {
                frozen: false,
                as_of: None,
                lines: lines(conn, &app2, &d, rows)?,
                version: store::last_event_id(conn, &d.row.id)?.unwrap_or_default(),
            })
        })
        .await
}
