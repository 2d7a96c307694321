//! Words for the directory's search index and its queries. Text and queries are cut the same way
//! — folded (`text::fold`: no accents, no case, đ→d, NFC) and split at every character that is
//! not a letter or a digit — so "Bắc Kạn", "bac kan" and decomposed input all give `bac`, `kan`,
//! and an email or a domain gives its parts (`backan`, `gov`, `vn`).

use crate::text::fold;

/// Longer words are cut: nobody types more to find something, and index keys stay small.
pub const MAX_WORD_CHARS: usize = 48;

/// The distinct folded words of a text, in order of first appearance.
pub fn words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in fold(s).split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        let w: String = w.chars().take(MAX_WORD_CHARS).collect();
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// The words of a phone number: its groups as written, and all its digits in one word in the
/// national (0…), international (84…) and bare (without either) forms, so "0209 3870 001",
/// "02093870001", "+84 209 3870 001" and "209 3870 001" all find it.
pub fn phone_words(phone: &str) -> Vec<String> {
    let mut out = words(phone);
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let bare = digits
        .strip_prefix("84")
        .or_else(|| digits.strip_prefix('0'))
        .unwrap_or(&digits)
        .to_owned();
    for f in [digits, format!("0{bare}"), format!("84{bare}"), bare] {
        if f.len() >= 3 && !out.contains(&f) {
            out.push(f);
        }
    }
    out
}

/// The least text greater than every text that starts with `prefix` (in code point order, which
/// is byte order in UTF-8): `token >= prefix AND token < bound` is a prefix match that a plain
/// B-tree index answers on both databases. `None` when no such bound exists (an empty prefix).
pub fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut next = u32::from(last) + 1;
        // Surrogates are not characters; the next one after them is U+E000.
        if (0xD800..0xE000).contains(&next) {
            next = 0xE000;
        }
        if let Some(c) = char::from_u32(next) {
            chars.push(c);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_fold_and_split_into_words() {
        assert_eq!(
            words("Sở Thông tin  tỉnh Bắc Kạn"),
            ["so", "thong", "tin", "tinh", "bac", "kan"]
        );
        assert_eq!(words("Ba\u{0306}c Ka\u{0323}n"), ["bac", "kan"]);
        assert_eq!(words("Hòa hoà HOÀ"), ["hoa"]);
        assert_eq!(words("Đồng Nai"), ["dong", "nai"]);
        assert_eq!(
            words("thien.bac-kan@demo.irnet.vn"),
            ["thien", "bac", "kan", "demo", "irnet", "vn"]
        );
        assert_eq!(
            words("https://backan.gov.vn/"),
            ["https", "backan", "gov", "vn"]
        );
        assert!(words(" ,.;- ").is_empty());
    }

    #[test]
    fn a_phone_number_is_found_as_written_and_as_digits_in_both_forms() {
        let w = phone_words("0209 3870 001");
        for expected in [
            "0209",
            "3870",
            "001",
            "02093870001",
            "842093870001",
            "2093870001",
        ] {
            assert!(w.contains(&expected.to_owned()), "{expected} in {w:?}");
        }
        assert!(phone_words("+84 209 3870 001").contains(&"02093870001".to_owned()));
    }

    #[test]
    fn the_prefix_bound_is_the_next_text_after_all_extensions() {
        assert_eq!(prefix_upper_bound("bac").as_deref(), Some("bad"));
        assert_eq!(prefix_upper_bound("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_upper_bound("\u{D7FF}").as_deref(), Some("\u{E000}"));
        assert_eq!(prefix_upper_bound(""), None);
    }

    proptest! {
        #[test]
        fn a_text_starts_with_the_prefix_exactly_when_it_lies_in_the_range(
            prefix in "[a-d\u{e0}\u{10FFFF}]{1,3}",
            other in "[a-d\u{e0}\u{10FFFF}]{0,5}",
        ) {
            let bound = prefix_upper_bound(&prefix);
            let in_range = other.as_str() >= prefix.as_str()
                && bound.as_deref().is_none_or(|b| other.as_str() < b);
            prop_assert_eq!(in_range, other.starts_with(&prefix));
        }

        #[test]
        fn folding_first_changes_nothing(s in "\\PC{0,30}") {
            prop_assert_eq!(words(&fold(&s)), words(&s));
        }
    }
}
