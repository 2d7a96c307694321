//! External drills' results: each member's rank "x out of N" as the organiser published it,
//! named as the member was named on the drill's day ("ACID 2024 — hạng 3/63" under the 2024
//! name, also after the merger).

use irnet_domain::drills::{DrillRole, Kind, check_rank};
use irnet_domain::ids::{DrillId, OrgId};
use irnet_store::DbConn;
use irnet_store::drills::{self as store, DrillRow, MemberRow, ResultRow};
use irnet_store::time::to_db;

use crate::audit::{self, Change};
use crate::directory::names::{OrgName, names_on, names_on_days, unknown};
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ResultView {
    /// the member, named as it was on the drill's day
    pub org: OrgName,
    pub rank: i32,
    pub out_of: i32,
    /// a value the demo made up (only the seed's ranks are real)
    pub demo: bool,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultInput {
    pub org_id: String,
    pub rank: i32,
    pub out_of: i32,
}

pub(crate) fn results_view(
    conn: &mut DbConn,
    app: &App,
    row: &DrillRow,
) -> Result<Vec<ResultView>, AppError> {
    let results = store::results(conn, &row.id)?;
    let ids: Vec<String> = results.iter().map(|r| r.org_id.clone()).collect();
    let names = names_on(conn, &ids, super::day_of(row), app.today())?;
    Ok(results
        .into_iter()
        .map(|r| ResultView {
            org: names
                .get(&r.org_id)
                .cloned()
                .unwrap_or_else(|| unknown(&r.org_id)),
            rank: r.rank,
            out_of: r.out_of,
            demo: r.demo,
        })
        .collect())
}

/// Records a member's published rank in an external drill (its organisers); the member joins
/// the drill's teams.
pub async fn record_result(
    app: &App,
    actor: &Actor,
    id: &DrillId,
    input: ResultInput,
) -> Result<Vec<ResultView>, AppError> {
    let org = OrgId::parse(&input.org_id).map_err(|e| AppError::field("org_id", &e))?;
    check_rank(input.rank, input.out_of).map_err(|e| AppError::field("rank", &e))?;
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .write(move |conn| {
            let d = super::load(conn, &actor2, &id)?;
            super::allowed(&actor2, actor2.principal.may_run_drill(&d.facts))?;
            if d.row.kind != Kind::External {
                return Err(AppError::Conflict {
                    code: "drill_not_external",
                    field: None,
                });
            }
            if irnet_store::directory::orgs::get(conn, org.as_str())?.is_none() {
                return Err(AppError::invalid("org_id", "unknown_org"));
            }
            insert(
                conn,
                &d.row.id,
                &d.members,
                org.as_str(),
                input.rank,
                input.out_of,
                false,
                to_db(app2.now()),
            )?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "drill.result_recorded",
                    object_type: "drill",
                    object_id: Some(d.row.id.as_str()),
                    object_org_id: Some(org.as_str()),
                    summary: serde_json::json!({ "rank": input.rank, "out_of": input.out_of }),
                },
            )?;
            results_view(conn, &app2, &d.row)
        })
        .await
}

/// Stores a result and makes the member a participant of the drill (once).
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert(
    conn: &mut DbConn,
    drill: &DrillId,
    members: &[MemberRow],
    org: &str,
    rank: i32,
    out_of: i32,
    demo: bool,
    now: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    store::add_result(
        conn,
        &ResultRow {
            drill_id: drill.clone(),
            org_id: org.to_owned(),
            rank,
            out_of,
            demo,
        },
    )
    .map_err(|e| {
        if irnet_store::is_unique_violation(&e) {
            AppError::Conflict {
                code: "drill_result_exists",
                field: Some("org_id"),
            }
        } else {
            e.into()
        }
    })?;
    if !super::teams(members).iter().any(|t| t == org) {
        store::add_member(
            conn,
            &MemberRow {
                id: uuid::Uuid::now_v7().to_string(),
                drill_id: drill.clone(),
                role: DrillRole::Participant,
                org_id: Some(org.to_owned()),
                user_id: None,
                created_at: now,
            },
        )?;
    }
    Ok(())
}

/// One drill on an organisation's page.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct OrgDrillResult {
    pub drill_id: String,
    pub title: String,
    /// the drill's first day (yyyy-mm-dd)
    pub day: chrono::NaiveDate,
    pub rank: i32,
    pub out_of: i32,
    pub demo: bool,
    /// the member as it was named then
    pub org: OrgName,
}

/// The drills an organisation (and those it succeeded) took part in with a published rank, the
/// latest first, as far as the reader may know of them.
pub async fn of_org(app: &App, actor: &Actor, org: &str) -> Result<Vec<OrgDrillResult>, AppError> {
    let rule = actor.principal.drill_read_rule();
    let (app2, org) = (app.clone(), org.to_owned());
    app.store
        .read(move |conn| {
            let mut orgs = vec![org.clone()];
            orgs.extend(
                irnet_store::directory::history::successions(conn, &org)?
                    .into_iter()
                    .filter(|s| s.successor_id.as_deref() == Some(org.as_str()))
                    .map(|s| s.predecessor_id)
                    .filter(|p| *p != org),
            );
            let rows = store::results_of(conn, &orgs, &rule)?;
            let pairs: Vec<(String, chrono::NaiveDate)> = rows
                .iter()
                .map(|(r, d)| (r.org_id.clone(), super::day_of(d)))
                .collect();
            let names = names_on_days(conn, &pairs, app2.today())?;
            Ok::<_, AppError>(
                rows.into_iter()
                    .map(|(r, d)| {
                        let day = super::day_of(&d);
                        OrgDrillResult {
                            drill_id: d.id.as_str().to_owned(),
                            title: d.title,
                            day,
                            rank: r.rank,
                            out_of: r.out_of,
                            demo: r.demo,
                            org: names
                                .get(&(r.org_id.clone(), day))
                                .cloned()
                                .unwrap_or_else(|| unknown(&r.org_id)),
                        }
                    })
                    .collect(),
            )
        })
        .await
}
