//! What a pillar tells the queue: the kinds of job it runs and the jobs it wants run
//! periodically. The queue looks a job's kind up here; it names no pillar itself.

use std::future::Future;
use std::pin::Pin;

use irnet_store::jobs::JobRow;

use crate::App;

/// How a job ended: done, to be tried again later (with backoff, up to the job's attempts), or
/// given up at once with the reason kept on the row.
#[derive(Debug)]
pub enum Outcome {
    Done,
    Retry(String),
    GiveUp(String),
}

impl Outcome {
    /// A periodic check: done when it ran, retried when it failed (a later run reads afresh).
    pub fn retry_on_error<T, E: std::fmt::Display>(result: Result<T, E>) -> Self {
        match result {
            Ok(_) => Outcome::Done,
            Err(e) => Outcome::Retry(e.to_string()),
        }
    }
}

pub type JobFuture<'a> = Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;

/// A kind of job: its name in the `jobs` table and the function that runs one.
#[derive(Debug)]
pub struct Kind {
    pub name: &'static str,
    pub run: for<'a> fn(&'a App, &'a JobRow) -> JobFuture<'a>,
}

/// How often a periodic job runs. Each period's job runs once across all instances.
#[derive(Debug, Clone, Copy)]
pub enum Every {
    /// every so many minutes (periods counted from the Unix epoch)
    Minutes(i64),
    /// once per day of the network's time zone
    Day,
}

/// A job of `kind` (with an empty payload but for its period) enqueued every period.
#[derive(Debug)]
pub struct Periodic {
    pub kind: &'static str,
    pub every: Every,
}

/// A pillar's jobs, declared as a constant in its own module and listed in `crate::pillars`.
#[derive(Debug)]
pub struct Jobs {
    pub kinds: &'static [Kind],
    pub periodic: &'static [Periodic],
}
