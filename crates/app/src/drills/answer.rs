//! A team's answer to an inject. The answer, its ledger event and the team's new standing are
//! written in one transaction, after taking the team's standings row, so the standings equal the
//! ledger at every instant and two answers of one team count one after the other.

use irnet_domain::drills::{LedgerEvent, is_correct};
use irnet_domain::ids::{DrillId, InjectId};
use irnet_domain::text::nfc;
use irnet_store::drills::{self as store, AnswerRow, LedgerRow};
use irnet_store::time::to_db;

use crate::{Actor, App, AppError};

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    pub answer: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AnswerView {
    pub correct: bool,
    /// the points it earned
    pub points: i64,
    /// answers the team has left for this inject
    pub attempts_left: i64,
}

const ANSWER_MAX: usize = 2_000;

pub async fn answer(
    app: &App,
    actor: &Actor,
    id: &DrillId,
    inject: &InjectId,
    input: AnswerInput,
) -> Result<AnswerView, AppError> {
    if input.answer.trim().is_empty() {
        return Err(AppError::invalid("answer", "required"));
    }
    if input.answer.chars().count() > ANSWER_MAX {
        return Err(AppError::Validation(vec![crate::FieldError {
            field: "answer".to_owned(),
            code: "too_long".to_owned(),
            params: vec![("max".to_owned(), ANSWER_MAX.to_string())],
        }]));
    }
    let (app2, actor2, id, inject) = (app.clone(), actor.clone(), id.clone(), inject.clone());
    app.store
        .write(move |conn| {
            let d = super::load(conn, &actor2, &id)?;
            let now = to_db(app2.now());
            // An inject the reader cannot see is not there, whatever else they may do.
            let cut = super::injects::released_by(&d, now).ok_or(AppError::NotFound)?;
            let row = store::inject(conn, &d.row.id, &inject, cut)?.ok_or(AppError::NotFound)?;
            let p = &actor2.principal;
            super::allowed(&actor2, p.may_answer_in_drill(&d.facts, d.row.state))?;
            let team = p.drill_team(&d.facts).ok_or(AppError::Forbidden)?;
            if !store::lock_team(conn, &d.row.id, team.as_str())? {
                return Err(AppError::Forbidden);
            }
            // Read after the lock: a team's events then carry the order they were counted in,
            // so the time a score was reached is the last event's, as a replay finds it.
            let now = to_db(app2.now());
            if now > row.deadline {
                return Err(AppError::Conflict {
                    code: "inject_deadline_passed",
                    field: Some("answer"),
                });
            }
            let (tried, solved) = store::attempts(conn, &d.row.id, &inject, team.as_str())?;
            if solved {
                return Err(AppError::Conflict {
                    code: "inject_already_solved",
                    field: Some("answer"),
                });
            }
            let allowed = i64::from(d.row.attempts_allowed);
            if tried >= allowed {
                return Err(AppError::Conflict {
                    code: "no_attempts_left",
                    field: Some("answer"),
                });
            }
            let accepted: Vec<String> =
                serde_json::from_str(&row.answers).map_err(AppError::internal)?;
            let correct = is_correct(&accepted, &input.answer);
            let points = if correct { row.points } else { 0 };
            store::insert_answer(
                conn,
                &AnswerRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    drill_id: d.row.id.clone(),
                    inject_id: inject.clone(),
                    team_org_id: team.as_str().to_owned(),
                    user_id: p.user_id.as_str().to_owned(),
                    answer: nfc(input.answer.trim()),
                    correct,
                    created_at: now,
                },
            )?;
            store::record(
                conn,
                &LedgerRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    drill_id: d.row.id.clone(),
                    team_org_id: team.as_str().to_owned(),
                    event: if correct {
                        LedgerEvent::AnswerCorrect
                    } else {
                        LedgerEvent::AnswerWrong
                    },
                    inject_id: Some(inject.clone()),
                    points,
                    note: String::new(),
                    by_user: Some(p.user_id.as_str().to_owned()),
                    at: now,
                },
            )?;
            super::changed(conn, &d.row.id)?;
            Ok(AnswerView {
                correct,
                points,
                attempts_left: if correct { 0 } else { allowed - tried - 1 },
            })
        })
        .await
}
