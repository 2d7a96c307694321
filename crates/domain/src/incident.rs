//! The rules of an incident's life (Decision 05/2017/QĐ-TTg, Circular 20/2017/TT-BTTTT): its
//! status workflow, the legal deadlines, the serious-incident test, the kinds of report filed in
//! it, and the observables it collects. Pure: the clock and the network's time zone come in as
//! arguments.

use chrono::{DateTime, Duration, FixedOffset, Utc};

use crate::error::DomainError;
use crate::net::{DomainName, IpRange, WebUrl, idn_forms};

/// Where an incident stands. Drafts are the reporter's alone; a submitted notice is `New`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "diesel", derive(diesel::AsExpression, diesel::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum Status {
    Draft,
    New,
    Acknowledged,
    InProgress,
    Contained,
    Recovered,
    Closed,
}

#[cfg(feature = "diesel")]
crate::sql::stored_as_text!(Status, |s| s.as_str(), |s| crate::sql::one_of(
    &Status::ALL,
    Status::as_str,
    "incident status",
    &s
));

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Draft,
        Status::New,
        Status::Acknowledged,
        Status::InProgress,
        Status::Contained,
        Status::Recovered,
        Status::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::New => "new",
            Status::Acknowledged => "acknowledged",
            Status::InProgress => "in_progress",
            Status::Contained => "contained",
            Status::Recovered => "recovered",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Result<Status, DomainError> {
        Status::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or(DomainError::Invalid("invalid_status"))
    }

    /// Handling moves forward only, one or more steps at a time; a draft becomes `New` by being
    /// submitted and `Closed` is reached only by closing (which needs the closing report), so
    /// neither is a plain transition.
    pub fn may_move_to(self, next: Status) -> bool {
        !matches!(self, Status::Draft | Status::Closed)
            && !matches!(next, Status::Draft | Status::New | Status::Closed)
            && next > self
    }

    /// Response has ended once the system is recovered: the closing report's five days run from
    /// then.
    pub fn response_ended(self) -> bool {
        self >= Status::Recovered
    }
}

/// The legal deadlines, with the rules' values as defaults (configurable by the operator).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineRules {
    /// Notice within this long of the local detection time (5 days).
    pub notice: Duration,
    /// Receivers acknowledge "at once": within this long of being told (2 hours).
    pub acknowledge: Duration,
    /// The initial report is due "immediately" when the incident exceeds the member's capacity:
    /// within this long of the notice (same as `acknowledge` by default).
    pub initial_report: Duration,
    /// Closing report within this long of the end of response (5 days).
    pub closing_report: Duration,
}

impl Default for DeadlineRules {
    fn default() -> Self {
        Self {
            notice: Duration::days(5),
            acknowledge: Duration::hours(2),
            initial_report: Duration::hours(2),
            closing_report: Duration::days(5),
        }
    }
}

/// The moments an incident's deadlines are computed from.
#[derive(Debug, Clone, Default)]
pub struct Milestones {
    pub detected_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub exceeds_capacity: bool,
    pub initial_report_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub response_ended_at: Option<DateTime<Utc>>,
    pub closing_report_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeadlineKind {
    Notice,
    InitialReport,
    Acknowledgement,
    ClosingReport,
}

impl DeadlineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::Notice => "notice",
            DeadlineKind::InitialReport => "initial_report",
            DeadlineKind::Acknowledgement => "acknowledgement",
            DeadlineKind::ClosingReport => "closing_report",
        }
    }
}

/// One deadline as shown on the incident: when it falls (in the network's time zone), whether it
/// was met and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub due: DateTime<FixedOffset>,
    pub met_at: Option<DateTime<Utc>>,
}

impl Deadline {
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        match self.met_at {
            Some(at) => at > self.due,
            None => now > self.due,
        }
    }
    pub fn open(&self) -> bool {
        self.met_at.is_none()
    }
}

impl DeadlineRules {
    /// The deadlines that apply so far. The five days of the notice run from the detection time
    /// as the member's clock showed it, so they are computed in the network's zone and shown
    /// there (a deadline at 09:00 local is 02:00 UTC).
    pub fn deadlines(&self, m: &Milestones, zone: FixedOffset) -> Vec<Deadline> {
        deadlines_by(m, zone, |kind, from| {
            from + match kind {
                DeadlineKind::Notice => self.notice,
                DeadlineKind::InitialReport => self.initial_report,
                DeadlineKind::Acknowledgement => self.acknowledge,
                DeadlineKind::ClosingReport => self.closing_report,
            }
        })
    }
}

