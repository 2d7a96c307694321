//! STIX identifiers: `type--UUID` (STIX 2.1, 2.9) and the type names they start with (2.1
//! "type": 3–250 characters of `a-z`, `0-9` and `-`).

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// An object type name such as `indicator` or `x-acme-widget`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct TypeName(String);

impl TypeName {
    pub fn parse(s: &str) -> Option<TypeName> {
        let ok = (3..=250).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            // `--` separates the type from the UUID in an identifier, so it cannot be inside one.
            && !s.contains("--");
        ok.then(|| TypeName(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `type--UUID`. The UUID must be an RFC 4122 one (the variant bits say so); STIX asks producers
/// for version 4 or 5 but consumers to accept any, and the OASIS examples use version 1.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StixId {
    type_name: TypeName,
    uuid: Uuid,
}

impl StixId {
    /// Parses `type--uuid`; the UUID must be in hyphenated form. Upper-case hex digits are
    /// accepted because the STIX JSON schemas accept them and the OASIS examples use them
    /// (`infrastructure.json`); we write lowercase.
    pub fn parse(s: &str) -> Option<StixId> {
        let (t, u) = s.split_once("--")?;
        let type_name = TypeName::parse(t)?;
        let uuid = Uuid::try_parse(u).ok()?;
        let canonical = uuid.hyphenated().to_string().eq_ignore_ascii_case(u);
        (canonical && uuid.get_variant() == uuid::Variant::RFC4122)
            .then_some(StixId { type_name, uuid })
    }

    pub fn new(type_name: TypeName, uuid: Uuid) -> StixId {
        StixId { type_name, uuid }
    }

    pub fn type_name(&self) -> &str {
        self.type_name.as_str()
    }

    pub fn uuid(&self) -> Uuid {
        self.uuid
    }
}

impl fmt::Display for StixId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}--{}", self.type_name.as_str(), self.uuid.hyphenated())
    }
}

impl Serialize for StixId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for StixId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        StixId::parse(&raw).ok_or_else(|| serde::de::Error::custom("not a STIX identifier"))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn type_names() {
        for ok in ["indicator", "x-acme-widget", "ipv4-addr", "abc"] {
            assert!(TypeName::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "ab",
            "Indicator",
            "-abc",
            "abc-",
            "a--b",
            "x_y",
            "",
            &"a".repeat(251),
        ] {
            assert!(TypeName::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn identifiers() {
        let id = StixId::parse("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f").unwrap();
        assert_eq!(id.type_name(), "indicator");
        assert_eq!(
            id.to_string(),
            "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
        );
        // version 1, as in the OASIS examples
        assert!(StixId::parse("identity--1621d4d4-b67d-11e3-9670-f01faf20d111").is_some());
        let upper = StixId::parse("relationship--81f12913-1372-4c96-85ec-E9034ac98aba").unwrap();
        assert_eq!(
            upper.to_string(),
            "relationship--81f12913-1372-4c96-85ec-e9034ac98aba"
        );
        assert!(StixId::parse("indicator--{8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f}").is_none());
        for bad in [
            "indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "indicator--8e2e2d2b17d44cbf938f98ee46b3cd3f",
            "indicator--8e2e2d2b-17d4-4cbf-138f-98ee46b3cd3f",
            "Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "indicator--",
            "--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        ] {
            assert!(StixId::parse(bad).is_none(), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn identifiers_read_back(t in "[a-z][a-z0-9]{2,10}(-[a-z0-9]{1,8}){0,2}", bits in proptest::prelude::any::<u128>()) {
            let uuid = uuid::Builder::from_random_bytes(bits.to_be_bytes()).into_uuid();
            let id = StixId::new(TypeName::parse(&t).unwrap(), uuid);
            proptest::prop_assert_eq!(StixId::parse(&id.to_string()), Some(id));
        }
    }
}
