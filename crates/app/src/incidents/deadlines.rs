//! The legal deadlines of an incident, computed by the rule set in force on its local detection
//! day (`crate::rules`) from its milestones in the network's time zone; the earliest open one is
//! stored (`next_due_at`) so that due and overdue lists are one indexed query. A new rule set
//! applies to incidents detected from its date on, never to earlier ones.

use chrono::{DateTime, NaiveDateTime, Utc};
use irnet_domain::incident::{Deadline, Effect, Milestones};
use irnet_domain::rules::RuleBook;
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

/// The deadlines under the rule set of the incident's detection day, from `book`.
pub(crate) fn of(book: &RuleBook, app: &App, r: &IncidentRow) -> Vec<Deadline> {
    let t = |x: Option<NaiveDateTime>| x.map(from_db);
    let rules = book.on(crate::rules::local_day(app, r.detected_at));
    rules.deadlines(
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

pub(crate) fn views(
    conn: &mut DbConn,
    app: &App,
    r: &IncidentRow,
) -> Result<Vec<DeadlineView>, AppError> {
    let now = app.now();
    let book = crate::rules::book(conn, app)?;
    Ok(of(&book, app, r)
        .into_iter()
        .map(|d| DeadlineView {
            kind: d.kind.as_str().to_owned(),
            due: d.due.to_rfc3339(),
            met_at: d
                .met_at
                .map(|t| t.with_timezone(&app.settings.local_offset).to_rfc3339()),
            overdue: d.overdue(now),
        })
        .collect())
}

/// The earliest deadline not yet met (none once closed).
pub(crate) fn next_due(
    conn: &mut DbConn,
    app: &App,
    r: &IncidentRow,
) -> Result<Option<NaiveDateTime>, AppError> {
    let book = crate::rules::book(conn, app)?;
    Ok(next_due_after(&book, app, r, None))
}

/// The earliest deadline not yet met that falls at or after `after` (if given; none once closed).
pub(crate) fn next_due_after(
    book: &RuleBook,
    app: &App,
    r: &IncidentRow,
    after: Option<DateTime<Utc>>,
) -> Option<NaiveDateTime> {
    if r.closed_at.is_some() {
        return None;
    }
    of(book, app, r)
        .into_iter()
        .filter(|d| d.open() && after.is_none_or(|a| d.due >= a))
        .map(|d| to_db(d.due.to_utc()))
        .min()
}

/// Recomputes the platform's serious-incident proposal from the system's level, the effects and
/// whether the member can handle it alone (it says it cannot, or it asked for support), by the
/// criteria of the rule set of the incident's detection day.
pub(crate) fn refresh_serious(
    conn: &mut DbConn,
    app: &App,
    r: &mut IncidentRow,
) -> Result<(), AppError> {
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
    let rules = crate::rules::on(conn, app, crate::rules::local_day(app, r.detected_at))?;
    r.serious_proposed =
        rules
            .set
            .proposes_serious(level, critical, &effects, r.exceeds_capacity || asked);
    Ok(())
}
