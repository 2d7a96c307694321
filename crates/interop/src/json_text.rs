//! Reading exchanged JSON as other tools write it. STIX bundles, MISP events and TAXII envelopes
//! come from files saved by many tools: a UTF-8 byte order mark before the text is skipped (RFC
//! 8259, 8.1 lets a parser ignore it, and most do), and text that is not JSON says where it stops
//! being JSON, so that a producer can find the place in a file of megabytes.

use serde_json::Value;

/// The text without a byte order mark at its start.
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Why a text is not JSON and where (lines and columns counted from 1, as editors do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotJson {
    /// `json_syntax`; `json_too_deep` when arrays and objects nest deeper than the parser allows
    /// (128 levels, serde_json's guard against exhausting the stack); `json_lone_surrogate` for a
    /// `\uD800`–`\uDFFF` escape without its pair, which is no character and no database stores.
    pub code: &'static str,
    pub line: usize,
    pub column: usize,
}

pub const JSON_SYNTAX: &str = "json_syntax";
pub const JSON_TOO_DEEP: &str = "json_too_deep";
pub const JSON_LONE_SURROGATE: &str = "json_lone_surrogate";

impl NotJson {
    pub fn of(e: &serde_json::Error) -> NotJson {
        // serde_json's error kinds are private; its messages are stable and name them.
        let text = e.to_string();
        let code = if text.starts_with("recursion limit exceeded") {
            JSON_TOO_DEEP
        } else if text.contains("surrogate") || text.starts_with("unexpected end of hex escape") {
            // (serde_json says "end of hex escape" when a leading surrogate has no `\u` after it)
            JSON_LONE_SURROGATE
        } else {
            JSON_SYNTAX
        };
        NotJson {
            code,
            line: e.line(),
            column: e.column(),
        }
    }

    /// The values its message shows.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("line", self.line.to_string()),
            ("column", self.column.to_string()),
        ]
    }
}

/// Parses exchanged JSON: a byte order mark skipped, a failure placed.
pub fn parse(text: &str) -> Result<Value, NotJson> {
    serde_json::from_str(without_bom(text)).map_err(|e| NotJson::of(&e))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_bom_is_skipped_and_failures_are_placed() {
        assert_eq!(parse("\u{feff}{\"a\": 1}").unwrap()["a"], 1);
        let e = parse("{\n  \"a\": [1,,2]\n}").unwrap_err();
        assert_eq!((e.code, e.line, e.column), (JSON_SYNTAX, 2, 11));
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(parse(&deep).unwrap_err().code, JSON_TOO_DEEP);
        for lone in [
            r#"{"a": "\ud800"}"#,
            r#"{"a": "\udc00x"}"#,
            r#"["\ud800\u0041"]"#,
        ] {
            assert_eq!(parse(lone).unwrap_err().code, JSON_LONE_SURROGATE, "{lone}");
        }
        // A pair is a character.
        assert_eq!(parse(r#""\ud83d\ude00""#).unwrap(), "😀");
        // A BOM anywhere but the start is not skipped.
        assert!(parse(" \u{feff}{}").is_err());
    }
}
