//! `irnet demo load`: the demo network.

use std::process::ExitCode;

use clap::Subcommand;
use irnet_app::App;

use super::Run;
use crate::context::{Context, Migrate, explain};

#[derive(Subcommand)]
pub(crate) enum DemoCommand {
    /// Load the demo network into an empty database
    Load,
}

impl Run for DemoCommand {
    async fn run(self, ctx: &Context) -> anyhow::Result<ExitCode> {
        match self {
            Self::Load => load(&ctx.app(Migrate::Apply).await?).await?,
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// Loads the demo network and prints its accounts (also `irnet serve --demo`).
pub(crate) async fn load(app: &App) -> anyhow::Result<()> {
    let accounts = irnet_app::demo::load(app).await.map_err(explain)?;
    println!("Demo network loaded. Accounts (email / password):");
    for a in accounts {
        println!("  {:<14} {} / {}", a.role, a.email, a.password);
    }
    Ok(())
}
