//! Training: programmes (organised by a member, a cluster lead for its cluster, or the
//! coordinator) with their sessions, the hours each person of the directory spent in training,
//! and the certificates people hold. The pure rules live here — how hours are given and counted,
//! where a certificate stands against its expiry, and when its reminder is due — so that the app,
//! the pages and the tests read them from one place. Who may see or do what is in `policy`.

use chrono::{Duration, NaiveDate};

use crate::error::DomainError;

/// Where training hours came from. A session's attendance is one source; taking part in a
/// drill will be another (`Drill`), recorded through the same hook so that a member's yearly
/// hours count both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "diesel", derive(diesel::AsExpression, diesel::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum HoursSource {
    Session,
    Drill,
}

#[cfg(feature = "diesel")]
crate::sql::stored_as_text!(HoursSource, |s| s.as_str(), |s| crate::sql::one_of(
    &HoursSource::ALL,
    HoursSource::as_str,
    "training hours source",
    &s
));

impl HoursSource {
    pub const ALL: [HoursSource; 2] = [HoursSource::Session, HoursSource::Drill];

    pub fn as_str(self) -> &'static str {
        match self {
            HoursSource::Session => "session",
            HoursSource::Drill => "drill",
        }
    }
}

/// The longest session counted in one day, in minutes: a day of training, not a typo's 350 hours.
pub const MAX_SESSION_MINUTES: i32 = 24 * 60;

/// A session's length given in hours ("3.5", "3,5" or a JSON number), kept in whole minutes so
/// that sums stay exact in SQL. More than zero, at most a day.
pub fn minutes_from_hours(hours: f64) -> Result<i32, DomainError> {
    if !hours.is_finite() || hours <= 0.0 {
        return Err(DomainError::Invalid("invalid_hours"));
    }
    let minutes = (hours * 60.0).round();
    if minutes < 1.0 || minutes > f64::from(MAX_SESSION_MINUTES) {
        return Err(DomainError::Invalid("invalid_hours"));
    }
    // In range 1..=1440 after the checks above.
    Ok(minutes as i32)
}

/// `minutes_from_hours` of a form's text, where a decimal comma is as good as a point.
pub fn parse_hours(s: &str) -> Result<i32, DomainError> {
    let t = s.trim().replace(',', ".");
    let hours: f64 = t
        .parse()
        .map_err(|_| DomainError::Invalid("invalid_hours"))?;
    minutes_from_hours(hours)
}

/// Minutes as hours with at most one decimal ("3.5", "12"), as pages and exports show them.
pub fn hours_text(minutes: i64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// A certificate is valid from its issue day to its last valid day, when it has one.
pub fn check_validity(
    issued_on: NaiveDate,
    valid_until: Option<NaiveDate>,
) -> Result<(), DomainError> {
    match valid_until {
        Some(until) if until < issued_on => Err(DomainError::Invalid("ends_before_start")),
        _ => Ok(()),
    }
}

/// Where a certificate stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryState {
    /// no expiry recorded
    Permanent,
    Valid,
    /// within the reminder window before its last valid day
    ExpiresSoon,
    Expired,
}

impl ExpiryState {
    pub fn as_str(self) -> &'static str {
        match self {
            ExpiryState::Permanent => "permanent",
            ExpiryState::Valid => "valid",
            ExpiryState::ExpiresSoon => "expires_soon",
            ExpiryState::Expired => "expired",
        }
    }
}

/// The state of a certificate valid until `valid_until` on `today`, warning `days` ahead.
pub fn expiry_state(valid_until: Option<NaiveDate>, today: NaiveDate, days: u32) -> ExpiryState {
    match valid_until {
        None => ExpiryState::Permanent,
        Some(until) if until < today => ExpiryState::Expired,
        Some(until) if until - Duration::days(i64::from(days)) <= today => ExpiryState::ExpiresSoon,
        Some(_) => ExpiryState::Valid,
    }
}

/// Whether the expiry reminder of a certificate is due on `today`: from `days` before its last
/// valid day until that day. The job sends it once per certificate and expiry day, so a day the
/// job missed is caught up the next day.
pub fn reminder_due(valid_until: Option<NaiveDate>, today: NaiveDate, days: u32) -> bool {
    expiry_state(valid_until, today, days) == ExpiryState::ExpiresSoon
}

/// Who organises a programme, as the organiser's place in the network on the programme's year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganiserKind {
    Member,
    /// the lead of the programme's cluster in the programme's year
    ClusterLead,
    Coordinator,
}

impl OrganiserKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrganiserKind::Member => "member",
            OrganiserKind::ClusterLead => "cluster_lead",
            OrganiserKind::Coordinator => "coordinator",
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn hours_are_kept_in_minutes_and_shown_with_one_decimal() {
        assert_eq!(parse_hours("3,5"), Ok(210));
        assert_eq!(parse_hours(" 8 "), Ok(480));
        assert_eq!(minutes_from_hours(24.0), Ok(1440));
        for bad in ["0", "-1", "24.5", "abc", "", "NaN", "inf"] {
            assert!(parse_hours(bad).is_err(), "{bad}");
        }
        assert_eq!(hours_text(210), "3.5");
        assert_eq!(hours_text(480), "8");
        assert_eq!(hours_text(0), "0");
    }

    #[test]
    fn a_certificate_cannot_end_before_it_starts() {
        assert!(check_validity(d(2024, 5, 1), Some(d(2024, 4, 30))).is_err());
        assert!(check_validity(d(2024, 5, 1), Some(d(2024, 5, 1))).is_ok());
        assert!(check_validity(d(2024, 5, 1), None).is_ok());
    }

    #[test]
    fn the_reminder_window_opens_days_before_the_last_valid_day() {
        let until = Some(d(2026, 12, 31));
        assert_eq!(
            expiry_state(until, d(2026, 12, 1), 30),
            ExpiryState::ExpiresSoon
        );
        assert_eq!(expiry_state(until, d(2026, 11, 30), 30), ExpiryState::Valid);
        assert_eq!(expiry_state(until, d(2027, 1, 1), 30), ExpiryState::Expired);
        assert_eq!(
            expiry_state(None, d(2027, 1, 1), 30),
            ExpiryState::Permanent
        );
        assert!(reminder_due(until, d(2026, 12, 31), 30));
        assert!(!reminder_due(until, d(2027, 1, 1), 30));
    }
}
