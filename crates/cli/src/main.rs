//! `irnet`: the one binary. Serves the platform and carries the operator's commands.

mod config;

use std::io::Read as _;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, anyhow, bail};
use clap::{Parser, Subcommand, ValueEnum};
use config::{DEFAULT_LISTEN, DbArgs, FileConfig, ServeArgs};
use irnet_app::clock::SystemClock;
use irnet_app::identity::tokens::{self, NewToken};
use irnet_app::identity::users::{self, NewUser};
use irnet_app::{App, AppError, Settings};
use irnet_domain::{Grant, Role, Scope, TokenScope};
use irnet_store::Store;
use irnet_store::audit::Verification;

#[derive(Parser)]
#[command(
    name = "irnet",
    version,
    about = "Operations platform of a national network of cybersecurity incident response teams"
)]
struct Cli {
    #[command(flatten)]
    db: DbArgs,
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

#[derive(Subcommand)]
enum Command {
    /// Serve the web UI and API
    Serve(ServeArgs),
    /// Apply pending database migrations
    Migrate,
    /// Manage accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens
    #[command(subcommand)]
    Token(TokenCommand),
    /// The audit trail
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The demo network
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Benchmark fixtures (used by bench/*.sh)
    #[command(subcommand, hide = true)]
    Bench(BenchCommand),
    /// Provinces (reference data)
    #[command(subcommand)]
    Provinces(ProvincesCommand),
    /// STIX 2.1 bundles
    #[command(subcommand)]
    Stix(StixCommand),
}

#[derive(Subcommand)]
enum StixCommand {
    /// Import a STIX 2.1 bundle for an account's organisation, as `POST /api/v1/stix/import`
    /// does (all or nothing), for bundles too large for an HTTP request
    Import {
        /// The bundle (JSON)
        file: std::path::PathBuf,
        /// The account the import is made for and audited as (its organisation owns the
        /// indicators)
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
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

#[derive(Subcommand)]
enum ProvincesCommand {
    /// Load provinces from a CSV or XLSX file (e.g. data/provinces-vn.csv); all or nothing
    Load {
        file: std::path::PathBuf,
        /// Check the file and list its problems without storing anything
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account (and its organisation, if it does not exist yet)
    Create {
        #[arg(long)]
        email: String,
        /// Organisation: its id or its name
        #[arg(long)]
        org: String,
        /// Display name (default: the email)
        #[arg(long)]
        name: Option<String>,
        /// Make the account a platform administrator
        #[arg(long)]
        admin: bool,
        /// Language: vi or en
        #[arg(long)]
        locale: Option<String>,
        /// Read the password from standard input (otherwise one is generated and printed)
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password; every session of the account ends
    ResetPassword {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
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

#[derive(Subcommand)]
enum AuditCommand {
    /// Check that no entry of the audit trail was edited or deleted
    Verify,
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Load the demo network into an empty database
    Load,
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

fn settings(serve: Option<&ServeArgs>, file: &FileConfig) -> anyhow::Result<Settings> {
    let mut s = Settings::default();
    if let Some(n) = serve
        .and_then(|a| a.lockout_threshold)
        .or(file.lockout_threshold)
    {
        s.lockout_threshold = n.max(1);
    }
    if let Some(m) = serve
        .and_then(|a| a.lockout_minutes)
        .or(file.lockout_minutes)
    {
        s.lockout_duration = chrono::Duration::minutes(m.max(1));
    }
    if let Some(h) = file.session_idle_hours {
        s.session_idle = chrono::Duration::hours(h.max(1));
    }
    if let Some(roles) = serve
        .and_then(|a| a.mfa_required_roles.clone())
        .or_else(|| file.mfa_required_roles.clone())
    {
        s.mfa_required_roles = roles
            .iter()
            .filter(|r| !r.trim().is_empty())
            .map(|r| Role::parse(r.trim()).map_err(|e| anyhow!("mfa required roles: {e}")))
            .collect::<anyhow::Result<_>>()?;
    }
    s.smtp_url = serve
        .and_then(|a| a.smtp_url.clone())
        .or_else(|| file.smtp_url.clone())
        .filter(|u| !u.trim().is_empty());
    if let Some(from) = serve
        .and_then(|a| a.mail_from.clone())
        .or_else(|| file.mail_from.clone())
    {
        s.mail_from = from;
    }
    if let Some(url) = serve
        .and_then(|a| a.public_url.clone())
        .or_else(|| file.public_url.clone())
    {
        s.public_url = url.trim_end_matches('/').to_owned();
    } else if let Some(listen) = serve.and_then(|a| a.listen).or(file.listen) {
        s.public_url = format!("http://{listen}");
    }
    if let Some(d) = serve
        .and_then(|a| a.focal_point_max_age_days)
        .or(file.focal_point_max_age_days)
    {
        s.focal_point_max_age = chrono::Duration::days(d.max(1));
    }
    if let Some(d) = file.reminder_repeat_days {
        s.reminder_repeat = chrono::Duration::days(d.max(1));
    }
    if let Some(allow) = serve
        .and_then(|a| a.webhook_allow_private_targets)
        .or(file.webhook_allow_private_targets)
    {
        s.webhook_allow_private_targets = allow;
    }
    // Alerts: the link lifetime and the chase delays (at least one day / one hour each).
    if let Some(d) = file.alert_ack_link_days {
        s.alert_ack_link_lifetime = chrono::Duration::days(d.max(1));
    }
    let hours = |h: i64| chrono::Duration::hours(h.max(1));
    if let Some(h) = file.alert_remind_main_hours {
        s.alert_chase.remind_main = hours(h);
    }
    if let Some(h) = file.alert_escalate_backup_hours {
        s.alert_chase.escalate_backup = hours(h);
    }
    if let Some(h) = file.alert_escalate_lead_hours {
        s.alert_chase.escalate_lead = hours(h);
    }
    if let Some(i) = &file.incidents {
        incident_settings(&mut s, i)?;
    }
    Ok(s)
}

/// The `[incidents]` table over the national defaults. A duration must be positive: a zero
/// deadline would make every incident overdue on creation.
fn incident_settings(s: &mut Settings, i: &config::IncidentConfig) -> anyhow::Result<()> {
    let positive = |key: &str, v: i64| {
        if v > 0 {
            Ok(v)
        } else {
            Err(anyhow!("[incidents] {key} must be at least 1, not {v}"))
        }
    };
    let d = &mut s.deadlines;
    if let Some(v) = i.notice_days {
        d.notice = chrono::Duration::days(positive("notice_days", v)?);
    }
    if let Some(v) = i.acknowledgement_hours {
        d.acknowledge = chrono::Duration::hours(positive("acknowledgement_hours", v)?);
    }
    if let Some(v) = i.immediate_report_hours {
        d.initial_report = chrono::Duration::hours(positive("immediate_report_hours", v)?);
    }
    if let Some(v) = i.closing_report_days {
        d.closing_report = chrono::Duration::days(positive("closing_report_days", v)?);
    }
    if let Some(mib) = i.attachment_max_mib {
        // The route accepts 32 MiB, so that a file just over the limit still gets a field error.
        if !(1..=24).contains(&mib) {
            bail!("[incidents] attachment_max_mib must be between 1 and 24, not {mib}");
        }
        s.attachment_max_bytes = mib * 1024 * 1024;
    }
    if let Some(path) = &i.types_file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("[incidents] types_file: reading {}", path.display()))?;
        let types = irnet_app::incidents::types::parse(&text)
            .map_err(|e| anyhow!("[incidents] types_file {}: {e}", path.display()))?;
        if types.is_empty() {
            bail!("[incidents] types_file {} lists no type", path.display());
        }
        s.incident_types = types;
    }
    Ok(())
}

/// The audit key and checkpoint directory of this deployment: files, so read (or the key
/// created) here rather than in `settings`.
fn audited(db: &DbArgs, file: &FileConfig, mut s: Settings) -> anyhow::Result<Settings> {
    let key = db.audit_key_file(file);
    s.audit_key = irnet_store::audit::AuditKey::load_or_create(&key)
        .with_context(|| format!("the audit key {}", key.display()))?;
    s.audit_checkpoint_dir = Some(db.audit_checkpoint_dir(file));
    Ok(s)
}

async fn open(db: &DbArgs, file: &FileConfig, migrate: bool) -> anyhow::Result<Store> {
    let target = db.target(file)?;
    let store = Store::open(target.clone(), db.pool_size(file))
        .await
        .with_context(|| format!("opening the database {target:?}"))?;
    if migrate {
        for m in store.migrate().await? {
            tracing::info!(migration = %m, "applied");
        }
    }
    Ok(store)
}

fn read_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        let pw = s.lines().next().unwrap_or_default().to_owned();
        Ok((pw, false))
    } else {
        Ok((
            irnet_app::identity::secrets::random_secret()
                .chars()
                .take(20)
                .collect(),
            true,
        ))
    }
}

/// Explains an AppError to the operator in plain words.
fn explain(e: AppError) -> anyhow::Error {
    match e {
        AppError::Validation(fields) => {
            let parts: Vec<String> = fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.code))
                .collect();
            anyhow!("invalid input — {}", parts.join("; "))
        }
        other => anyhow!("{other}"),
    }
}

fn parse_expiry(
    s: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
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

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn serve(cli: &Cli, args: &ServeArgs, file: &FileConfig) -> anyhow::Result<()> {
    let started = Instant::now();
    let store = open(&cli.db, file, !args.no_migrate).await?;
    let app = App::new(
        store,
        Arc::new(SystemClock),
        audited(&cli.db, file, settings(Some(args), file)?)?,
    );
    if args.demo {
        let accounts = irnet_app::demo::load(&app).await.map_err(explain)?;
        println!("Demo network loaded. Accounts (email / password):");
        for a in accounts {
            println!("  {:<14} {} / {}", a.role, a.email, a.password);
        }
    }
    // Where the log reached at start, outside the database; a log cut since the last
    // checkpoint is reported here and by `irnet audit verify`, and not signed as good.
    if let Err(e) = irnet_app::audit::checkpoints::write(&app).await {
        tracing::error!(error = %e, "audit checkpoint not written");
    }
    let metrics = metrics_exporter_prometheus::PrometheusBuilder::new()
        .install_recorder()
        .ok();
    let listen = args
        .listen
        .or(file.listen)
        .unwrap_or(DEFAULT_LISTEN.parse()?);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let local = listener.local_addr()?;
    // Live events committed by any instance (PostgreSQL LISTEN); held until the server stops.
    let _listener = app.store.listen().await.context("listening for events")?;
    let state = irnet_web::AppState {
        app: app.clone(),
        config: Arc::new(irnet_web::WebConfig {
            secure_cookies: args.secure_cookies.or(file.secure_cookies).unwrap_or(false),
            metrics_token: args
                .metrics_token
                .clone()
                .or_else(|| file.metrics_token.clone()),
        }),
        metrics,
    };
    println!(
        "irnet listening on http://{local} ({} database, ready in {} ms)",
        app.store.backend().as_str(),
        started.elapsed().as_millis()
    );
    if !users::has_admin(&app).await.map_err(explain)? {
        println!(
            "No administrator yet. Create the first one with:\n  irnet user create --email you@example.org --org \"Your organisation\" --name \"Your Name\" --admin --password-stdin"
        );
    }
    // The worker stops with the server: both wait for the same signal.
    let (stop_worker, worker_stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = (!args.no_worker).then(|| {
        tokio::spawn(irnet_app::jobs::worker(
            app.clone(),
            std::time::Duration::from_secs(5),
            async {
                let _ = worker_stopped.await;
            },
        ))
    });
    // Metrics on their own address, when asked: stopped with the server.
    let metrics_server = match args.metrics_listen.or(file.metrics_listen) {
        Some(addr) => {
            let l = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr} for metrics"))?;
            println!("metrics on http://{}/metrics", l.local_addr()?);
            Some(tokio::spawn(irnet_web::serve_metrics(
                state.clone(),
                l,
                std::future::pending(),
            )))
        }
        None => None,
    };
    irnet_web::serve(state, listener, shutdown_signal()).await?;
    if let Some(m) = metrics_server {
        m.abort();
    }
    let _ = stop_worker.send(());
    if let Some(w) = worker {
        let _ = w.await;
    }
    Ok(())
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let file = cli.db.file()?;
    match &cli.command {
        Command::Serve(args) => {
            serve(&cli, args, &file).await?;
        }
        Command::Migrate => {
            let store = open(&cli.db, &file, false).await?;
            let applied = store.migrate().await?;
            println!(
                "{} migration(s) applied; the database is current.",
                applied.len()
            );
        }
        Command::User(UserCommand::Create {
            email,
            org,
            name,
            admin,
            locale,
            password_stdin,
        }) => {
            let store = open(&cli.db, &file, true).await?;
            let app = App::new(
                store,
                Arc::new(SystemClock),
                audited(&cli.db, &file, settings(None, &file)?)?,
            );
            let (org, created) = irnet_app::directory::orgs::find_or_create(&app, org, true)
                .await
                .map_err(explain)?;
            if created {
                println!("Created organisation \"{}\" ({}).", org.name_vi, org.id);
            }
            let (password, generated) = read_password(*password_stdin)?;
            let grants = if *admin {
                vec![Grant {
                    role: Role::Admin,
                    scope: Scope::Network,
                }]
            } else {
                vec![]
            };
            let input = NewUser {
                email: email.clone(),
                display_name: name.clone().unwrap_or_else(|| email.clone()),
                org_id: org.id.clone(),
                locale: locale.clone(),
                password: password.clone(),
                grants,
            };
            let user = users::create(&app, &irnet_app::Actor::operator(), input)
                .await
                .map_err(explain)?;
            println!(
                "Created account {} ({}) in \"{}\".",
                user.email, user.id, org.name_vi
            );
            if generated {
                println!("Initial password (shown once): {password}");
            }
        }
        Command::User(UserCommand::ResetPassword {
            email,
            password_stdin,
        }) => {
            let store = open(&cli.db, &file, true).await?;
            let app = App::new(
                store,
                Arc::new(SystemClock),
                audited(&cli.db, &file, settings(None, &file)?)?,
            );
            let (password, generated) = read_password(*password_stdin)?;
            users::operator_reset_password(&app, email, &password)
                .await
                .map_err(explain)?;
            println!("Password of {email} reset; its sessions were ended.");
            if generated {
                println!("New password (shown once): {password}");
            }
        }
        Command::Token(TokenCommand::Create {
            email,
            name,
            scope,
            expires,
        }) => {
            let store = open(&cli.db, &file, true).await?;
            let app = App::new(
                store,
                Arc::new(SystemClock),
                audited(&cli.db, &file, settings(None, &file)?)?,
            );
            let scope =
                TokenScope::parse(scope).map_err(|_| anyhow!("--scope must be read or write"))?;
            let expires_at = expires
                .as_deref()
                .map(|e| parse_expiry(e, app.now()))
                .transpose()?;
            let created = tokens::operator_issue(
                &app,
                email,
                NewToken {
                    name: name.clone(),
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
        }
        Command::Audit(AuditCommand::Verify) => {
            let store = open(&cli.db, &file, false).await?;
            let app = App::new(
                store,
                Arc::new(SystemClock),
                audited(&cli.db, &file, settings(None, &file)?)?,
            );
            match irnet_app::audit::verify(&app).await.map_err(explain)? {
                Verification::Intact { entries } => {
                    println!("Audit trail intact: {entries} entries verified.")
                }
                Verification::Broken { seq, id, reason } => {
                    let at = match (seq, id) {
                        (Some(s), Some(id)) => format!(" at entry #{s} (id {id})"),
                        (Some(s), None) => format!(" at entry #{s}"),
                        _ => String::new(),
                    };
                    eprintln!("Audit trail BROKEN{at}: {reason}");
                    return Ok(ExitCode::from(2));
                }
            }
        }
        Command::Bench(BenchCommand::SeedDirectory { orgs, people }) => {
            let store = open(&cli.db, &file, true).await?;
            let app = App::new(
                store,
                Arc::new(SystemClock),
                audited(&cli.db, &file, settings(None, &file)?)?,
            );
            let started = Instant::now();
            let seeded = irnet_app::directory::synthetic::seed(
                &app,
                &irnet_app::Actor::operator(),
                *orgs,
                *people,
            )
            .await
            .map_err(explain)?;
            println!(
                "Seeded {} organisations and {} people in {:.1} s.",
                seeded.orgs,
                seeded.people,
                started.elapsed().as_secs_f64()
            );
        }
        Command::Bench(BenchCommand::SeedIncidents { orgs, incidents }) => {
            let store = open(&cli.db, &file, true).await?;
            let app = App::new(
                store,
                Arc::new(SystemClock),
                audited(&cli.db, &file, settings(None, &file)?)?,
            );
            let started = Instant::now();
            let seeded = irnet_app::incidents::synthetic::seed(
                &app,
                &irnet_app::Actor::operator(),
                *orgs,
                *incidents,
                |done| {
                    if done % 50_000 == 0 || done == *incidents {
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
        Command::Provinces(ProvincesCommand::Load {
            file: path,
            dry_run,
        }) => {
            let store = open(&cli.db, &file, true).await?;
            let app = App::new(
                store,
                Arc::new(SystemClock),
                audited(&cli.db, &file, settings(None, &file)?)?,
            );
            let bytes =
                std::fs::read(path).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))?;
            let content_type = path
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
                *dry_run,
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
            if *dry_run {
                println!(
                    "{} row(s) checked, no problem; nothing stored (dry run).",
                    report.rows
                );
            } else {
                println!("{} province version(s) loaded.", report.imported);
            }
        }
        Command::Stix(StixCommand::Import {
            file: path,
            as_email,
        }) => {
            let store = open(&cli.db, &file, true).await?;
            let app = App::new(
                store,
                Arc::new(SystemClock),
                audited(&cli.db, &file, settings(None, &file)?)?,
            );
            let actor = irnet_app::identity::auth::operator_acting_as(&app, as_email)
                .await
                .map_err(|e| anyhow!("--as {as_email}: {}", explain(e)))?;
            let started = Instant::now();
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow!("cannot read {}: {e}", path.display()))?;
            match irnet_app::sharing::stix::import(&app, &actor, text).await {
                Ok(summary) => {
                    let skipped: usize = summary.not_imported.values().sum();
                    println!(
                        "Imported bundle {}: {} indicator(s) created, {} updated, {} object(s) not stored, in {:.1} s.",
                        summary.bundle_id,
                        summary.created,
                        summary.updated,
                        skipped,
                        started.elapsed().as_secs_f64()
                    );
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
                    return Ok(ExitCode::from(1));
                }
                Err(e) => return Err(explain(e)),
            }
        }
        Command::Demo(DemoCommand::Load) => {
            let store = open(&cli.db, &file, true).await?;
            let app = App::new(
                store,
                Arc::new(SystemClock),
                audited(&cli.db, &file, settings(None, &file)?)?,
            );
            let accounts = irnet_app::demo::load(&app).await.map_err(explain)?;
            println!("Demo network loaded. Accounts (email / password):");
            for a in accounts {
                println!("  {:<14} {} / {}", a.role, a.email, a.password);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let format = cli.log_format.unwrap_or(LogFormat::Text);
    init_logging(format);
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn from_toml(text: &str) -> anyhow::Result<Settings> {
        let file: FileConfig = toml::from_str(text)?;
        settings(None, &file)
    }

    #[test]
    fn the_incidents_table_replaces_the_national_defaults() {
        let dir = std::env::temp_dir().join(format!("irnet-types-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let types = dir.join("types.csv");
        std::fs::write(
            &types,
            "key,name_vi,name_en,reference_taxonomy\nransomware,Mã độc tống tiền,Ransomware,malicious-code/ransomware\n",
        )
        .unwrap();
        let s = from_toml(&format!(
            "[incidents]\nnotice_days = 3\nacknowledgement_hours = 1\nclosing_report_days = 10\nattachment_max_mib = 20\ntypes_file = {:?}\n",
            types.display().to_string()
        ))
        .unwrap();
        assert_eq!(s.deadlines.notice, chrono::Duration::days(3));
        assert_eq!(s.deadlines.acknowledge, chrono::Duration::hours(1));
        assert_eq!(
            s.deadlines.initial_report,
            chrono::Duration::hours(2),
            "what is not set keeps its default"
        );
        assert_eq!(s.deadlines.closing_report, chrono::Duration::days(10));
        assert_eq!(s.attachment_max_bytes, 20 * 1024 * 1024);
        assert_eq!(s.incident_types.len(), 1);
        assert_eq!(s.incident_types[0].name_en, "Ransomware");

        let defaults = from_toml("").unwrap();
        assert_eq!(defaults.deadlines.notice, chrono::Duration::days(5));
        assert_eq!(defaults.incident_types.len(), 10);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_wrong_incidents_table_is_refused_naming_the_key() {
        let e = from_toml("[incidents]\nnotice_days = 0\n").unwrap_err();
        assert!(e.to_string().contains("notice_days"), "{e}");
        let e = from_toml("[incidents]\nattachment_max_mib = 100\n").unwrap_err();
        assert!(e.to_string().contains("attachment_max_mib"), "{e}");
        let e = toml::from_str::<FileConfig>("[incidents]\nnotice_hours = 3\n").unwrap_err();
        assert!(e.to_string().contains("notice_hours"), "{e}");
        let e = from_toml("[incidents]\ntypes_file = \"/nonexistent/types.csv\"\n").unwrap_err();
        assert!(format!("{e:#}").contains("types_file"), "{e:#}");
    }
}
