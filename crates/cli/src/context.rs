//! What every command starts from: the configuration, and the one way to open the store and build
//! the `App` on it.

use std::sync::Arc;

use anyhow::{Context as _, anyhow};
use irnet_app::clock::SystemClock;
use irnet_app::{App, AppError};
use irnet_store::Store;

use crate::config::Config;

pub(crate) struct Context {
    pub config: Config,
}

/// Whether opening the store applies the pending migrations first.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Migrate {
    Apply,
    Leave,
}

impl Context {
    pub(crate) async fn store(&self, migrate: Migrate) -> anyhow::Result<Store> {
        let deployment = &self.config.deployment;
        let target = deployment.target()?;
        let store = Store::open(target.clone(), deployment.db_pool_size)
            .await
            .with_context(|| format!("opening the database {target:?}"))?;
        if migrate == Migrate::Apply {
            for m in store.migrate().await? {
                tracing::info!(migration = %m, "applied");
            }
        }
        Ok(store)
    }

    /// The store opened, the system clock, and the settings with this deployment's audit key
    /// (read, or created at the first start) and checkpoint directory.
    pub(crate) async fn app(&self, migrate: Migrate) -> anyhow::Result<App> {
        let store = self.store(migrate).await?;
        let deployment = &self.config.deployment;
        let mut settings = self.config.settings.clone();
        let key = deployment.audit_key_file();
        settings.audit_key = irnet_store::audit::AuditKey::load_or_create(&key)
            .with_context(|| format!("the audit key {}", key.display()))?;
        settings.audit_checkpoint_dir = Some(deployment.audit_checkpoint_dir());
        let app = App::new(store, Arc::new(SystemClock), settings);
        if migrate == Migrate::Apply {
            // The first rule set, from today's rules and `[incidents]`, once.
            irnet_app::rules::ensure_first(&app)
                .await
                .map_err(explain)
                .context("storing the first rule set")?;
        }
        Ok(app)
    }
}

/// Explains an AppError to the operator in plain words.
pub(crate) fn explain(e: AppError) -> anyhow::Error {
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
