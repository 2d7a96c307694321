//! Drills: the drill, the roles inside it, external results, injects, answers, and the scoring
//! ledger with the standings it sums to. A list of drills is filtered in SQL by the policy's
//! `DrillReadRule` (`drill_visible!`); which injects a reader sees is the use-case's filter
//! (`released_by`), decided from the reader's part in the drill.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use irnet_domain::drills::{DrillRole, Kind, LedgerEvent, State};
use irnet_domain::ids::{DrillId, InjectId};

use crate::DbConn;
use crate::schema::{
    drill_answers, drill_injects, drill_ledger, drill_members, drill_results, drill_standings,
    drill_standings_frozen, drills,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = drills)]
pub struct DrillRow {
    pub id: DrillId,
    pub kind: Kind,
    pub title: String,
    pub organiser_cluster_id: Option<String>,
    pub organiser_name: Option<String>,
    pub theme: String,
    pub rules: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub utc_offset_minutes: i32,
    pub state: State,
    pub attempts_allowed: i32,
    pub frozen_at: Option<NaiveDateTime>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = drill_members)]
pub struct MemberRow {
    pub id: String,
    pub drill_id: DrillId,
    pub role: DrillRole,
    pub org_id: Option<String>,
    pub user_id: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = drill_results)]
pub struct ResultRow {
    pub drill_id: DrillId,
    pub org_id: String,
    pub rank: i32,
    pub out_of: i32,
    pub demo: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = drill_injects)]
pub struct InjectRow {
    pub id: InjectId,
    pub drill_id: DrillId,
    pub title: String,
    pub task: String,
    pub released_at: NaiveDateTime,
    pub deadline: NaiveDateTime,
    pub points: i64,
    /// JSON array of the accepted answers, normalised
    pub answers: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = drill_answers)]
pub struct AnswerRow {
    pub id: String,
    pub drill_id: DrillId,
    pub inject_id: InjectId,
    pub team_org_id: String,
    pub user_id: String,
    pub answer: String,
    pub correct: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = drill_ledger)]
pub struct LedgerRow {
    pub id: String,
    pub drill_id: DrillId,
    pub team_org_id: String,
    pub event: LedgerEvent,
    pub inject_id: Option<InjectId>,
    pub points: i64,
    pub note: String,
    pub by_user: Option<String>,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = drill_standings)]
pub struct StandingRow {
    pub drill_id: DrillId,
    pub team_org_id: String,
    pub score: i64,
    pub last_score_at: Option<NaiveDateTime>,
}

/// `drill_visible!(rule)` is the boolean SQL expression admitting the drills `rule`
/// (`Principal::drill_read_rule`) lets the reader know of, as `DrillReadRule::admits` decides.
#[macro_export]
macro_rules! drill_visible {
    ($rule:expr) => {{
        use $crate::diesel::prelude::*;
        use $crate::schema::{drill_members as m, drills as d};
        let rule: &irnet_domain::policy::DrillReadRule = $rule;
        let orgs: Vec<String> = rule.orgs.iter().map(|o| o.as_str().to_owned()).collect();
        let led: Vec<String> = rule
            .led_clusters
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect();
        let person: Vec<String> = rule.person.iter().map(|p| p.as_str().to_owned()).collect();
        let granted = m::table
            .filter(m::user_id.eq_any(person).or(m::org_id.eq_any(orgs)))
            .select(m::drill_id);
        let external: Vec<String> = if rule.external {
            vec![irnet_domain::drills::Kind::External.as_str().to_owned()]
        } else {
            vec![]
        };
        let all: Vec<String> = if rule.all {
            irnet_domain::drills::Kind::ALL
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect()
        } else {
            vec![]
        };
        d::kind
            .eq_any(all)
            .or(d::kind.eq_any(external))
            .or(d::organiser_cluster_id.eq_any(led))
            .or(d::id.eq_any(granted))
    }};
}

