//! Operator-tunable behaviour of the use-cases.
//!
//! One declaration per setting: a field here, with its key in `irnet.toml` (the same key is the
//! `IRNET_<KEY>` environment variable and `--set KEY=VALUE` on the command line; the CLI layers
//! them), the unit in the key's name, and its default in `Default`. Fields marked `skip` are not
//! configurable. A pillar's settings are one section type in the pillar's own module (`[incidents]`
//! is `crate::incidents::settings`), registered by one line in `sections!` below.

mod keys;
pub mod secret;

use std::fmt;

use chrono::{Duration, FixedOffset, Offset, Utc};
use irnet_domain::Role;
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// A browser session ends after this long without use.
    #[serde(rename = "session_idle_hours", with = "keys::hours")]
    pub session_idle: Duration,
    /// …and after this long in any case.
    #[serde(skip)]
    pub session_absolute: Duration,
    /// Time allowed between a correct password and the second factor.
    #[serde(skip)]
    pub mfa_challenge: Duration,
    /// Failed sign-ins within `lockout_window` that lock the account…
    #[serde(with = "keys::at_least_one")]
    pub lockout_threshold: i32,
    #[serde(skip)]
    pub lockout_window: Duration,
    /// …for this long.
    #[serde(rename = "lockout_minutes", with = "keys::minutes")]
    pub lockout_duration: Duration,
    /// People holding any of these roles must enrol a second factor before doing anything else.
    #[serde(with = "keys::roles")]
    pub mfa_required_roles: Vec<Role>,
    /// Longest lifetime of an API token, and the default when none is asked for.
    #[serde(skip)]
    pub token_max_lifetime: Duration,
    #[serde(skip)]
    pub token_default_lifetime: Duration,
    /// Shown in authenticator apps.
    #[serde(skip)]
    pub totp_issuer: String,
    /// The network's legal time zone, for "today" and deadlines (Asia/Ho_Chi_Minh: UTC+07:00, no
    /// daylight saving).
    #[serde(skip)]
    pub local_offset: FixedOffset,
    /// Outgoing mail: `smtp://host:port` (plain or STARTTLS when offered… see `mail.rs`),
    /// `smtps://user:password@host` (TLS). Without it, mail jobs are recorded as not sent. It may
    /// hold a password: masked in `Debug` and when shown.
    #[serde(with = "secret::url")]
    pub smtp_url: Option<String>,
    /// The From address of irnet's mail.
    pub mail_from: String,
    /// The address users reach irnet at, for links in mail (no trailing slash).
    #[serde(with = "keys::base_url")]
    pub public_url: String,
    /// A focal point not confirmed for this long is reported as unconfirmed.
    #[serde(rename = "focal_point_max_age_days", with = "keys::days")]
    pub focal_point_max_age: Duration,
    /// A member is reminded about its focal points at most this often.
    #[serde(rename = "reminder_repeat_days", with = "keys::days")]
    pub reminder_repeat: Duration,
    /// The incident deadlines (notice 5 days, acknowledgement 2 hours, closing report 5 days), from
    /// `[incidents]`.
    #[serde(skip)]
    pub deadlines: irnet_domain::incident::DeadlineRules,
    /// Incident types offered and counted in the statistics, from `[incidents] types_file`.
    #[serde(skip)]
    pub incident_types: Vec<crate::incidents::types::IncidentType>,
    /// Largest evidence attachment accepted, from `[incidents] attachment_max_mib`.
    #[serde(skip)]
    pub attachment_max_bytes: usize,
    /// Webhooks may target loopback, private and link-local addresses (off: a webhook there
    /// would make irnet post into its own network).
    pub webhook_allow_private_targets: bool,
    /// How long a mailed one-click acknowledgement link of an alert stays valid, from `[alerts]`.
    #[serde(skip)]
    pub alert_ack_link_lifetime: Duration,
    /// When an unacknowledged alert is chased: main focal point, backup, cluster lead, from
    /// `[alerts]`.
    #[serde(skip)]
    pub alert_chase: irnet_domain::alert::ChaseDelays,
    /// The key of the audit chain's HMAC, kept outside the database (`irnet serve` reads or
    /// creates `audit.key` in the data directory). The default is a fresh random key: right for
    /// tests and in-memory databases only.
    #[serde(skip)]
    pub audit_key: irnet_store::audit::AuditKey,
    /// Where signed checkpoints of the audit chain's head are written (`audit-checkpoints/` in
    /// the data directory); none: no checkpoint files.
    #[serde(skip)]
    pub audit_checkpoint_dir: Option<std::path::PathBuf>,
    /// The pillars' own tables, read from the same layers (they are top-level tables, so the CLI
    /// reads them as their own struct rather than through this one).
    #[serde(skip)]
    pub sections: Sections,
}

impl Default for Settings {
    fn default() -> Self {
        let sections = Sections::default();
        Self {
            session_idle: Duration::hours(12),
            session_absolute: Duration::days(7),
            mfa_challenge: Duration::minutes(5),
            lockout_threshold: 10,
            lockout_window: Duration::minutes(15),
            lockout_duration: Duration::minutes(15),
            mfa_required_roles: Vec::new(),
            token_max_lifetime: Duration::days(366),
            token_default_lifetime: Duration::days(90),
            totp_issuer: "irnet".to_owned(),
            local_offset: FixedOffset::east_opt(7 * 3600).unwrap_or(Utc.fix()),
            smtp_url: None,
            mail_from: "irnet <irnet@localhost>".to_owned(),
            public_url: "http://127.0.0.1:8080".to_owned(),
            focal_point_max_age: Duration::days(90),
            reminder_repeat: Duration::days(7),
            deadlines: sections.incidents.deadlines(),
            incident_types: crate::incidents::types::defaults(),
            attachment_max_bytes: sections.incidents.attachment_max_bytes(),
            webhook_allow_private_targets: false,
            alert_ack_link_lifetime: sections.alerts.ack_link_lifetime(),
            alert_chase: sections.alerts.chase(),
            audit_key: irnet_store::audit::AuditKey::random(),
            audit_checkpoint_dir: None,
            sections,
        }
    }
}

