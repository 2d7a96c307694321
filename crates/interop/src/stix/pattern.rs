//! STIX patterns, as far as irnet turns them into typed observables.
//!
//! Recognised: one observation expression made of equality comparisons joined by `OR`,
//!
//! ```text
//! [ipv4-addr:value = '198.51.100.1' OR domain-name:value = 'evil.example']
//! ```
//!
//! where each comparison is one of `ipv4-addr:value`, `ipv6-addr:value` (an address or a
//! network in CIDR notation), `domain-name:value`, `url:value`, `email-addr:value`, or
//! `file:hashes.X` with X one of `MD5`, `'SHA-1'`, `'SHA-256'` (any case, quoted or not,
//! with or without the hyphen), and every value is valid for its kind. Anything else — `AND`,
//! `MATCHES`, `LIKE`, `!=`, several observation expressions, qualifiers such as `WITHIN`, other
//! objects or properties, or a value that does not validate — is kept as an opaque pattern: it
//! is still a valid indicator, irnet just does not index its values.

use crate::observable::{IndicatorValue, Observable};
use irnet_domain::incident::ObservableKind;

/// Why a pattern stays opaque (for reports of what an import did not index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotRecognised {
    /// Not the shape described in the module documentation.
    Shape,
    /// An object path we do not map, e.g. `file:name`.
    Path,
    /// The right shape and path, but the value is not valid for its kind.
    Value,
}

/// The observables of a recognised pattern, or why it is not one.
pub fn recognise(pattern: &str) -> Result<Vec<Observable>, NotRecognised> {
    let mut p = Parser {
        rest: pattern.trim(),
    };
    p.expect("[").ok_or(NotRecognised::Shape)?;
    let mut out = Vec::new();
    loop {
        let path = p.path().ok_or(NotRecognised::Shape)?;
        p.expect("=").ok_or(NotRecognised::Shape)?;
        let value = p.string().ok_or(NotRecognised::Shape)?;
        out.push((path, value));
        if p.expect("]").is_some() {
            break;
        }
        p.keyword("OR").ok_or(NotRecognised::Shape)?;
    }
    if !p.rest.trim().is_empty() {
        return Err(NotRecognised::Shape);
    }
    let mut observables = Vec::with_capacity(out.len());
    for (path, value) in out {
        observables.push(observable(&path, &value)?);
    }
    Ok(observables)
}

/// The indicator value of a STIX pattern: typed observables when recognised, else the pattern.
pub fn indicator_value(pattern: &str) -> IndicatorValue {
    match recognise(pattern) {
        Ok(list) => IndicatorValue::Observables(list).normalised(),
        Err(_) => IndicatorValue::StixPattern(pattern.to_owned()),
    }
}

fn observable(path: &str, value: &str) -> Result<Observable, NotRecognised> {
    let (object, property) = path.split_once(':').ok_or(NotRecognised::Path)?;
    let parsed = match (object, property) {
        ("ipv4-addr", "value") => Observable::ip_or_cidr(value).ok().filter(|o| !o.is_ipv6()),
        ("ipv6-addr", "value") => Observable::ip_or_cidr(value)
            .ok()
            .filter(Observable::is_ipv6),
        ("domain-name", "value") => Observable::parse(ObservableKind::Domain, value).ok(),
        ("url", "value") => Observable::parse(ObservableKind::Url, value).ok(),
        ("email-addr", "value") => Observable::parse(ObservableKind::Email, value).ok(),
        ("file", hashes) => {
            let algorithm = hashes.strip_prefix("hashes.").ok_or(NotRecognised::Path)?;
            let key: String = algorithm
                .trim_matches('\'')
                .chars()
                .filter(|c| *c != '-')
                .collect::<String>()
                .to_ascii_uppercase();
            let kind = match key.as_str() {
                "MD5" => ObservableKind::Md5,
                "SHA1" => ObservableKind::Sha1,
                "SHA256" => ObservableKind::Sha256,
                _ => return Err(NotRecognised::Path),
            };
            Observable::parse(kind, value).ok()
        }
        _ => return Err(NotRecognised::Path),
    };
    parsed.ok_or(NotRecognised::Value)
}

