//! `[incidents]` in `irnet.toml`: the rules of the incident pillar, when the network's differ from
//! the national ones (Circular 20/2017, Decision 05/2017). Deadlines are whole days or hours, as
//! the regulations state them.

use std::path::PathBuf;

use chrono::Duration;
use irnet_domain::incident::DeadlineRules;
use serde::{Deserialize, Serialize};

use crate::settings::{Section, SettingError, Settings, positive};

const MIB: usize = 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IncidentSettings {
    /// The notice is due this long after the local detection time.
    pub notice_days: i64,
    /// Receivers acknowledge "at once": within this long of being told.
    pub acknowledgement_hours: i64,
    /// The initial report, when the incident exceeds the member's capacity.
    pub immediate_report_hours: i64,
    /// The closing report, after the end of response.
    pub closing_report_days: i64,
    /// Largest evidence file, 1–24 (the route accepts 32 MiB, so that a file just over the limit
    /// still gets a field error).
    pub attachment_max_mib: usize,
    /// A CSV of incident types (`key,name_vi,name_en,reference_taxonomy`) replacing the defaults.
    pub types_file: Option<PathBuf>,
    /// Per kind of member, how the department in charge that its notice reaches is found.
    pub department_in_charge: super::notice::DepartmentInCharge,
}

impl Default for IncidentSettings {
    fn default() -> Self {
        let rules = DeadlineRules::default();
        Self {
            notice_days: rules.notice.num_days(),
            acknowledgement_hours: rules.acknowledge.num_hours(),
            immediate_report_hours: rules.initial_report.num_hours(),
            closing_report_days: rules.closing_report.num_days(),
            attachment_max_mib: 10,
            types_file: None,
            department_in_charge: super::notice::DepartmentInCharge::default(),
        }
    }
}

impl IncidentSettings {
    pub fn deadlines(&self) -> DeadlineRules {
        DeadlineRules {
            notice: Duration::days(self.notice_days),
            acknowledge: Duration::hours(self.acknowledgement_hours),
            initial_report: Duration::hours(self.immediate_report_hours),
            closing_report: Duration::days(self.closing_report_days),
        }
    }

    pub fn attachment_max_bytes(&self) -> usize {
        self.attachment_max_mib * MIB
    }
}

impl Section for IncidentSettings {
    fn apply(&self, s: &mut Settings) -> Result<(), SettingError> {
        positive("incidents.notice_days", self.notice_days)?;
        positive(
            "incidents.acknowledgement_hours",
            self.acknowledgement_hours,
        )?;
        positive(
            "incidents.immediate_report_hours",
            self.immediate_report_hours,
        )?;
        positive("incidents.closing_report_days", self.closing_report_days)?;
        if !(1..=24).contains(&self.attachment_max_mib) {
            return Err(SettingError::new(
                "incidents.attachment_max_mib",
                format!("must be between 1 and 24, not {}", self.attachment_max_mib),
            ));
        }
        s.deadlines = self.deadlines();
        s.attachment_max_bytes = self.attachment_max_bytes();
        if let Some(path) = &self.types_file {
            let key = "incidents.types_file";
            let text = std::fs::read_to_string(path).map_err(|e| {
                SettingError::new(key, format!("cannot read {}: {e}", path.display()))
            })?;
            let types = super::types::parse(&text)
                .map_err(|e| SettingError::new(key, format!("{}: {e}", path.display())))?;
            if types.is_empty() {
                return Err(SettingError::new(
                    key,
                    format!("{} lists no type", path.display()),
                ));
            }
            s.incident_types = types;
        }
        Ok(())
    }
}
