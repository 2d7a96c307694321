//! `irnet token create`: an API token for an account, printed once.

use std::process::ExitCode;

use anyhow::{Context as _, anyhow};
use chrono::{DateTime, Utc};
use clap::Subcommand;
use irnet_app::identity::tokens::{self, NewToken};
use irnet_domain::TokenScope;

use super::Run;
use crate::context::{Context, Migrate, explain};

#[derive(Subcommand)]
pub(crate) enum TokenCommand {
    /// Create an API token for an account; prints it once
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
        /// read or write
        #[arg(long, default_value = "write")]
        scope: String,
        /// Lifetime: a number of days like 30d, or a date like 2026-12-31
        #[arg(long)]
        expires: Option<String>,
    },
}

impl Run for TokenCommand {
    async fn run(self, ctx: &Context) -> anyhow::Result<ExitCode> {
        let Self::Create {
            email,
            name,
            scope,
            expires,
        } = self;
        let app = ctx.app(Migrate::Apply).await?;
        let scope =
            TokenScope::parse(&scope).map_err(|_| anyhow!("--scope must be read or write"))?;
        let expires_at = expires
            .as_deref()
            .map(|e| parse_expiry(e, app.now()))
            .transpose()?;
        let created = tokens::operator_issue(
            &app,
            &email,
            NewToken {
                name,
                scope,
                expires_at,
            },
        )
        .await
        .map_err(explain)?;
        eprintln!(
            "Token \"{}\" for {email}, {} access, expires {}. Shown once:",
            created.view.name,
            created.view.scope,
            created
                .view
                .expires_at
                .map(|e| e.to_rfc3339())
                .unwrap_or_default()
        );
        println!("{}", created.token);
        Ok(ExitCode::SUCCESS)
    }
}

fn parse_expiry(s: &str, now: DateTime<Utc>) -> anyhow::Result<DateTime<Utc>> {
    if let Some(days) = s.strip_suffix('d') {
        let d: i64 = days
            .parse()
            .with_context(|| format!("--expires {s}: expected e.g. 30d"))?;
        return Ok(now + chrono::Duration::days(d));
    }
    let date = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .with_context(|| format!("--expires {s}: expected 30d or 2026-12-31"))?;
    Ok(date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
}