/// The pattern for observables (any of which matches): the inverse of [`recognise`].
pub fn to_pattern(observables: &[Observable]) -> String {
    let comparisons: Vec<String> = observables
        .iter()
        .map(|o| {
            let path = match o.kind() {
                ObservableKind::Ip | ObservableKind::Cidr if o.is_ipv6() => "ipv6-addr:value",
                ObservableKind::Ip | ObservableKind::Cidr => "ipv4-addr:value",
                ObservableKind::Domain => "domain-name:value",
                ObservableKind::Url => "url:value",
                ObservableKind::Email => "email-addr:value",
                ObservableKind::Md5 => "file:hashes.MD5",
                ObservableKind::Sha1 => "file:hashes.'SHA-1'",
                ObservableKind::Sha256 => "file:hashes.'SHA-256'",
            };
            format!("{path} = '{}'", escape(o.value()))
        })
        .collect();
    format!("[{}]", comparisons.join(" OR "))
}

/// STIX string literals escape `\` and `'` with a backslash.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('\'', "\\'")
}

/// A cheap structural check for any STIX pattern: it starts with `[`, its quotes close and its
/// brackets and parentheses balance outside quotes. The full grammar is left to the patterns'
/// consumers; this catches truncated and mangled patterns at the door.
pub fn well_formed(pattern: &str) -> bool {
    let t = pattern.trim();
    if !t.starts_with('[') && !t.starts_with('(') {
        return false;
    }
    let mut stack = Vec::new();
    let mut chars = t.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => loop {
                match chars.next() {
                    None => return false,
                    Some('\\') => {
                        chars.next();
                    }
                    Some('\'') => break,
                    Some(_) => {}
                }
            },
            '[' | '(' => stack.push(c),
            ']' if stack.pop() != Some('[') => return false,
            ')' if stack.pop() != Some('(') => return false,
            _ => {}
        }
    }
    stack.is_empty()
}

