//! The network's rules as versioned data: a rule set (deadlines and how they are counted, the
//! holiday calendar, the handling steps, the serious-incident criteria, the report kinds, the
//! periodic reports and the coordinator organisation) is in force from its effective date until
//! the next set's. A record is judged by the set in force on its day (an incident: its local
//! detection day), so a new set never changes the past.
//!
//! Pure: today and the calendar's years come in as arguments.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::incident::{
    Deadline, DeadlineKind, DeadlineRules, Effect, Milestones, ReportKind, deadlines_by,
};
use crate::lunar;

/// How a deadline's length is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    /// every day and hour counts
    Calendar,
    /// only working days count: weekends and holidays are skipped (days only)
    Working,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Days,
    Hours,
}

/// One deadline's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    pub amount: i64,
    pub unit: Unit,
    pub counting: Counting,
}

impl Span {
    pub fn days(amount: i64) -> Self {
        Self {
            amount,
            unit: Unit::Days,
            counting: Counting::Calendar,
        }
    }
    pub fn hours(amount: i64) -> Self {
        Self {
            amount,
            unit: Unit::Hours,
            counting: Counting::Calendar,
        }
    }
    /// A duration as the regulations state it: whole days when it is a number of days.
    fn of(d: Duration) -> Self {
        if d.num_hours() % 24 == 0 {
            Span::days(d.num_days())
        } else {
            Span::hours(d.num_hours())
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadlines {
    /// the notice, from the local detection time (5 days)
    pub notice: Span,
    /// the receivers' acknowledgement, from being told (2 hours)
    pub acknowledgement: Span,
    /// the initial report when the incident exceeds the member's capacity, from the notice
    pub initial_report: Span,
    /// the closing report, from the end of response (5 days)
    pub closing_report: Span,
}

/// The days off: weekends, holidays every year (solar and lunar dates), Tết around the lunar
/// New Year, and for a year whose exact days the government fixed, that year's list instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holidays {
    /// days of the week off, `saturday` … `sunday`
    pub weekend: Vec<String>,
    /// solar dates off every year, `dd/mm`
    pub solar: Vec<String>,
    /// lunar dates off every year (Vietnamese calendar), `dd/mm`
    pub lunar: Vec<String>,
    /// Tết: days off before the lunar New Year's day (the eve is 1)
    pub tet_days_before: u32,
    /// Tết: days off after the lunar New Year's day
    pub tet_days_after: u32,
    /// a year's exact days off (weekends aside), replacing the computed ones for that year
    pub years: BTreeMap<i32, Vec<NaiveDate>>,
}

/// One handling step, as filed (Vietnamese) and shown in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub vi: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandlingSteps {
    /// the normal response process (11 steps)
    pub normal: Vec<Step>,
    /// the emergency process of a serious incident (7 steps)
    pub serious: Vec<Step>,
}

/// An incident is proposed serious when all hold: the system's level is at least
/// `min_security_level` (or it is on the national critical list, when that counts), one of
/// `effects` occurred, and (when required) the owner cannot handle it alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriousCriteria {
    pub min_security_level: u8,
    pub critical_list_counts: bool,
    pub effects: Vec<String>,
    pub owner_cannot_handle_alone: bool,
}

/// A periodic report (Mẫu 05) and the day of the year it is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodicReport {
    /// `half_year` or `year`
    pub period: String,
    /// due by this day of the year, `dd/mm`
    pub due: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodicReports {
    /// members are reminded this many days before a report is due
    pub reminder_days_before: u32,
    pub reports: Vec<PeriodicReport>,
}

/// The rules in force from one day on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    pub deadlines: Deadlines,
    pub holidays: Holidays,
    pub handling_steps: HandlingSteps,
    pub serious: SeriousCriteria,
    /// the kinds of report filed in an incident's life
    pub report_kinds: Vec<String>,
    pub periodic_reports: PeriodicReports,
    /// the organisation holding the national coordinator's role (none: as in the directory)
    pub coordinator_org_id: Option<String>,
}

fn step(vi: &str, en: &str) -> Step {
    Step {
        vi: vi.to_owned(),
        en: en.to_owned(),
    }
}

impl Default for RuleSet {
    /// Today's rules: Decision 05/2017/QĐ-TTg and Circular 20/2017/TT-BTTTT, the Labour Code's
    /// public holidays.
    fn default() -> Self {
        RuleSet::seeded(&DeadlineRules::default())
    }
}