pub fn insert(conn: &mut DbConn, row: &DrillRow) -> QueryResult<()> {
    diesel::insert_into(drills::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: &DrillId) -> QueryResult<Option<DrillRow>> {
    drills::table
        .find(id)
        .select(DrillRow::as_select())
        .first(conn)
        .optional()
}

/// The drills `rule` admits, the latest window first.
pub fn list(
    conn: &mut DbConn,
    rule: &irnet_domain::policy::DrillReadRule,
) -> QueryResult<Vec<DrillRow>> {
    drills::table
        .filter(drill_visible!(rule))
        .order((drills::starts_at.desc(), drills::id.desc()))
        .select(DrillRow::as_select())
        .load(conn)
}

/// Moves a drill to `state`; `frozen_at` is kept unless given.
pub fn set_state(
    conn: &mut DbConn,
    id: &DrillId,
    state: State,
    frozen_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let q = diesel::update(drills::table.find(id));
    match frozen_at {
        Some(f) => q
            .set((
                drills::state.eq(state),
                drills::frozen_at.eq(f),
                drills::updated_at.eq(now),
            ))
            .execute(conn),
        None => q
            .set((drills::state.eq(state), drills::updated_at.eq(now)))
            .execute(conn),
    }
    .map(drop)
}

pub fn add_member(conn: &mut DbConn, row: &MemberRow) -> QueryResult<()> {
    diesel::insert_into(drill_members::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Every grant of a drill (a drill has tens of them).
pub fn members(conn: &mut DbConn, drill: &DrillId) -> QueryResult<Vec<MemberRow>> {
    drill_members::table
        .filter(drill_members::drill_id.eq(drill))
        .order(drill_members::created_at.asc())
        .select(MemberRow::as_select())
        .load(conn)
}

pub fn add_result(conn: &mut DbConn, row: &ResultRow) -> QueryResult<()> {
    diesel::insert_into(drill_results::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn results(conn: &mut DbConn, drill: &DrillId) -> QueryResult<Vec<ResultRow>> {
    drill_results::table
        .filter(drill_results::drill_id.eq(drill))
        .order((drill_results::rank.asc(), drill_results::org_id.asc()))
        .select(ResultRow::as_select())
        .load(conn)
}

/// The published results of `orgs` in the drills `rule` admits, with their drill, the latest
/// drill first: what an organisation's page lists.
pub fn results_of(
    conn: &mut DbConn,
    orgs: &[String],
    rule: &irnet_domain::policy::DrillReadRule,
) -> QueryResult<Vec<(ResultRow, DrillRow)>> {
    drill_results::table
        .inner_join(drills::table.on(drills::id.eq(drill_results::drill_id)))
        .filter(drill_results::org_id.eq_any(orgs))
        .filter(drill_visible!(rule))
        .order((drills::starts_at.desc(), drills::id.desc()))
        .select((ResultRow::as_select(), DrillRow::as_select()))
        .load(conn)
}

pub fn insert_inject(conn: &mut DbConn, row: &InjectRow) -> QueryResult<()> {
    diesel::insert_into(drill_injects::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// A drill's injects released by `released_by` (all of them when none), in release order.
pub fn injects(
    conn: &mut DbConn,
    drill: &DrillId,
    released_by: Option<NaiveDateTime>,
) -> QueryResult<Vec<InjectRow>> {
    let mut q = drill_injects::table
        .filter(drill_injects::drill_id.eq(drill))
        .into_boxed();
    if let Some(t) = released_by {
        q = q.filter(drill_injects::released_at.le(t));
    }
    q.order((drill_injects::released_at.asc(), drill_injects::id.asc()))
        .select(InjectRow::as_select())
        .load(conn)
}

/// One inject of a drill, if released by `released_by` (or at all when none).
pub fn inject(
    conn: &mut DbConn,
    drill: &DrillId,
    id: &InjectId,
    released_by: Option<NaiveDateTime>,
) -> QueryResult<Option<InjectRow>> {
    let mut q = drill_injects::table
        .filter(drill_injects::drill_id.eq(drill))
        .filter(drill_injects::id.eq(id))
        .into_boxed();
    if let Some(t) = released_by {
        q = q.filter(drill_injects::released_at.le(t));
    }
    q.select(InjectRow::as_select()).first(conn).optional()
}

pub fn insert_answer(conn: &mut DbConn, row: &AnswerRow) -> QueryResult<()> {
    diesel::insert_into(drill_answers::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// A team's answers to one inject: (how many, whether one was right).
pub fn attempts(
    conn: &mut DbConn,
    drill: &DrillId,
    inject: &InjectId,
    team: &str,
) -> QueryResult<(i64, bool)> {
    let rows: Vec<bool> = drill_answers::table
        .filter(drill_answers::drill_id.eq(drill))
        .filter(drill_answers::team_org_id.eq(team))
        .filter(drill_answers::inject_id.eq(inject))
        .select(drill_answers::correct)
        .load(conn)?;
    Ok((
        i64::try_from(rows.len()).unwrap_or(i64::MAX),
        rows.contains(&true),
    ))
}

/// A team's answers in a drill, newest first.
pub fn answers_of(conn: &mut DbConn, drill: &DrillId, team: &str) -> QueryResult<Vec<AnswerRow>> {
    drill_answers::table
        .filter(drill_answers::drill_id.eq(drill))
        .filter(drill_answers::team_org_id.eq(team))
        .order((drill_answers::created_at.desc(), drill_answers::id.desc()))
        .select(AnswerRow::as_select())
        .load(conn)
}

/// A participant team joins the standings at zero.
pub fn add_team(conn: &mut DbConn, drill: &DrillId, team: &str) -> QueryResult<()> {
    diesel::insert_into(drill_standings::table)
        .values(&StandingRow {
            drill_id: drill.clone(),
            team_org_id: team.to_owned(),
            score: 0,
            last_score_at: None,
        })
        .execute(conn)
        .map(drop)
}

/// Takes the team's standings row for the rest of the transaction (PostgreSQL locks it; SQLite
/// holds the whole database already), so that two answers of one team are counted one after the
/// other. False when the team has no row (not a participant).
pub fn lock_team(conn: &mut DbConn, drill: &DrillId, team: &str) -> QueryResult<bool> {
    diesel::update(drill_standings::table.find((drill, team)))
        .set(drill_standings::score.eq(drill_standings::score))
        .execute(conn)
        .map(|n| n == 1)
}

/// Records one ledger event and adds its points to the team's standing, in the caller's
/// transaction: the standings are never out of step with the ledger. A zero-point event (a wrong
/// answer) leaves the score and the time it was reached alone.
pub fn record(conn: &mut DbConn, row: &LedgerRow) -> QueryResult<()> {
    diesel::insert_into(drill_ledger::table)
        .values(row)
        .execute(conn)?;
    if row.points != 0 {
        diesel::update(drill_standings::table.find((&row.drill_id, &row.team_org_id)))
            .set((
                drill_standings::score.eq(drill_standings::score + row.points),
                drill_standings::last_score_at.eq(row.at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The ledger of a drill, in the order it was written.
pub fn ledger(conn: &mut DbConn, drill: &DrillId) -> QueryResult<Vec<LedgerRow>> {
    drill_ledger::table
        .filter(drill_ledger::drill_id.eq(drill))
        .order((drill_ledger::at.asc(), drill_ledger::id.asc()))
        .select(LedgerRow::as_select())
        .load(conn)
}

/// The newest ledger event's id (UUIDv7: they sort by creation), the standings' version.
pub fn last_event_id(conn: &mut DbConn, drill: &DrillId) -> QueryResult<Option<String>> {
    drill_ledger::table
        .filter(drill_ledger::drill_id.eq(drill))
        .order(drill_ledger::id.desc())
        .select(drill_ledger::id)
        .first(conn)
        .optional()
}

/// The live standings: one row per team.
pub fn standings(conn: &mut DbConn, drill: &DrillId) -> QueryResult<Vec<StandingRow>> {
    drill_standings::table
        .filter(drill_standings::drill_id.eq(drill))
        .select(StandingRow::as_select())
        .load(conn)
}

/// The standings as they stood at the last freeze.
pub fn frozen_standings(conn: &mut DbConn, drill: &DrillId) -> QueryResult<Vec<StandingRow>> {
    drill_standings_frozen::table
        .filter(drill_standings_frozen::drill_id.eq(drill))
        .select((
            drill_standings_frozen::drill_id,
            drill_standings_frozen::team_org_id,
            drill_standings_frozen::score,
            drill_standings_frozen::last_score_at,
        ))
        .load(conn)
}

/// Keeps the live standings as the frozen ones (replacing an earlier freeze's).
pub fn freeze(conn: &mut DbConn, drill: &DrillId) -> QueryResult<()> {
    diesel::delete(
        drill_standings_frozen::table.filter(drill_standings_frozen::drill_id.eq(drill)),
    )
    .execute(conn)?;
    let live = standings(conn, drill)?;
    let rows: Vec<_> = live
        .iter()
        .map(|s| {
            (
                drill_standings_frozen::drill_id.eq(&s.drill_id),
                drill_standings_frozen::team_org_id.eq(&s.team_org_id),
                drill_standings_frozen::score.eq(s.score),
                drill_standings_frozen::last_score_at.eq(s.last_score_at),
            )
        })
        .collect();
    for r in rows {
        diesel::insert_into(drill_standings_frozen::table)
            .values(r)
            .execute(conn)?;
    }
    Ok(())
}
