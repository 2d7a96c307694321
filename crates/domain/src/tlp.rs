//! Traffic Light Protocol 2.0 markings (FIRST). Every shareable record carries one, and
//! the access policy reads it. Parsing fails closed: a marking we do not recognise is an
//! error, never a guess, because guessing low would leak and guessing high would hide
//! the mistake.

use crate::error::DomainError;
use std::fmt;
use std::str::FromStr;

/// A TLP 2.0 marking, ordered from least to most restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "diesel", derive(diesel::AsExpression, diesel::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum Tlp {
    Clear,
    Green,
    Amber,
    AmberStrict,
    Red,
}

impl Tlp {
    pub const ALL: [Tlp; 5] = [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];

    /// Accepts `CLEAR`, `GREEN`, `AMBER`, `AMBER+STRICT`, `RED` and the TLP 1.0 name
    /// `WHITE` (= CLEAR, still common in older feeds), in any ASCII case, with an
    /// optional `TLP:` prefix and surrounding whitespace. Case folding is ASCII-only on
    /// purpose: Unicode upper-casing would let look-alikes such as `ſ` or `ı` through.
    pub fn parse(s: &str) -> Result<Tlp, DomainError> {
        let refuse = || DomainError::InvalidTlp(s.to_owned());
        let trimmed = s.trim();
        let word = match trimmed.split_at_checked(4) {
            Some((prefix, rest)) if prefix.eq_ignore_ascii_case("TLP:") => rest,
            _ => trimmed,
        };
        const SPELLINGS: [(&str, Tlp); 6] = [
            ("CLEAR", Tlp::Clear),
            ("WHITE", Tlp::Clear),
            ("GREEN", Tlp::Green),
            ("AMBER", Tlp::Amber),
            ("AMBER+STRICT", Tlp::AmberStrict),
            ("RED", Tlp::Red),
        ];
        SPELLINGS
            .iter()
            .find(|(spelling, _)| spelling.eq_ignore_ascii_case(word))
            .map(|&(_, tlp)| tlp)
            .ok_or_else(refuse)
    }

    /// The TLP 2.0 name, without the `TLP:` prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            Tlp::Clear => "CLEAR",
            Tlp::Green => "GREEN",
            Tlp::Amber => "AMBER",
            Tlp::AmberStrict => "AMBER+STRICT",
            Tlp::Red => "RED",
        }
    }

    /// TLP:RED is for named people only, so it never leaves through a channel that has
    /// no person deciding who receives it: TAXII, feeds, webhooks, email bodies.
    pub fn leaves_by_automated_channel(self) -> bool {
        self != Tlp::Red
    }

    /// Whether text of a linked record marked `linked` (an alert's title in the MISP event of a
    /// GREEN indicator) may travel under this marking: only when it is no stricter, else it
    /// would be passed on under a looser label than its author chose. Whether the reader may
    /// read the linked record at all is the policy's question, asked first.
    pub fn may_carry(self, linked: Tlp) -> bool {
        linked <= self
    }
}

// Stored as `as_str`; anything else read back is an error, not a marking guessed by `parse`.
#[cfg(feature = "diesel")]
crate::sql::stored_as_text!(Tlp, |t| t.as_str(), |s| crate::sql::one_of(
    &Tlp::ALL,
    Tlp::as_str,
    "TLP",
    &s
));

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Tlp {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Tlp::parse(s)
    }
}

impl serde::Serialize for Tlp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

