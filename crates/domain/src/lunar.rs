//! The Vietnamese lunisolar calendar: the solar (Gregorian) day of a lunar date, for the
//! holidays that follow the moon (Tết, the Hùng Kings' commemoration on 10/3).
//!
//! Written here rather than taken from a crate: the Rust crates found convert with the Chinese
//! calendar's tables (computed for UTC+8), which put some Vietnamese new moons on the wrong day
//! (Tết 1985 and 2007 differ by a month and a day), and none converts lunar → solar for UTC+7.
//! This is the astronomical method used for the Vietnamese calendar (new moons and the sun's
//! longitude after Meeus' "Astronomical Algorithms", day boundaries at UTC+7): month 11 holds
//! the winter solstice, a year of 13 months repeats the first month with no major solar term.
//! Checked against the official Tết days of 1985, 2007 and 2024–2027.

use chrono::NaiveDate;
use std::f64::consts::PI;

/// The Vietnamese calendar's time zone, in hours east of UTC.
pub const VIETNAM_ZONE_HOURS: f64 = 7.0;

/// Julian day number of 0001-01-01 (proleptic Gregorian) minus one: `NaiveDate` counts from it.
const JDN_CE_OFFSET: i64 = 1_721_425;

fn jdn(d: NaiveDate) -> i64 {
    i64::from(chrono::Datelike::num_days_from_ce(&d)) + JDN_CE_OFFSET
}

fn date_of_jdn(j: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(j - JDN_CE_OFFSET).ok()?)
}

/// The instant (Julian date, UTC) of the `k`-th new moon after 1900-01-01.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 -= 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 += 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 -= 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 -= 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 += 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// The day (Julian day number, local) of the `k`-th new moon.
fn new_moon_day(k: i64, zone: f64) -> i64 {
    (new_moon(k) + 0.5 + zone / 24.0).floor() as i64
}

/// The sun's longitude at the start of local day `day`, as one of 12 sectors of 30°.
fn sun_sector(day: i64, zone: f64) -> i64 {
    let jd = day as f64 - 0.5 - zone / 24.0;
    let t = (jd - 2_451_545.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let mut l = (l0 + dl) * dr;
    l -= PI * 2.0 * (l / (PI * 2.0)).floor();
    (l / PI * 6.0).floor() as i64
}

/// The first day of the lunar month 11 (the one holding the winter solstice) of solar year `y`.
fn month_11(y: i32, zone: f64) -> Option<i64> {
    let off = jdn(NaiveDate::from_ymd_opt(y, 12, 31)?) - 2_415_021;
    let k = (off as f64 / 29.530_588_853).floor() as i64;
    let nm = new_moon_day(k, zone);
    Some(if sun_sector(nm, zone) >= 9 {
        new_moon_day(k - 1, zone)
    } else {
        nm
    })
}

/// Which month after month 11 is the leap one, in a year of 13 months.
fn leap_month_offset(a11: i64, zone: f64) -> i64 {
    let k = ((a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853 + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i, zone), zone);
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i, zone), zone);
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// The solar day of lunar day `day` of month `month` (1–12, the ordinary month, not a leap one)
/// of lunar year `year`, in the Vietnamese calendar. `None` for dates that do not exist (day 30
/// of a 29-day month) or out of the supported range.
pub fn to_solar(day: u32, month: u32, year: i32) -> Option<NaiveDate> {
    to_solar_in(day, month, year, VIETNAM_ZONE_HOURS)
}

/// As [`to_solar`], for the lunisolar calendar kept at `zone` hours east of UTC (8 gives the
/// Chinese calendar).
pub fn to_solar_in(day: u32, month: u32, year: i32, zone: f64) -> Option<NaiveDate> {
    if !(1..=30).contains(&day) || !(1..=12).contains(&month) || !(1900..=2199).contains(&year) {
        return None;
    }
    let (a11, b11) = if month < 11 {
        (month_11(year - 1, zone)?, month_11(year, zone)?)
    } else {
        (month_11(year, zone)?, month_11(year + 1, zone)?)
    };
    let k = (0.5 + (a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853).floor() as i64;
    let mut off = i64::from(month) - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 && off >= leap_month_offset(a11, zone) {
        off += 1;
    }
    let start = new_moon_day(k + off, zone);
    let next = new_moon_day(k + off + 1, zone);
    let at = start + i64::from(day) - 1;
    if at >= next {
        return None;
    }
    date_of_jdn(at)
}

/// The first day of the lunar year `year` (Tết Nguyên Đán) in the Vietnamese calendar.
pub fn tet(year: i32) -> Option<NaiveDate> {
    to_solar(1, 1, year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn tet_falls_on_the_official_days() {
        assert_eq!(tet(2024), Some(d(2024, 2, 10)));
        assert_eq!(tet(2025), Some(d(2025, 1, 29)));
        assert_eq!(tet(2026), Some(d(2026, 2, 17)));
        assert_eq!(tet(2027), Some(d(2027, 2, 6)));
    }

    #[test]
    fn the_vietnamese_calendar_differs_from_the_chinese_where_it_should() {
        // 1985: Vietnam celebrated Tết on 21/01, China on 20/02; 2007: 17/02 against 18/02.
        assert_eq!(tet(1985), Some(d(1985, 1, 21)));
        assert_eq!(to_solar_in(1, 1, 1985, 8.0), Some(d(1985, 2, 20)));
        assert_eq!(tet(2007), Some(d(2007, 2, 17)));
        assert_eq!(to_solar_in(1, 1, 2007, 8.0), Some(d(2007, 2, 18)));
    }

    #[test]
    fn hung_kings_day_is_the_tenth_of_the_third_month() {
        assert_eq!(to_solar(10, 3, 2024), Some(d(2024, 4, 18)));
        assert_eq!(to_solar(10, 3, 2025), Some(d(2025, 4, 7)));
        assert_eq!(to_solar(10, 3, 2026), Some(d(2026, 4, 26)));
    }

    #[test]
    fn a_leap_year_keeps_its_ordinary_months_in_place() {
        // 2023 had a leap second month: the third month began on 20/04/2023.
        assert_eq!(to_solar(1, 3, 2023), Some(d(2023, 4, 20)));
        assert_eq!(to_solar(10, 3, 2023), Some(d(2023, 4, 29)));
    }

    #[test]
    fn impossible_dates_have_no_solar_day() {
        assert_eq!(to_solar(31, 1, 2025), None);
        assert_eq!(to_solar(1, 13, 2025), None);
        assert_eq!(to_solar(1, 1, 1800), None);
    }
}
