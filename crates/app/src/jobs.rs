//! The jobs worker: runs what the `jobs` table holds (mail, webhook deliveries, periodic checks)
//! on every instance.
//! Claims are leased, so a job whose instance died runs again once its lease expires; failures
//! are retried with exponential backoff and then given up, with the error kept on the row.
//!
//! The queue knows no pillar: each pillar declares its job kinds and periodic jobs (`Jobs`, in
//! its own module) and `crate::pillars` lists them. Periodic work is enqueued by `schedule`,
//! keyed by its period (`dedup_key`), so however many instances run the worker, each period's
//! job runs once.

use std::future::Future;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use irnet_store::DbConn;
use irnet_store::jobs::{self, JobRow};
use irnet_store::time::to_db;

use crate::{App, AppError};

pub use registry::{Every, JobFuture, Jobs, Kind, Outcome, Periodic};

mod registry;

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

/// Enqueues the periodic jobs every pillar registered (`Jobs::periodic`), each once per period
/// across all instances: the period is in the job's `dedup_key`.
pub async fn schedule(app: &App) -> Result<(), AppError> {
    let (now, today) = (app.now(), app.today());
    let registry = app.jobs;
    app.store
        .write(move |conn| {
            for periodic in registry.iter().flat_map(|j| j.periodic) {
                let (payload, period) = match periodic.every {
                    Every::Minutes(m) => {
                        let slot = now.timestamp() / (m.max(1) * 60);
                        (serde_json::json!({ "slot": slot }), slot.to_string())
                    }
                    Every::Day => (serde_json::json!({ "day": today }), today.to_string()),
                };
                let key = format!("{}:{period}", periodic.kind);
                enqueue(conn, now, periodic.kind, &payload, Some(key), now)?;
            }
            Ok::<_, AppError>(())
        })
        .await
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
    match app
        .jobs
        .iter()
        .flat_map(|j| j.kinds)
        .find(|k| k.name == job.kind)
    {
        Some(kind) => (kind.run)(app, job).await,
        None => Outcome::GiveUp(format!("unknown job kind {}", job.kind)),
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
