//! `irnet config show`: the effective configuration after every layer, secrets masked.

use std::process::ExitCode;

use clap::Subcommand;

use super::Run;
use crate::context::Context;

#[derive(Subcommand)]
pub(crate) enum ConfigCommand {
    /// Print the effective configuration (TOML), secrets masked, with where each value came from
    Show,
}

impl Run for ConfigCommand {
    async fn run(self, ctx: &Context) -> anyhow::Result<ExitCode> {
        let Self::Show = self;
        print!("{}", ctx.config.show()?);
        Ok(ExitCode::SUCCESS)
    }
}
