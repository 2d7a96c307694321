//! Signed checkpoints of the audit chain's head, written outside the database
//! (`Settings::audit_checkpoint_dir`): by the periodic job, at `irnet serve` start and after a
//! successful `irnet audit verify`. `verify` checks the chain with the key and against the latest
//! checkpoint, which is what detects a cut tail or an emptied log.

use irnet_store::audit::checkpoint::{self, Checkpoint, Latest};
use irnet_store::audit::{self, Verification};

use crate::jobs::{Every, Jobs, Kind, Outcome, Periodic};
use crate::{App, AppError};

/// The periodic job writing a checkpoint.
pub const JOB: &str = "audit_checkpoint";
/// How often the job writes one.
pub const EVERY_MINUTES: i64 = 15;

/// Registered in `crate::pillars`.
pub const JOBS: Jobs = Jobs {
    kinds: &[Kind {
        name: JOB,
        run: |app, _| {
            Box::pin(async move {
                match write(app).await {
                    Ok(_) => Outcome::Done,
                    // A log that no longer extends the last checkpoint will not mend by retrying.
                    Err(e) => {
                        tracing::error!(error = %e, "audit checkpoint refused");
                        Outcome::GiveUp(e.to_string())
                    }
                }
            })
        },
    }],
    periodic: &[Periodic {
        kind: JOB,
        every: Every::Minutes(EVERY_MINUTES),
    }],
};

fn io(e: &std::io::Error, what: &str) -> AppError {
    AppError::internal(format!("audit checkpoints: {what}: {e}"))
}

/// The latest checkpoint signed with the key, if any; a file that does not verify is an error
/// naming it.
fn latest(app: &App) -> Result<Option<Checkpoint>, String> {
    let Some(dir) = &app.settings.audit_checkpoint_dir else {
        return Ok(None);
    };
    match checkpoint::latest(dir, &app.settings.audit_key) {
        Ok(Latest::None) => Ok(None),
        Ok(Latest::Found(c)) => Ok(Some(c)),
        Ok(Latest::Invalid(path)) => Err(format!(
            "checkpoint file {} is not signed with this audit key (forged, or made with another key)",
            path.display()
        )),
        Err(e) => Err(format!("reading the checkpoints: {e}")),
    }
}

/// Walks the chain with the key and against the latest checkpoint; when it holds, writes a
/// checkpoint of the current head.
pub async fn verify(app: &App) -> Result<Verification, AppError> {
    let cp = match latest(app) {
        Ok(c) => c,
        Err(reason) => {
            return Ok(Verification::Broken {
                seq: None,
                id: None,
                reason,
            });
        }
    };
    let key = app.settings.audit_key.clone();
    let v = app
        .store
        .read(move |conn| Ok::<_, AppError>(audit::verify(conn, &key, cp.as_ref())?))
        .await?;
    if matches!(v, Verification::Intact { .. }) {
        write(app).await?;
    }
    Ok(v)
}

/// Writes a checkpoint of the current head, if a directory is set and the log still holds what
/// the latest checkpoint recorded (a log cut or rewritten since is not signed as good: the error
/// says what is wrong, and `audit verify` names it too). Returns the file written.
pub async fn write(app: &App) -> Result<Option<std::path::PathBuf>, AppError> {
    let Some(dir) = app.settings.audit_checkpoint_dir.clone() else {
        return Ok(None);
    };
    let previous = latest(app).map_err(AppError::internal)?;
    let (head, problem) = app
        .store
        .read(move |conn| {
            let problem = match &previous {
                Some(cp) => audit::extends(conn, cp)?,
                None => None,
            };
            Ok::<_, AppError>((audit::head(conn)?, problem))
        })
        .await?;
    if let Some(problem) = problem {
        return Err(AppError::internal(format!(
            "audit trail: {problem}; no checkpoint written (run `irnet audit verify`)"
        )));
    }
    let Some((seq, entries, hash)) = head else {
        return Ok(None);
    };
    let cp = Checkpoint::new(
        &app.settings.audit_key,
        seq,
        entries,
        hash,
        app.now().to_rfc3339(),
    );
    cp.write_to(&dir).map(Some).map_err(|e| io(&e, "writing"))
}
