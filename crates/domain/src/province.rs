//! Provinces as the statistics name them: a two-digit code (the General Statistics Office's list
//! of administrative units) and a kind, province or centrally-run city.

use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvinceKind {
    Province,
    /// a centrally-run city (thành phố trực thuộc trung ương)
    City,
}

impl ProvinceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProvinceKind::Province => "province",
            ProvinceKind::City => "city",
        }
    }

    /// The key, or the Vietnamese word as a file may write it ("tỉnh", "thành phố").
    pub fn parse(s: &str) -> Option<ProvinceKind> {
        match text::fold(s).as_str() {
            "province" | "tinh" => Some(ProvinceKind::Province),
            "city" | "thanh pho" | "thanh pho truc thuoc trung uong" => Some(ProvinceKind::City),
            _ => None,
        }
    }
}

/// A statistics code: one or two digits, written with two ("1" from a spreadsheet's number cell
/// is "01").
pub fn parse_code(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{s:0>2}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_two_digits() {
        assert_eq!(parse_code("1").as_deref(), Some("01"));
        assert_eq!(parse_code(" 96 ").as_deref(), Some("96"));
        assert_eq!(parse_code("960"), None);
        assert_eq!(parse_code("A1"), None);
        assert_eq!(parse_code(""), None);
    }

    #[test]
    fn kinds_read_in_either_language() {
        assert_eq!(ProvinceKind::parse("Tỉnh"), Some(ProvinceKind::Province));
        assert_eq!(ProvinceKind::parse("thành phố"), Some(ProvinceKind::City));
        assert_eq!(ProvinceKind::parse("city"), Some(ProvinceKind::City));
        assert_eq!(ProvinceKind::parse("huyện"), None);
    }
}
