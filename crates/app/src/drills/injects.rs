//! A scenario drill's injects: tasks released on a timeline, each with a deadline, points and its
//! accepted answers. Judges and organisers see every inject; everyone else only those released
//! (and nothing before the drill opens): an unreleased inject does not exist for them (404), in
//! lists, by its address and through the API alike, because the store query itself is cut at
//! the release time.

use chrono::NaiveDateTime;
use irnet_domain::drills::{Kind, accepted_answers};
use irnet_domain::ids::{DrillId, InjectId};
use irnet_domain::text::nfc;
use irnet_store::drills::{self as store, InjectRow};
use irnet_store::time::to_db;

use super::Loaded;
use super::read::in_zone;
use crate::audit::{self, Change};
use crate::error::Problems;
use crate::incidents::parse_local_time;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct InjectView {
    pub id: String,
    pub title: String,
    pub task: String,
    /// RFC 3339 in the drill's zone
    pub released_at: String,
    pub deadline: String,
    pub points: i64,
    /// released to the teams already
    pub released: bool,
    /// the accepted answers: for judges and organisers only
    pub answers: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InjectInput {
    pub title: String,
    pub task: String,
    /// local date and time ("2024-10-15T09:00") or RFC 3339
    pub released_at: String,
    pub deadline: String,
    pub points: i64,
    /// the accepted exact answers (compared after normalising case, spaces and Unicode form)
    pub answers: Vec<String>,
}

/// The release time a reader's injects are cut at: none for judges and organisers, now for the
/// others once the drill has started; `None` inside means "sees none at all".
pub(crate) fn released_by(d: &Loaded, now: NaiveDateTime) -> Option<Option<NaiveDateTime>> {
    if d.role.sees_behind_the_scenes() {
        Some(None)
    } else if d.row.state.has_started() {
        Some(Some(now))
    } else {
        None
    }
}

pub(crate) fn view(d: &Loaded, r: InjectRow, now: NaiveDateTime) -> Result<InjectView, AppError> {
    let answers: Vec<String> = serde_json::from_str(&r.answers).map_err(AppError::internal)?;
    let z = d.row.utc_offset_minutes;
    Ok(InjectView {
        id: r.id.as_str().to_owned(),
        title: r.title,
        task: r.task,
        released_at: in_zone(r.released_at, z),
        deadline: in_zone(r.deadline, z),
        points: r.points,
        released: d.row.state.has_started() && r.released_at <= now,
        answers: d.role.sees_behind_the_scenes().then_some(answers),
    })
}

/// The injects the reader may see, in release order.
pub async fn injects(app: &App, actor: &Actor, id: &DrillId) -> Result<Vec<InjectView>, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let d = super::load(conn, &actor2, &id)?;
            let now = to_db(app2.now());
            let Some(cut) = released_by(&d, now) else {
                return Ok(vec![]);
            };
            store::injects(conn, &d.row.id, cut)?
                .into_iter()
                .map(|r| view(&d, r, now))
                .collect()
        })
        .await
}

/// One inject, if the reader may see it (404 otherwise, as for one that does not exist).
pub async fn inject(
    app: &App,
    actor: &Actor,
    id: &DrillId,
    inject: &InjectId,
) -> Result<InjectView, AppError> {
    let (app2, actor2, id, inject) = (app.clone(), actor.clone(), id.clone(), inject.clone());
    app.store
        .read(move |conn| {
            let d = super::load(conn, &actor2, &id)?;
            let now = to_db(app2.now());
            let cut = released_by(&d, now).ok_or(AppError::NotFound)?;
            let r = store::inject(conn, &d.row.id, &inject, cut)?.ok_or(AppError::NotFound)?;
            view(&d, r, now)
        })
        .await
}

const POINTS_MAX: i64 = 100_000;

/// A new inject (organisers of a scenario drill, before it closes).
pub async fn add_inject(
    app: &App,
    actor: &Actor,
    id: &DrillId,
    input: InjectInput,
) -> Result<InjectView, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .write(move |conn| {
            let d = super::load(conn, &actor2, &id)?;
            super::allowed(&actor2, actor2.principal.may_run_drill(&d.facts))?;
            // Injects are added before the drill starts or while it takes answers.
            if d.row.kind != Kind::Scenario || !d.row.state.open_to_changes() {
                return Err(AppError::Conflict {
                    code: "drill_takes_no_injects",
                    field: None,
                });
            }
            let zone = chrono::FixedOffset::east_opt(d.row.utc_offset_minutes * 60)
                .unwrap_or(app2.settings.local_offset);
            let mut p = Problems::default();
            p.text("title", &input.title, true, 300);
            p.text("task", &input.task, true, 20_000);
            let released = parse_local_time(&input.released_at, zone);
            let deadline = parse_local_time(&input.deadline, zone);
            if released.is_none() {
                p.add("released_at", "invalid_datetime");
            }
            if deadline.is_none() {
                p.add("deadline", "invalid_datetime");
            }
            if let (Some(r), Some(dl)) = (released, deadline)
                && dl <= r
            {
                p.add("deadline", "ends_before_start");
            }
            if !(1..=POINTS_MAX).contains(&input.points) {
                p.add("points", "invalid_value");
            }
            let answers = p.check("answers", accepted_answers(&input.answers));
            p.into_result()?;
            let (Some(released), Some(deadline), Some(answers)) = (released, deadline, answers)
            else {
                return Err(AppError::invalid("released_at", "invalid_datetime"));
            };
            let row = InjectRow {
                id: InjectId::new(),
                drill_id: d.row.id.clone(),
                title: nfc(input.title.trim()),
                task: nfc(input.task.trim()),
                released_at: to_db(released),
                deadline: to_db(deadline),
                points: input.points,
                answers: serde_json::to_string(&answers).map_err(AppError::internal)?,
                created_at: to_db(app2.now()),
            };
            store::insert_inject(conn, &row)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "drill.inject_added",
                    object_type: "drill",
                    object_id: Some(d.row.id.as_str()),
                    object_org_id: None,
                    summary: serde_json::json!({ "inject": row.id.as_str(), "points": row.points }),
                },
            )?;
            view(&d, row, to_db(app2.now()))
        })
        .await
}
