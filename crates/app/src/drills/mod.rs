//! Drills (issue 20): scenario drills run in irnet (injects, answers, a scoring ledger and the
//! standings it sums to, kept in the same transaction), and external drills recorded with each
//! member's published rank. Every use-case loads the drill with the reader's part in it
//! (`load`); a drill the reader has no part in does not exist for them (404).

mod answer;
mod create;
pub(crate) mod demo;
mod export;
mod injects;
mod members;
mod read;
mod results;
mod standings;
mod transition;

pub use answer::{AnswerInput, AnswerView, answer};
pub use create::{DrillInput, create};
pub use export::standings_table;
pub use injects::{InjectInput, InjectView, add_inject, inject, injects};
pub use members::{MemberInput, add_member};
pub use read::{DrillAbilities, DrillLine, DrillView, get, list};
pub use results::{OrgDrillResult, ResultInput, ResultView, of_org, record_result};
pub use standings::{
    AdjustInput, HistoryLine, StandingLine, StandingsView, adjust, history, replay, standings,
};
pub use transition::{TransitionInput, transition};

use chrono::NaiveDate;
use irnet_domain::drills::DrillRole;
use irnet_domain::ids::{ClusterId, DrillId, OrgId, UserId};
use irnet_domain::policy::{DrillFacts, DrillGrant};
use irnet_store::DbConn;
use irnet_store::drills::{self as store, DrillRow, MemberRow};

use crate::{Actor, AppError};

/// A drill with what the reader's part in it is.
pub(crate) struct Loaded {
    pub row: DrillRow,
    pub members: Vec<MemberRow>,
    pub facts: DrillFacts,
    pub role: DrillRole,
}

pub(crate) fn facts(row: &DrillRow, members: &[MemberRow]) -> DrillFacts {
    DrillFacts {
        kind: row.kind,
        organiser_cluster: row
            .organiser_cluster_id
            .clone()
            .map(ClusterId::from_trusted),
        grants: members
            .iter()
            .map(|m| DrillGrant {
                role: m.role,
                org: m.org_id.clone().map(OrgId::from_trusted),
                person: m.user_id.clone().map(UserId::from_trusted),
            })
            .collect(),
    }
}

/// The drill as the actor may know it; `NotFound` when they have no part in it.
pub(crate) fn load(conn: &mut DbConn, actor: &Actor, id: &DrillId) -> Result<Loaded, AppError> {
    let row = store::get(conn, id)?.ok_or(AppError::NotFound)?;
    let members = store::members(conn, id)?;
    let facts = facts(&row, &members);
    let role = actor
        .principal
        .drill_role(&facts)
        .ok_or(AppError::NotFound)?;
    Ok(Loaded {
        row,
        members,
        facts,
        role,
    })
}

/// The participant teams of a drill, as stored.
pub(crate) fn teams(members: &[MemberRow]) -> Vec<String> {
    members
        .iter()
        .filter(|m| m.role == DrillRole::Participant)
        .filter_map(|m| m.org_id.clone())
        .collect()
}

/// The day a drill names its teams as of: its first day, in its own zone.
pub(crate) fn day_of(row: &DrillRow) -> NaiveDate {
    (row.starts_at + chrono::Duration::minutes(i64::from(row.utc_offset_minutes))).date()
}

/// A write needs a write credential first (a read-only token is told so), then the decision.
pub(crate) fn allowed(actor: &Actor, decision: bool) -> Result<(), AppError> {
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    if !decision {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// The bus topic of a drill's standings: its key is the drill's id. Live standings re-read the
/// board through `standings` under the reader's rules, so the event carries nothing.
pub const STANDINGS_TOPIC: &str = "drill_standings";

/// Tells open standings pages that the board may have changed, when the caller's transaction
/// commits.
fn changed(conn: &mut irnet_store::DbConn, drill: &DrillId) -> Result<(), AppError> {
    irnet_store::events::publish(
        conn,
        &irnet_store::events::Event {
            topic: STANDINGS_TOPIC.to_owned(),
            key: drill.as_str().to_owned(),
            id: uuid::Uuid::now_v7().to_string(),
        },
    )?;
    Ok(())
}
