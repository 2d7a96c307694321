//! `irnet audit verify`: the audit chain checked with its key and against the latest checkpoint.

use std::process::ExitCode;

use clap::Subcommand;
use irnet_store::audit::Verification;

use super::Run;
use crate::context::{Context, Migrate, explain};

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Check that no entry of the audit trail was edited or deleted
    Verify,
}

impl Run for AuditCommand {
    async fn run(self, ctx: &Context) -> anyhow::Result<ExitCode> {
        let Self::Verify = self;
        let app = ctx.app(Migrate::Leave).await?;
        match irnet_app::audit::verify(&app).await.map_err(explain)? {
            Verification::Intact { entries } => {
                println!("Audit trail intact: {entries} entries verified.");
                Ok(ExitCode::SUCCESS)
            }
            Verification::Broken { seq, id, reason } => {
                let at = match (seq, id) {
                    (Some(s), Some(id)) => format!(" at entry #{s} (id {id})"),
                    (Some(s), None) => format!(" at entry #{s}"),
                    _ => String::new(),
                };
                eprintln!("Audit trail BROKEN{at}: {reason}");
                Ok(ExitCode::from(2))
            }
        }
    }
}
