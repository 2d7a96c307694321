//! Our indicators as one MISP event. Each observable is one attribute of the MISP type that
//! reads back as the same observable (`mapping::observables`); an opaque STIX pattern is a
//! `stix2-pattern` attribute. Attribute uuids are UUIDv5 of the indicator, its TLP and the value,
//! so exporting twice gives the same event and MISP updates instead of duplicating (a new TLP is
//! a new attribute: exports group events by TLP, and a MISP attribute uuid belongs to one event).

use super::MispProblem;
use super::event::{Attribute, Distribution, Event, Flag, Num, Org, Tag};
use crate::observable::{IndicatorValue, Observable};
use crate::stix::export::{ExportIndicator, ID_NAMESPACE, uuid_v5};
use chrono::{DateTime, NaiveDate, Utc};
use irnet_domain::Tlp;
use irnet_domain::incident::ObservableKind;
use std::collections::HashSet;
use uuid::Uuid;

/// The event around the indicators.
#[derive(Debug, Clone, PartialEq)]
pub struct EventMeta {
    pub uuid: Uuid,
    pub info: String,
    /// The creating organisation (`Orgc`).
    pub org_name: String,
    pub org_uuid: Uuid,
    pub date: NaiveDate,
    pub timestamp: DateTime<Utc>,
    /// MISP distribution 0–3 (4, a sharing group, is not offered: irnet's audiences are not
    /// MISP sharing groups).
    pub distribution: u8,
    /// 1 high, 2 medium, 3 low, 4 undefined.
    pub threat_level_id: u8,
    /// 0 initial, 1 ongoing, 2 completed.
    pub analysis: u8,
    pub published: bool,
}

/// The MISP tag of a TLP level.
pub fn tlp_tag(tlp: Tlp) -> Tag {
    Tag::named(format!("tlp:{}", tlp.as_str().to_ascii_lowercase()))
}

/// The MISP type and default category of an observable.
pub fn misp_type(o: &Observable) -> (&'static str, &'static str) {
    match o.kind() {
        ObservableKind::Ip | ObservableKind::Cidr => ("ip-dst", "Network activity"),
        ObservableKind::Domain => ("domain", "Network activity"),
        ObservableKind::Url => ("url", "Network activity"),
        ObservableKind::Md5 => ("md5", "Payload delivery"),
        ObservableKind::Sha1 => ("sha1", "Payload delivery"),
        ObservableKind::Sha256 => ("sha256", "Payload delivery"),
        ObservableKind::Email => ("email-src", "Payload delivery"),
    }
}

/// The MISP distribution that carries a TLP level to a subscriber: CLEAR to all communities (3),
/// GREEN to this community (1), AMBER, AMBER+STRICT and RED to the receiving organisation only (0).
pub fn distribution_for(tlp: Tlp) -> u8 {
    match tlp {
        Tlp::Clear => 3,
        Tlp::Green => 1,
        Tlp::Amber | Tlp::AmberStrict | Tlp::Red => 0,
    }
}

