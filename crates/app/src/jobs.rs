//! The jobs worker: runs what the `jobs` table holds (mail, webhook deliveries, periodic checks)
//! on every instance.
//! Claims are leased, so a job whose instance died runs again once its lease expires; failures
//! are retried with exponential backoff and then given up, with the error kept on the row.
//!
//! Periodic work is enqueued by `schedule`, keyed by its period (`dedup_key`), so however many
//! instances run the worker, each period's check runs once.

use std::future::Future;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use irnet_store::DbConn;
use irnet_store::jobs::{self, JobRow};
use irnet_store::time::to_db;

use crate::mail::{self, Mail, MailError};
use crate::{App, AppError};

pub const EMAIL: &str = "email";
pub const FOCAL_POINT_CHECK: &str = "focal_point_check";
pub const INCIDENT_DEADLINE_CHECK: &str = "incident_deadline_check";
/// Reminders and escalations of unacknowledged alerts (same cadence as the incident deadlines).
pub const ALERT_CHASE_CHECK: &str = "alert_chase_check";

/// How often the incident deadlines are checked: acknowledgement is due within hours.
const DEADLINE_CHECK_EVERY_MINUTES: i64 = 5;

/// How long a claimed job is reserved for its worker.
const LEASE: Duration = Duration::minutes(5);
const MAX_ATTEMPTS: i32 = 6;

/// Adds a job to run at `run_at`, in the caller's transaction. False when `dedup_key` was used.
pub fn enqueue(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    kind: &str,
    payload: &impl serde::Serialize,
    dedup_key: Option<String>,
    run_at: DateTime<Utc>,
) -> Result<bool, AppError> {
    let payload = serde_json::to_string(payload).map_err(AppError::internal)?;
    Ok(jobs::enqueue(
        conn,
        &JobRow {
            id: uuid::Uuid::now_v7().to_string(),
            kind: kind.to_owned(),
            payload,
            dedup_key,
            status: jobs::PENDING.to_owned(),
            run_at: to_db(run_at),
            attempts: 0,
            max_attempts: MAX_ATTEMPTS,
            locked_until: None,
            locked_by: None,
            last_error: None,
            created_at: to_db(now),
            finished_at: None,
        },
    )?)
}

/// Enqueues the periodic checks: the focal points once a day, the incident deadlines every few
/// minutes (each once across all instances).
pub async fn schedule(app: &App) -> Result<(), AppError> {
    let (now, today) = (app.now(), app.today());
    app.store
        .write(move |conn| {
            enqueue(
                conn,
                now,
                FOCAL_POINT_CHECK,
                &serde_json::json!({ "day": today }),
                Some(format!("{FOCAL_POINT_CHECK}:{today}")),
                now,
            )?;
            let slot = now.timestamp() / (DEADLINE_CHECK_EVERY_MINUTES * 60);
            enqueue(
                conn,
                now,
                INCIDENT_DEADLINE_CHECK,
                &serde_json::json!({ "slot": slot }),
                Some(format!("{INCIDENT_DEADLINE_CHECK}:{slot}")),
                now,
            )?;
            enqueue(
                conn,
                now,
                ALERT_CHASE_CHECK,
                &serde_json::json!({ "slot": slot }),
                Some(format!("{ALERT_CHASE_CHECK}:{slot}")),
                now,
            )?;
            let cp = crate::audit::checkpoints::JOB;
            let cp_slot = now.timestamp() / (crate::audit::checkpoints::EVERY_MINUTES * 60);
            enqueue(
                conn,
                now,
                cp,
                &serde_json::json!({ "slot": cp_slot }),
                Some(format!("{cp}:{cp_slot}")),
                now,
            )
        })
        .await
        .map(drop)
}

enum Outcome {
    Done,
    Retry(String),
    GiveUp(String),
}