impl RuleSet {
    /// Today's rules with the deadlines given (the `[incidents]` settings of a deployment that
    /// had them, when its first rule set is stored).
    pub fn seeded(d: &DeadlineRules) -> Self {
        let s = |x: &[&str]| x.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>();
        RuleSet {
            deadlines: Deadlines {
                notice: Span::of(d.notice),
                acknowledgement: Span::of(d.acknowledge),
                initial_report: Span::of(d.initial_report),
                closing_report: Span::of(d.closing_report),
            },
            holidays: Holidays {
                weekend: s(&["saturday", "sunday"]),
                solar: s(&["01/01", "30/04", "01/05", "01/09", "02/09"]),
                lunar: s(&["10/03"]),
                tet_days_before: 1,
                tet_days_after: 3,
                years: BTreeMap::new(),
            },
            handling_steps: HandlingSteps {
                normal: vec![
                    step(
                        "Tiếp nhận, xác minh sự cố",
                        "Receive and verify the incident",
                    ),
                    step(
                        "Triển khai các bước ưu tiên ban đầu",
                        "Take the first priority steps",
                    ),
                    step("Lựa chọn phương án ứng cứu", "Choose the response option"),
                    step("Chỉ đạo xử lý sự cố (nếu cần)", "Direction (if needed)"),
                    step("Báo cáo", "Report"),
                    step("Phối hợp ứng cứu", "Coordinate the response"),
                    step(
                        "Ngăn chặn sự cố và xác định nguồn gốc",
                        "Contain and find the source",
                    ),
                    step("Loại bỏ nguyên nhân", "Eradicate the cause"),
                    step("Khôi phục hệ thống", "Recover the system"),
                    step("Kiểm tra lại", "Re-check"),
                    step("Tổng kết, rút kinh nghiệm", "Lessons learnt"),
                ],
                serious: vec![
                    step(
                        "Phát hiện hoặc tiếp nhận thông báo sự cố",
                        "Detect or receive the notice",
                    ),
                    step(
                        "Xác minh, phân tích, đánh giá và phân loại sự cố",
                        "Verify, analyse, assess and classify",
                    ),
                    step(
                        "Báo cáo Ban Chỉ đạo và cơ quan có thẩm quyền",
                        "Report to the steering committee and the authorities",
                    ),
                    step("Triển khai ứng cứu ban đầu", "First response"),
                    step(
                        "Chỉ đạo, điều phối ứng cứu",
                        "Direct and coordinate the response",
                    ),
                    step(
                        "Xử lý sự cố, gỡ bỏ và khôi phục",
                        "Handle, eradicate and recover",
                    ),
                    step("Tổng kết, đánh giá", "Review and assess"),
                ],
            },
            serious: SeriousCriteria {
                min_security_level: 4,
                critical_list_counts: true,
                effects: Effect::ALL.iter().map(|e| e.as_str().to_owned()).collect(),
                owner_cannot_handle_alone: true,
            },
            report_kinds: ReportKind::ALL
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
            periodic_reports: PeriodicReports {
                reminder_days_before: 7,
                reports: vec![
                    PeriodicReport {
                        period: "half_year".to_owned(),
                        due: "20/06".to_owned(),
                    },
                    PeriodicReport {
                        period: "year".to_owned(),
                        due: "15/12".to_owned(),
                    },
                ],
            },
            coordinator_org_id: None,
        }
    }

