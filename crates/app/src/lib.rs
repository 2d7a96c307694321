//! Use-cases of irnet, per pillar. The only way the web, the CLI and the jobs change data: each
//! use-case takes the acting principal first, asks the one policy in `irnet_domain::policy`,
//! validates its input into domain types, and runs its writes and their audit entry in one
//! transaction.

pub mod alerts;
pub mod attachments;
pub mod audit;
pub mod channels;
pub mod clock;
pub mod context;
pub mod demo;
mod demo_profiles;
pub mod directory;
pub mod documents;
pub mod drills;
pub mod error;
pub mod filing;
pub mod housekeeping;
pub mod identity;
pub mod incidents;
pub mod jobs;
pub mod mail;
pub mod messages;
pub mod notify;
mod pillars;
pub mod rules;
pub mod settings;
// Sharing (issue 5): indicators, lookup, STIX and TAXII.
pub mod sharing;
pub mod sheet;
// Training (issue 20): programmes, sessions, attendance, certificates.
pub mod training;

use std::sync::Arc;

use irnet_domain::Clock;
use irnet_store::Store;

pub use context::{Actor, RequestMeta};
pub use error::{AppError, FieldError};
pub use settings::Settings;

/// Everything a use-case needs. Cheap to clone.
#[derive(Clone, Debug)]
pub struct App {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    /// The pillars' jobs (`pillars::JOBS`), which the queue runs without knowing them.
    pub jobs: &'static [&'static jobs::Jobs],
    /// The rule sets as last read (`rules::book` reloads them when they changed).
    pub rules: Arc<rules::Cache>,
}

impl App {
    pub fn new(store: Store, clock: Arc<dyn Clock>, settings: Settings) -> Self {
        Self {
            store,
            clock,
            settings: Arc::new(settings),
            jobs: pillars::JOBS,
            rules: Arc::default(),
        }
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// A stored time (UTC) as RFC 3339 in the network's time zone, as views show it.
    pub fn local(&self, t: chrono::NaiveDateTime) -> String {
        irnet_store::time::from_db(t)
            .with_timezone(&self.settings.local_offset)
            .to_rfc3339()
    }

    /// Today in the network's time zone: the day "as of" reads and legal deadlines count from.
    pub fn today(&self) -> chrono::NaiveDate {
        self.now()
            .with_timezone(&self.settings.local_offset)
            .date_naive()
    }
}
