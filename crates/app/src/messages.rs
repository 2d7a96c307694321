//! Texts irnet sends outside its pages (email), in the recipient's language. They live in
//! `app/locales/{vi,en}/messages.ftl`, apart from the web's strings, because the jobs that send
//! them run below the web layer.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use irnet_domain::Locale;

static_loader! {
    static MESSAGES = {
        locales: "./locales",
        fallback_language: "vi",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

fn langid(locale: Locale) -> fluent_templates::LanguageIdentifier {
    match locale {
        Locale::En => fluent_templates::langid!("en"),
        Locale::Vi => fluent_templates::langid!("vi"),
    }
}

pub fn text(locale: Locale, key: &str) -> String {
    MESSAGES
        .try_lookup(&langid(locale), key)
        .unwrap_or_else(|| key.to_owned())
}

pub fn text_args(locale: Locale, key: &str, args: &[(&str, String)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(k, v)| (Cow::Owned((*k).to_owned()), FluentValue::from(v.clone())))
        .collect();
    MESSAGES
        .try_lookup_with_args(&langid(locale), key, &map)
        .unwrap_or_else(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    fn keys(lang: &str) -> BTreeSet<String> {
        let path = format!("{}/locales/{lang}/messages.ftl", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_owned()))
            .collect()
    }

    #[test]
    fn english_has_every_vietnamese_message_and_no_other() {
        let (vi, en) = (keys("vi"), keys("en"));
        assert!(!vi.is_empty());
        assert_eq!(vi, en);
    }

    #[test]
    fn messages_render_in_both_languages_with_their_arguments() {
        use irnet_domain::Locale;
        let args = [("org", "Sở KH&CN Cao Bằng".to_owned())];
        let vi = super::text_args(Locale::Vi, "focal-subject", &args);
        let en = super::text_args(Locale::En, "focal-subject", &args);
        assert!(vi.contains("đầu mối") && vi.contains("Cao Bằng"), "{vi}");
        assert!(
            en.contains("focal points") && en.contains("Cao Bằng"),
            "{en}"
        );
    }
}