/// Runs due jobs until none is left; returns how many ran. Tests call this after moving the clock;
/// `worker` calls it in a loop.
pub async fn run_due(app: &App, worker: &str) -> Result<usize, AppError> {
    let mut ran = 0;
    loop {
        let now = app.now();
        let worker_id = worker.to_owned();
        let claimed = app
            .store
            .write(move |conn| {
                Ok::<_, AppError>(jobs::claim(
                    conn,
                    to_db(now),
                    to_db(now + LEASE),
                    &worker_id,
                )?)
            })
            .await?;
        let Some(job) = claimed else { return Ok(ran) };
        ran += 1;
        let outcome = run_one(app, &job).await;
        let (id, attempts, max) = (job.id.clone(), job.attempts, job.max_attempts);
        let now = app.now();
        app.store
            .write(move |conn| {
                match outcome {
                    Outcome::Done => jobs::complete(conn, &id, to_db(now))?,
                    Outcome::Retry(e) if attempts < max => {
                        // 1, 2, 4, 8… minutes
                        let wait = Duration::minutes(1 << (attempts - 1).clamp(0, 10));
                        jobs::fail(conn, &id, to_db(now), &e, Some(to_db(now + wait)))?;
                    }
                    Outcome::Retry(e) | Outcome::GiveUp(e) => {
                        jobs::fail(conn, &id, to_db(now), &e, None)?;
                    }
                }
                Ok::<_, AppError>(())
            })
            .await?;
    }
}

async fn run_one(app: &App, job: &JobRow) -> Outcome {
    match job.kind.as_str() {
        EMAIL => match serde_json::from_str::<Mail>(&job.payload) {
            // Cut by the recipient's read rule as it is now, not as it was when enqueued.
            Ok(m) => match crate::notify::cut::mail_to_send(app, m).await {
                Ok(Some(m)) => match mail::send(&app.settings, &m).await {
                    Ok(()) => Outcome::Done,
                    Err(e @ MailError::Transient(_)) => Outcome::Retry(e.to_string()),
                    Err(e) => Outcome::GiveUp(e.to_string()),
                },
                Ok(None) => Outcome::Done,
                Err(e) => Outcome::Retry(e.to_string()),
            },
            Err(e) => Outcome::GiveUp(format!("payload: {e}")),
        },
        crate::notify::webhooks::JOB => {
            use crate::notify::webhooks::{DeliveryError, deliver};
            match deliver(app, &job.payload, job.attempts, job.max_attempts).await {
                Ok(()) => Outcome::Done,
                Err(DeliveryError::Retry(e)) => Outcome::Retry(e),
                Err(DeliveryError::GiveUp(e)) => Outcome::GiveUp(e),
            }
        }
        FOCAL_POINT_CHECK => match crate::directory::focal_reminders::check(app).await {
            Ok(_) => Outcome::Done,
            Err(e) => Outcome::Retry(e.to_string()),
        },
        INCIDENT_DEADLINE_CHECK => match crate::incidents::reminders::check(app).await {
            Ok(_) => Outcome::Done,
            Err(e) => Outcome::Retry(e.to_string()),
        },
        ALERT_CHASE_CHECK => match crate::alerts::chase::check(app).await {
            Ok(_) => Outcome::Done,
            Err(e) => Outcome::Retry(e.to_string()),
        },
        crate::audit::checkpoints::JOB => match crate::audit::checkpoints::write(app).await {
            Ok(_) => Outcome::Done,
            // A log that no longer extends the last checkpoint will not mend by retrying.
            Err(e) => {
                tracing::error!(error = %e, "audit checkpoint refused");
                Outcome::GiveUp(e.to_string())
            }
        },
        other => Outcome::GiveUp(format!("unknown job kind {other}")),
    }
}

/// The worker loop of `irnet serve`: schedule, run what is due, wait `poll`, until `shutdown`.
pub async fn worker(app: App, poll: StdDuration, shutdown: impl Future<Output = ()>) {
    let id = format!("{}-{}", std::process::id(), uuid::Uuid::now_v7());
    tokio::pin!(shutdown);
    loop {
        if let Err(e) = schedule(&app).await {
            tracing::warn!(error = %e, "jobs: scheduling failed");
        }
        match run_due(&app, &id).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(jobs = n, "jobs: ran"),
            Err(e) => tracing::warn!(error = %e, "jobs: run failed"),
        }
        tokio::select! {
            () = &mut shutdown => return,
            () = tokio::time::sleep(poll) => {}
        }
    }
}
