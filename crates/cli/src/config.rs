//! The configuration, in layers, each one overriding those before it:
//!
//! 1. the defaults;
//! 2. a TOML file: `--config FILE` (or `IRNET_CONFIG`), else `irnet.toml` in the data directory if
//!    there is one;
//! 3. `IRNET_<KEY>` environment variables, with `__` between a section and its key
//!    (`IRNET_INCIDENTS__NOTICE_DAYS`); other `IRNET_*` variables (`IRNET_LOG`, …) are not settings
//!    and are left alone;
//! 4. the named flags (`--listen`, …), then `--set KEY=VALUE`, which reaches every key.
//!
//! The keys are the serde fields of `Deployment` below (this instance: where its data lives, how
//! it listens), of `irnet_app::Settings` and of its `Sections` (one table per pillar). A new
//! setting is a field in one of those; nothing here changes.

mod layers;
mod show;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use clap::Args;
use figment::Figment;
use figment::providers::{Data, Format as _, Toml};
use figment::value::Dict;
use irnet_app::Settings;
use irnet_app::settings::Sections;
use irnet_app::settings::secret::Secret;
use irnet_store::DbTarget;
use serde::{Deserialize, Serialize};

pub(crate) use layers::dict_of;
use layers::{Keys, Layer};

/// The flags every command takes. Each one but `--config` is a setting, named as its key.
#[derive(Args, Serialize, Default)]
pub(crate) struct GlobalArgs {
    /// Data directory: holds the SQLite database `irnet.db` (and irnet.toml, if any)
    /// [default: irnet-data]
    #[arg(long, global = true)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL URL (postgres://user:password@host/db); when set, SQLite is not used
    #[arg(long, global = true)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    /// A TOML configuration file (default: irnet.toml in the data directory, if there is one)
    #[arg(long, env = "IRNET_CONFIG", global = true)]
    #[serde(skip)]
    pub config: Option<PathBuf>,
    /// Largest number of database connections [default: 16]
    #[arg(long, global = true)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db_pool_size: Option<usize>,
    /// The audit chain's HMAC key (default: audit.key in the data directory, created at first
    /// start, mode 0600). Back it up apart from the database; instances sharing one PostgreSQL
    /// database must share this file.
    #[arg(long, global = true)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_key_file: Option<PathBuf>,
    /// Where signed checkpoints of the audit chain are written (default: audit-checkpoints/ in
    /// the data directory); copy them elsewhere to detect a cut or emptied log
    #[arg(long, global = true)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_checkpoint_dir: Option<PathBuf>,
    /// Any setting, by its key in irnet.toml (`--set incidents.notice_days=3`); repeatable, wins
    /// over everything else. `irnet config show` lists the keys.
    #[arg(long = "set", value_name = "KEY=VALUE", global = true)]
    #[serde(skip)]
    pub set: Vec<String>,
}

/// How this instance is deployed: where its data lives and how it serves. What the use-cases do is
/// `irnet_app::Settings`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Deployment {
    /// Holds the SQLite database `irnet.db`, and by default `irnet.toml`, the audit key and its
    /// checkpoints.
    pub data_dir: PathBuf,
    /// PostgreSQL (`postgres://user:password@host/db`); without it, SQLite in the data directory.
    pub database_url: Option<Secret>,
    pub db_pool_size: usize,
    /// Default: `audit.key` in the data directory.
    pub audit_key_file: Option<PathBuf>,
    /// Default: `audit-checkpoints/` in the data directory.
    pub audit_checkpoint_dir: Option<PathBuf>,
    pub listen: SocketAddr,
    /// Mark cookies `Secure` and send HSTS (behind HTTPS).
    pub secure_cookies: bool,
    /// The bearer token a Prometheus scraper sends for `/metrics` on the main listener.
    pub metrics_token: Option<Secret>,
    /// An address serving `/metrics` only, without a token.
    pub metrics_listen: Option<SocketAddr>,
    /// This instance runs no background jobs (mail, webhooks, reminders).
    pub no_worker: bool,
    /// `irnet serve` does not apply pending migrations (then `irnet migrate` must run first).
    pub no_migrate: bool,
}

impl Default for Deployment {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("irnet-data"),
            database_url: None,
            db_pool_size: 16,
            audit_key_file: None,
            audit_checkpoint_dir: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            secure_cookies: false,
            metrics_token: None,
            metrics_listen: None,
            no_worker: false,
            no_migrate: false,
        }
    }
}

impl Deployment {
    /// The database: PostgreSQL when a URL is set, else SQLite in the data directory (created).
    pub(crate) fn target(&self) -> anyhow::Result<DbTarget> {
        match &self.database_url {
            Some(url) => DbTarget::parse(url.expose()).map_err(|e| anyhow!("{e}")),
            None => {
                ensure_dir(&self.data_dir)?;
                Ok(DbTarget::sqlite_file(&self.data_dir.join("irnet.db")))
            }
        }
    }

    pub(crate) fn audit_key_file(&self) -> PathBuf {
        self.audit_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("audit.key"))
    }

    pub(crate) fn audit_checkpoint_dir(&self) -> PathBuf {
        self.audit_checkpoint_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("audit-checkpoints"))
    }
}

/// The effective configuration, and where each value came from.
pub(crate) struct Config {
    pub deployment: Deployment,
    /// Resolved, without the audit key: that file is read (or created) only by the commands that
    /// open the store.
    pub settings: Settings,
    figment: Figment,
    /// Values computed from others when not set, with how.
    derived: BTreeMap<&'static str, &'static str>,
    keys: Keys,
}

