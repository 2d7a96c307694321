//! An open incident of an organisation that merged away is handed over to the successor on the
//! day the merger took effect. The handover is read from the directory history rather than
//! written at the time, so it holds for mergers entered afterwards (the demo's of 01/07/2025) and
//! needs no job: the timeline shows it as an event of that day, in the reader's language.

use chrono::TimeZone;
use irnet_domain::incident::Status;
use irnet_store::DbConn;
use irnet_store::incidents::IncidentRow;
use irnet_store::time::to_db;

use super::handling::EventView;
use crate::directory::{names, succession};
use crate::{App, AppError};

/// The timeline's kind for a handover.
pub const KIND: &str = "handed_over";

/// The handover event of `row` and its instant (stored form), when its owner merged into a successor on or before today while
/// the incident was open (submitted, not yet closed).
pub(crate) fn event(
    conn: &mut DbConn,
    app: &App,
    row: &IncidentRow,
) -> Result<Option<(chrono::NaiveDateTime, EventView)>, AppError> {
    let today = app.today();
    let Some(c) = succession::closure(conn, &row.owner_org_id)?.filter(|c| c.on <= today) else {
        return Ok(None);
    };
    let Some(successor) = c.successor_id else {
        return Ok(None);
    };
    let midnight = app
        .settings
        .local_offset
        .from_local_datetime(&c.on.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|t| to_db(t.to_utc()))
        .unwrap_or_default();
    let open_then = row.status != Status::Draft
        && row.submitted_at.is_some_and(|s| s < midnight)
        && row.closed_at.is_none_or(|t| t >= midnight);
    if !open_then {
        return Ok(None);
    }
    let to = names::name_on(conn, &successor, c.on, today)?;
    Ok(Some((
        midnight,
        EventView {
            at: app.local(midnight),
            kind: KIND.to_owned(),
            actor_id: None,
            actor_org_id: None,
            body: None,
            data: serde_json::json!({
                "to_org_id": successor,
                "to_vi": to.name_vi,
                "to_en": to.name_en,
                "on": c.on,
            }),
        },
    )))
}
