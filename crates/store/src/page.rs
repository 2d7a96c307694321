//! Cursor pagination: a page holds up to `limit` items and, when more follow, the cursor of the
//! next page. Cursors are opaque to clients (base64url of the last sort key).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Clamps a requested page size into 1..=MAX_LIMIT.
pub fn clamp_limit(limit: Option<i64>) -> i64 {
    limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
}

pub fn encode_cursor(parts: &[&str]) -> String {
    URL_SAFE_NO_PAD.encode(parts.join("\u{1f}"))
}

/// Returns the parts of a cursor, or `None` if it is not one of ours.
pub fn decode_cursor(cursor: &str, parts: usize) -> Option<Vec<String>> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.as_bytes()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let split: Vec<String> = text.split('\u{1f}').map(str::to_owned).collect();
    (split.len() == parts).then_some(split)
}

/// Builds a page from `limit + 1` fetched rows: the extra row only says that another page exists.
pub fn paginate<T>(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> String) -> Page<T> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    if rows.len() > limit {
        rows.truncate(limit);
        let next_cursor = rows.last().map(&key);
        Page {
            items: rows,
            next_cursor,
        }
    } else {
        Page {
            items: rows,
            next_cursor: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = encode_cursor(&["bắc kạn", "0193"]);
        assert_eq!(
            decode_cursor(&c, 2),
            Some(vec!["bắc kạn".to_owned(), "0193".to_owned()])
        );
        assert_eq!(decode_cursor(&c, 1), None);
        assert_eq!(decode_cursor("%%%", 2), None);
    }

    #[test]
    fn paginate_reports_a_next_page_only_when_rows_remain() {
        let p = paginate(vec![1, 2, 3], 2, |n| n.to_string());
        assert_eq!(p.items, vec![1, 2]);
        assert_eq!(p.next_cursor.as_deref(), Some("2"));
        let p = paginate(vec![1, 2], 2, |n| n.to_string());
        assert_eq!(p.next_cursor, None);
    }
}
