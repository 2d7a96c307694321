//! Vietnamese text: normalisation, accent-insensitive folding for search, and collation
//! for sorting names. Vietnamese stacks up to two diacritics on a letter, some keyboards
//! and systems send decomposed (NFD) text, and tone placement varies even in NFC
//! ("hòa"/"hoà"), so neither byte comparison nor code-point order is good enough.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Canonical composition (NFC), the form every stored text is kept in.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Folds text for accent-insensitive search: NFC, lowercase, strip every combining mark,
/// map đ to d (it is a letter of its own, with no decomposition to strip), collapse
/// whitespace. "Đồng  Nai" and "dong nai" fold equal; so do "hòa" and "hoà".
///
/// What remains is recomposed, so scripts whose letters combine without marks (Hangul
/// jamo) come back as the syllables they started as.
pub fn fold(s: &str) -> String {
    let lowered = nfc(s).to_lowercase();
    let stripped: String = lowered
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if matches!(c, 'đ' | 'Đ') { 'd' } else { c })
        .collect();
    let recomposed: String = stripped.nfc().collect();
    recomposed.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---- collation ----------------------------------------------------------------------
//
// The key is a flat `Vec<u32>` holding four levels one after another, each ended by
// `LEVEL_END`, which is lower than every weight, so plain `Vec` comparison compares
// level by level and a shorter text sorts before its extensions:
//
//   1. primary   — letters in Vietnamese alphabet order (a ă â b c d đ e ê … o ô ơ … u ư
//                  …), digits before letters, punctuation before digits, other scripts
//                  after Latin; whitespace runs count as one low separator.
//   2. secondary — tones (none < grave < hook < tilde < acute < dot below), then other
//                  accents, gathered per word: Vietnamese carries one tone per syllable,
//                  so "hòa" and "hoà" (same tone, placed differently) tie here.
//   3. tertiary  — case, lowercase first.
//   4. the NFC code points, so that only canonically equal texts get equal keys and a
//      sort by key is total and stable across runs and databases.

const LEVEL_END: u32 = 0;

const PRIMARY_SPACE: u32 = 1;
const PRIMARY_ASCII_SYMBOL: u32 = 0x10; // + code point (< 0x80)
const PRIMARY_DIGIT: u32 = 0x100; // + digit value
const PRIMARY_LETTER: u32 = 0x200; // + position in VI_ALPHABET
const PRIMARY_OTHER: u32 = 0x1000; // + code point

/// The Latin alphabet as Vietnamese orders it; f, j, w, z appear in loanwords and
/// foreign names and keep their Latin places.
const VI_ALPHABET: [char; 33] = [
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
];

const SECONDARY_WORD_END: u32 = 1;
const SECONDARY_OTHER_MARK: u32 = 0x100; // + code point of the mark

const TERTIARY_LOWER: u32 = 1;
const TERTIARY_UPPER: u32 = 2;

const BREVE: char = '\u{0306}';
const CIRCUMFLEX: char = '\u{0302}';
const HORN: char = '\u{031B}';

/// One base character with the combining marks that follow it.
struct Cluster {
    base: Option<char>,
    upper: bool,
    marks: Vec<char>,
}

/// Splits text into lowercase, fully decomposed clusters, remembering each one's case.
fn clusters(s: &str) -> Vec<Cluster> {
    let mut out: Vec<Cluster> = Vec::new();
    for c in s.nfc() {
        let upper = c.is_uppercase();
        for lower in c.to_lowercase() {
            decompose_canonical(lower, |d| {
                if is_combining_mark(d) {
                    match out.last_mut() {
                        Some(cluster) => cluster.marks.push(d),
                        None => out.push(Cluster {
                            base: None,
                            upper,
                            marks: vec![d],
                        }),
                    }
                } else {
                    out.push(Cluster {
                        base: Some(d),
                        upper,
                        marks: Vec::new(),
                    });
                }
            });
        }
    }
    out
}

/// The letter a breve, circumflex or horn turns a base into, when Vietnamese has one.
fn vietnamese_letter(base: char, mark: char) -> Option<char> {
    match (base, mark) {
        ('a', BREVE) => Some('ă'),
        ('a', CIRCUMFLEX) => Some('â'),
        ('e', CIRCUMFLEX) => Some('ê'),
        ('o', CIRCUMFLEX) => Some('ô'),
        ('o', HORN) => Some('ơ'),
        ('u', HORN) => Some('ư'),
        _ => None,
    }
}

fn tone_weight(mark: char) -> u32 {
    match mark {
        '\u{0300}' => 2, // huyền (grave)
        '\u{0309}' => 3, // hỏi (hook above)
        '\u{0303}' => 4, // ngã (tilde)
        '\u{0301}' => 5, // sắc (acute)
        '\u{0323}' => 6, // nặng (dot below)
        other => SECONDARY_OTHER_MARK + u32::from(other),
    }
}

