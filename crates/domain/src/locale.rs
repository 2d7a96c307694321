//! The interface languages. Vietnamese is the default; English is complete. Language
//! tags arrive from browsers (`Accept-Language`) and user preferences, in any case and
//! with regions we do not distinguish.

use crate::error::DomainError;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Vi,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Vi, Locale::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
        }
    }

    /// Accepts a BCP 47-shaped tag whose language is `vi` or `en` (`vi`, `vi-VN`,
    /// `en-GB`, `EN_us`…). Subtags after the language are checked for shape only, since
    /// every region and script maps to the same translation.
    pub fn parse(s: &str) -> Result<Locale, DomainError> {
        Self::from_tag(s.trim()).ok_or_else(|| DomainError::InvalidLocale(s.to_owned()))
    }

    fn from_tag(tag: &str) -> Option<Locale> {
        let mut subtags = tag.split(['-', '_']);
        let language = subtags.next()?;
        let well_formed = subtags
            .all(|t| (1..=8).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric()));
        if !well_formed {
            return None;
        }
        Locale::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(language))
    }

    /// Picks the supported language the browser prefers most (RFC 9110 §12.5.4):
    /// highest quality first, header order among equals, `q=0` meaning "not this one".
    /// A `*` stands for any language and so selects our default, Vietnamese. `None` when
    /// nothing acceptable is supported, so the caller falls back to its own default.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(u16, Locale)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let Some(quality) = parts.map(str::trim).try_fold(1000u16, |q, param| {
                match param.split_once('=') {
                    Some((name, value)) if name.trim().eq_ignore_ascii_case("q") => {
                        parse_quality(value.trim())
                    }
                    _ => Some(q), // other parameters do not change the weight
                }
            }) else {
                continue; // a malformed weight makes the whole entry unreliable
            };
            let locale = if tag == "*" {
                Some(Locale::default())
            } else {
                Self::from_tag(tag)
            };
            if let Some(locale) = locale
                && quality > 0
                && best.is_none_or(|(q, _)| quality > q)
            {
                best = Some((quality, locale));
            }
        }
        best.map(|(_, locale)| locale)
    }
}

/// Parses an RFC 9110 quality value into thousandths, avoiding floating point so that
/// equal weights compare equal: `0`, `0.5`, `1`, `1.000`, at most three decimals.
fn parse_quality(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let thousandths: u16 = format!("{fraction:0<3}").parse().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_case_insensitively() {
        for (tag, want) in [
            ("vi", Locale::Vi),
            ("vi-VN", Locale::Vi),
            ("VI-vn", Locale::Vi),
            (" vi ", Locale::Vi),
            ("en", Locale::En),
            ("en-US", Locale::En),
            ("en-GB", Locale::En),
            ("en_gb", Locale::En),
            ("EN-Latn-US", Locale::En),
        ] {
            assert_eq!(Locale::parse(tag), Ok(want), "{tag}");
        }
        for bad in [
            "",
            "fr",
            "vie",
            "v",
            "en-",
            "vi--VN",
            "en-verylongregion",
            "en-U$",
        ] {
            assert_eq!(
                Locale::parse(bad),
                Err(DomainError::InvalidLocale(bad.to_owned())),
                "{bad}"
            );
        }
    }

    #[test]
    fn names_round_trip_and_vietnamese_is_default() {
        assert_eq!(Locale::default(), Locale::Vi);
        for l in Locale::ALL {
            assert_eq!(Locale::parse(l.as_str()), Ok(l));
            assert_eq!(l.to_string(), l.as_str());
        }
    }

    #[test]
    fn accept_language_honours_quality() {
        let pick = Locale::from_accept_language;
        assert_eq!(
            pick("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"),
            Some(Locale::Vi)
        );
        assert_eq!(pick("en-US,en;q=0.9,vi;q=0.8"), Some(Locale::En));
        assert_eq!(pick("vi;q=0.5, en;q=0.8"), Some(Locale::En));
        assert_eq!(
            pick("fr-FR, fr;q=0.9, en;q=0.3, vi;q=0.2"),
            Some(Locale::En)
        );
        assert_eq!(
            pick("en;q=0.5, vi;q=0.5"),
            Some(Locale::En),
            "ties keep header order"
        );
        assert_eq!(pick("en;q=0, vi;q=0.1"), Some(Locale::Vi));
        assert_eq!(pick("en ; Q=0.9 , vi ; q=0.95"), Some(Locale::Vi));
        assert_eq!(pick("fr, *;q=0.5"), Some(Locale::Vi));
        assert_eq!(pick("en;q=0.4, *;q=0.5"), Some(Locale::Vi));
    }

    #[test]
    fn accept_language_without_a_supported_language() {
        let pick = Locale::from_accept_language;
        assert_eq!(pick(""), None);
        assert_eq!(pick("fr-FR, de;q=0.9"), None);
        assert_eq!(pick("en;q=0"), None);
        // Malformed weights disqualify the entry rather than count as 1.
        assert_eq!(pick("en;q=2, vi;q=0.1"), Some(Locale::Vi));
        assert_eq!(pick("en;q=abc"), None);
        assert_eq!(pick("en;q=0.1234"), None);
    }

    #[test]
    fn quality_values() {
        assert_eq!(parse_quality("1"), Some(1000));
        assert_eq!(parse_quality("1.000"), Some(1000));
        assert_eq!(parse_quality("0.5"), Some(500));
        assert_eq!(parse_quality("0.05"), Some(50));
        assert_eq!(parse_quality("0"), Some(0));
        assert_eq!(parse_quality("0."), Some(0));
        for bad in ["1.001", "2", "-0.5", ".5", "", "0.5x"] {
            assert_eq!(parse_quality(bad), None, "{bad}");
        }
    }
}
