//! Training (issue 20): programmes organised by a member, a cluster lead for its cluster or the
//! coordinator, their sessions, who attended (people of the directory), the certificates people
//! hold with reminders before they expire, and each member's yearly totals.
//!
//! A programme is read by its organiser and the members it invited (`programme_read_rule`;
//! anyone else gets 404). A person's attendance and certificates are their organisation's private
//! part (`private_read_rule`), so a programme page shows each reader only the attendees they may
//! know of. Hours from any source go through `record_hours`: a session attended today, a drill
//! taken part in later.

pub mod attend;
pub mod certificates;
pub mod create;
pub mod get;
pub mod list;
pub mod reminders;
pub mod session;
pub mod settings;
pub mod totals;

use chrono::{Datelike, NaiveDate};
use irnet_domain::ids::{OrgId, ProgrammeId};
use irnet_domain::training::HoursSource;
use irnet_store::DbConn;
use irnet_store::directory::people as people_store;
use irnet_store::training::{self as store, HoursRow, ProgrammeRow};

use crate::directory::names::OrgName;
use crate::{Actor, App, AppError};

/// A programme, as a list shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProgrammeSummary {
    #[schema(value_type = String)]
    pub id: ProgrammeId,
    pub title: String,
    pub topic: String,
    pub audience: String,
    pub year: i32,
    /// member, cluster_lead or coordinator
    pub organiser_kind: String,
    /// the organiser as named on the programme's day
    pub organiser: OrgName,
}

/// The day a programme's names are read on: its first session's, else the first day of its year
/// (or today, for a programme of a year still to come).
pub(crate) fn programme_day(
    conn: &mut DbConn,
    row: &ProgrammeRow,
    today: NaiveDate,
) -> Result<NaiveDate, AppError> {
    if let Some(first) = store::sessions_of(conn, &row.id)?.first() {
        return Ok(first.held_on);
    }
    Ok(NaiveDate::from_ymd_opt(row.year, 1, 1)
        .unwrap_or(today)
        .min(today))
}

/// Loads a programme the actor may read, with its invited members; 404 otherwise.
pub(crate) fn readable(
    conn: &mut DbConn,
    actor: &Actor,
    id: &ProgrammeId,
) -> Result<(ProgrammeRow, Vec<String>), AppError> {
    let row = store::get_programme(conn, id)?.ok_or(AppError::NotFound)?;
    let invited = store::invited(conn, id)?;
    let invited_ids: Vec<OrgId> = invited
        .iter()
        .map(|o| OrgId::from_trusted(o.clone()))
        .collect();
    let organiser = OrgId::from_trusted(row.organiser_org_id.clone());
    if actor
        .principal
        .programme_read_rule()
        .admits(&organiser, &invited_ids)
    {
        Ok((row, invited))
    } else {
        Err(AppError::NotFound)
    }
}

/// …and that the actor runs (its organiser's org admins, the coordinator): 403 for a reader who
/// may not, a read-only token included.
pub(crate) fn managed(
    conn: &mut DbConn,
    actor: &Actor,
    id: &ProgrammeId,
) -> Result<(ProgrammeRow, Vec<String>), AppError> {
    let (row, invited) = readable(conn, actor, id)?;
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    if actor
        .principal
        .may_manage_training_of(&OrgId::from_trusted(row.organiser_org_id.clone()))
    {
        Ok((row, invited))
    } else {
        Err(AppError::Forbidden)
    }
}

/// Records hours of training for a person of the directory, from any source: the one hook every
/// pillar uses (sessions here; the drills pillar for taking part in a drill, with
/// `HoursSource::Drill` and the drill's id). Counted in the person's organisation of the day
/// recorded, in the year of `held_on`; recording the same person and source again replaces it.
/// Call inside the caller's write transaction, after its policy check.
pub fn record_hours(
    conn: &mut DbConn,
    app: &App,
    person_id: &str,
    held_on: NaiveDate,
    minutes: i32,
    source: HoursSource,
    source_id: &str,
) -> Result<(), AppError> {
    let person = people_store::get(conn, person_id)?.ok_or(AppError::NotFound)?;
    store::record_hours(
        conn,
        &HoursRow {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: person.id,
            org_id: person.org_id,
            held_on,
            year: held_on.year(),
            minutes,
            source,
            source_id: source_id.to_owned(),
            created_at: irnet_store::time::to_db(app.now()),
        },
    )?;
    Ok(())
}

/// Trims and normalises a text field to NFC, as every pillar stores text.
pub(crate) fn clean(s: &str) -> String {
    irnet_domain::text::nfc(s.trim())
}

/// A date given as yyyy-mm-dd (an HTML date input and the API alike), named by its field.
pub(crate) fn date(p: &mut crate::error::Problems, field: &str, v: &str) -> Option<NaiveDate> {
    let v = v.trim();
    if v.is_empty() {
        p.add(field, "required");
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            p.add(field, "invalid_date");
            None
        }
    }
}
