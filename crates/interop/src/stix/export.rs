//! Building an export bundle from plain values (the app layer has already chosen what the
//! principal may see). Ids are UUIDv5 of our own ids, so exporting the same records twice gives
//! the same STIX ids and the receiver updates instead of duplicating. Every object carries
//! `created_by_ref` to its source organisation's identity and the TLP 2.0 marking of its level;
//! the marking definitions used are included, so the bundle is complete (`--enforce-refs`).

use super::id::{StixId, TypeName};
use super::markings::{TLP2_EXTENSION_ID, tlp2_extension_value, tlp2_marking_id};
use super::pattern;
use super::problem::{Problem, keys};
use super::timestamp::Timestamp;
use crate::observable::IndicatorValue;
use chrono::{DateTime, Utc};
use irnet_domain::Tlp;
use serde_json::{Map, Value, json};
use sha1::{Digest, Sha1};
use std::collections::{BTreeSet, HashSet};
use uuid::Uuid;

/// The UUIDv5 namespace of irnet's STIX ids. Never change it: it would change every id we have
/// ever exported.
pub const ID_NAMESPACE: Uuid = Uuid::from_u128(0x68f8d6bc_02ed_4815_ae86_a1f5477b8990);

/// When the OASIS TLP 2.0 marking definitions were created (as published).
const TLP2_CREATED: &str = "2022-10-01T00:00:00.000Z";

/// UUIDv5 (RFC 9562, 5.5) of `name` in `namespace`. Written here with the `sha1` crate the
/// workspace already has, rather than enabling `uuid`'s `v5` feature, which brings another.
pub fn uuid_v5(namespace: Uuid, name: &[u8]) -> Uuid {
    let mut h = Sha1::new();
    h.update(namespace.as_bytes());
    h.update(name);
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_sha1_bytes(bytes).into_uuid()
}

/// The STIX id of one of our records: `type--uuidv5(namespace, "type:our-id")`.
pub fn stix_id(type_name: &str, ours: Uuid) -> String {
    let uuid = uuid_v5(
        ID_NAMESPACE,
        format!("{type_name}:{}", ours.hyphenated()).as_bytes(),
    );
    match TypeName::parse(type_name) {
        Some(t) => StixId::new(t, uuid).to_string(),
        None => format!("{type_name}--{uuid}"),
    }
}

