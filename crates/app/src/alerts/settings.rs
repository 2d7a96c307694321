//! `[alerts]` in `irnet.toml`: how long a mailed acknowledgement link works, and when an
//! unacknowledged alert is chased (main focal point, then backup, then the cluster lead).

use chrono::Duration;
use irnet_domain::alert::ChaseDelays;
use serde::{Deserialize, Serialize};

use crate::settings::{Section, SettingError, Settings, positive};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertSettings {
    /// A mailed one-click acknowledgement link works once, for this long.
    pub ack_link_days: i64,
    /// An unacknowledged alert is mailed again to the recipient's main focal point…
    pub remind_main_hours: i64,
    /// …then to its backup focal point…
    pub escalate_backup_hours: i64,
    /// …then to the lead of its cluster.
    pub escalate_lead_hours: i64,
}

impl Default for AlertSettings {
    fn default() -> Self {
        let chase = ChaseDelays::default();
        Self {
            ack_link_days: 7,
            remind_main_hours: chase.remind_main.num_hours(),
            escalate_backup_hours: chase.escalate_backup.num_hours(),
            escalate_lead_hours: chase.escalate_lead.num_hours(),
        }
    }
}

impl AlertSettings {
    pub fn ack_link_lifetime(&self) -> Duration {
        Duration::days(self.ack_link_days)
    }

    pub fn chase(&self) -> ChaseDelays {
        ChaseDelays {
            remind_main: Duration::hours(self.remind_main_hours),
            escalate_backup: Duration::hours(self.escalate_backup_hours),
            escalate_lead: Duration::hours(self.escalate_lead_hours),
        }
    }
}

impl Section for AlertSettings {
    fn apply(&self, s: &mut Settings) -> Result<(), SettingError> {
        positive("alerts.ack_link_days", self.ack_link_days)?;
        positive("alerts.remind_main_hours", self.remind_main_hours)?;
        positive("alerts.escalate_backup_hours", self.escalate_backup_hours)?;
        positive("alerts.escalate_lead_hours", self.escalate_lead_hours)?;
        s.alert_ack_link_lifetime = self.ack_link_lifetime();
        s.alert_chase = self.chase();
        Ok(())
    }
}
