//! `irnet`: the one binary. Serves the platform and carries the operator's commands, one module
//! per group in `commands/`; a new group is one entry in `commands!` below.

mod commands;
mod config;
mod context;

use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use commands::commands;

commands! {
    /// Serve the web UI and API
    Serve(commands::serve::Serve),
    /// Apply pending database migrations
    Migrate(commands::migrate::Migrate),
    /// Manage accounts
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// Manage API tokens
    #[command(subcommand)]
    Token(commands::token::TokenCommand),
    /// The audit trail
    #[command(subcommand)]
    Audit(commands::audit::AuditCommand),
    /// The demo network
    #[command(subcommand)]
    Demo(commands::demo::DemoCommand),
    /// Benchmark fixtures (used by bench/*.sh)
    #[command(subcommand, hide = true)]
    Bench(commands::bench::BenchCommand),
    /// Provinces (reference data)
    #[command(subcommand)]
    Provinces(commands::provinces::ProvincesCommand),
    /// STIX 2.1 bundles
    #[command(subcommand)]
    Stix(commands::stix::StixCommand),
    /// The configuration
    #[command(subcommand)]
    Config(commands::config::ConfigCommand),
}

#[derive(Parser)]
#[command(
    name = "irnet",
    version,
    about = "Operations platform of a national network of cybersecurity incident response teams",
    after_help = "Every setting is a key in irnet.toml, an IRNET_<KEY> environment variable \
                  (IRNET_INCIDENTS__NOTICE_DAYS for notice_days in [incidents]) and --set KEY=VALUE; \
                  flags win over the environment, the environment over the file. \
                  `irnet config show` lists every key with its value and where it came from."
)]
struct Cli {
    #[command(flatten)]
    global: config::GlobalArgs,
    /// Log format
    #[arg(long, env = "IRNET_LOG_FORMAT", global = true, value_enum)]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum LogFormat {
    Text,
    Json,
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("IRNET_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi);
    if format == LogFormat::Json {
        builder.json().flatten_event(true).init();
    } else {
        builder.init();
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = config::Config::load(&cli.global, cli.command.setting_flags()?)?;
    cli.command.run(&context::Context { config }).await
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format.unwrap_or(LogFormat::Text));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