/// The deadlines that apply so far, each falling where `due` puts it from its starting moment
/// (in the network's zone): the rule set decides how long each is and how it is counted.
pub fn deadlines_by(
    m: &Milestones,
    zone: FixedOffset,
    due: impl Fn(DeadlineKind, DateTime<FixedOffset>) -> DateTime<FixedOffset>,
) -> Vec<Deadline> {
    let local = |t: DateTime<Utc>| t.with_timezone(&zone);
    let mut out = Vec::new();
    if let Some(detected) = m.detected_at {
        out.push(Deadline {
            kind: DeadlineKind::Notice,
            due: due(DeadlineKind::Notice, local(detected)),
            met_at: m.submitted_at,
        });
    }
    if m.exceeds_capacity
        && let Some(from) = m.submitted_at
    {
        out.push(Deadline {
            kind: DeadlineKind::InitialReport,
            due: due(DeadlineKind::InitialReport, local(from)),
            met_at: m.initial_report_at,
        });
    }
    if let Some(escalated) = m.escalated_at {
        out.push(Deadline {
            kind: DeadlineKind::Acknowledgement,
            due: due(DeadlineKind::Acknowledgement, local(escalated)),
            met_at: m.acknowledged_at,
        });
    }
    if let Some(ended) = m.response_ended_at {
        out.push(Deadline {
            kind: DeadlineKind::ClosingReport,
            due: due(DeadlineKind::ClosingReport, local(ended)),
            met_at: m.closing_report_at,
        });
    }
    out
}

/// The effects that, on a level 4–5 (or nationally critical) system the owner cannot handle
/// alone, make an incident serious (Decision 05/2017 Art. 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Effect {
    ServiceDisruption,
    StateSecretLeak,
    UnrecoverableDataLoss,
    LossOfControl,
    WideSpread,
}

impl Effect {
    pub const ALL: [Effect; 5] = [
        Effect::ServiceDisruption,
        Effect::StateSecretLeak,
        Effect::UnrecoverableDataLoss,
        Effect::LossOfControl,
        Effect::WideSpread,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::ServiceDisruption => "service_disruption",
            Effect::StateSecretLeak => "state_secret_leak",
            Effect::UnrecoverableDataLoss => "unrecoverable_data_loss",
            Effect::LossOfControl => "loss_of_control",
            Effect::WideSpread => "wide_spread",
        }
    }
    pub fn parse(s: &str) -> Result<Effect, DomainError> {
        Effect::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or(DomainError::Invalid("invalid_effect"))
    }
}

/// The platform's proposal; the coordinator confirms or rejects it. All three conditions hold:
/// the system is level 4 or 5 or on the critical list, one of the effects occurred, and the
/// owner cannot handle it alone.
pub fn proposed_serious(
    system_level: Option<u8>,
    critical: bool,
    effects: &[Effect],
    cannot_handle_alone: bool,
) -> bool {
    (system_level.is_some_and(|l| l >= 4) || critical) && !effects.is_empty() && cannot_handle_alone
}

/// Whether data was lost: a first-class answer, since "no data-loss incident" is what a cluster
/// reports each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataLoss {
    None,
    Confirmed,
    Unknown,
}

impl DataLoss {
    pub fn as_str(self) -> &'static str {
        match self {
            DataLoss::None => "none",
            DataLoss::Confirmed => "confirmed",
            DataLoss::Unknown => "unknown",
        }
    }
    pub fn parse(s: &str) -> Result<DataLoss, DomainError> {
        match s {
            "none" => Ok(DataLoss::None),
            "confirmed" => Ok(DataLoss::Confirmed),
            "unknown" => Ok(DataLoss::Unknown),
            _ => Err(DomainError::Invalid("invalid_data_loss")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
    pub fn parse(s: &str) -> Result<Severity, DomainError> {
        Severity::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or(DomainError::Invalid("invalid_severity"))
    }
}

/// The documents filed in an incident's life. Each is versioned: a new version supersedes the
/// previous one, which stays readable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    /// Mẫu 03
    Initial,
    SituationUpdate,
    ResponsePlan,
    DirectionRequest,
    SupportRequest,
    /// Mẫu 04
    Closing,
}

impl ReportKind {
    pub const ALL: [ReportKind; 6] = [
        ReportKind::Initial,
        ReportKind::SituationUpdate,
        ReportKind::ResponsePlan,
        ReportKind::DirectionRequest,
        ReportKind::SupportRequest,
        ReportKind::Closing,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Initial => "initial",
            ReportKind::SituationUpdate => "situation_update",
            ReportKind::ResponsePlan => "response_plan",
            ReportKind::DirectionRequest => "direction_request",
            ReportKind::SupportRequest => "support_request",
            ReportKind::Closing => "closing",
        }
    }
    pub fn parse(s: &str) -> Result<ReportKind, DomainError> {
        ReportKind::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or(DomainError::Invalid("invalid_report_kind"))
    }
}

