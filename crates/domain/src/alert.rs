//! Alerts: warnings from the coordinator (or a cluster lead) to members, which each recipient
//! acknowledges and answers with what it did. The pure rules live here — CVE identifiers, the
//! action a member reports, where a recipient stands, and which reminder step is due — so that the
//! app, the pages and the tests read them from one place.

use chrono::{DateTime, Duration, Utc};

use crate::error::DomainError;

/// A CVE identifier, `CVE-YYYY-NNNN` with four or more digits in the sequence (the format MITRE
/// has used since 2014). Stored upper case; lower-case input is accepted because people paste it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cve(String);

impl Cve {
    pub fn parse(s: &str) -> Result<Cve, DomainError> {
        let refuse = || DomainError::Invalid("invalid_cve");
        let up = s.trim().to_ascii_uppercase();
        let rest = up.strip_prefix("CVE-").ok_or_else(refuse)?;
        let (year, seq) = rest.split_once('-').ok_or_else(refuse)?;
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        // 1999 is the year of the first CVE identifiers; the sequence is capped so that a
        // pasted blob is refused rather than stored.
        let year_ok = year.len() == 4 && digits(year) && year >= "1999";
        if !year_ok || !digits(seq) || seq.len() < 4 || seq.len() > 19 {
            return Err(refuse());
        }
        Ok(Cve(up))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where an alert stands: a draft is its sender organisation's alone; a sent alert is not edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "diesel", derive(diesel::AsExpression, diesel::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum Status {
    Draft,
    Sent,
}

#[cfg(feature = "diesel")]
crate::sql::stored_as_text!(Status, |s| s.as_str(), |s| crate::sql::one_of(
    &Status::ALL,
    Status::as_str,
    "alert status",
    &s
));

impl Status {
    pub const ALL: [Status; 2] = [Status::Draft, Status::Sent];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Sent => "sent",
        }
    }

    pub fn parse(s: &str) -> Result<Status, DomainError> {
        Status::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or(DomainError::Invalid("invalid_status"))
    }
}

/// What a recipient reports having done about an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "diesel", derive(diesel::AsExpression, diesel::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum ActionStatus {
    NotAffected,
    Patched,
    Mitigated,
    InProgress,
}

#[cfg(feature = "diesel")]
crate::sql::stored_as_text!(ActionStatus, |s| s.as_str(), |s| crate::sql::one_of(
    &ActionStatus::ALL,
    ActionStatus::as_str,
    "action status",
    &s
));

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] = [
        ActionStatus::NotAffected,
        ActionStatus::Patched,
        ActionStatus::Mitigated,
        ActionStatus::InProgress,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::NotAffected => "not_affected",
            ActionStatus::Patched => "patched",
            ActionStatus::Mitigated => "mitigated",
            ActionStatus::InProgress => "in_progress",
        }
    }

    pub fn parse(s: &str) -> Result<ActionStatus, DomainError> {
        ActionStatus::ALL
            .into_iter()
            .find(|a| a.as_str() == s.trim())
            .ok_or(DomainError::Invalid("invalid_action_status"))
    }

    /// "In progress" is an answer, but not a finished one: the recipient stays overdue after the
    /// deadline until it reports an outcome.
    pub fn is_final(self) -> bool {
        !matches!(self, ActionStatus::InProgress)
    }
}

/// Where one recipient stands, as the sender's table shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecipientState {
    Pending,
    Acknowledged,
    Reported,
}

impl RecipientState {
    pub fn of(acknowledged: bool, reported: Option<ActionStatus>) -> RecipientState {
        match (acknowledged, reported) {
            (_, Some(_)) => RecipientState::Reported,
            (true, None) => RecipientState::Acknowledged,
            (false, None) => RecipientState::Pending,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RecipientState::Pending => "pending",
            RecipientState::Acknowledged => "acknowledged",
            RecipientState::Reported => "reported",
        }
    }
}

/// A recipient is overdue when the action deadline has passed and it has not reported a finished
/// outcome (nothing yet, or only "in progress").
pub fn is_overdue(
    deadline: Option<DateTime<Utc>>,
    reported: Option<ActionStatus>,
    now: DateTime<Utc>,
) -> bool {
    deadline.is_some_and(|d| now > d) && !reported.is_some_and(ActionStatus::is_final)
}

/// The delays after sending at which an unacknowledged recipient is chased: a reminder to its main
/// focal point, then its backup focal point, then the lead of its cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChaseDelays {
    pub remind_main: Duration,
    pub escalate_backup: Duration,
    pub escalate_lead: Duration,
}