impl Config {
    /// Reads every layer. `command_flags` are the named flags of the command being run (serve's
    /// `--listen`, …), keyed by setting.
    pub(crate) fn load(args: &GlobalArgs, command_flags: Dict) -> anyhow::Result<Self> {
        let keys = Keys::of_defaults()?;
        let mut above_file = layers::environment(&keys);
        above_file.extend(layers::flags(&layers::dict_of(args)?));
        above_file.extend(layers::flags(&command_flags));
        above_file.extend(layers::sets(&args.set, &keys)?);
        let file = match &args.config {
            Some(path) => {
                std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
                Some(path.clone())
            }
            None => {
                // The file in the data directory cannot move the data directory it is found in.
                let data_dir = layers::merged(&above_file)
                    .extract_inner_lossy::<PathBuf>("data_dir")
                    .unwrap_or_else(|_| Deployment::default().data_dir);
                Some(data_dir.join("irnet.toml")).filter(|p| p.is_file())
            }
        };
        let file = file.map(|path| {
            let label = path.display().to_string();
            (Toml::file_exact(path), label)
        });
        Self::from_layers(keys, file, above_file)
    }

    fn from_layers(
        keys: Keys,
        file: Option<(Data<Toml>, String)>,
        above_file: Vec<Layer>,
    ) -> anyhow::Result<Self> {
        let mut figment = Figment::new();
        if let Some((toml, label)) = file {
            keys.check_file(&toml, &label)?;
            figment = figment.merge(toml);
        }
        for layer in above_file {
            figment = figment.merge(layer);
        }
        let deployment: Deployment = figment.extract_lossy().map_err(layers::explain)?;
        let mut settings = Settings {
            sections: figment
                .extract_lossy::<Sections>()
                .map_err(layers::explain)?,
            ..figment.extract_lossy().map_err(layers::explain)?
        };
        let mut derived = BTreeMap::new();
        if !figment.contains("public_url") {
            settings.public_url = format!("http://{}", deployment.listen);
            derived.insert("public_url", "http:// and listen");
        }
        if deployment.audit_key_file.is_none() {
            derived.insert("audit_key_file", "in data_dir");
        }
        if deployment.audit_checkpoint_dir.is_none() {
            derived.insert("audit_checkpoint_dir", "in data_dir");
        }
        let settings = settings
            .resolve()
            .map_err(|e| anyhow!("{e} (from {})", layers::origin(&figment, &e.key)))?;
        Ok(Self {
            deployment,
            settings,
            figment,
            derived,
            keys,
        })
    }
}

fn ensure_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() && !dir.is_dir() {
        bail!("{} exists and is not a directory", dir.display());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn from_toml(text: &str) -> anyhow::Result<Settings> {
        let file = (Toml::string(text), "the test's TOML".to_owned());
        Config::from_layers(Keys::of_defaults()?, Some(file), Vec::new()).map(|c| c.settings)
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
        let e = from_toml("[incidents]\nnotice_hours = 3\n").unwrap_err();
        assert!(e.to_string().contains("notice_hours"), "{e}");
        let e = from_toml("[incidents]\ntypes_file = \"/nonexistent/types.csv\"\n").unwrap_err();
        assert!(format!("{e:#}").contains("types_file"), "{e:#}");
    }

    #[test]
    fn the_top_level_keys_keep_their_units_and_old_forms() {
        let s = from_toml(
            "lockout_threshold = 0\nlockout_minutes = 30\nsession_idle_hours = 2\n\
             mfa_required_roles = [\"admin\", \"coordinator\"]\npublic_url = \"https://irnet.example.vn/\"\n\
             [alerts]\nremind_main_hours = 6\n",
        )
        .unwrap();
        assert_eq!(s.lockout_threshold, 1, "a threshold counts as at least one");
        assert_eq!(s.lockout_duration, chrono::Duration::minutes(30));
        assert_eq!(s.session_idle, chrono::Duration::hours(2));
        assert_eq!(s.mfa_required_roles.len(), 2);
        assert_eq!(s.public_url, "https://irnet.example.vn");
        assert_eq!(s.alert_chase.remind_main, chrono::Duration::hours(6));
        let defaults = from_toml("listen = \"0.0.0.0:9000\"\n").unwrap();
        assert_eq!(defaults.public_url, "http://0.0.0.0:9000", "from listen");

        let e = from_toml("alert_remind_main_hours = 6\n").unwrap_err();
        assert!(e.to_string().contains("alerts.remind_main_hours"), "{e}");
        let e = from_toml("mfa_required_roles = [\"admiral\"]\n").unwrap_err();
        assert!(e.to_string().contains("mfa_required_roles"), "{e}");
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let file = (
            Toml::string(
                "smtp_url = \"smtps://irnet:smtp-hunter2@mail.example.vn\"\n\
                 database_url = \"postgres://irnet:db-hunter2@db/irnet\"\n\
                 metrics_token = \"token-hunter2\"\n",
            ),
            "the test's TOML".to_owned(),
        );
        let c = Config::from_layers(Keys::of_defaults().unwrap(), Some(file), Vec::new()).unwrap();
        assert_eq!(
            c.settings.smtp_url.as_deref(),
            Some("smtps://irnet:smtp-hunter2@mail.example.vn")
        );
        let shown = format!(
            "{:?} {:?} {:#?} {}",
            c.settings,
            c.deployment,
            c.settings,
            c.show().unwrap()
        );
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            shown.contains("smtps://irnet:***@mail.example.vn"),
            "{shown}"
        );
    }
}
