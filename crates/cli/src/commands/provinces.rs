//! `irnet provinces load`: the provinces (reference data) from CSV or XLSX, all or nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::Subcommand;

use super::Run;
use crate::context::{Context, Migrate, explain};

#[derive(Subcommand)]
pub(crate) enum ProvincesCommand {
    /// Load provinces from a CSV or XLSX file (e.g. data/provinces-vn.csv); all or nothing
    Load {
        file: PathBuf,
        /// Check the file and list its problems without storing anything
        #[arg(long)]
        dry_run: bool,
    },
}

impl Run for ProvincesCommand {
    async fn run(self, ctx: &Context) -> anyhow::Result<ExitCode> {
        let Self::Load { file, dry_run } = self;
        let app = ctx.app(Migrate::Apply).await?;
        let bytes =
            std::fs::read(&file).map_err(|e| anyhow!("cannot read {}: {e}", file.display()))?;
        let content_type = file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
            .then(|| "text/csv".to_owned());
        let upload = irnet_app::directory::import::Upload {
            bytes,
            content_type,
        };
        let report = irnet_app::directory::import::provinces::import(
            &app,
            &irnet_app::Actor::operator(),
            upload,
            Default::default(),
            dry_run,
        )
        .await
        .map_err(explain)?;
        for p in &report.problems {
            eprintln!("row {}, column {}: {}", p.row, p.column, p.code);
        }
        if !report.problems.is_empty() {
            eprintln!("{} problem(s); nothing was stored.", report.problems.len());
            return Ok(ExitCode::from(1));
        }
        if dry_run {
            println!(
                "{} row(s) checked, no problem; nothing stored (dry run).",
                report.rows
            );
        } else {
            println!("{} province version(s) loaded.", report.imported);
        }
        Ok(ExitCode::SUCCESS)
    }
}
