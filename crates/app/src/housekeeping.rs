//! Housekeeping: a periodic job that deletes what has served its purpose — expired sessions,
//! one-time links used or expired, finished jobs, closed sign-in windows — so that the database
//! does not grow forever, and gives the space back (`irnet_store::housekeeping`).

use chrono::Duration;
use irnet_store::housekeeping::{self, Cutoffs, Removed};
use irnet_store::time::to_db;
use serde::{Deserialize, Serialize};

use crate::jobs::{Every, Jobs, Kind, Outcome, Periodic};
use crate::{App, AppError};

/// The `[housekeeping]` settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HousekeepingSettings {
    /// Days a finished job (sent mail, delivered webhook, a check that ran, or one given up) and a
    /// used or expired one-time link are kept, for the operations page and for inquiries. Never
    /// less than twice the focal-point reminder interval, which reads the last reminder's job.
    pub keep_finished_days: i64,
}

impl crate::settings::Section for HousekeepingSettings {
    fn apply(&self, _: &mut crate::Settings) -> Result<(), crate::settings::SettingError> {
        crate::settings::positive("housekeeping.keep_finished_days", self.keep_finished_days)
            .map(drop)
    }
}

impl Default for HousekeepingSettings {
    fn default() -> Self {
        Self {
            keep_finished_days: 30,
        }
    }
}

/// The hourly clean-up.
pub const JOB: &str = "housekeeping";

/// Registered in `crate::pillars`.
pub const JOBS: Jobs = Jobs {
    kinds: &[Kind {
        name: JOB,
        run: |app, _| Box::pin(async move { Outcome::retry_on_error(run(app).await) }),
    }],
    periodic: &[Periodic {
        kind: JOB,
        every: Every::Minutes(60),
    }],
};

/// Deletes what the settings no longer keep, then reclaims the space; returns what was deleted.
pub async fn run(app: &App) -> Result<Removed, AppError> {
    let s = &app.settings;
    let now = app.now();
    let keep =
        Duration::days(s.sections.housekeeping.keep_finished_days).max(s.reminder_repeat * 2);
    let cutoffs = Cutoffs {
        now: to_db(now),
        finished_before: to_db(now - keep),
        throttle_window_before: to_db(now - s.lockout_window),
    };
    let removed = app
        .store
        .write(move |conn| Ok::<_, AppError>(housekeeping::clean(conn, cutoffs)?))
        .await?;
    if removed.total() > 0 {
        app.store
            .read(move |conn| Ok::<_, AppError>(housekeeping::reclaim(conn, &removed)?))
            .await?;
        tracing::info!(
            ?removed,
            "housekeeping: deleted rows that served their purpose"
        );
    }
    Ok(removed)
}
