//! The legal deadlines of an incident, computed by `irnet_domain::incident::DeadlineRules` from
//! its milestones in the network's time zone; the earliest open one is stored (`next_due_at`) so
//! that due and overdue lists are one indexed query.

use chrono::{DateTime, NaiveDateTime, Utc};
use irnet_domain::incident::{Deadline, Effect, Milestones, proposed_serious};
use irnet_store::DbConn;
use irnet_store::incidents::IncidentRow;
use irnet_store::time::{from_db, to_db};

use crate::{App, AppError};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DeadlineView {
    /// notice, initial_report, acknowledgement, closing_report
    pub kind: String,
    /// when it falls, in the network's time zone (RFC 3339)
    pub due: String,
    pub met_at: Option<String>,
    pub overdue: bool,
}

pub(crate) fn of(app: &App, r: &IncidentRow) -> Vec<Deadline> {
    let t = |x: Option<NaiveDateTime>| x.map(from_db);
    app.settings.deadlines.deadlines(
        &Milestones {
            detected_at: Some(from_db(r.detected_at)),
            submitted_at: t(r.submitted_at),
            exceeds_capacity: r.exceeds_capacity,
            initial_report_at: t(r.initial_report_at),
            escalated_at: t(r.escalated_at),
            acknowledged_at: t(r.acknowledged_at),
            response_ended_at: t(r.response_ended_at),
            closing_report_at: t(r.closing_report_at),
        },
        app.settings.local_offset,
    )
}

pub(crate) fn views(app: &App, r: &IncidentRow) -> Vec<DeadlineView> {
    let now = app.now();
    of(app, r)
        .into_iter()
        .map(|d| DeadlineView {
            kind: d.kind.as_str().to_owned(),
            due: d.due.to_rfc3339(),
            met_at: d
                .met_at
                .map(|t| t.with_timezone(&app.settings.local_offset).to_rfc3339()),
            overdue: d.overdue(now),
        })
        .collect()
}

/// The earliest deadline not yet met (none once closed).
pub(crate) fn next_due(app: &App, r: &IncidentRow) -> Option<NaiveDateTime> {
    next_due_after(app, r, None)
}

/// The earliest deadline not yet met that falls at or after `after` (if given; none once closed).
pub(crate) fn next_due_after(
    app: &App,
    r: &IncidentRow,
    after: Option<DateTime<Utc>>,
) -> Option<NaiveDateTime> {
    if r.closed_at.is_some() {
        return None;
    }
    of(app, r)
        .into_iter()
        .filter(|d| d.open() && after.is_none_or(|a| d.due >= a))
        .map(|d| to_db(d.due.to_utc()))
        .min()
}

/// Recomputes the platform's serious-incident proposal from the system's level, the effects and
/// whether the member can handle it alone (it says it cannot, or it asked for support).
pub(crate) fn refresh_serious(conn: &mut DbConn, r: &mut IncidentRow) -> Result<(), AppError> {
    let effects: Vec<Effect> = serde_json::from_str::<Vec<String>>(&r.effects)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| Effect::parse(e).ok())
        .collect();
    let asked = !irnet_store::incidents::support::requests_of_incident(conn, &r.id)?.is_empty();
    let level = r.system_level.and_then(|l| u8::try_from(l).ok());
    // On the national critical list: the system's own flag, as the directory has it now.
    let critical = match &r.system_id {
        Some(s) => irnet_store::directory::systems::get(conn, s)?.is_some_and(|s| s.critical),
        None => false,
    };
    r.serious_proposed = proposed_serious(level, critical, &effects, r.exceeds_capacity || asked);
    Ok(())
}
