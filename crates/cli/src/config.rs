//! Configuration: command-line flags, then `IRNET_*` environment variables (clap reads both, flags
//! first), then an optional TOML file (`--config FILE`, or `irnet.toml` in the data directory), then
//! defaults.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use irnet_store::DbTarget;
use serde::Deserialize;

/// Where the data lives; every command that touches the database takes these.
#[derive(Args, Clone, Default)]
pub struct DbArgs {
    /// Data directory: holds the SQLite database `irnet.db` (and irnet.toml, if any)
    #[arg(long, env = "IRNET_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL URL (postgres://user:password@host/db); when set, SQLite is not used
    #[arg(
        long,
        env = "IRNET_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// A TOML configuration file
    #[arg(long, env = "IRNET_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Largest number of database connections
    #[arg(long, env = "IRNET_DB_POOL_SIZE", global = true)]
    pub db_pool_size: Option<usize>,
    /// The audit chain's HMAC key (default: audit.key in the data directory, created at first
    /// start, mode 0600). Back it up apart from the database; instances sharing one PostgreSQL
    /// database must share this file.
    #[arg(long, env = "IRNET_AUDIT_KEY_FILE", global = true)]
    pub audit_key_file: Option<PathBuf>,
    /// Where signed checkpoints of the audit chain are written (default: audit-checkpoints/ in
    /// the data directory); copy them elsewhere to detect a cut or emptied log
    #[arg(long, env = "IRNET_AUDIT_CHECKPOINT_DIR", global = true)]
    pub audit_checkpoint_dir: Option<PathBuf>,
}

impl fmt::Debug for DbArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbArgs")
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(irnet_store::db::redact),
            )
            .field("config", &self.config)
            .field("audit_key_file", &self.audit_key_file)
            .field("audit_checkpoint_dir", &self.audit_checkpoint_dir)
            .finish()
    }
}

#[derive(Args, Debug, Clone, Default)]
pub struct ServeArgs {
    /// Address to listen on
    #[arg(long, env = "IRNET_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Do not apply pending migrations at start (then `irnet migrate` must be run first)
    #[arg(long, env = "IRNET_NO_MIGRATE")]
    pub no_migrate: bool,
    /// Load the demo network into an empty database and print its accounts
    #[arg(long)]
    pub demo: bool,
    /// Mark cookies Secure and send HSTS (set when users reach irnet over HTTPS)
    #[arg(long, env = "IRNET_SECURE_COOKIES")]
    pub secure_cookies: Option<bool>,
    /// Failed sign-ins that lock an account
    #[arg(long, env = "IRNET_LOCKOUT_THRESHOLD")]
    pub lockout_threshold: Option<i32>,
    /// Minutes an account stays locked
    #[arg(long, env = "IRNET_LOCKOUT_MINUTES")]
    pub lockout_minutes: Option<i64>,
    /// Roles whose holders must enrol MFA, comma-separated (e.g. admin,coordinator)
    #[arg(long, env = "IRNET_MFA_REQUIRED_ROLES", value_delimiter = ',')]
    pub mfa_required_roles: Option<Vec<String>>,
    /// Outgoing mail server: smtp://host:port (plain), smtp://host?tls=required (STARTTLS),
    /// smtps://user:password@host (TLS)
    #[arg(long, env = "IRNET_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The From address of irnet's mail, e.g. "irnet <irnet@example.org>"
    #[arg(long, env = "IRNET_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// The address users reach irnet at, for links in mail (e.g. https://irnet.example.org)
    #[arg(long, env = "IRNET_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Days after which a focal point that was not confirmed again counts as unconfirmed
    #[arg(long, env = "IRNET_FOCAL_POINT_MAX_AGE_DAYS")]
    pub focal_point_max_age_days: Option<i64>,
    /// Do not run the background jobs worker in this instance (mail, webhooks, reminders)
    #[arg(long, env = "IRNET_NO_WORKER")]
    pub no_worker: bool,
    /// Let webhooks target loopback, private and link-local addresses (off by default: such a
    /// webhook makes irnet post into its own network)
    #[arg(long, env = "IRNET_WEBHOOK_ALLOW_PRIVATE_TARGETS")]
    pub webhook_allow_private_targets: Option<bool>,
    /// The bearer token a Prometheus scraper sends for /metrics on the main listener (without
    /// it, and without --metrics-listen, there are no metrics)
    #[arg(long, env = "IRNET_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<irnet_web::MetricsToken>,
    /// A separate address serving /metrics only, without a token (keep it off the public network)
    #[arg(long, env = "IRNET_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
}