/// An organisation (the source of indicators and reports).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportIdentity {
    pub id: Uuid,
    pub name: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportIndicator {
    pub id: Uuid,
    /// The identity (organisation) that produced it; must be among the export's identities.
    pub source: Uuid,
    pub tlp: Tlp,
    pub name: String,
    pub description: Option<String>,
    pub value: IndicatorValue,
    /// STIX `indicator-type-ov` values, e.g. `malicious-activity`.
    pub indicator_types: Vec<String>,
    pub confidence: Option<u8>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    pub revoked: bool,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportReport {
    pub id: Uuid,
    pub source: Uuid,
    pub tlp: Tlp,
    pub name: String,
    pub description: Option<String>,
    /// STIX `report-type-ov` values, e.g. `threat-report`.
    pub report_types: Vec<String>,
    pub published: DateTime<Utc>,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    /// Indicators of this export the report is about (at least one).
    pub indicators: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportInput {
    pub identities: Vec<ExportIdentity>,
    pub indicators: Vec<ExportIndicator>,
    pub reports: Vec<ExportReport>,
}

/// The bundle, or the problems of the input (named by the STIX id each record would get), e.g.
/// an indicator whose source is not among the identities.
pub fn build_bundle(input: &ExportInput) -> Result<Value, Vec<Problem>> {
    let mut problems = Vec::new();
    let identities: HashSet<Uuid> = input.identities.iter().map(|i| i.id).collect();
    let exported: HashSet<Uuid> = input.indicators.iter().map(|i| i.id).collect();
    let mut levels = BTreeSet::new();
    let mut objects = Vec::new();

    for i in &input.identities {
        let id = stix_id("identity", i.id);
        check_times(&mut problems, &id, i.created, i.modified);
        objects.push(json!({
            "type": "identity",
            "spec_version": "2.1",
            "id": id,
            "created": ts(i.created),
            "modified": ts(i.modified),
            "name": i.name,
            "identity_class": "organization",
        }));
    }
    for i in &input.indicators {
        if !identities.contains(&i.source) {
            let id = stix_id("indicator", i.id);
            problems.push(Problem::new(&id, "created_by_ref", keys::UNRESOLVED_REF));
        }
        levels.insert(i.tlp);
        match indicator_object(i) {
            Ok(o) => objects.push(o),
            Err(p) => problems.extend(p),
        }
    }
    for r in &input.reports {
        let id = stix_id("report", r.id);
        check_times(&mut problems, &id, r.created, r.modified);
        if !identities.contains(&r.source) {
            problems.push(Problem::new(&id, "created_by_ref", keys::UNRESOLVED_REF));
        }
        if r.indicators.is_empty() {
            problems.push(Problem::new(&id, "object_refs", keys::EMPTY_LIST));
        }
        for (n, ind) in r.indicators.iter().enumerate() {
            if !exported.contains(ind) {
                problems.push(Problem::new(
                    &id,
                    format!("object_refs[{n}]"),
                    keys::UNRESOLVED_REF,
                ));
            }
        }
        levels.insert(r.tlp);
        let mut o = common("report", &id, r.created, r.modified, r.source, r.tlp);
        o.insert("name".into(), json!(r.name));
        if let Some(d) = &r.description {
            o.insert("description".into(), json!(d));
        }
        if !r.report_types.is_empty() {
            o.insert("report_types".into(), json!(r.report_types));
        }
        o.insert("published".into(), json!(ts(r.published)));
        let refs: Vec<String> = r
            .indicators
            .iter()
            .map(|i| stix_id("indicator", *i))
            .collect();
        o.insert("object_refs".into(), json!(refs));
        objects.push(Value::Object(o));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    objects.extend(levels.into_iter().map(tlp2_marking_definition));
    // A stable order and a bundle id derived from the content: the same export, byte for byte.
    objects.sort_by_key(key);
    let fingerprint: String = objects
        .iter()
        .map(|o| format!("{}@{}\n", key(o).0, key(o).1))
        .collect();
    let bundle_id = format!("bundle--{}", uuid_v5(ID_NAMESPACE, fingerprint.as_bytes()));
    Ok(json!({"type": "bundle", "id": bundle_id, "objects": objects}))
}

/// One indicator as a STIX 2.1 object (its source identity and marking definition are the
/// caller's to include), or the problems of its values. Served alone by TAXII.
pub fn indicator_object(i: &ExportIndicator) -> Result<Value, Vec<Problem>> {
    let mut problems = Vec::new();
    let id = stix_id("indicator", i.id);
    check_times(&mut problems, &id, i.created, i.modified);
    if i.valid_until.is_some_and(|u| u <= i.valid_from) {
        problems.push(Problem::new(&id, "valid_until", keys::NOT_AFTER_VALID_FROM));
    }
    if i.confidence.is_some_and(|c| c > 100) {
        problems.push(Problem::new(&id, "confidence", keys::OUT_OF_RANGE));
    }
    let pattern = match &i.value {
        IndicatorValue::Observables(list) if list.is_empty() => {
            problems.push(Problem::new(&id, "pattern", keys::REQUIRED));
            String::new()
        }
        // Sorted, so the same values in another order give the same pattern.
        IndicatorValue::Observables(_) => match i.value.clone().normalised() {
            IndicatorValue::Observables(sorted) => pattern::to_pattern(&sorted),
            IndicatorValue::StixPattern(p) => p,
        },
        IndicatorValue::StixPattern(p) => {
            if !pattern::well_formed(p) {
                problems.push(Problem::new(&id, "pattern", keys::INVALID_PATTERN));
            }
            p.clone()
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut o = common("indicator", &id, i.created, i.modified, i.source, i.tlp);
    o.insert("name".into(), json!(i.name));
    if let Some(d) = &i.description {
        o.insert("description".into(), json!(d));
    }
    if !i.indicator_types.is_empty() {
        o.insert("indicator_types".into(), json!(i.indicator_types));
    }
    o.insert("pattern".into(), json!(pattern));
    o.insert("pattern_type".into(), json!("stix"));
    o.insert("pattern_version".into(), json!("2.1"));
    o.insert("valid_from".into(), json!(ts(i.valid_from)));
    if let Some(u) = i.valid_until {
        o.insert("valid_until".into(), json!(ts(u)));
    }
    if let Some(c) = i.confidence {
        o.insert("confidence".into(), json!(c));
    }
    if i.revoked {
        o.insert("revoked".into(), json!(true));
    }
    Ok(Value::Object(o))
}

/// One of the OASIS TLP 2.0 marking definitions, as published.
pub fn tlp2_marking_definition(tlp: Tlp) -> Value {
    json!({
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": tlp2_marking_id(tlp),
        "created": TLP2_CREATED,
        "name": format!("TLP:{}", tlp.as_str()),
        "extensions": {
            TLP2_EXTENSION_ID: {
                "extension_type": "property-extension",
                "tlp_2_0": tlp2_extension_value(tlp),
            }
        }
    })
}

fn common(
    type_name: &str,
    id: &str,
    created: DateTime<Utc>,
    modified: DateTime<Utc>,
    source: Uuid,
    tlp: Tlp,
) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("type".into(), json!(type_name));
    o.insert("spec_version".into(), json!("2.1"));
    o.insert("id".into(), json!(id));
    o.insert("created_by_ref".into(), json!(stix_id("identity", source)));
    o.insert("created".into(), json!(ts(created)));
    o.insert("modified".into(), json!(ts(modified)));
    o.insert("object_marking_refs".into(), json!([tlp2_marking_id(tlp)]));
    o
}

fn check_times(
    problems: &mut Vec<Problem>,
    id: &str,
    created: DateTime<Utc>,
    modified: DateTime<Utc>,
) {
    // Compared at the precision written, so a bundle never says modified < created after rounding.
    if ts(modified) < ts(created) {
        problems.push(Problem::new(id, "modified", keys::MODIFIED_BEFORE_CREATED));
    }
}

fn ts(t: DateTime<Utc>) -> String {
    Timestamp::from_utc(t).to_stix()
}

fn key(o: &Value) -> (String, String) {
    let s = |k: &str| {
        o.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let version = if o.get("modified").is_some() {
        s("modified")
    } else {
        s("created")
    };
    (s("id"), version)
}

/// Example exports, for the tests here and for `examples/stix_examples.rs`, which writes them
/// to files so the OASIS validator can check them (`tests/interop` in the repository root).
pub mod samples {
    use super::*;
    use crate::Observable;
    use chrono::TimeZone;
    use irnet_domain::incident::ObservableKind;

    /// One organisation, three indicators (typed values at GREEN and AMBER+STRICT, an opaque
    /// pattern at CLEAR) and a report at AMBER about two of them.
    #[allow(clippy::unwrap_used, clippy::expect_used)]
    pub fn example() -> ExportInput {
        let t = Utc.with_ymd_and_hms(2025, 3, 1, 8, 30, 0).unwrap();
        let org = Uuid::from_u128(1);
        let ind = |n: u128, tlp: Tlp, value: IndicatorValue| ExportIndicator {
            id: Uuid::from_u128(100 + n),
            source: org,
            tlp,
            name: format!("Indicator {n}"),
            description: Some("Máy chủ điều khiển".into()),
            value,
            indicator_types: vec!["malicious-activity".into()],
            confidence: Some(70),
            valid_from: t,
            valid_until: Some(t + chrono::Duration::days(90)),
            revoked: false,
            created: t,
            modified: t + chrono::Duration::microseconds(1500),
        };
        ExportInput {
            identities: vec![ExportIdentity {
                id: org,
                name: "Sở KH&CN Cao Bằng".into(),
                created: t,
                modified: t,
            }],
            indicators: vec![
                ind(
                    1,
                    Tlp::Green,
                    IndicatorValue::Observables(vec![
                        Observable::ip_or_cidr("203.0.113.7").unwrap(),
                        Observable::parse(ObservableKind::Domain, "c2.example").unwrap(),
                    ]),
                ),
                ind(
                    2,
                    Tlp::AmberStrict,
                    IndicatorValue::single(
                        Observable::parse(ObservableKind::Sha256, &"a".repeat(64)).unwrap(),
                    ),
                ),
                ind(
                    3,
                    Tlp::Clear,
                    IndicatorValue::StixPattern("[file:name = 'x.exe']".into()),
                ),
            ],
            reports: vec![ExportReport {
                id: Uuid::from_u128(200),
                source: org,
                tlp: Tlp::Amber,
                name: "Chiến dịch".into(),
                description: None,
                report_types: vec!["threat-report".into()],
                published: t,
                created: t,
                modified: t,
                indicators: vec![Uuid::from_u128(101), Uuid::from_u128(102)],
            }],
        }
    }

    /// Every example bundle with a file name: the full example, and each indicator alone.
    pub fn bundles() -> Vec<(String, Result<Value, Vec<Problem>>)> {
        let full = example();
        let mut out = vec![("irnet-example-full.json".to_owned(), build_bundle(&full))];
        for (n, i) in full.indicators.iter().enumerate() {
            let one = ExportInput {
                identities: full.identities.clone(),
                indicators: vec![i.clone()],
                reports: vec![],
            };
            out.push((
                format!("irnet-example-indicator-{}.json", n + 1),
                build_bundle(&one),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::samples::example;
    use super::*;
    use crate::stix::{Bundle, ParseOptions, import::import_bundle};

    #[test]
    fn ids_are_stable_uuid_v5() {
        let a = stix_id("indicator", Uuid::from_u128(7));
        assert_eq!(a, stix_id("indicator", Uuid::from_u128(7)));
        assert_ne!(a, stix_id("report", Uuid::from_u128(7)));
        let u = StixId::parse(&a).unwrap().uuid();
        assert_eq!(u.get_version_num(), 5);
        // RFC 9562 appendix A.4's example: "www.example.com" in the DNS namespace.
        let dns = Uuid::from_u128(0x6ba7b810_9dad_11d1_80b4_00c04fd430c8);
        assert_eq!(
            uuid_v5(dns, b"www.example.com").to_string(),
            "2ed6657d-e927-568b-95e1-2665a8aea6a2"
        );
    }

    #[test]
    fn the_export_is_a_valid_complete_bundle_and_is_stable() {
        let b = build_bundle(&example()).unwrap();
        assert_eq!(b, build_bundle(&example()).unwrap());
        let text = b.to_string();
        let parsed = Bundle::parse(&text, ParseOptions { enforce_refs: true }).unwrap();
        assert_eq!(parsed.of_type("marking-definition").count(), 4);
        let back = import_bundle(&text).unwrap();
        assert_eq!(back.indicators.len(), 3);
        let tlps: Vec<_> = back.indicators.iter().map(|i| i.tlp).collect();
        assert!(tlps.contains(&Some(Tlp::AmberStrict)));
        let first = back
            .indicators
            .iter()
            .find(|i| i.name.as_deref() == Some("Indicator 1"))
            .unwrap();
        assert_eq!(
            first.value,
            example().indicators[0].value.clone().normalised()
        );
        assert_eq!(
            first.created_by_ref.as_deref(),
            Some(stix_id("identity", Uuid::from_u128(1)).as_str())
        );
        assert_eq!(back.reports[0].object_refs.len(), 2);
    }

    #[test]
    fn bad_input_is_named() {
        let mut input = example();
        input.indicators[0].source = Uuid::from_u128(9);
        input.indicators[1].valid_until = Some(input.indicators[1].valid_from);
        input.reports[0].indicators.push(Uuid::from_u128(999));
        let e = build_bundle(&input).unwrap_err();
        let found: Vec<_> = e
            .iter()
            .map(|p| (p.property.as_str(), p.message_key))
            .collect();
        assert_eq!(
            found,
            [
                ("created_by_ref", keys::UNRESOLVED_REF),
                ("valid_until", keys::NOT_AFTER_VALID_FROM),
                ("object_refs[2]", keys::UNRESOLVED_REF)
            ]
        );
        assert_eq!(e[0].object_id, stix_id("indicator", Uuid::from_u128(101)));
    }
}