/// Written by hand so that the SMTP password never reaches a log (the audit key hides itself).
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("session_idle", &self.session_idle)
            .field("session_absolute", &self.session_absolute)
            .field("mfa_challenge", &self.mfa_challenge)
            .field("lockout_threshold", &self.lockout_threshold)
            .field("lockout_window", &self.lockout_window)
            .field("lockout_duration", &self.lockout_duration)
            .field("mfa_required_roles", &self.mfa_required_roles)
            .field("token_max_lifetime", &self.token_max_lifetime)
            .field("token_default_lifetime", &self.token_default_lifetime)
            .field("totp_issuer", &self.totp_issuer)
            .field("local_offset", &self.local_offset)
            .field(
                "smtp_url",
                &self.smtp_url.as_deref().map(secret::Masked::new),
            )
            .field("mail_from", &self.mail_from)
            .field("public_url", &self.public_url)
            .field("focal_point_max_age", &self.focal_point_max_age)
            .field("reminder_repeat", &self.reminder_repeat)
            .field("deadlines", &self.deadlines)
            .field("incident_types", &self.incident_types.len())
            .field("attachment_max_bytes", &self.attachment_max_bytes)
            .field(
                "webhook_allow_private_targets",
                &self.webhook_allow_private_targets,
            )
            .field("alert_ack_link_lifetime", &self.alert_ack_link_lifetime)
            .field("alert_chase", &self.alert_chase)
            .field("audit_key", &self.audit_key)
            .field("audit_checkpoint_dir", &self.audit_checkpoint_dir)
            .field("sections", &self.sections)
            .finish()
    }
}

impl Settings {
    /// What a key's type cannot check, and the values the use-cases read that the pillars'
    /// sections imply (the incident deadlines, the alert chase…). Run once the layers are merged.
    pub fn resolve(mut self) -> Result<Self, SettingError> {
        let sections = self.sections.clone();
        sections.apply(&mut self)?;
        Ok(self)
    }
}

/// A pillar's section of `irnet.toml` (`[incidents]`, …): its own keys, with their defaults, each
/// also `IRNET_<SECTION>__<KEY>` and `--set section.key=…`. Integer units go in the key's name
/// (`notice_days`); a secret is a `secret::Secret`, so that it is masked wherever it is shown.
pub trait Section: Clone + fmt::Debug + Default + Serialize + for<'de> Deserialize<'de> {
    /// Checks the section and sets what it implies in `Settings`; most sections are read as they
    /// are (`app.settings.sections.<pillar>`) and need nothing here.
    fn apply(&self, _settings: &mut Settings) -> Result<(), SettingError> {
        Ok(())
    }
}

/// Declares `Sections`, one field per pillar, so that registering a pillar's section is one line.
macro_rules! sections {
    ($($(#[$doc:meta])* $name:ident: $ty:ty,)*) => {
        /// The pillars' own tables in `irnet.toml`, one per pillar.
        #[derive(Clone, Debug, Default, Serialize, Deserialize)]
        #[serde(default)]
        pub struct Sections {
            $($(#[$doc])* pub $name: $ty,)*
        }

        impl Sections {
            fn apply(&self, settings: &mut Settings) -> Result<(), SettingError> {
                $(Section::apply(&self.$name, settings)?;)*
                Ok(())
            }
        }
    };
}

sections! {
    /// `[incidents]`: the legal deadlines, the evidence size limit, the incident types.
    incidents: crate::incidents::settings::IncidentSettings,
    /// `[alerts]`: the acknowledgement link and when an unacknowledged alert is chased.
    alerts: crate::alerts::settings::AlertSettings,
    /// `[housekeeping]`: how long finished jobs and spent one-time links are kept.
    housekeeping: crate::housekeeping::HousekeepingSettings,
    /// `[training]`: when certificates about to expire are reminded.
    training: crate::training::settings::TrainingSettings,
}

/// Keys that moved, with where they are now: a file still using one is refused with this advice
/// rather than ignored.
pub const MOVED_KEYS: &[(&str, &str)] = &[
    ("alert_ack_link_days", "alerts.ack_link_days"),
    ("alert_remind_main_hours", "alerts.remind_main_hours"),
    (
        "alert_escalate_backup_hours",
        "alerts.escalate_backup_hours",
    ),
    ("alert_escalate_lead_hours", "alerts.escalate_lead_hours"),
];

/// A setting that cannot be used, named by its key path (`incidents.notice_days`), so that the
/// CLI can say where the value came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct SettingError {
    pub key: String,
    pub message: String,
}

impl SettingError {
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            message: message.into(),
        }
    }
}

/// A duration in whole units must be positive: a zero deadline would make everything overdue at
/// once.
pub fn positive(key: &str, value: i64) -> Result<i64, SettingError> {
    if value > 0 {
        Ok(value)
    } else {
        Err(SettingError::new(
            key,
            format!("must be at least 1, not {value}"),
        ))
    }
}