/// Primary weight of a cluster, and the marks left over for the secondary level.
fn primary(base: char, marks: &[char]) -> (u32, Vec<char>) {
    let mut letter = base;
    let mut rest = Vec::with_capacity(marks.len());
    for &m in marks {
        match vietnamese_letter(letter, m) {
            Some(modified) if letter == base => letter = modified,
            _ => rest.push(m),
        }
    }
    let weight = if let Some(pos) = VI_ALPHABET.iter().position(|&l| l == letter) {
        PRIMARY_LETTER + pos as u32
    } else if letter.is_ascii_digit() {
        PRIMARY_DIGIT + (u32::from(letter) - u32::from('0'))
    } else if letter.is_ascii() {
        PRIMARY_ASCII_SYMBOL + u32::from(letter)
    } else {
        PRIMARY_OTHER + u32::from(letter)
    };
    (weight, rest)
}

/// Sort key implementing Vietnamese collation; compare keys with `Ord` (see the level
/// layout above). "An" < "Ăn" < "Ân" < "Bình" < "Dũng" < "Đức".
pub fn vi_sort_key(s: &str) -> Vec<u32> {
    let mut primaries = Vec::new();
    let mut secondaries = Vec::new();
    let mut tertiaries = Vec::new();
    let mut word_marks: Vec<u32> = Vec::new();
    let mut in_word = false;
    let mut pending_space = false;

    for cluster in clusters(s) {
        let Some(base) = cluster.base else {
            // A mark with nothing before it: keep it, on the secondary level.
            word_marks.extend(cluster.marks.iter().map(|&m| tone_weight(m)));
            continue;
        };
        if !base.is_alphanumeric() && in_word {
            secondaries.append(&mut word_marks);
            secondaries.push(SECONDARY_WORD_END);
            in_word = false;
        }
        if base.is_whitespace() {
            // Leading and trailing whitespace is ignored, runs count once.
            pending_space = !primaries.is_empty();
            continue;
        }
        if pending_space {
            primaries.push(PRIMARY_SPACE);
            pending_space = false;
        }
        let (weight, rest) = primary(base, &cluster.marks);
        primaries.push(weight);
        word_marks.extend(rest.iter().map(|&m| tone_weight(m)));
        tertiaries.push(if cluster.upper {
            TERTIARY_UPPER
        } else {
            TERTIARY_LOWER
        });
        in_word |= base.is_alphanumeric();
    }
    secondaries.append(&mut word_marks);
    if in_word {
        secondaries.push(SECONDARY_WORD_END);
    }

    let mut key = primaries;
    key.push(LEVEL_END);
    key.append(&mut secondaries);
    key.push(LEVEL_END);
    key.append(&mut tertiaries);
    key.push(LEVEL_END);
    key.extend(s.nfc().map(u32::from));
    key
}

/// Vietnamese people are listed by given name, which comes last ("Nguyễn Văn An" files
/// under A); the full name breaks ties between people who share a given name.
pub fn given_name_sort_key(full_name: &str) -> (Vec<u32>, Vec<u32>) {
    let given = full_name.split_whitespace().last().unwrap_or("");
    (vi_sort_key(given), vi_sort_key(full_name))
}

