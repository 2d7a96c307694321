//! Public addresses of information systems (and, later, observables): domain names, IP ranges and
//! web URLs, parsed into canonical form or refused.

use std::net::IpAddr;

use crate::DomainError;

/// A DNS name in lowercase ASCII (internationalised names are given in their `xn--` form).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct DomainName(String);

impl DomainName {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let d = s.trim().trim_end_matches('.').to_ascii_lowercase();
        let labels: Vec<&str> = d.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        let tld_ok = labels
            .last()
            .is_some_and(|t| !t.chars().all(|c| c.is_ascii_digit()));
        if d.len() <= 253 && labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok {
            Ok(Self(d))
        } else {
            Err(DomainError::InvalidDomain(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The two forms of an internationalised domain name (IDN): `(ascii, unicode)`, the punycode form
/// DNS uses (`xn--ngnhp-vnpt-z4a5b1797c.vn`) and the Unicode form people write and read
/// (`đăngnhập-vnpt.vn`), both lowercase and normalised by UTS 46. Either form may be given;
/// `None` when the name is not a valid IDN (a plain ASCII name, or a name that is not valid).
pub fn idn_forms(s: &str) -> Option<(String, String)> {
    let t = s.trim().trim_end_matches('.');
    let ascii = if t.is_ascii() {
        let lower = t.to_ascii_lowercase();
        if !lower.split('.').any(|l| l.starts_with("xn--")) {
            return None;
        }
        lower
    } else {
        idna::domain_to_ascii_strict(t).ok()?
    };
    DomainName::parse(&ascii).ok()?;
    let (unicode, decoded) = idna::domain_to_unicode(&ascii);
    decoded.ok()?;
    (unicode != ascii).then_some((ascii, unicode))
}

/// An IPv4 or IPv6 address or network, written `address` or `address/prefix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpRange {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl IpRange {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let bad = || DomainError::InvalidIpRange(s.to_owned());
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
        };
        Ok(Self { addr, prefix })
    }
}

impl std::fmt::Display for IpRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let max = if self.addr.is_ipv4() { 32 } else { 128 };
        if self.prefix == max {
            write!(f, "{}", self.addr)
        } else {
            write!(f, "{}/{}", self.addr, self.prefix)
        }
    }
}

/// An `http` or `https` URL with a valid host.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct WebUrl(String);

impl WebUrl {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let bad = || DomainError::InvalidUrl(s.to_owned());
        let t = s.trim();
        if t.chars().any(|c| c.is_whitespace() || c.is_control()) || t.len() > 2000 {
            return Err(bad());
        }
        let lower = t.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .ok_or_else(bad)?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err(bad());
        }
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default().to_owned(),
            None => authority
                .rsplit_once(':')
                .map_or(
                    authority,
                    |(h, port)| if port.parse::<u16>().is_ok() { h } else { "" },
                )
                .to_owned(),
        };
        let host_ok = host.parse::<IpAddr>().is_ok() || DomainName::parse(&host).is_ok();
        if host_ok {
            Ok(Self(t.to_owned()))
        } else {
            Err(bad())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Security level of an information system under Decree 85/2016/NĐ-CP, 1 (lowest) to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct SecurityLevel(u8);

impl SecurityLevel {
    pub fn new(level: i64) -> Result<Self, DomainError> {
        u8::try_from(level)
            .ok()
            .filter(|l| (1..=5).contains(l))
            .map(Self)
            .ok_or(DomainError::InvalidSecurityLevel(level))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn domains() {
        assert_eq!(
            DomainName::parse(" BacKan.gov.vn. ").unwrap().as_str(),
            "backan.gov.vn"
        );
        assert!(DomainName::parse("xn--bc-kn-1na.vn").is_ok());
        for bad in [
            "localhost",
            "bad_domain.vn",
            "-a.vn",
            "a..vn",
            "1.2.3.4",
            "bắc.vn",
            "",
        ] {
            assert!(DomainName::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn idn_domains_have_two_forms() {
        let (ascii, unicode) = idn_forms("ĐăngNhập-VNPT.vn.").unwrap();
        assert_eq!(unicode, "đăngnhập-vnpt.vn");
        assert!(
            ascii.starts_with("xn--") && ascii.ends_with(".vn"),
            "{ascii}"
        );
        assert_eq!(idn_forms(&ascii).unwrap(), (ascii.clone(), unicode));
        let (ascii, unicode) = idn_forms("例え.jp").unwrap();
        assert_eq!(
            (ascii.as_str(), unicode.as_str()),
            ("xn--r8jz45g.jp", "例え.jp")
        );
        for none in [
            "example.vn",
            "bad_domain.vn",
            "例え",
            "xn--zz.vn",
            "ex ample.vn",
            "",
        ] {
            assert_eq!(idn_forms(none), None, "{none}");
        }
    }

    #[test]
    fn ip_ranges() {
        assert_eq!(
            IpRange::parse("203.113.131.0/24").unwrap().to_string(),
            "203.113.131.0/24"
        );
        assert_eq!(IpRange::parse("203.113.131.5").unwrap().prefix, 32);
        assert_eq!(
            IpRange::parse("2001:db8::/32").unwrap().to_string(),
            "2001:db8::/32"
        );
        for bad in [
            "300.1.1.1",
            "10.0.0.0/33",
            "2001:db8::/129",
            "10.0.0.0/",
            "x",
        ] {
            assert!(IpRange::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        assert!(WebUrl::parse("https://backan.gov.vn/portal?x=1").is_ok());
        assert!(WebUrl::parse("http://203.113.131.5:8080/").is_ok());
        assert!(WebUrl::parse("https://[2001:db8::1]/").is_ok());
        for bad in [
            "ftp://backan.gov.vn",
            "https://",
            "https://user@evil.example",
            "https://bad host.vn",
            "javascript:alert(1)",
        ] {
            assert!(WebUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn security_levels_are_one_to_five() {
        assert_eq!(SecurityLevel::new(3).unwrap().get(), 3);
        assert!(SecurityLevel::new(0).is_err() && SecurityLevel::new(6).is_err());
    }

    proptest! {
        #[test]
        fn every_ipv4_address_round_trips(a: u8, b: u8, c: u8, d: u8, p in 0u8..=32) {
            let s = format!("{a}.{b}.{c}.{d}/{p}");
            let r = IpRange::parse(&s).unwrap();
            prop_assert_eq!(IpRange::parse(&r.to_string()).unwrap(), r);
        }

        #[test]
        fn parsers_never_panic(s in ".{0,80}") {
            let _ = (DomainName::parse(&s), IpRange::parse(&s), WebUrl::parse(&s));
        }
    }
}