struct Parser<'a> {
    rest: &'a str,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        self.rest = self.rest.trim_start();
    }

    fn expect(&mut self, token: &str) -> Option<()> {
        self.skip_space();
        self.rest = self.rest.strip_prefix(token)?;
        Some(())
    }

    fn keyword(&mut self, word: &str) -> Option<()> {
        self.skip_space();
        let after = self.rest.strip_prefix(word)?;
        // `ORx` is not `OR`: a keyword ends at whitespace.
        if !after.starts_with(char::is_whitespace) {
            return None;
        }
        self.rest = after;
        Some(())
    }

    /// `type:property[.key]`, where a key may be quoted (`hashes.'SHA-256'`).
    fn path(&mut self) -> Option<String> {
        self.skip_space();
        let mut out = String::new();
        let mut chars = self.rest.char_indices().peekable();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.') {
                out.push(c);
                chars.next();
            } else if c == '\'' {
                let end = self.rest[i + 1..].find('\'')? + i + 1;
                out.push_str(&self.rest[i..=end]);
                // Skip the quoted key by position, not by count: it may hold multi-byte characters.
                while chars.next_if(|&(j, _)| j <= end).is_some() {}
            } else {
                self.rest = &self.rest[i..];
                return (!out.is_empty()).then_some(out);
            }
        }
        None
    }

    /// A single-quoted string literal with `\'` and `\\` escapes.
    fn string(&mut self) -> Option<String> {
        self.skip_space();
        let body = self.rest.strip_prefix('\'')?;
        let mut out = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, e @ ('\\' | '\''))) => out.push(e),
                    _ => return None,
                },
                '\'' => {
                    self.rest = &body[i + 1..];
                    return Some(out);
                }
                c => out.push(c),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn values(p: &str) -> Vec<(&'static str, String)> {
        recognise(p)
            .unwrap()
            .into_iter()
            .map(|o| (o.kind().as_str(), o.value().to_owned()))
            .collect()
    }

    #[test]
    fn simple_comparisons_become_observables() {
        assert_eq!(
            values("[ipv4-addr:value = '198.51.100.1']"),
            [("ip", "198.51.100.1".to_owned())]
        );
        assert_eq!(
            values("[ ipv4-addr:value = '10.0.0.0/8' ]"),
            [("cidr", "10.0.0.0/8".to_owned())]
        );
        assert_eq!(
            values("[ipv6-addr:value='2001:DB8::1']"),
            [("ip", "2001:db8::1".to_owned())]
        );
        assert_eq!(
            values("[url:value = 'http://evil.example/a?b=c']"),
            [("url", "http://evil.example/a?b=c".to_owned())]
        );
        assert_eq!(
            values("[email-addr:value = 'a@evil.example']"),
            [("email", "a@evil.example".to_owned())]
        );
        let sha = "EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C";
        assert_eq!(
            values(&format!("[file:hashes.'SHA-256' = '{sha}']")),
            [("sha256", sha.to_ascii_lowercase())]
        );
        assert_eq!(
            values(&format!("[file:hashes.md5 = '{}']", "0".repeat(32))),
            [("md5", "0".repeat(32))]
        );
        assert_eq!(
            values(&format!("[file:hashes.SHA1 = '{}']", "a".repeat(40))),
            [("sha1", "a".repeat(40))]
        );
    }

    #[test]
    fn or_lists_every_value() {
        let v = values("[domain-name:value = 'Av.DDNS.us' OR ipv4-addr:value = '60.2.148.167']");
        assert_eq!(
            v,
            [
                ("domain", "av.ddns.us".to_owned()),
                ("ip", "60.2.148.167".to_owned())
            ]
        );
    }

    #[test]
    fn everything_else_stays_opaque() {
        use NotRecognised::*;
        for (p, why) in [
            ("[file:name = 'CBricksDoc']", Path),
            ("[email-message:subject MATCHES '^x']", Shape),
            (
                "[ipv4-addr:value = '1.2.3.4' AND domain-name:value = 'a.example']",
                Shape,
            ),
            (
                "[ipv4-addr:value = '1.2.3.4'] OR [ipv4-addr:value = '1.2.3.5']",
                Shape,
            ),
            ("[ipv4-addr:value = '1.2.3.4'] WITHIN 300 SECONDS", Shape),
            ("[ipv4-addr:value != '1.2.3.4']", Shape),
            ("[ipv4-addr:value = '2001:db8::1']", Value),
            ("[domain-name:value = 'domain autuo.xicp.net']", Value),
            ("[file:hashes.'SHA-512' = 'aa']", Path),
            ("[file:hashes.'ŠHA-256' = 'aa']", Path),
            (
                "[file:hashes.'é' = 'aa' OR url:value = 'http://a.example']",
                Path,
            ),
            (
                "[ipv4-addr:value = '1.2.3.4' ORipv4-addr:value = '1.2.3.5']",
                Shape,
            ),
        ] {
            assert_eq!(recognise(p), Err(why), "{p}");
            assert_eq!(
                indicator_value(p),
                IndicatorValue::StixPattern(p.to_owned())
            );
        }
    }

    #[test]
    fn patterns_round_trip() {
        let list = vec![
            Observable::ip_or_cidr("2001:db8::/32").unwrap(),
            Observable::ip_or_cidr("192.0.2.0/24").unwrap(),
            Observable::parse(ObservableKind::Url, "https://x.example/it's\\here").unwrap(),
            Observable::parse(ObservableKind::Sha1, &"b".repeat(40)).unwrap(),
            Observable::parse(ObservableKind::Sha256, &"c".repeat(64)).unwrap(),
            Observable::parse(ObservableKind::Md5, &"d".repeat(32)).unwrap(),
            Observable::parse(ObservableKind::Email, "x@y.example").unwrap(),
            Observable::parse(ObservableKind::Domain, "y.example").unwrap(),
        ];
        let p = to_pattern(&list);
        assert!(p.contains("ipv6-addr:value = '2001:db8::/32'"), "{p}");
        assert!(p.contains(r"'https://x.example/it\'s\\here'"), "{p}");
        assert!(well_formed(&p));
        assert_eq!(recognise(&p).unwrap(), list);
    }

    #[test]
    fn well_formedness() {
        assert!(well_formed("[a:b = 'x]'] AND ([c:d = 'y'])"));
        assert!(!well_formed("[a:b = 'x'"));
        assert!(!well_formed("[a:b = 'x]"));
        assert!(!well_formed("a:b = 'x'"));
        assert!(!well_formed("[a:b = 'x')"));
    }

    proptest::proptest! {
        #[test]
        fn string_literals_round_trip(s in "\\PC{0,30}") {
            let mut p = Parser { rest: "" };
            let literal = format!("'{}' rest", escape(&s));
            p.rest = &literal;
            proptest::prop_assert_eq!(p.string(), Some(s));
            proptest::prop_assert_eq!(p.rest, " rest");
        }

        #[test]
        fn any_text_is_recognised_or_kept_without_panicking(s in "\\[\\PC{0,40}\\]?") {
            let _ = well_formed(&s);
            if recognise(&s).is_err() {
                proptest::prop_assert_eq!(indicator_value(&s), IndicatorValue::StixPattern(s));
            }
        }

        #[test]
        fn any_pattern_is_recognised_or_kept(s in "\\[?[a-z0-9:.'= -]{0,40}\\]?") {
            match recognise(&s) {
                Ok(list) => proptest::prop_assert!(!list.is_empty()),
                Err(_) => proptest::prop_assert_eq!(indicator_value(&s), IndicatorValue::StixPattern(s.clone())),
            }
        }
    }
}
