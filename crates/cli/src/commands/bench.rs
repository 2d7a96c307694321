//! `irnet bench`: synthetic data for the benchmarks in `bench/`.

use std::process::ExitCode;
use std::time::Instant;

use clap::Subcommand;

use super::Run;
use crate::context::{Context, Migrate, explain};

#[derive(Subcommand)]
pub(crate) enum BenchCommand {
    /// Add a synthetic directory (organisations with a past name each, people) for benchmarks
    SeedDirectory {
        #[arg(long, default_value_t = 10_000)]
        orgs: usize,
        #[arg(long, default_value_t = 100_000)]
        people: usize,
    },
    /// Add a synthetic incident network (members with a responder and systems each, incidents
    /// over several years, escalations and shares) for benchmarks
    SeedIncidents {
        #[arg(long, default_value_t = 300)]
        orgs: usize,
        #[arg(long, default_value_t = 1_000_000)]
        incidents: usize,
    },
}

impl Run for BenchCommand {
    async fn run(self, ctx: &Context) -> anyhow::Result<ExitCode> {
        let app = ctx.app(Migrate::Apply).await?;
        let started = Instant::now();
        let operator = irnet_app::Actor::operator();
        match self {
            Self::SeedDirectory { orgs, people } => {
                let seeded = irnet_app::directory::synthetic::seed(&app, &operator, orgs, people)
                    .await
                    .map_err(explain)?;
                println!(
                    "Seeded {} organisations and {} people in {:.1} s.",
                    seeded.orgs,
                    seeded.people,
                    started.elapsed().as_secs_f64()
                );
            }
            Self::SeedIncidents { orgs, incidents } => {
                let seeded = irnet_app::incidents::synthetic::seed(
                    &app,
                    &operator,
                    orgs,
                    incidents,
                    |done| {
                        if done % 50_000 == 0 || done == incidents {
                            eprintln!(
                                "  {done} incidents written ({:.0} s)",
                                started.elapsed().as_secs_f64()
                            );
                        }
                    },
                )
                .await
                .map_err(explain)?;
                println!(
                    "Seeded {} incidents over {} organisations ({} reported to the coordinator) in {:.1} s.",
                    seeded.incidents,
                    seeded.orgs,
                    seeded.escalated,
                    started.elapsed().as_secs_f64()
                );
                println!(
                    "member-org: {} ({} incidents)",
                    seeded.member_org, seeded.member_incidents
                );
                println!("coordinator-org: {}", seeded.coordinator_org);
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