// Deserialising goes through `parse` so JSON input obeys the same fail-closed rule.
impl<'de> serde::Deserialize<'de> for Tlp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Tlp::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn order_is_least_to_most_restrictive() {
        let mut shuffled = [
            Tlp::Red,
            Tlp::Clear,
            Tlp::AmberStrict,
            Tlp::Green,
            Tlp::Amber,
        ];
        shuffled.sort();
        assert_eq!(shuffled, Tlp::ALL);
    }

    #[test]
    fn a_marking_carries_text_of_its_own_level_or_looser_only() {
        assert!(Tlp::Green.may_carry(Tlp::Clear));
        assert!(Tlp::Green.may_carry(Tlp::Green));
        assert!(!Tlp::Green.may_carry(Tlp::AmberStrict));
        assert!(!Tlp::AmberStrict.may_carry(Tlp::Red));
        assert!(Tlp::AmberStrict.may_carry(Tlp::Amber));
    }

    #[test]
    fn accepts_documented_spellings() {
        assert_eq!(Tlp::parse("TLP:CLEAR"), Ok(Tlp::Clear));
        assert_eq!(Tlp::parse("white"), Ok(Tlp::Clear));
        assert_eq!(Tlp::parse("tlp:white"), Ok(Tlp::Clear));
        assert_eq!(Tlp::parse("  Green\n"), Ok(Tlp::Green));
        assert_eq!(Tlp::parse("tlp:amber"), Ok(Tlp::Amber));
        assert_eq!(Tlp::parse("TLP:AMBER+STRICT"), Ok(Tlp::AmberStrict));
        assert_eq!(Tlp::parse(" Tlp:Red "), Ok(Tlp::Red));
    }

    #[test]
    fn refuses_everything_else_keeping_the_input() {
        for bad in [
            "",
            " ",
            "TLP:",
            "ORANGE",
            "AMBER STRICT",
            "AMBER_STRICT",
            "AMBER+",
            "TLP: RED",
            "TLPRED",
            "TLP:TLP:RED",
            "REDD",
            "ſTRICT",
            "whıte",
            "RED,GREEN",
        ] {
            assert_eq!(
                Tlp::parse(bad),
                Err(DomainError::InvalidTlp(bad.to_owned())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn only_red_stays_off_automated_channels() {
        let leaving: Vec<Tlp> = Tlp::ALL
            .into_iter()
            .filter(|t| t.leaves_by_automated_channel())
            .collect();
        assert_eq!(
            leaving,
            [Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::AmberStrict]
        );
    }

    #[test]
    fn display_and_from_str_agree() {
        for t in Tlp::ALL {
            assert_eq!(t.to_string().parse::<Tlp>().unwrap(), t);
        }
    }

    /// Straightforward restatement of the accepted spellings, written independently of
    /// `parse`, for the refusal property.
    fn is_accepted_spelling(s: &str) -> bool {
        let upper = s.trim().to_ascii_uppercase();
        let word = upper.strip_prefix("TLP:").unwrap_or(&upper);
        matches!(
            word,
            "CLEAR" | "WHITE" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED"
        )
    }

    fn any_tlp() -> impl Strategy<Value = Tlp> {
        proptest::sample::select(Tlp::ALL.to_vec())
    }

    /// Randomly re-cases ASCII letters according to a bit mask.
    fn recase(s: &str, mask: u64) -> String {
        s.chars()
            .enumerate()
            .map(|(i, c)| {
                if mask >> (i % 64) & 1 == 1 {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect()
    }

    proptest! {
        #[test]
        fn parse_inverts_as_str(t in any_tlp()) {
            prop_assert_eq!(Tlp::parse(t.as_str()), Ok(t));
            prop_assert_eq!(Tlp::parse(&format!("TLP:{t}")), Ok(t));
        }

        #[test]
        fn parse_ignores_case(t in any_tlp(), mask in any::<u64>(), prefix in any::<bool>()) {
            let text = if prefix { format!("TLP:{t}") } else { t.to_string() };
            prop_assert_eq!(Tlp::parse(&recase(&text, mask)), Ok(t));
        }

        #[test]
        fn random_strings_fail_closed(s in "\\PC{0,16}|(?i)(tlp:)?(clear|white|green|amber|red)[+a-z ]{0,8}") {
            prop_assume!(!is_accepted_spelling(&s));
            prop_assert_eq!(Tlp::parse(&s), Err(DomainError::InvalidTlp(s)));
        }
    }
}
