//! A typed indicator value. Values go through the domain's `ObservableKind::canonical`, the same
//! rule incidents use, so an address imported from STIX, from MISP or typed by hand is one value
//! and de-duplicates as one.

use irnet_domain::error::DomainError;
use irnet_domain::incident::ObservableKind;
use serde::{Deserialize, Serialize};

/// One observable in canonical form. Construct it with [`Observable::parse`]; the fields are
/// private so the only way in is through validation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Observable {
    kind: ObservableKind,
    value: String,
}

impl Observable {
    /// Validates `value` as `kind` and keeps its canonical form.
    pub fn parse(kind: ObservableKind, value: &str) -> Result<Observable, DomainError> {
        let value = kind.canonical(value)?;
        // An address written as a network of its own length (`/32`, `/128`) is the address.
        let kind = match kind {
            ObservableKind::Cidr if !value.contains('/') => ObservableKind::Ip,
            other => other,
        };
        Ok(Observable { kind, value })
    }

    /// An IP address or network: `Cidr` when a prefix shorter than the address is written.
    pub fn ip_or_cidr(value: &str) -> Result<Observable, DomainError> {
        let kind = if value.contains('/') {
            ObservableKind::Cidr
        } else {
            ObservableKind::Ip
        };
        Observable::parse(kind, value)
    }

    pub fn kind(&self) -> ObservableKind {
        self.kind
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    /// The same observable written the other way, if there is one (`ObservableKind::other_form`:
    /// a domain's punycode form for its Unicode form, and back).
    pub fn other_form(&self) -> Option<Observable> {
        self.kind.other_form(&self.value).map(|value| Observable {
            kind: self.kind,
            value,
        })
    }

    /// Whether the value (an address or a network) is IPv6; false for other kinds.
    pub fn is_ipv6(&self) -> bool {
        matches!(self.kind, ObservableKind::Ip | ObservableKind::Cidr) && self.value.contains(':')
    }
}

// Ordered by kind name then value, so exports list observables in a stable order
// (`ObservableKind` itself has no order).
impl Ord for Observable {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.kind.as_str(), &self.value).cmp(&(other.kind.as_str(), &other.value))
    }
}

impl PartialOrd for Observable {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Observable {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Observable", 2)?;
        s.serialize_field("kind", self.kind.as_str())?;
        s.serialize_field("value", &self.value)?;
        s.end()
    }
}

impl<'de> Deserialize<'de> for Observable {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            kind: String,
            value: String,
        }
        let raw = Raw::deserialize(deserializer)?;
        let kind = ObservableKind::parse(&raw.kind).map_err(serde::de::Error::custom)?;
        Observable::parse(kind, &raw.value).map_err(serde::de::Error::custom)
    }
}

/// What an indicator detects: typed observables (any of which matches), or a STIX pattern we
/// keep as written because it says more than a list of values can (see `stix::pattern`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum IndicatorValue {
    Observables(Vec<Observable>),
    StixPattern(String),
}

impl IndicatorValue {
    /// One observable.
    pub fn single(o: Observable) -> IndicatorValue {
        IndicatorValue::Observables(vec![o])
    }

    /// Sorted and without repeats, so that two indicators listing the same values in another
    /// order compare equal (de-duplication) and export identically. A domain written in Unicode
    /// is kept with its punycode form alongside, and a punycode one with its Unicode form, so that
    /// a lookup of either form finds it and both spellings make one indicator.
    pub fn normalised(self) -> IndicatorValue {
        match self {
            IndicatorValue::Observables(list) => {
                let mut list: Vec<Observable> = list
                    .into_iter()
                    .flat_map(|o| {
                        let other = o.other_form();
                        std::iter::once(o).chain(other)
                    })
                    .collect();
                list.sort();
                list.dedup();
                IndicatorValue::Observables(list)
            }
            pattern => pattern,
        }
    }
}

/// Removes repeated values, keeping the first occurrence of each and the order of the rest.
/// Callers key their items by the normalised value (plus whatever else makes two of them the
/// same, e.g. the source organisation).
pub fn dedup_by_key<T, K: Eq + std::hash::Hash>(items: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let mut seen = std::collections::HashSet::new();
    items.into_iter().filter(|i| seen.insert(key(i))).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn values_are_canonical_and_typed() {
        let o = Observable::parse(ObservableKind::Domain, " Evil.EXAMPLE.com. ").unwrap();
        assert_eq!(o.kind(), ObservableKind::Domain);
        assert_eq!(o.value(), "evil.example.com");
        let h = Observable::parse(ObservableKind::Sha1, &"AB".repeat(20)).unwrap();
        assert_eq!(h.value(), "ab".repeat(20));
        assert!(Observable::parse(ObservableKind::Md5, "xyz").is_err());
    }

    #[test]
    fn a_full_length_prefix_is_an_address() {
        let o = Observable::ip_or_cidr("10.0.0.1/32").unwrap();
        assert_eq!((o.kind(), o.value()), (ObservableKind::Ip, "10.0.0.1"));
        let n = Observable::ip_or_cidr("10.0.0.0/8").unwrap();
        assert_eq!((n.kind(), n.value()), (ObservableKind::Cidr, "10.0.0.0/8"));
        assert!(Observable::ip_or_cidr("2001:db8::/32").unwrap().is_ipv6());
        assert!(Observable::ip_or_cidr("10.0.0.0/33").is_err());
    }

    #[test]
    fn normalising_sorts_and_removes_repeats() {
        let a = Observable::ip_or_cidr("192.0.2.1").unwrap();
        let b = Observable::parse(ObservableKind::Domain, "a.example").unwrap();
        let x = IndicatorValue::Observables(vec![b.clone(), a.clone(), b.clone()]).normalised();
        let y = IndicatorValue::Observables(vec![a, b]).normalised();
        assert_eq!(x, y);
    }

    #[test]
    fn an_idn_domain_is_kept_in_both_forms() {
        let unicode = Observable::parse(ObservableKind::Domain, "đăngnhập-vnpt.vn").unwrap();
        let ascii = unicode.other_form().unwrap();
        assert!(ascii.value().starts_with("xn--"));
        let from_unicode = IndicatorValue::single(unicode.clone()).normalised();
        let from_ascii = IndicatorValue::single(ascii.clone()).normalised();
        assert_eq!(from_unicode, from_ascii);
        assert_eq!(
            from_unicode,
            IndicatorValue::Observables(vec![ascii, unicode])
        );
    }

    #[test]
    fn deserialising_validates() {
        let ok: Observable =
            serde_json::from_str(r#"{"kind":"ip","value":" 192.0.2.1 "}"#).unwrap();
        assert_eq!(ok.value(), "192.0.2.1");
        assert!(serde_json::from_str::<Observable>(r#"{"kind":"ip","value":"nope"}"#).is_err());
        assert!(serde_json::from_str::<Observable>(r#"{"kind":"mac","value":"x"}"#).is_err());
    }

    #[test]
    fn dedup_keeps_the_first() {
        let v = dedup_by_key(vec![(1, 'a'), (2, 'b'), (1, 'c')], |p| p.0);
        assert_eq!(v, [(1, 'a'), (2, 'b')]);
    }
}
