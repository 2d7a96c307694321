//! A MISP feed as in-memory files the web layer can serve from a directory-like path:
//! `manifest.json` (each event's uuid → its summary: `Orgc`, `Tag`, `info`, `date`,
//! `analysis`, `threat_level_id`, `timestamp`), `hashes.csv` (one line per attribute value:
//! the MD5 of the value in hex, a comma, the event uuid; both halves of a composite value such
//! as `filename|sha256` separately) and one `<uuid>.json` per event holding `{"Event": …}`.
//! A feed is an automated channel, so an event or attribute tagged `tlp:red` is refused.

use super::MispProblem;
use super::event::{Event, Tag};
use irnet_domain::Tlp;
use md5::{Digest, Md5};
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedFile {
    /// Relative path: `manifest.json`, `hashes.csv` or `<uuid>.json`.
    pub path: String,
    pub media_type: &'static str,
    pub content: Vec<u8>,
}

/// The feed of these events, or why not (named `events[i]…`).
pub fn build_feed(events: &[Event]) -> Result<Vec<FeedFile>, Vec<MispProblem>> {
    let mut problems = Vec::new();
    let mut manifest = Map::new();
    let mut hashes = String::new();
    let mut files = Vec::new();
    for (n, e) in events.iter().enumerate() {
        let at = |p: &str| format!("events[{n}].{p}");
        let Some(uuid) = e
            .uuid
            .as_deref()
            .and_then(|u| uuid::Uuid::try_parse(u).ok())
        else {
            problems.push(MispProblem::new(at("uuid"), "required"));
            continue;
        };
        let uuid = uuid.hyphenated().to_string();
        if manifest.contains_key(&uuid) {
            problems.push(MispProblem::new(at("uuid"), "duplicate"));
            continue;
        }
        let red = |tags: &[Tag]| tags.iter().any(|t| Tlp::parse(&t.name) == Ok(Tlp::Red));
        if red(&e.tags) {
            problems.push(MispProblem::new(at("Tag"), "red_not_for_feeds"));
        }
        let attributes = e
            .attributes
            .iter()
            .enumerate()
            .map(|(i, a)| (format!("Attribute[{i}]"), a))
            .chain(e.objects.iter().enumerate().flat_map(|(o, obj)| {
                obj.attributes
                    .iter()
                    .enumerate()
                    .map(move |(i, a)| (format!("Object[{o}].Attribute[{i}]"), a))
            }));
        for (path, a) in attributes {
            if red(&a.tags) {
                problems.push(MispProblem::new(
                    at(&format!("{path}.Tag")),
                    "red_not_for_feeds",
                ));
            }
            for part in a.value.split('|') {
                hashes.push_str(&hex::encode(Md5::digest(part.as_bytes())));
                hashes.push(',');
                hashes.push_str(&uuid);
                hashes.push('\n');
            }
        }
        let summary = serde_json::to_value(e).unwrap_or(Value::Null);
        let mut entry = Map::new();
        for key in [
            "Orgc",
            "Tag",
            "info",
            "date",
            "analysis",
            "threat_level_id",
            "timestamp",
        ] {
            if let Some(v) = summary.get(key) {
                entry.insert(key.to_owned(), v.clone());
            }
        }
        manifest.insert(uuid.clone(), Value::Object(entry));
        files.push(FeedFile {
            path: format!("{uuid}.json"),
            media_type: "application/json",
            content: serde_json::to_vec(&e.to_json()).unwrap_or_default(),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    files.insert(
        0,
        FeedFile {
            path: "manifest.json".into(),
            media_type: "application/json",
            content: serde_json::to_vec(&json!(manifest)).unwrap_or_default(),
        },
    );
    files.insert(
        1,
        FeedFile {
            path: "hashes.csv".into(),
            media_type: "text/csv",
            content: hashes.into_bytes(),
        },
    );
    Ok(files)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::misp::export::samples;

    #[test]
    fn manifest_hashes_and_one_file_per_event() {
        let e = samples::event().unwrap();
        let files = build_feed(std::slice::from_ref(&e)).unwrap();
        let uuid = e.uuid.clone().unwrap();
        let paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["manifest.json", "hashes.csv", &format!("{uuid}.json")]
        );
        let manifest: Value = serde_json::from_slice(&files[0].content).unwrap();
        assert_eq!(manifest[&uuid]["info"], e.info.as_str());
        assert_eq!(manifest[&uuid]["Tag"][0]["name"], "tlp:amber+strict");
        let csv = String::from_utf8(files[1].content.clone()).unwrap();
        // md5("203.0.113.7"), computed independently with coreutils' md5sum
        assert!(
            csv.contains(&format!("68fecd3b63b272e813f600f1a4885e0c,{uuid}\n")),
            "{csv}"
        );
        assert_eq!(csv.lines().count(), e.attributes.len());
        let back = Event::parse(std::str::from_utf8(&files[2].content).unwrap()).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn md5_of_the_value() {
        let mut e = samples::event().unwrap();
        e.attributes.truncate(1);
        e.attributes[0].value = "abc".into();
        let files = build_feed(&[e]).unwrap();
        let csv = String::from_utf8(files[1].content.clone()).unwrap();
        // RFC 1321, A.5: MD5("abc")
        assert!(
            csv.starts_with("900150983cd24fb0d6963f7d28e17f72,"),
            "{csv}"
        );
    }

    #[test]
    fn red_and_anonymous_events_are_refused() {
        let mut e = samples::event().unwrap();
        e.attributes[1].tags = vec![Tag::named("tlp:red")];
        let mut nameless = e.clone();
        nameless.uuid = None;
        let p = build_feed(&[e, nameless]).unwrap_err();
        let found: Vec<_> = p.iter().map(|p| (p.path.as_str(), p.message_key)).collect();
        assert_eq!(
            found,
            [
                ("events[0].Attribute[1].Tag", "red_not_for_feeds"),
                ("events[1].uuid", "required")
            ]
        );
    }
}
