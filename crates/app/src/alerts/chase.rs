//! Chasing silent recipients: a periodic check (every few minutes, once across all instances)
//! finds the recipients that have not acknowledged a sent alert and takes the steps that fell due
//! (`Settings::alert_chase`): a reminder to the main focal point, then the backup focal point,
//! then the lead of the recipient's cluster. Each step is taken once (`chase_step`, updated in the
//! same transaction as the mail it enqueues) and stops as soon as the recipient acknowledges.

use irnet_domain::alert::{ChaseStep, Status};
use irnet_domain::ids::AlertId;
use irnet_store::alerts as store;
use irnet_store::time::from_db;

use super::tell::{self, MailKind};
use crate::{App, AppError};

/// Takes the chase steps due; returns how many steps were taken.
pub async fn check(app: &App) -> Result<usize, AppError> {
    let app2 = app.clone();
    app.store
        .write(move |conn| {
            let now = app2.now();
            let last = ChaseStep::EscalateLead.number();
            let mut taken = 0;
            let mut pending = store::to_chase(conn, last)?;
            let ids: Vec<AlertId> = pending.iter().map(|r| r.alert_id.clone()).collect();
            let alerts: std::collections::HashMap<AlertId, store::AlertRow> =
                store::get_many(conn, &ids)?
                    .into_iter()
                    .map(|a| (a.id.clone(), a))
                    .collect();
            for r in &mut pending {
                let Some(a) = alerts.get(&r.alert_id) else {
                    continue;
                };
                let Some(sent) = a.sent_at.filter(|_| a.status == Status::Sent) else {
                    continue;
                };
                let due = app2
                    .settings
                    .alert_chase
                    .due(now - from_db(sent), r.chase_step);
                for step in &due {
                    match step {
                        ChaseStep::RemindMain => {
                            tell::mail_focal_points(conn, &app2, a, r, MailKind::Reminder)?;
                        }
                        ChaseStep::EscalateBackup => {
                            tell::mail_focal_points(conn, &app2, a, r, MailKind::EscalateBackup)?;
                        }
                        ChaseStep::EscalateLead => {
                            tell::mail_cluster_lead(conn, &app2, a, r)?;
                        }
                    }
                    taken += 1;
                }
                if let Some(last) = due.last() {
                    r.chase_step = last.number();
                    store::save_recipient(conn, r)?;
                }
            }
            Ok(taken)
        })
        .await
}

/// Reminders and escalations of unacknowledged alerts, at the incident deadlines' cadence.
pub const JOB: &str = "alert_chase_check";

/// Registered in `crate::pillars`.
pub const JOBS: crate::jobs::Jobs = crate::jobs::Jobs {
    kinds: &[crate::jobs::Kind {
        name: JOB,
        run: |app, _| {
            Box::pin(async move { crate::jobs::Outcome::retry_on_error(check(app).await) })
        },
    }],
    periodic: &[crate::jobs::Periodic {
        kind: JOB,
        every: crate::jobs::Every::Minutes(5),
    }],
};
