//! Notifications (in the app, per recipient) and webhooks (per organisation) with their delivery
//! log. Written by `app::notify` in the transaction of the change they tell about.

pub mod notifications;
pub mod webhooks;

use chrono::NaiveDateTime;

const CURSOR_TIME: &str = "%Y-%m-%dT%H:%M:%S%.6f";

/// A (created_at, id) sort key as cursor parts.
pub(crate) fn cursor_of(at: NaiveDateTime, id: &str) -> String {
    crate::page::encode_cursor(&[&at.format(CURSOR_TIME).to_string(), id])
}

/// The (created_at, id) sort key of a cursor, or `None` if it is not one of ours.
pub(crate) fn decode(cursor: Option<&str>) -> Option<(NaiveDateTime, String)> {
    let parts = crate::page::decode_cursor(cursor?, 2)?;
    let at = NaiveDateTime::parse_from_str(&parts[0], CURSOR_TIME).ok()?;
    Some((at, parts[1].clone()))
}