/// The event, or the problems of the meta data (named by field). Indicators whose id is in
/// `context_only` are written with `to_ids` false (context, not for detection), as are revoked
/// ones.
pub fn build_event(
    meta: &EventMeta,
    indicators: &[ExportIndicator],
    context_only: &HashSet<Uuid>,
) -> Result<Event, Vec<MispProblem>> {
    let mut problems = Vec::new();
    if meta.distribution > 3 {
        problems.push(MispProblem::new("distribution", "invalid_distribution"));
    }
    if !(1..=4).contains(&meta.threat_level_id) {
        problems.push(MispProblem::new("threat_level_id", "out_of_range"));
    }
    if meta.analysis > 2 {
        problems.push(MispProblem::new("analysis", "out_of_range"));
    }
    if meta.info.trim().is_empty() {
        problems.push(MispProblem::new("info", "required"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut attributes = Vec::new();
    for i in indicators {
        let comment = match &i.description {
            Some(d) if !d.is_empty() => format!("{}: {d}", i.name),
            _ => i.name.clone(),
        };
        let attribute = |type_name: &str, category: &str, value: String| Attribute {
            uuid: Some(
                uuid_v5(
                    ID_NAMESPACE,
                    format!(
                        "misp-attribute:{}:{}:{type_name}:{value}",
                        i.id,
                        i.tlp.as_str()
                    )
                    .as_bytes(),
                )
                .to_string(),
            ),
            type_name: type_name.to_owned(),
            category: Some(category.to_owned()),
            value,
            // A revoked indicator stays for the record but must not feed detection.
            to_ids: Flag(!i.revoked && !context_only.contains(&i.id)),
            comment: Some(comment.clone()),
            timestamp: Some(Num(i.modified.timestamp())),
            // 5: as the event.
            distribution: Distribution::level(5),
            object_relation: None,
            deleted: Flag(false),
            tags: vec![tlp_tag(i.tlp)],
        };
        match &i.value {
            IndicatorValue::Observables(list) => {
                for o in list {
                    let (t, c) = misp_type(o);
                    attributes.push(attribute(t, c, o.value().to_owned()));
                }
            }
            IndicatorValue::StixPattern(p) => attributes.push(attribute(
                "stix2-pattern",
                "Payload installation",
                p.clone(),
            )),
        }
    }
    let event_tlp = indicators.iter().map(|i| i.tlp).max();
    let org = Org {
        name: meta.org_name.clone(),
        uuid: Some(meta.org_uuid.to_string()),
    };
    Ok(Event {
        uuid: Some(meta.uuid.to_string()),
        info: meta.info.clone(),
        date: Some(meta.date.format("%Y-%m-%d").to_string()),
        threat_level_id: Some(Num(meta.threat_level_id.into())),
        analysis: Some(Num(meta.analysis.into())),
        distribution: Distribution::level(meta.distribution),
        published: Some(Flag(meta.published)),
        timestamp: Some(Num(meta.timestamp.timestamp())),
        orgc: Some(org.clone()),
        org: Some(org),
        tags: event_tlp.map(tlp_tag).into_iter().collect(),
        attributes,
        objects: Vec::new(),
    })
}

/// Example events, for the tests and for `examples/misp_examples.rs` (checked with PyMISP).
pub mod samples {
    use super::*;

    /// The STIX example's indicators as one event of the same organisation.
    pub fn event() -> Result<Event, Vec<MispProblem>> {
        let input = crate::stix::export::samples::example();
        let t = input
            .identities
            .first()
            .map_or(DateTime::UNIX_EPOCH, |o| o.created);
        let meta = EventMeta {
            uuid: Uuid::from_u128(0x5e0e_0000_0000_4000_8000_0000_0000_0001),
            info: "Chiến dịch lừa đảo — C2 servers".into(),
            org_name: input
                .identities
                .first()
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            org_uuid: input.identities.first().map_or(Uuid::nil(), |o| o.id),
            date: t.date_naive(),
            timestamp: t,
            distribution: 1,
            threat_level_id: 2,
            analysis: 1,
            published: true,
        };
        build_event(&meta, &input.indicators, &HashSet::new())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::misp::mapping::import_event;

    #[test]
    fn an_export_imports_back_to_the_same_values() {
        let e = samples::event().unwrap();
        assert_eq!(e, samples::event().unwrap());
        assert_eq!(e.tags, [Tag::named("tlp:amber+strict")]);
        let text = serde_json::to_string(&e.to_json()).unwrap();
        let back = import_event(&Event::parse(&text).unwrap()).unwrap();
        let input = crate::stix::export::samples::example();
        let mut sent: Vec<Observable> = input
            .indicators
            .iter()
            .flat_map(|i| match &i.value {
                IndicatorValue::Observables(l) => l.clone(),
                IndicatorValue::StixPattern(_) => vec![],
            })
            .collect();
        let mut got: Vec<Observable> = back
            .indicators
            .iter()
            .flat_map(|i| i.observables.clone())
            .collect();
        sent.sort();
        got.sort();
        assert_eq!(sent, got);
        assert_eq!(
            back.skipped.len(),
            1,
            "the opaque pattern is not an observable"
        );
        assert_eq!(back.skipped[0].misp_type, "stix2-pattern");
        assert_eq!(back.tlp, Some(Tlp::AmberStrict));
        let green = back
            .indicators
            .iter()
            .find(|i| i.misp_type == "ip-dst")
            .unwrap();
        assert_eq!(
            green.tlp,
            Some(Tlp::AmberStrict),
            "the event's tag is the floor"
        );
    }

    #[test]
    fn bad_meta_is_named() {
        let mut meta = EventMeta {
            uuid: Uuid::nil(),
            info: " ".into(),
            org_name: "x".into(),
            org_uuid: Uuid::nil(),
            date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            timestamp: DateTime::UNIX_EPOCH,
            distribution: 4,
            threat_level_id: 0,
            analysis: 3,
            published: false,
        };
        let keys: Vec<_> = build_event(&meta, &[], &HashSet::new())
            .unwrap_err()
            .into_iter()
            .map(|p| p.path)
            .collect();
        assert_eq!(
            keys,
            ["distribution", "threat_level_id", "analysis", "info"]
        );
        meta.distribution = 0;
        meta.threat_level_id = 4;
        meta.analysis = 0;
        meta.info = "ok".into();
        assert!(
            build_event(&meta, &[], &HashSet::new())
                .unwrap()
                .tags
                .is_empty()
        );
    }
}
