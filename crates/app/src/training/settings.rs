//! The `[training]` settings.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainingSettings {
    /// Days before a certificate's last valid day that its holder and their organisation's
    /// admins are reminded (once per certificate and expiry day).
    pub certificate_reminder_days: i64,
}

impl Default for TrainingSettings {
    fn default() -> Self {
        Self {
            certificate_reminder_days: 30,
        }
    }
}

impl TrainingSettings {
    /// The reminder window in days, as the domain's rules take it.
    pub fn reminder_days(&self) -> u32 {
        u32::try_from(self.certificate_reminder_days).unwrap_or(30)
    }
}

impl crate::settings::Section for TrainingSettings {
    fn apply(&self, _: &mut crate::Settings) -> Result<(), crate::settings::SettingError> {
        let key = "training.certificate_reminder_days";
        let days = crate::settings::positive(key, self.certificate_reminder_days)?;
        if days > 366 {
            return Err(crate::settings::SettingError::new(
                key,
                format!("must be at most 366, not {days}"),
            ));
        }
        Ok(())
    }
}
