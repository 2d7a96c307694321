//! `irnet serve`: the web UI and API, the jobs worker, metrics.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context as _, anyhow};
use clap::Args;
use figment::value::Dict;
use irnet_app::identity::users;
use serde::Serialize;

use super::Run;
use crate::config::dict_of;
use crate::context::{Context, Migrate, explain};

#[derive(Args)]
pub(crate) struct Serve {
    #[command(flatten)]
    settings: ServeFlags,
    /// Load the demo network into an empty database and print its accounts
    #[arg(long)]
    demo: bool,
}

/// Serve's named flags, each a setting of the same key (also `IRNET_<KEY>` and in irnet.toml).
/// Kept for the scripts and documents that use them; a new setting needs none (`--set`).
#[derive(Args, Serialize)]
struct ServeFlags {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    listen: Option<SocketAddr>,
    /// Do not apply pending migrations at start (then `irnet migrate` must be run first)
    #[arg(long)]
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    no_migrate: bool,
    /// Mark cookies Secure and send HSTS (set when users reach irnet over HTTPS)
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    secure_cookies: Option<bool>,
    /// Failed sign-ins that lock an account
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    lockout_threshold: Option<i32>,
    /// Minutes an account stays locked
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    lockout_minutes: Option<i64>,
    /// Roles whose holders must enrol MFA, comma-separated (e.g. admin,coordinator)
    #[arg(long, value_delimiter = ',')]
    #[serde(skip_serializing_if = "Option::is_none")]
    mfa_required_roles: Option<Vec<String>>,
    /// Outgoing mail server: smtp://host:port (plain), smtp://host?tls=required (STARTTLS),
    /// smtps://user:password@host (TLS)
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    smtp_url: Option<String>,
    /// The From address of irnet's mail, e.g. "irnet <irnet@example.org>"
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    mail_from: Option<String>,
    /// The address users reach irnet at, for links in mail (e.g. https://irnet.example.org)
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    public_url: Option<String>,
    /// Days after which a focal point that was not confirmed again counts as unconfirmed
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    focal_point_max_age_days: Option<i64>,
    /// Do not run the background jobs worker in this instance (mail, webhooks, reminders)
    #[arg(long)]
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    no_worker: bool,
    /// Let webhooks target loopback, private and link-local addresses (off by default: such a
    /// webhook makes irnet post into its own network)
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_allow_private_targets: Option<bool>,
    /// The bearer token a Prometheus scraper sends for /metrics on the main listener (without
    /// it, and without --metrics-listen, there are no metrics)
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    metrics_token: Option<String>,
    /// A separate address serving /metrics only, without a token (keep it off the public network)
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    metrics_listen: Option<SocketAddr>,
}

impl Run for Serve {
    fn setting_flags(&self) -> anyhow::Result<Dict> {
        dict_of(&self.settings)
    }

    async fn run(self, ctx: &Context) -> anyhow::Result<ExitCode> {
        let started = Instant::now();
        let deployment = &ctx.config.deployment;
        let migrate = if deployment.no_migrate {
            Migrate::Leave
        } else {
            Migrate::Apply
        };
        let app = ctx.app(migrate).await?;
        if self.demo {
            super::demo::load(&app).await?;
        }
        // Where the log reached at start, outside the database; a log cut since the last
        // checkpoint is reported here and by `irnet audit verify`, and not signed as good.
        if let Err(e) = irnet_app::audit::checkpoints::write(&app).await {
            tracing::error!(error = %e, "audit checkpoint not written");
        }
        let metrics = metrics_exporter_prometheus::PrometheusBuilder::new()
            .install_recorder()
            .ok();
        let listen = deployment.listen;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let local = listener.local_addr()?;
        // Live events committed by any instance (PostgreSQL LISTEN); held until the server stops.
        let _listener = app.store.listen().await.context("listening for events")?;
        let metrics_token = deployment
            .metrics_token
            .as_ref()
            .map(|t| {
                irnet_web::MetricsToken::new(t.expose())
                    .ok_or_else(|| anyhow!("metrics_token is empty"))
            })
            .transpose()?;
        let state = irnet_web::AppState {
            app: app.clone(),
            config: Arc::new(irnet_web::WebConfig {
                secure_cookies: deployment.secure_cookies,
                metrics_token,
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
        let worker = (!deployment.no_worker).then(|| {
            tokio::spawn(irnet_app::jobs::worker(
                app.clone(),
                std::time::Duration::from_secs(5),
                async {
                    let _ = worker_stopped.await;
                },
            ))
        });
        // Metrics on their own address, when asked: stopped with the server.
        let metrics_server = match deployment.metrics_listen {
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
        Ok(ExitCode::SUCCESS)
    }
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