/// What an observable is. Values are validated and kept in canonical form, so the same address
/// written twice is one observable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObservableKind {
    Ip,
    Cidr,
    Domain,
    Url,
    Md5,
    Sha1,
    Sha256,
    Email,
}

impl ObservableKind {
    pub const ALL: [ObservableKind; 8] = [
        ObservableKind::Ip,
        ObservableKind::Cidr,
        ObservableKind::Domain,
        ObservableKind::Url,
        ObservableKind::Md5,
        ObservableKind::Sha1,
        ObservableKind::Sha256,
        ObservableKind::Email,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ObservableKind::Ip => "ip",
            ObservableKind::Cidr => "cidr",
            ObservableKind::Domain => "domain",
            ObservableKind::Url => "url",
            ObservableKind::Md5 => "md5",
            ObservableKind::Sha1 => "sha1",
            ObservableKind::Sha256 => "sha256",
            ObservableKind::Email => "email",
        }
    }
    pub fn parse(s: &str) -> Result<ObservableKind, DomainError> {
        ObservableKind::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or(DomainError::Invalid("invalid_observable_kind"))
    }

    /// The canonical form of `value`, or why it is not one of these.
    pub fn canonical(self, value: &str) -> Result<String, DomainError> {
        let v = value.trim();
        let hex = |len: usize| {
            if v.len() == len && v.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(v.to_ascii_lowercase())
            } else {
                Err(DomainError::Invalid("invalid_hash"))
            }
        };
        match self {
            ObservableKind::Ip => v
                .parse::<std::net::IpAddr>()
                .map(|ip| ip.to_string())
                .map_err(|_| DomainError::Invalid("invalid_ip")),
            ObservableKind::Cidr => IpRange::parse(v).map(|r| r.to_string()),
            // A domain in Unicode (IDN) keeps its Unicode form, normalised; its punycode form is
            // `other_form`.
            ObservableKind::Domain => match DomainName::parse(v) {
                Ok(d) => Ok(d.as_str().to_owned()),
                Err(e) => idn_forms(v)
                    .filter(|_| !v.is_ascii())
                    .map(|(_, unicode)| unicode)
                    .ok_or(e),
            },
            ObservableKind::Url => observed_url(v),
            ObservableKind::Md5 => hex(32),
            ObservableKind::Sha1 => hex(40),
            ObservableKind::Sha256 => hex(64),
            ObservableKind::Email => crate::Email::parse(v).map(|e| e.as_str().to_owned()),
        }
    }
}

impl ObservableKind {
    /// The same value written the other way, when there is one: a domain's punycode form for its
    /// Unicode form, and back. An indicator keeps both, so that a lookup of either finds it.
    pub fn other_form(self, canonical: &str) -> Option<String> {
        match self {
            ObservableKind::Domain => idn_forms(canonical)
                .map(|(ascii, unicode)| if canonical == ascii { unicode } else { ascii }),
            _ => None,
        }
    }
}

