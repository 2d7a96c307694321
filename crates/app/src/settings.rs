//! Operator-tunable behaviour of the use-cases (the CLI maps its configuration onto this).

use chrono::{Duration, FixedOffset, Offset, Utc};
use irnet_domain::Role;

#[derive(Debug, Clone)]
pub struct Settings {
    /// A browser session ends after this long without use.
    pub session_idle: Duration,
    /// …and after this long in any case.
    pub session_absolute: Duration,
    /// Time allowed between a correct password and the second factor.
    pub mfa_challenge: Duration,
    /// Failed sign-ins within `lockout_window` that lock the account…
    pub lockout_threshold: i32,
    pub lockout_window: Duration,
    /// …for this long.
    pub lockout_duration: Duration,
    /// People holding any of these roles must enrol a second factor before doing anything else.
    pub mfa_required_roles: Vec<Role>,
    /// Longest lifetime of an API token, and the default when none is asked for.
    pub token_max_lifetime: Duration,
    pub token_default_lifetime: Duration,
    /// Shown in authenticator apps.
    pub totp_issuer: String,
    /// The network's legal time zone, for "today" and deadlines (Asia/Ho_Chi_Minh: UTC+07:00, no
    /// daylight saving).
    pub local_offset: FixedOffset,
    /// Outgoing mail: `smtp://host:port` (plain or STARTTLS when offered… see `mail.rs`),
    /// `smtps://user:password@host` (TLS). Without it, mail jobs are recorded as not sent.
    pub smtp_url: Option<String>,
    /// The From address of irnet's mail.
    pub mail_from: String,
    /// The address users reach irnet at, for links in mail (no trailing slash).
    pub public_url: String,
    /// A focal point not confirmed for this long is reported as unconfirmed.
    pub focal_point_max_age: Duration,
    /// A member is reminded about its focal points at most this often.
    pub reminder_repeat: Duration,
    /// The incident deadlines (notice 5 days, acknowledgement 2 hours, closing report 5 days).
    pub deadlines: irnet_domain::incident::DeadlineRules,
    /// Incident types offered and counted in the statistics.
    pub incident_types: Vec<crate::incidents::types::IncidentType>,
    /// Largest evidence attachment accepted.
    pub attachment_max_bytes: usize,
    /// Webhooks may target loopback, private and link-local addresses (off: a webhook there
    /// would make irnet post into its own network).
    pub webhook_allow_private_targets: bool,
    /// How long a mailed one-click acknowledgement link of an alert stays valid.
    pub alert_ack_link_lifetime: Duration,
    /// When an unacknowledged alert is chased: main focal point, backup, cluster lead.
    pub alert_chase: irnet_domain::alert::ChaseDelays,
    /// The key of the audit chain's HMAC, kept outside the database (`irnet serve` reads or
    /// creates `audit.key` in the data directory). The default is a fresh random key: right for
    /// tests and in-memory databases only.
    pub audit_key: irnet_store::audit::AuditKey,
    /// Where signed checkpoints of the audit chain's head are written (`audit-checkpoints/` in
    /// the data directory); none: no checkpoint files.
    pub audit_checkpoint_dir: Option<std::path::PathBuf>,
    /// What the housekeeping job keeps.
    pub housekeeping: crate::housekeeping::HousekeepingSettings,
}

impl Default for Settings {
    fn default() -> Self {
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
            deadlines: irnet_domain::incident::DeadlineRules::default(),
            incident_types: crate::incidents::types::defaults(),
            attachment_max_bytes: 10 * 1024 * 1024,
            webhook_allow_private_targets: false,
            alert_ack_link_lifetime: Duration::days(7),
            alert_chase: irnet_domain::alert::ChaseDelays::default(),
            audit_key: irnet_store::audit::AuditKey::random(),
            audit_checkpoint_dir: None,
            housekeeping: Default::default(),
        }
    }
}
