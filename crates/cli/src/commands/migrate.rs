//! `irnet migrate`: apply pending database migrations.

use std::process::ExitCode;

use clap::Args;

use super::Run;
use crate::context::{Context, Migrate as Apply};

#[derive(Args)]
pub(crate) struct Migrate {}

impl Run for Migrate {
    async fn run(self, ctx: &Context) -> anyhow::Result<ExitCode> {
        let store = ctx.store(Apply::Leave).await?;
        let applied = store.migrate().await?;
        println!(
            "{} migration(s) applied; the database is current.",
            applied.len()
        );
        Ok(ExitCode::SUCCESS)
    }
}
