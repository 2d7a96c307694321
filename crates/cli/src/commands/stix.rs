//! `irnet stix import`: a STIX 2.1 bundle too large for an HTTP request.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::anyhow;
use clap::Subcommand;
use irnet_app::AppError;

use super::Run;
use crate::context::{Context, Migrate, explain};

#[derive(Subcommand)]
pub(crate) enum StixCommand {
    /// Import a STIX 2.1 bundle for an account's organisation, as `POST /api/v1/stix/import`
    /// does (all or nothing), for bundles too large for an HTTP request
    Import {
        /// The bundle (JSON)
        file: PathBuf,
        /// The account the import is made for and audited as (its organisation owns the
        /// indicators)
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
    },
}

impl Run for StixCommand {
    async fn run(self, ctx: &Context) -> anyhow::Result<ExitCode> {
        let Self::Import { file, as_email } = self;
        let app = ctx.app(Migrate::Apply).await?;
        let actor = irnet_app::identity::auth::operator_acting_as(&app, &as_email)
            .await
            .map_err(|e| anyhow!("--as {as_email}: {}", explain(e)))?;
        let started = Instant::now();
        let text = std::fs::read_to_string(&file)
            .map_err(|e| anyhow!("cannot read {}: {e}", file.display()))?;
        match irnet_app::sharing::stix::import(&app, &actor, text).await {
            Ok(summary) => {
                println!(
                    "Imported bundle {}: {} object(s) created, {} new version(s), {} unchanged, {} already held by others (audience added), {} indicator(s) projected, in {:.1} s.",
                    summary.bundle_id,
                    summary.created,
                    summary.updated,
                    summary.unchanged,
                    summary.audience_added,
                    summary.indicators.len(),
                    started.elapsed().as_secs_f64()
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(AppError::Validation(fields)) => {
                const SHOWN: usize = 100;
                for f in fields.iter().take(SHOWN) {
                    eprintln!("{}: {}", f.field, f.code);
                }
                if fields.len() > SHOWN {
                    eprintln!("… and {} more.", fields.len() - SHOWN);
                }
                eprintln!("{} problem(s); nothing was stored.", fields.len());
                Ok(ExitCode::from(1))
            }
            Err(e) => Err(explain(e)),
        }
    }
}
