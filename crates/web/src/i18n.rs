//! Translations: Fluent files in `locales/{vi,en}/main.ftl`, compiled into the binary. Vietnamese is
//! the default and the fallback; a test keeps English complete.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use irnet_domain::Locale;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "vi",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The translator for one request's language, handed to templates.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub locale: Locale,
    /// the network's time zone, for showing instants
    pub offset: FixedOffset,
}

fn langid(locale: Locale) -> fluent_templates::LanguageIdentifier {
    match locale {
        Locale::En => fluent_templates::langid!("en"),
        Locale::Vi => fluent_templates::langid!("vi"),
    }
}

impl Tr {
    pub fn new(locale: Locale, offset: FixedOffset) -> Self {
        Self { locale, offset }
    }

    pub fn lang(&self) -> &'static str {
        self.locale.as_str()
    }

    pub fn t(&self, key: &str) -> String {
        LOCALES
            .try_lookup(&langid(self.locale), key)
            .unwrap_or_else(|| key.to_owned())
    }

    pub fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| (Cow::Owned((*k).to_owned()), FluentValue::from(v.clone())))
            .collect();
        LOCALES
            .try_lookup_with_args(&langid(self.locale), key, &map)
            .unwrap_or_else(|| key.to_owned())
    }

    /// A message chosen by a count (`{ $n -> [one] … *[other] … }`): the count goes in as a
    /// number, so that the plural rules of the language select the variant.
    pub fn t_count(&self, key: &str, n: i64) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> =
            HashMap::from([(Cow::Borrowed("n"), FluentValue::from(n))]);
        LOCALES
            .try_lookup_with_args(&langid(self.locale), key, &map)
            .unwrap_or_else(|| key.to_owned())
    }

    /// A name recorded in both languages, in the reader's (Vietnamese when there is no English one).
    pub fn localised<'a>(&self, vi: &'a str, en: Option<&'a str>) -> &'a str {
        match (self.locale, en) {
            (Locale::En, Some(en)) if !en.is_empty() => en,
            _ => vi,
        }
    }

    /// dd/mm/yyyy HH:MM in the network's time zone, as Vietnamese documents write it.
    pub fn datetime(&self, at: &DateTime<Utc>) -> String {
        at.with_timezone(&self.offset)
            .format("%d/%m/%Y %H:%M")
            .to_string()
    }

    pub fn datetime_opt(&self, at: &Option<DateTime<Utc>>) -> String {
        at.as_ref()
            .map(|a| self.datetime(a))
            .unwrap_or_else(|| "—".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(ftl: &str) -> BTreeSet<String> {
        ftl.lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && !l.starts_with('.'))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_owned()))
            .filter(|k| !k.is_empty())
            .collect()
    }

    #[test]
    fn english_and_vietnamese_have_the_same_messages() {
        let vi = keys(include_str!("../locales/vi/main.ftl"));
        let en = keys(include_str!("../locales/en/main.ftl"));
        let only_vi: Vec<_> = vi.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&vi).collect();
        assert!(
            only_vi.is_empty() && only_en.is_empty(),
            "only in vi: {only_vi:?}; only in en: {only_en:?}"
        );
    }

    #[test]
    fn every_message_used_in_templates_and_code_exists() {
        let vi = keys(include_str!("../locales/vi/main.ftl"));
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut missing = Vec::new();
        let mut sources = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            sources.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
        for text in &sources {
            for part in text.split("tr.t(\"").skip(1) {
                let key = part.split('"').next().unwrap_or_default();
                if !vi.contains(key) {
                    missing.push(key.to_owned());
                }
            }
        }
        assert!(
            missing.is_empty(),
            "messages used but not defined: {missing:?}"
        );
    }

    #[test]
    fn dates_show_in_vietnam_time_as_dd_mm_yyyy() {
        let tr = Tr::new(Locale::Vi, FixedOffset::east_opt(7 * 3600).unwrap());
        let at = DateTime::parse_from_rfc3339("2024-12-20T02:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(tr.datetime(&at), "20/12/2024 09:00");
        assert_eq!(Tr::new(Locale::En, tr.offset).t("nav-sign-in"), "Sign in");
        assert_eq!(tr.t("nav-sign-in"), "Đăng nhập");
    }
}