    /// Every problem, by field path (`deadlines.notice.amount`, `holidays.solar[2]`) and code.
    pub fn problems(&self) -> Vec<(String, &'static str)> {
        let mut p: Vec<(String, &'static str)> = Vec::new();
        for (name, s) in [
            ("notice", &self.deadlines.notice),
            ("acknowledgement", &self.deadlines.acknowledgement),
            ("initial_report", &self.deadlines.initial_report),
            ("closing_report", &self.deadlines.closing_report),
        ] {
            let max = match s.unit {
                Unit::Days => 365,
                Unit::Hours => 24 * 365,
            };
            if !(1..=max).contains(&s.amount) {
                p.push((format!("deadlines.{name}.amount"), "out_of_range"));
            }
            if s.counting == Counting::Working && s.unit == Unit::Hours {
                p.push((format!("deadlines.{name}.counting"), "working_needs_days"));
            }
        }
        let h = &self.holidays;
        for (i, w) in h.weekend.iter().enumerate() {
            if weekday(w).is_none() {
                p.push((format!("holidays.weekend[{i}]"), "invalid_weekday"));
            }
        }
        if h.weekend.len() > 3 {
            p.push(("holidays.weekend".to_owned(), "too_many"));
        }
        for (i, v) in h.solar.iter().enumerate() {
            if day_month(v, 31).is_none() {
                p.push((format!("holidays.solar[{i}]"), "invalid_day_month"));
            }
        }
        for (i, v) in h.lunar.iter().enumerate() {
            if day_month(v, 30).is_none() {
                p.push((format!("holidays.lunar[{i}]"), "invalid_day_month"));
            }
        }
        if h.tet_days_before > 5 {
            p.push(("holidays.tet_days_before".to_owned(), "out_of_range"));
        }
        if h.tet_days_after > 10 {
            p.push(("holidays.tet_days_after".to_owned(), "out_of_range"));
        }
        for (year, days) in &h.years {
            if !(1900..=2199).contains(year) {
                p.push((format!("holidays.years.{year}"), "out_of_range"));
            }
            for (i, d) in days.iter().enumerate() {
                if d.year() != *year {
                    p.push((format!("holidays.years.{year}[{i}]"), "not_in_year"));
                }
            }
        }
        for (name, steps) in [
            ("normal", &self.handling_steps.normal),
            ("serious", &self.handling_steps.serious),
        ] {
            if steps.is_empty() || steps.len() > 30 {
                p.push((format!("handling_steps.{name}"), "invalid_length"));
            }
            for (i, s) in steps.iter().enumerate() {
                for (lang, text) in [("vi", &s.vi), ("en", &s.en)] {
                    let n = text.trim().chars().count();
                    if n == 0 || n > 200 {
                        p.push((
                            format!("handling_steps.{name}[{i}].{lang}"),
                            "invalid_length",
                        ));
                    }
                }
            }
        }
        if !(1..=5).contains(&self.serious.min_security_level) {
            p.push((
                "serious.min_security_level".to_owned(),
                "invalid_security_level",
            ));
        }
        if self.serious.effects.is_empty() {
            p.push(("serious.effects".to_owned(), "required"));
        }
        for (i, e) in self.serious.effects.iter().enumerate() {
            if Effect::parse(e).is_err() {
                p.push((format!("serious.effects[{i}]"), "invalid_effect"));
            }
        }
        for (i, k) in self.report_kinds.iter().enumerate() {
            if ReportKind::parse(k).is_err() {
                p.push((format!("report_kinds[{i}]"), "invalid_report_kind"));
            }
        }
        for needed in [ReportKind::Initial, ReportKind::Closing] {
            if !self.report_kinds.iter().any(|k| k == needed.as_str()) {
                p.push(("report_kinds".to_owned(), "required_report_kind"));
            }
        }
        let pr = &self.periodic_reports;
        if pr.reminder_days_before > 60 {
            p.push((
                "periodic_reports.reminder_days_before".to_owned(),
                "out_of_range",
            ));
        }
        for (i, r) in pr.reports.iter().enumerate() {
            if !matches!(r.period.as_str(), "half_year" | "year") {
                p.push((
                    format!("periodic_reports.reports[{i}].period"),
                    "invalid_report_period",
                ));
            }
            if day_month(&r.due, 31).is_none() {
                p.push((
                    format!("periodic_reports.reports[{i}].due"),
                    "invalid_day_month",
                ));
            }
        }
        p.dedup();
        p
    }

    /// The platform's serious-incident proposal under these criteria.
    pub fn proposes_serious(
        &self,
        system_level: Option<u8>,
        critical: bool,
        effects: &[Effect],
        cannot_handle_alone: bool,
    ) -> bool {
        let c = &self.serious;
        let counts = |e: &Effect| c.effects.iter().any(|k| k == e.as_str());
        (system_level.is_some_and(|l| l >= c.min_security_level)
            || (c.critical_list_counts && critical))
            && effects.iter().any(counts)
            && (!c.owner_cannot_handle_alone || cannot_handle_alone)
    }

    /// The days on which periodic reports fall due in `year`, by period.
    pub fn periodic_due(&self, year: i32) -> Vec<(String, NaiveDate)> {
        self.periodic_reports
            .reports
            .iter()
            .filter_map(|r| {
                let (d, m) = day_month(&r.due, 31)?;
                Some((r.period.clone(), NaiveDate::from_ymd_opt(year, m, d)?))
            })
            .collect()
    }
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// `dd/mm` as (day, month), the day at most `max_day` and possible in some year.
pub fn day_month(s: &str, max_day: u32) -> Option<(u32, u32)> {
    let (d, m) = s.split_once('/')?;
    if d.len() != 2 || m.len() != 2 {
        return None;
    }
    let (d, m): (u32, u32) = (d.parse().ok()?, m.parse().ok()?);
    // 2024 is a leap year: 29/02 is a possible day.
    let possible = max_day < 31 || NaiveDate::from_ymd_opt(2024, m, d).is_some();
    ((1..=max_day).contains(&d) && (1..=12).contains(&m) && possible).then_some((d, m))
}

/// A rule set ready to judge: its holiday calendar computed year by year as asked.
#[derive(Debug)]
pub struct Rules {
    pub effective_from: NaiveDate,
    pub set: RuleSet,
    weekend: Vec<Weekday>,
    years: Mutex<HashMap<i32, Arc<BTreeSet<NaiveDate>>>>,
}

impl Rules {
    pub fn new(effective_from: NaiveDate, set: RuleSet) -> Self {
        let weekend = set
            .holidays
            .weekend
            .iter()
            .filter_map(|w| weekday(w))
            .collect();
        Self {
            effective_from,
            set,
            weekend,
            years: Mutex::new(HashMap::new()),
        }
    }

    /// The holidays of solar year `year` (weekends aside).
    pub fn holidays(&self, year: i32) -> Arc<BTreeSet<NaiveDate>> {
        let mut cache = self.years.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(year)
            .or_insert_with(|| Arc::new(holidays_of(&self.set.holidays, year)))
            .clone()
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !self.weekend.contains(&d.weekday()) && !self.holidays(d.year()).contains(&d)
    }

    /// `from` moved on by `span`: calendar time, or that many working days later at the same
    /// time of day (a deadline counted in working days ends on a working day).
    pub fn add(&self, from: DateTime<FixedOffset>, span: &Span) -> DateTime<FixedOffset> {
        match (span.unit, span.counting) {
            (Unit::Hours, _) => from + Duration::hours(span.amount),
            (Unit::Days, Counting::Calendar) => from + Duration::days(span.amount),
            (Unit::Days, Counting::Working) => {
                let mut day = from.date_naive();
                let mut left = span.amount;
                // A calendar without a single working day in ten years is refused rather than
                // looped on for ever.
                let mut guard = 3660;
                while left > 0 && guard > 0 {
                    day = day.succ_opt().unwrap_or(day);
                    guard -= 1;
                    if self.is_working_day(day) {
                        left -= 1;
                    }
                }
                from + Duration::days((day - from.date_naive()).num_days())
            }
        }
    }

    /// An incident's deadlines under these rules, in the network's zone.
    pub fn deadlines(&self, m: &Milestones, zone: FixedOffset) -> Vec<Deadline> {
        let d = &self.set.deadlines;
        deadlines_by(m, zone, |kind, from| {
            let span = match kind {
                DeadlineKind::Notice => &d.notice,
                DeadlineKind::InitialReport => &d.initial_report,
                DeadlineKind::Acknowledgement => &d.acknowledgement,
                DeadlineKind::ClosingReport => &d.closing_report,
            };
            self.add(from, span)
        })
    }
}

/// The holidays of a solar year from the rules: the year's own list where there is one, else
/// the solar and lunar dates and Tết.
pub fn holidays_of(h: &Holidays, year: i32) -> BTreeSet<NaiveDate> {
    if let Some(days) = h.years.get(&year) {
        return days.iter().copied().collect();
    }
    let mut out = BTreeSet::new();
    for s in &h.solar {
        if let Some((d, m)) = day_month(s, 31)
            && let Some(day) = NaiveDate::from_ymd_opt(year, m, d)
        {
            out.insert(day);
        }
    }
    // The lunar dates of lunar year `year` fall in solar year `year` (Tết is never before
    // 21/01); those of the lunar year before may reach into January.
    for ly in [year - 1, year] {
        for s in &h.lunar {
            if let Some((d, m)) = day_month(s, 30)
                && let Some(day) = lunar::to_solar(d, m, ly)
                && day.year() == year
            {
                out.insert(day);
            }
        }
    }
    for ly in [year, year + 1] {
        if let Some(tet) = lunar::tet(ly) {
            let from = tet - Duration::days(i64::from(h.tet_days_before));
            let to = tet + Duration::days(i64::from(h.tet_days_after));
            let mut d = from;
            while d <= to {
                if d.year() == year {
                    out.insert(d);
                }
                d = d.succ_opt().unwrap_or(to + Duration::days(1));
            }
        }
    }
    out
}

/// The rule sets of the network, each in force from its date until the next one's.
#[derive(Debug, Clone, Default)]
pub struct RuleBook {
    /// by effective date, ascending
    sets: Vec<Arc<Rules>>,
    fallback: Option<Arc<Rules>>,
}

impl RuleBook {
    /// `sets` in any order; `fallback` judges days before the first set (and everything when
    /// there is none).
    pub fn new(mut sets: Vec<Rules>, fallback: Rules) -> Self {
        sets.sort_by_key(|r| r.effective_from);
        Self {
            sets: sets.into_iter().map(Arc::new).collect(),
            fallback: Some(Arc::new(fallback)),
        }
    }

    /// The set in force on `day`.
    pub fn on(&self, day: NaiveDate) -> Arc<Rules> {
        let i = self.sets.partition_point(|r| r.effective_from <= day);
        match i.checked_sub(1) {
            Some(i) => self.sets[i].clone(),
            None => self
                .fallback
                .clone()
                .unwrap_or_else(|| Arc::new(Rules::new(NaiveDate::MIN, RuleSet::default()))),
        }
    }

    pub fn sets(&self) -> &[Arc<Rules>] {
        &self.sets
    }
}

/// Whether a set with this effective date may still be created, changed or withdrawn on
/// `today`: only while it lies in the future, so that no record was ever judged by it.
pub fn may_change(effective_from: NaiveDate, today: NaiveDate) -> bool {
    effective_from > today
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn vn() -> FixedOffset {
        FixedOffset::east_opt(7 * 3600).unwrap()
    }

    #[test]
    fn the_defaults_are_valid_and_todays_rules() {
        let r = RuleSet::default();
        assert_eq!(r.problems(), vec![]);
        assert_eq!(r.deadlines.notice, Span::days(5));
        assert_eq!(r.deadlines.acknowledgement, Span::hours(2));
        assert_eq!(r.handling_steps.normal.len(), 11);
        assert_eq!(r.handling_steps.serious.len(), 7);
        assert_eq!(
            r.periodic_due(2026),
            vec![
                ("half_year".to_owned(), d(2026, 6, 20)),
                ("year".to_owned(), d(2026, 12, 15))
            ]
        );
    }

    #[test]
    fn vietnamese_public_holidays_of_2026() {
        let h = holidays_of(&RuleSet::default().holidays, 2026);
        for day in [
            d(2026, 1, 1),
            d(2026, 2, 16), // the eve of Tết
            d(2026, 2, 17), // Tết
            d(2026, 2, 20),
            d(2026, 4, 26), // Hùng Kings, 10/3 lunar
            d(2026, 4, 30),
            d(2026, 5, 1),
            d(2026, 9, 1),
            d(2026, 9, 2),
        ] {
            assert!(h.contains(&day), "{day}");
        }
        assert!(!h.contains(&d(2026, 2, 21)));
        assert_eq!(h.len(), 11);
    }

    #[test]
    fn a_years_own_list_replaces_the_computed_one() {
        let mut set = RuleSet::default();
        set.holidays
            .years
            .insert(2026, vec![d(2026, 2, 14), d(2026, 2, 22)]);
        let r = Rules::new(d(2000, 1, 1), set);
        assert!(!r.is_working_day(d(2026, 2, 22)));
        assert!(r.is_working_day(d(2026, 2, 17)));
        assert!(!r.is_working_day(d(2025, 1, 29)), "other years unchanged");
    }

    #[test]
    fn working_days_skip_weekends_and_tet() {
        let mut set = RuleSet::default();
        set.deadlines.notice.counting = Counting::Working;
        let r = Rules::new(d(2000, 1, 1), set);
        // Detected on the eve of Tết 2026 (Monday 16/02) at 09:00: the holiday runs to Friday
        // 20/02, then a weekend; five working days are 23–27/02.
        let detected = vn().with_ymd_and_hms(2026, 2, 16, 9, 0, 0).unwrap();
        let due = r.add(detected, &r.set.deadlines.notice);
        assert_eq!(due, vn().with_ymd_and_hms(2026, 2, 27, 9, 0, 0).unwrap());
        // Counted in calendar days, the same notice falls in the holiday.
        let cal = Rules::new(d(2000, 1, 1), RuleSet::default());
        assert_eq!(
            cal.add(detected, &cal.set.deadlines.notice),
            vn().with_ymd_and_hms(2026, 2, 21, 9, 0, 0).unwrap()
        );
        // A Friday detection with one working day is due on Monday.
        let fri = vn().with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap();
        let one = Span {
            amount: 1,
            unit: Unit::Days,
            counting: Counting::Working,
        };
        assert_eq!(
            r.add(fri, &one),
            vn().with_ymd_and_hms(2026, 3, 9, 15, 0, 0).unwrap()
        );
    }

    #[test]
    fn deadlines_follow_the_spans() {
        let mut set = RuleSet::default();
        set.deadlines.notice = Span::days(3);
        let r = Rules::new(d(2026, 7, 1), set);
        let detected = Utc.with_ymd_and_hms(2026, 7, 2, 2, 0, 0).unwrap();
        let m = Milestones {
            detected_at: Some(detected),
            ..Default::default()
        };
        let ds = r.deadlines(&m, vn());
        assert_eq!(
            ds[0].due,
            (detected + Duration::days(3)).with_timezone(&vn())
        );
    }

    #[test]
    fn the_book_answers_the_set_in_force_on_a_day() {
        let mut three = RuleSet::default();
        three.deadlines.notice = Span::days(3);
        let book = RuleBook::new(
            vec![
                Rules::new(d(2026, 7, 1), three),
                Rules::new(d(1970, 1, 1), RuleSet::default()),
            ],
            Rules::new(NaiveDate::MIN, RuleSet::default()),
        );
        assert_eq!(book.on(d(2026, 6, 30)).set.deadlines.notice, Span::days(5));
        assert_eq!(book.on(d(2026, 7, 1)).set.deadlines.notice, Span::days(3));
        assert_eq!(book.on(d(2030, 1, 1)).set.deadlines.notice, Span::days(3));
    }

    #[test]
    fn problems_name_the_field() {
        let mut r = RuleSet::default();
        r.deadlines.notice.amount = 0;
        r.deadlines.acknowledgement.counting = Counting::Working;
        r.holidays.solar.push("31/02".into());
        r.holidays.years.insert(2027, vec![d(2026, 12, 31)]);
        r.serious.min_security_level = 9;
        r.report_kinds = vec!["initial".into(), "memo".into()];
        r.periodic_reports.reports[0].due = "20-06".into();
        let fields: Vec<String> = r.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            vec![
                "deadlines.notice.amount",
                "deadlines.acknowledgement.counting",
                "holidays.solar[5]",
                "holidays.years.2027[0]",
                "serious.min_security_level",
                "report_kinds[1]",
                "report_kinds",
                "periodic_reports.reports[0].due",
            ]
        );
    }

    #[test]
    fn serious_criteria_are_data() {
        let r = RuleSet::default();
        let e = [Effect::ServiceDisruption];
        assert!(r.proposes_serious(Some(4), false, &e, true));
        assert!(!r.proposes_serious(Some(3), false, &e, true));
        assert!(r.proposes_serious(Some(1), true, &e, true));
        assert!(!r.proposes_serious(Some(5), false, &e, false));
        assert!(!r.proposes_serious(Some(5), false, &[], true));
        let mut lower = RuleSet::default();
        lower.serious.min_security_level = 3;
        assert!(lower.proposes_serious(Some(3), false, &e, true));
    }

    #[test]
    fn only_future_sets_change() {
        assert!(may_change(d(2026, 7, 1), d(2026, 6, 30)));
        assert!(!may_change(d(2026, 7, 1), d(2026, 7, 1)));
    }
}
