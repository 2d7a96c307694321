//! STIX timestamps: RFC 3339 in UTC, written with `Z`, seconds required, any fraction
//! (STIX 2.1, 3.2). An offset such as `+07:00` is refused rather than converted, because the
//! specification requires UTC and a producer writing offsets is likely wrong elsewhere too.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with a valid date and time; nothing else.
    pub fn parse(s: &str) -> Option<Timestamp> {
        // Every valid timestamp is ASCII; checking first keeps the byte slicing below on
        // character boundaries.
        if !s.is_ascii() {
            return None;
        }
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| {
            b.get(r.clone())
                .filter(|d| d.iter().all(u8::is_ascii_digit))
                .and_then(|_| s.get(r))
                .and_then(|t| t.parse::<u32>().ok())
        };
        let shape = b.len() >= 20
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':'
            && b[b.len() - 1] == b'Z';
        if !shape {
            return None;
        }
        let fraction = &s[19..s.len() - 1];
        let nanos = match fraction.strip_prefix('.') {
            None if fraction.is_empty() => 0,
            Some(f) if !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()) => {
                // Digits beyond nanoseconds cannot be represented; they are cut, not rounded.
                let kept: String = f.chars().take(9).collect();
                let scale = 10u32.pow(9 - kept.len() as u32);
                kept.parse::<u32>().ok()? * scale
            }
            _ => return None,
        };
        let year = digits(0..4)?;
        let date = NaiveDate::from_ymd_opt(year as i32, digits(5..7)?, digits(8..10)?)?;
        let time =
            NaiveTime::from_hms_nano_opt(digits(11..13)?, digits(14..16)?, digits(17..19)?, nanos)?;
        Some(Timestamp(NaiveDateTime::new(date, time).and_utc()))
    }

    pub fn from_utc(t: DateTime<Utc>) -> Timestamp {
        Timestamp(t)
    }

    pub fn utc(self) -> DateTime<Utc> {
        self.0
    }

    /// Millisecond precision, as STIX requires for `created` and `modified` and as every
    /// consumer accepts; the extra digits of our microsecond clock are cut.
    pub fn to_stix(self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    /// Every digit held, with at least milliseconds: for a TAXII date added, which a poller
    /// sends back as `added_after` and which must then name exactly the last object it got
    /// (cut to milliseconds, the objects added in the same millisecond came again).
    pub fn to_stix_exact(self) -> String {
        use chrono::Timelike;
        let nanos = self.0.nanosecond() % 1_000_000_000;
        let format = if nanos.is_multiple_of(1_000_000) {
            SecondsFormat::Millis
        } else if nanos.is_multiple_of(1_000) {
            SecondsFormat::Micros
        } else {
            SecondsFormat::Nanos
        };
        self.0.to_rfc3339_opts(format, true)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_stix())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn accepts_utc_with_any_fraction() {
        for ok in [
            "2016-04-06T20:03:48Z",
            "2016-04-06T20:03:48.000Z",
            "2016-04-06T20:03:48.123456Z",
            "2016-04-06T20:03:48.1234567891Z",
            "2024-02-29T23:59:59.9Z",
        ] {
            assert!(Timestamp::parse(ok).is_some(), "{ok}");
        }
        let t = Timestamp::parse("2016-04-06T20:03:48.5Z").unwrap();
        assert_eq!(t.to_stix(), "2016-04-06T20:03:48.500Z");
    }

    #[test]
    fn refuses_the_rest() {
        for bad in [
            "2022-101-27T13:49:54.326Z",
            "2016-04-06T20:03:48",
            "2016-04-06T20:03:48+07:00",
            "2016-04-06 20:03:48Z",
            "2016-04-06T20:03Z",
            "2016-02-30T20:03:48Z",
            "2016-04-06T24:03:48Z",
            "2016-04-06T20:03:48.Z",
            "2016-04-06T20:03:48.1aZ",
            "2016-04-06T20:03:48.000z",
            "+016-04-06T20:03:48Z",
            "",
            "2016-04-06T2é:03:48Z",
            "2016-04-06T20:03:4éZ",
            "2016-04-06T20:03:48éZ",
        ] {
            assert!(Timestamp::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn order_follows_time() {
        let a = Timestamp::parse("2016-04-06T20:03:48.1Z").unwrap();
        let b = Timestamp::parse("2016-04-06T20:03:48.10001Z").unwrap();
        assert!(a < b);
    }

    proptest::proptest! {
        #[test]
        fn written_timestamps_read_back_at_millisecond_precision(secs in 0i64..253_402_300_799, nanos in 0u32..1_000_000_000) {
            let t = chrono::DateTime::from_timestamp(secs, nanos).unwrap();
            let back = Timestamp::parse(&Timestamp::from_utc(t).to_stix()).unwrap();
            proptest::prop_assert_eq!(back.utc().timestamp(), secs);
            proptest::prop_assert_eq!(back.utc().timestamp_subsec_millis(), nanos / 1_000_000);
        }

        #[test]
        fn any_text_is_parsed_or_refused_without_panicking(s in "\\PC{0,40}") {
            if let Some(t) = Timestamp::parse(&s) {
                proptest::prop_assert!(s.ends_with('Z'));
                proptest::prop_assert!(t.utc().timestamp() >= -62_167_219_200);
            }
        }
    }
}