/// The optional TOML file. Every key is optional; flags and environment win over it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<SocketAddr>,
    pub metrics_token: Option<irnet_web::MetricsToken>,
    pub metrics_listen: Option<SocketAddr>,
    pub database_url: Option<String>,
    pub db_pool_size: Option<usize>,
    pub audit_key_file: Option<PathBuf>,
    pub audit_checkpoint_dir: Option<PathBuf>,
    pub secure_cookies: Option<bool>,
    pub lockout_threshold: Option<i32>,
    pub lockout_minutes: Option<i64>,
    pub mfa_required_roles: Option<Vec<String>>,
    pub session_idle_hours: Option<i64>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub public_url: Option<String>,
    pub focal_point_max_age_days: Option<i64>,
    pub reminder_repeat_days: Option<i64>,
    pub webhook_allow_private_targets: Option<bool>,
    pub alert_ack_link_days: Option<i64>,
    pub alert_remind_main_hours: Option<i64>,
    pub alert_escalate_backup_hours: Option<i64>,
    pub alert_escalate_lead_hours: Option<i64>,
    /// `[incidents]`: the rules of the incident pillar, when the network's differ from the
    /// national defaults
    pub incidents: Option<IncidentConfig>,
}

/// The `[incidents]` table. Deadlines are whole days or hours, as the regulations state them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentConfig {
    pub notice_days: Option<i64>,
    pub acknowledgement_hours: Option<i64>,
    pub immediate_report_hours: Option<i64>,
    pub closing_report_days: Option<i64>,
    pub attachment_max_mib: Option<usize>,
    /// a CSV of incident types (`key,name_vi,name_en,reference_taxonomy`) replacing the defaults
    pub types_file: Option<PathBuf>,
}

pub const DEFAULT_DATA_DIR: &str = "irnet-data";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

impl DbArgs {
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR))
    }

    pub fn file(&self) -> anyhow::Result<FileConfig> {
        let (path, required) = match &self.config {
            Some(p) => (p.clone(), true),
            None => (self.data_dir().join("irnet.toml"), false),
        };
        if !required && !path.exists() {
            return Ok(FileConfig::default());
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("in {}", path.display()))
    }

    pub fn target(&self, file: &FileConfig) -> anyhow::Result<DbTarget> {
        match self.database_url.as_ref().or(file.database_url.as_ref()) {
            Some(url) => DbTarget::parse(url).map_err(|e| anyhow::anyhow!("{e}")),
            None => {
                let dir = self.data_dir();
                ensure_dir(&dir)?;
                Ok(DbTarget::sqlite_file(&dir.join("irnet.db")))
            }
        }
    }

    /// The audit key file: flag or environment, then the TOML file, then the data directory.
    pub fn audit_key_file(&self, file: &FileConfig) -> PathBuf {
        self.audit_key_file
            .clone()
            .or_else(|| file.audit_key_file.clone())
            .unwrap_or_else(|| self.data_dir().join("audit.key"))
    }

    pub fn audit_checkpoint_dir(&self, file: &FileConfig) -> PathBuf {
        self.audit_checkpoint_dir
            .clone()
            .or_else(|| file.audit_checkpoint_dir.clone())
            .unwrap_or_else(|| self.data_dir().join("audit-checkpoints"))
    }

    pub fn pool_size(&self, file: &FileConfig) -> usize {
        self.db_pool_size.or(file.db_pool_size).unwrap_or(16)
    }
}

fn ensure_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() && !dir.is_dir() {
        bail!("{} exists and is not a directory", dir.display());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}
