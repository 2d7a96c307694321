//! Instants are stored as UTC `TIMESTAMP` with microsecond precision on both databases. Truncating
//! before writing makes what we hash (the audit chain) identical to what we read back.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};

pub fn to_db(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc().trunc_subsecs(6)
}

pub fn from_db(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}