/// A URL as seen in threat data, kept as written. Beyond what the directory accepts (`WebUrl`),
/// its scheme may be missing (`example.com/path`: MISP's `url` attributes often are) and its host
/// may be in Unicode; it is checked as a browser would read it — `http://` before it, the host in
/// punycode. Schemes other than http and https are refused as before.
fn observed_url(v: &str) -> Result<String, DomainError> {
    if let Ok(u) = WebUrl::parse(v) {
        return Ok(u.as_str().to_owned());
    }
    let bad = || DomainError::InvalidUrl(v.to_owned());
    let scheme_end = v.find("://").filter(|&i| {
        i > 0
            && v[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    let (scheme, rest) = match scheme_end {
        Some(i) => v.split_at(i + 3),
        None => ("http://", v),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
        _ => (authority, None),
    };
    let host = if host.is_ascii() {
        host.to_owned()
    } else {
        idn_forms(host).map(|(ascii, _)| ascii).ok_or_else(bad)?
    };
    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
    WebUrl::parse(&format!("{scheme}{host}{port}{path}"))
        .map(|_| v.to_owned())
        .map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    fn zone() -> FixedOffset {
        FixedOffset::east_opt(7 * 3600).unwrap()
    }

    #[test]
    fn the_notice_is_due_five_days_after_local_detection() {
        let detected = zone()
            .with_ymd_and_hms(2024, 12, 20, 9, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        let d = DeadlineRules::default().deadlines(
            &Milestones {
                detected_at: Some(detected),
                ..Milestones::default()
            },
            zone(),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].due.to_rfc3339(), "2024-12-25T09:00:00+07:00");
        assert!(!d[0].overdue(detected + Duration::days(5)));
        assert!(d[0].overdue(detected + Duration::days(5) + Duration::seconds(1)));
    }

    #[test]
    fn a_late_notice_stays_overdue_once_met() {
        let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        let d = DeadlineRules::default().deadlines(
            &Milestones {
                detected_at: Some(t),
                submitted_at: Some(t + Duration::days(6)),
                escalated_at: Some(t + Duration::days(6)),
                ..Milestones::default()
            },
            zone(),
        );
        assert!(d[0].overdue(t + Duration::days(7)));
        assert_eq!(d[1].kind, DeadlineKind::Acknowledgement);
        assert!(d[1].open());
    }

    #[test]
    fn handling_moves_forward_only() {
        assert!(Status::New.may_move_to(Status::Acknowledged));
        assert!(Status::New.may_move_to(Status::Contained));
        assert!(!Status::Contained.may_move_to(Status::InProgress));
        assert!(!Status::Recovered.may_move_to(Status::Closed));
        assert!(!Status::Draft.may_move_to(Status::InProgress));
        assert!(!Status::Closed.may_move_to(Status::Recovered));
    }

    #[test]
    fn serious_needs_all_three_conditions() {
        let e = [Effect::ServiceDisruption];
        assert!(proposed_serious(Some(4), false, &e, true));
        assert!(proposed_serious(Some(2), true, &e, true));
        assert!(!proposed_serious(Some(3), false, &e, true));
        assert!(!proposed_serious(Some(5), false, &[], true));
        assert!(!proposed_serious(Some(5), false, &e, false));
    }

    #[test]
    fn observables_are_canonical() {
        assert_eq!(
            ObservableKind::Ip.canonical(" 203.0.113.7 ").unwrap(),
            "203.0.113.7"
        );
        assert!(ObservableKind::Ip.canonical("999.1.1.1").is_err());
        assert_eq!(
            ObservableKind::Md5
                .canonical("D41D8CD98F00B204E9800998ECF8427E")
                .unwrap(),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
        assert!(ObservableKind::Sha256.canonical("abc").is_err());
        assert_eq!(
            ObservableKind::Domain
                .canonical("Evil.Example.COM")
                .unwrap(),
            "evil.example.com"
        );
    }

    #[test]
    fn idn_domains_are_kept_with_their_other_form() {
        let d = ObservableKind::Domain;
        let unicode = d.canonical(" ĐăngNhập-VNPT.vn ").unwrap();
        assert_eq!(unicode, "đăngnhập-vnpt.vn");
        let ascii = d.other_form(&unicode).unwrap();
        assert!(ascii.starts_with("xn--"), "{ascii}");
        // the punycode form is a domain as it always was, and points back
        assert_eq!(d.canonical(&ascii.to_uppercase()).unwrap(), ascii);
        assert_eq!(d.other_form(&ascii).unwrap(), unicode);
        assert_eq!(d.canonical("例え.jp").unwrap(), "例え.jp");
        assert_eq!(d.other_form("例え.jp").unwrap(), "xn--r8jz45g.jp");
        assert_eq!(d.other_form("example.vn"), None);
        assert!(d.canonical("例え").is_err());
        assert!(d.canonical("bad_domain.vn").is_err());
        assert_eq!(ObservableKind::Url.other_form("https://example.vn"), None);
    }

    #[test]
    fn urls_may_lack_their_scheme_or_have_a_unicode_host() {
        let u = ObservableKind::Url;
        for kept in [
            "https://evil.example/x",
            "example.com/path",
            "example.com",
            "evil.example:8080/a?b=c",
            "192.0.2.1/login.php",
            "https://đăngnhập-vnpt.vn/login",
            "例え.jp/パス",
            "HTTP://Evil.Example/",
        ] {
            assert_eq!(u.canonical(&format!(" {kept} ")).unwrap(), kept);
        }
        for refused in [
            "ftp://x.example",
            "javascript:alert(1)",
            "localhost/x",
            "example",
            "a b.example/x",
            "user@evil.example/x",
            "例え/x",
            "",
        ] {
            assert!(u.canonical(refused).is_err(), "{refused}");
        }
    }
}