/// The addresses mentioned as `@name@example.vn` in a text, lower case, in order, once each.
/// Punctuation after an address (`@a@b.vn,`) is not part of it.
pub fn mentions(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let Some(addr) = word.strip_prefix('@') else {
            continue;
        };
        let addr = addr
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if addr.contains('@') && !out.contains(&addr) {
            out.push(addr);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn nfd(s: &str) -> String {
        s.nfd().collect()
    }

    fn vi_sorted(items: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        v.sort_by_key(|s| vi_sort_key(s));
        v
    }

    #[test]
    fn nfc_composes_decomposed_input() {
        assert_eq!(nfc("Vie\u{0323}\u{0302}t Nam"), "Việt Nam");
    }

    #[test]
    fn fold_examples() {
        assert_eq!(fold("Bắc Kạn"), "bac kan");
        assert_eq!(fold("Đồng Nai"), "dong nai");
        assert_eq!(fold("  ĐÀ   NẴNG\t"), "da nang");
        assert_eq!(fold("hòa"), fold("hoà"));
        assert_eq!(fold("hòa"), "hoa");
        assert_eq!(fold(&nfd("Thừa Thiên Huế")), "thua thien hue");
        assert_eq!(fold("Sở Khoa học và Công nghệ"), "so khoa hoc va cong nghe");
        assert_eq!(fold("38/QĐ-CATTT"), "38/qd-cattt");
        assert_eq!(fold("한국"), "한국");
    }

    #[test]
    fn sorts_by_vietnamese_alphabet() {
        assert_eq!(
            vi_sorted(&["Đức", "Dũng", "An", "Ân", "Ăn", "Bình"]),
            ["An", "Ăn", "Ân", "Bình", "Dũng", "Đức"]
        );
        assert_eq!(
            vi_sorted(&["ư", "u", "ơ", "ô", "o", "ê", "e", "z", "y", "đ", "d"]),
            ["d", "đ", "e", "ê", "o", "ô", "ơ", "u", "ư", "y", "z"]
        );
    }

    #[test]
    fn tones_are_secondary_in_traditional_order() {
        assert_eq!(
            vi_sorted(&["mạ", "má", "mã", "mả", "mà", "ma"]),
            ["ma", "mà", "mả", "mã", "má", "mạ"]
        );
        // A tone never outweighs a letter.
        assert_eq!(vi_sorted(&["mb", "mạ"]), ["mạ", "mb"]);
        // Nor does a letter modifier weigh less than a tone on a lower letter.
        assert_eq!(vi_sorted(&["ă", "ạ"]), ["ạ", "ă"]);
    }

    #[test]
    fn case_is_tertiary() {
        assert_eq!(
            vi_sorted(&["An", "an", "àn", "Àn"]),
            ["an", "An", "àn", "Àn"]
        );
        assert_eq!(vi_sorted(&["Ab", "aa"]), ["aa", "Ab"]);
    }

    #[test]
    fn prefixes_and_spaces() {
        assert_eq!(
            vi_sorted(&["Anh", "An Bình", "An", "  An  "]),
            ["  An  ", "An", "An Bình", "Anh"]
        );
        assert!(vi_sort_key("1") < vi_sort_key("a"));
        assert!(vi_sort_key("-") < vi_sort_key("1"));
        assert!(vi_sort_key("z") < vi_sort_key("ß"));
    }

    #[test]
    fn tone_placement_variants_tie_until_the_last_level() {
        let (a, b) = (vi_sort_key("hòa"), vi_sort_key("hoà"));
        assert_ne!(a, b);
        let first_three_levels = |k: &Vec<u32>| {
            k.iter()
                .enumerate()
                .filter(|&(_, &w)| w == LEVEL_END)
                .nth(2)
                .map(|(i, _)| k[..i].to_vec())
        };
        assert_eq!(first_three_levels(&a), first_three_levels(&b));
        assert!(vi_sort_key("hoa") < a && a < vi_sort_key("hóa"));
    }

    #[test]
    fn decomposed_input_gets_the_same_key() {
        for s in ["Nguyễn Thị Ặng", "Đặng Hữu Phước", "ự"] {
            assert_eq!(vi_sort_key(&nfd(s)), vi_sort_key(s), "{s}");
        }
    }

    #[test]
    fn people_sort_by_given_name_then_full_name() {
        let mut people = vec![
            "Trần Thị Bình",
            "Nguyễn Văn An",
            "Lê Ân",
            "Lê An",
            "Phạm Đức",
        ];
        people.sort_by_key(|p| given_name_sort_key(p));
        assert_eq!(
            people,
            [
                "Lê An",
                "Nguyễn Văn An",
                "Lê Ân",
                "Trần Thị Bình",
                "Phạm Đức"
            ]
        );
        assert_eq!(given_name_sort_key("").0, vi_sort_key(""));
    }

    fn vietnamese_text() -> impl Strategy<Value = String> {
        "[a-zA-Z ăâđêôơưĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵÀÁẠỲ \\t\\n]{0,24}"
    }

    /// Letters with tones but without breve, circumflex, horn or đ.
    fn tone_only_text() -> impl Strategy<Value = String> {
        "[a-zA-Z àảãáạèẻẽéẹìỉĩíịòỏõóọùủũúụỳỷỹýỵÀÁẠỲÕỌ\t]{0,16}"
    }

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![vietnamese_text(), "\\PC{0,24}", any::<String>()]
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(s in any_text()) {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once);
        }

        #[test]
        fn fold_ignores_decomposition(s in any_text()) {
            prop_assert_eq!(fold(&nfd(&s)), fold(&s));
        }

        #[test]
        fn fold_leaves_no_marks_and_no_d_bar(s in any_text()) {
            let folded = fold(&s);
            prop_assert!(!folded.chars().any(is_combining_mark));
            prop_assert!(!folded.contains(['đ', 'Đ']));
            prop_assert!(!folded.starts_with(' ') && !folded.ends_with(' ') && !folded.contains("  "));
        }

        #[test]
        fn sort_key_depends_only_on_the_nfc_form(a in any_text(), b in any_text()) {
            prop_assert_eq!(vi_sort_key(&nfd(&a)), vi_sort_key(&a));
            prop_assert_eq!(vi_sort_key(&a) == vi_sort_key(&b), nfc(&a) == nfc(&b));
        }

        #[test]
        fn tones_and_case_never_outweigh_letters(a in tone_only_text(), b in tone_only_text()) {
            // Without đ or modified vowels, the primary level is exactly the folded
            // text, so the folded texts, when different, decide the order.
            let (fa, fb) = (fold(&a), fold(&b));
            prop_assume!(fa != fb);
            prop_assert_eq!(vi_sort_key(&a).cmp(&vi_sort_key(&b)), vi_sort_key(&fa).cmp(&vi_sort_key(&fb)));
        }
    }

    #[test]
    fn mentions_are_addresses_after_an_at_sign() {
        assert_eq!(
            mentions("@UngCuu.LangSon@demo.irnet.vn, xem giúp; @ai và a@b.vn @x@y.vn @x@y.vn."),
            vec![
                "ungcuu.langson@demo.irnet.vn".to_owned(),
                "x@y.vn".to_owned()
            ]
        );
    }
}