impl Default for ChaseDelays {
    fn default() -> Self {
        Self {
            remind_main: Duration::hours(4),
            escalate_backup: Duration::hours(24),
            escalate_lead: Duration::hours(48),
        }
    }
}

/// One step of the chase, in order; a step is taken once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChaseStep {
    RemindMain = 1,
    EscalateBackup = 2,
    EscalateLead = 3,
}

impl ChaseStep {
    pub const ALL: [ChaseStep; 3] = [
        ChaseStep::RemindMain,
        ChaseStep::EscalateBackup,
        ChaseStep::EscalateLead,
    ];

    pub fn number(self) -> i32 {
        self as i32
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ChaseStep::RemindMain => "remind_main",
            ChaseStep::EscalateBackup => "escalate_backup",
            ChaseStep::EscalateLead => "escalate_lead",
        }
    }
}

impl ChaseDelays {
    /// The steps due for a recipient that has not acknowledged, `elapsed` after sending, having
    /// already taken the steps up to `taken` (0 for none). A check that runs late takes every step
    /// that fell due meanwhile, in order, so none is skipped.
    pub fn due(&self, elapsed: Duration, taken: i32) -> Vec<ChaseStep> {
        ChaseStep::ALL
            .into_iter()
            .filter(|s| s.number() > taken)
            .filter(|s| elapsed >= self.delay(*s))
            .collect()
    }

    pub fn delay(&self, step: ChaseStep) -> Duration {
        match step {
            ChaseStep::RemindMain => self.remind_main,
            ChaseStep::EscalateBackup => self.escalate_backup,
            ChaseStep::EscalateLead => self.escalate_lead,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn cve_identifiers_follow_the_mitre_format() {
        for ok in ["CVE-2024-3400", "cve-2021-44228", " CVE-2023-1234567 "] {
            assert!(Cve::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            Cve::parse("cve-2021-44228").unwrap().as_str(),
            "CVE-2021-44228"
        );
        for bad in [
            "",
            "CVE-2024-123",
            "CVE-24-3400",
            "CVE-1998-0001",
            "2024-3400",
            "CVE-2024-34OO",
            "CVE-2024-3400-1",
            "CAN-2004-0001",
        ] {
            assert_eq!(
                Cve::parse(bad),
                Err(DomainError::Invalid("invalid_cve")),
                "{bad}"
            );
        }
    }

    #[test]
    fn action_statuses_round_trip() {
        for a in ActionStatus::ALL {
            assert_eq!(ActionStatus::parse(a.as_str()), Ok(a));
        }
        assert!(ActionStatus::parse("done").is_err());
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Ok(s));
        }
        assert!(Status::parse("Sent").is_err());
    }

    #[test]
    fn a_recipient_is_overdue_until_it_reports_an_outcome() {
        let t = |h| Utc.with_ymd_and_hms(2025, 8, 5, h, 0, 0).unwrap();
        let deadline = Some(t(10));
        assert!(!is_overdue(deadline, None, t(9)));
        assert!(is_overdue(deadline, None, t(11)));
        assert!(is_overdue(deadline, Some(ActionStatus::InProgress), t(11)));
        assert!(!is_overdue(deadline, Some(ActionStatus::Patched), t(11)));
        assert!(!is_overdue(None, None, t(11)));
        assert_eq!(RecipientState::of(false, None), RecipientState::Pending);
        assert_eq!(RecipientState::of(true, None), RecipientState::Acknowledged);
        assert_eq!(
            RecipientState::of(true, Some(ActionStatus::Mitigated)),
            RecipientState::Reported
        );
    }

    #[test]
    fn chase_steps_fall_due_in_order_and_once() {
        let d = ChaseDelays::default();
        assert!(d.due(Duration::hours(3), 0).is_empty());
        assert_eq!(d.due(Duration::hours(4), 0), vec![ChaseStep::RemindMain]);
        assert!(d.due(Duration::hours(5), 1).is_empty());
        assert_eq!(
            d.due(Duration::hours(24), 1),
            vec![ChaseStep::EscalateBackup]
        );
        // A late check takes both steps it missed.
        assert_eq!(
            d.due(Duration::hours(50), 1),
            vec![ChaseStep::EscalateBackup, ChaseStep::EscalateLead]
        );
        assert!(d.due(Duration::hours(100), 3).is_empty());
    }
}
