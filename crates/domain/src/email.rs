//! Email addresses, normalised once at the edge so the same mailbox always compares
//! equal (accounts are looked up by email). The check is deliberately shallow: whether
//! an address works is only ever proven by sending to it; this refuses what is
//! clearly not an address and what could smuggle header or log injection.

use crate::error::DomainError;
use unicode_normalization::UnicodeNormalization;

/// RFC 5321 path limit, less the angle brackets.
const MAX_EMAIL_CHARS: usize = 254;

/// A normalised (trimmed, NFC, lowercase) email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Lowercasing the local part is technically lossy, but no provider our members
    /// use treats case as significant, and a case-sensitive login would lock people out.
    pub fn parse(s: &str) -> Result<Email, DomainError> {
        // NFC again after lowercasing: case mapping can leave a sequence that
        // composes differently, and the stored form must be exactly NFC.
        let lowered = s.trim().nfc().collect::<String>().to_lowercase();
        let normalised: String = lowered.nfc().collect();
        if normalised.is_empty() || normalised.chars().count() > MAX_EMAIL_CHARS {
            return Err(DomainError::InvalidEmail);
        }
        if normalised
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(DomainError::InvalidEmail);
        }
        let Some((local, domain)) = normalised.split_once('@') else {
            return Err(DomainError::InvalidEmail);
        };
        if local.is_empty() || domain.contains('@') || !domain.contains('.') {
            return Err(DomainError::InvalidEmail);
        }
        if domain.split('.').any(str::is_empty) {
            return Err(DomainError::InvalidEmail);
        }
        Ok(Email(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

// Deserialising goes through `parse` so JSON input is normalised and checked like form input.
impl<'de> serde::Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Email::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_case_space_and_composition() {
        let e = Email::parse("  Nguyen.Van.A@VNCERT.gov.VN \n").unwrap();
        assert_eq!(e.as_str(), "nguyen.van.a@vncert.gov.vn");
        assert_eq!(e.to_string(), e.as_str());
        // NFD "ư" + "ờ" folds to the same address as NFC.
        let nfd = Email::parse("Tru\u{031B}o\u{031B}\u{0300}ng@bo.vn").unwrap();
        let nfc = Email::parse("trường@bo.vn").unwrap();
        assert_eq!(nfd, nfc);
    }

    #[test]
    fn accepts_ordinary_addresses() {
        for ok in [
            "a@b.c",
            "first+tag@sub.domain.vn",
            "x_y-z@t.co",
            "soc@so-khcn.bacninh.gov.vn",
        ] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_malformed_addresses() {
        let long_local = format!("{}@example.vn", "a".repeat(250));
        for bad in [
            "",
            "   ",
            "plain",
            "@example.vn",
            "user@",
            "a@@b.vn",
            "a@b@c.vn",
            "user@localhost",
            "user@.vn",
            "user@example.",
            "user@exa..mple.vn",
            "us er@example.vn",
            "user@exa mple.vn",
            "user\u{00a0}@example.vn",
            "user@example.vn\r\nBcc: x@y.z",
            "us\u{0007}er@example.vn",
            long_local.as_str(),
        ] {
            assert_eq!(Email::parse(bad), Err(DomainError::InvalidEmail), "{bad:?}");
        }
    }

    #[test]
    fn length_limit_is_254_characters() {
        let at_limit = format!("{}@example.vn", "a".repeat(254 - 11));
        assert_eq!(at_limit.chars().count(), 254);
        assert!(Email::parse(&at_limit).is_ok());
        let over = format!("a{at_limit}");
        assert_eq!(Email::parse(&over), Err(DomainError::InvalidEmail));
    }

    proptest! {
        #[test]
        fn parse_is_idempotent(s in "\\PC{0,30}(@\\PC{0,20})?") {
            if let Ok(e) = Email::parse(&s) {
                prop_assert_eq!(Email::parse(e.as_str()), Ok(e.clone()));
                prop_assert_eq!(e.as_str().matches('@').count(), 1);
            }
        }
    }
}
