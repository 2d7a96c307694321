//! A STIX bundle into what irnet stores: the indicators (typed observables or opaque patterns)
//! with their TLP, and the identities and reports around them. All or nothing: one problem
//! anywhere in the bundle, including an unknown marking on any object, refuses the whole import.

use super::bundle::{Bundle, ParseOptions};
use super::markings::Markings;
use super::pattern;
use super::problem::{Problem, keys};
use super::timestamp::Timestamp;
use crate::observable::IndicatorValue;
use chrono::{DateTime, Utc};
use irnet_domain::Tlp;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// An indicator as received.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedIndicator {
    pub stix_id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    /// Typed observables when the pattern is recognised (`stix::pattern`), else the pattern.
    pub value: IndicatorValue,
    /// The pattern as written, kept for re-export and for the reader.
    pub pattern: String,
    pub pattern_type: String,
    pub indicator_types: Vec<String>,
    /// `None` when no TLP marking applies: the importer chooses the default.
    pub tlp: Option<Tlp>,
    pub confidence: Option<u8>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    pub revoked: bool,
    /// The producer's identity id (an `identity--…` of this bundle or known elsewhere).
    pub created_by_ref: Option<String>,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedIdentity {
    pub stix_id: String,
    pub name: String,
    pub identity_class: Option<String>,
    pub tlp: Option<Tlp>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedReport {
    pub stix_id: String,
    pub name: String,
    pub description: Option<String>,
    pub published: DateTime<Utc>,
    pub object_refs: Vec<String>,
    pub tlp: Option<Tlp>,
    pub created_by_ref: Option<String>,
}

/// One object of the bundle as its producer made it, for the object store: every version of
/// every type (SDO, SRO, SCO, marking definition, custom), its JSON untouched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedObject {
    pub stix_id: String,
    pub type_name: String,
    /// `modified`; `None` for objects without versions (observables, marking definitions)
    pub modified: Option<DateTime<Utc>>,
    pub created_by_ref: Option<String>,
    /// `None` when no TLP marking applies: the importer chooses the default.
    pub tlp: Option<Tlp>,
    pub json: Value,
}

impl ImportedObject {
    /// The version as the store keys it: `modified` with nine fraction digits (text order is
    /// time order; `.1Z` and `.100Z` are one version), empty for unversioned objects.
    pub fn version_key(&self) -> String {
        version_key(self.modified)
    }
}

/// See [`ImportedObject::version_key`].
pub fn version_key(modified: Option<DateTime<Utc>>) -> String {
    modified
        .map(|m| m.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string())
        .unwrap_or_default()
}

/// What a bundle holds for irnet: every object for the object store (`objects`, in bundle
/// order, identical repeats once), and the indicators, identities and reports read out of them
/// (the newest version of each).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StixImport {
    pub bundle_id: String,
    pub identities: Vec<ImportedIdentity>,
    pub indicators: Vec<ImportedIndicator>,
    pub reports: Vec<ImportedReport>,
    pub objects: Vec<ImportedObject>,
}

/// Validates a bundle, resolves every object's markings, and maps what irnet keeps. Several
/// versions of one object keep the newest (`modified`).
pub fn import_bundle(text: &str) -> Result<StixImport, Vec<Problem>> {
    let bundle = Bundle::parse(text, ParseOptions::default())?;
    let markings = Markings::from_bundle(&bundle)?;
    let mut problems = Vec::new();
    let mut tlps = Vec::with_capacity(bundle.objects.len());
    for (i, object) in bundle.objects.iter().enumerate() {
        match markings.tlp_of(object, i) {
            Ok(t) => tlps.push(t),
            Err(p) => {
                problems.extend(p);
                tlps.push(None);
            }
        }
    }
    let objects = distinct_versions(&bundle.objects, &tlps, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut import = StixImport {
        bundle_id: bundle.id.to_string(),
        identities: Vec::new(),
        indicators: Vec::new(),
        reports: Vec::new(),
        objects,
    };
    let mut newest: HashMap<String, (DateTime<Utc>, usize)> = HashMap::new();
    // Validation has already checked every property read below; a missing optional one is None.
    for (object, tlp) in bundle.objects.iter().zip(tlps) {
        let s = |k: &str| object.get(k).and_then(Value::as_str).map(str::to_owned);
        let t = |k: &str| {
            s(k).as_deref()
                .and_then(Timestamp::parse)
                .map(Timestamp::utc)
        };
        let id = s("id").unwrap_or_default();
        let modified = t("modified").or_else(|| t("created"));
        if let Some(m) = modified {
            match newest.get(&id) {
                Some(&(seen, _)) if seen >= m => continue,
                _ => {}
            }
        }
        let type_name = s("type").unwrap_or_default();
        let index = match type_name.as_str() {
            "indicator" => {
                let pattern = s("pattern").unwrap_or_default();
                let pattern_type = s("pattern_type").unwrap_or_default();
                let value = if pattern_type == "stix" {
                    pattern::indicator_value(&pattern)
                } else {
                    IndicatorValue::StixPattern(pattern.clone())
                };
                let (Some(valid_from), Some(created), Some(modified)) =
                    (t("valid_from"), t("created"), t("modified"))
                else {
                    continue;
                };
                push_or_replace(
                    &mut import.indicators,
                    newest.get(&id).map(|p| p.1),
                    ImportedIndicator {
                        stix_id: id.clone(),
                        name: s("name"),
                        description: s("description"),
                        value,
                        pattern,
                        pattern_type,
                        indicator_types: strings(object, "indicator_types"),
                        tlp,
                        confidence: object
                            .get("confidence")
                            .and_then(Value::as_u64)
                            .and_then(|c| u8::try_from(c).ok()),
                        valid_from,
                        valid_until: t("valid_until"),
                        revoked: object
                            .get("revoked")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                        created_by_ref: s("created_by_ref"),
                        created,
                        modified,
                    },
                )
            }
            "identity" => push_or_replace(
                &mut import.identities,
                newest.get(&id).map(|p| p.1),
                ImportedIdentity {
                    stix_id: id.clone(),
                    name: s("name").unwrap_or_default(),
                    identity_class: s("identity_class"),
                    tlp,
                },
            ),
            "report" => {
                let Some(published) = t("published") else {
                    continue;
                };
                push_or_replace(
                    &mut import.reports,
                    newest.get(&id).map(|p| p.1),
                    ImportedReport {
                        stix_id: id.clone(),
                        name: s("name").unwrap_or_default(),
                        description: s("description"),
                        published,
                        object_refs: strings(object, "object_refs"),
                        tlp,
                        created_by_ref: s("created_by_ref"),
                    },
                )
            }
            _ => continue,
        };
        if let Some(m) = modified {
            newest.insert(id, (m, index));
        }
    }
    Ok(import)
}

/// The bundle's objects for the store, one per (id, version): a repeat identical to the first
/// is dropped; a repeat with other content is a problem naming both positions (the second
/// would otherwise silently win or lose).
fn distinct_versions(
    objects: &[Value],
    tlps: &[Option<Tlp>],
    problems: &mut Vec<Problem>,
) -> Vec<ImportedObject> {
    let mut seen: HashMap<(String, String), (usize, usize)> = HashMap::new();
    let mut out: Vec<ImportedObject> = Vec::with_capacity(objects.len());
    for (i, (object, tlp)) in objects.iter().zip(tlps).enumerate() {
        let s = |k: &str| object.get(k).and_then(Value::as_str).map(str::to_owned);
        let o = ImportedObject {
            stix_id: s("id").unwrap_or_default(),
            type_name: s("type").unwrap_or_default(),
            modified: s("modified")
                .as_deref()
                .and_then(Timestamp::parse)
                .map(Timestamp::utc),
            created_by_ref: s("created_by_ref"),
            tlp: *tlp,
            json: object.clone(),
        };
        let key = (o.stix_id.clone(), o.version_key());
        match seen.get(&key) {
            Some(&(first, at)) if out[at].json != o.json => problems.push(Problem::new(
                o.stix_id.clone(),
                format!("objects[{first}] objects[{i}]"),
                keys::DUPLICATE_ID,
            )),
            Some(_) => {}
            None => {
                seen.insert(key, (i, out.len()));
                out.push(o);
            }
        }
    }
    out
}

/// Appends, or replaces the older version at `older`; returns the item's position.
fn push_or_replace<T>(list: &mut Vec<T>, older: Option<usize>, item: T) -> usize {
    match older.and_then(|i| list.get_mut(i).map(|slot| (i, slot))) {
        Some((i, slot)) => {
            *slot = item;
            i
        }
        None => {
            list.push(item);
            list.len() - 1
        }
    }
}

fn strings(object: &Value, key: &str) -> Vec<String> {
    object
        .get(key)
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::stix::markings::tlp2_marking_id;
    use crate::stix::problem::keys;
    use serde_json::json;

    fn indicator(id: &str, modified: &str, pattern: &str, marking: &str) -> Value {
        json!({
            "type": "indicator", "spec_version": "2.1", "id": id,
            "created": "2024-01-01T00:00:00.000Z", "modified": modified,
            "pattern": pattern, "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z",
            "object_marking_refs": [marking], "confidence": 80,
            "created_by_ref": "identity--2e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
        })
    }

    fn bundle(objects: Vec<Value>) -> String {
        json!({"type": "bundle", "id": "bundle--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "objects": objects}).to_string()
    }

    const A: &str = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";

    #[test]
    fn indicators_come_with_their_tlp_and_values() {
        let b = bundle(vec![
            indicator(
                A,
                "2024-01-01T00:00:00Z",
                "[ipv4-addr:value = '192.0.2.1']",
                tlp2_marking_id(Tlp::Amber),
            ),
            json!({"type": "malware", "spec_version": "2.1", "id": "malware--3e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                   "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z", "name": "x", "is_family": false}),
        ]);
        let i = import_bundle(&b).unwrap();
        assert_eq!(i.indicators.len(), 1);
        let ind = &i.indicators[0];
        assert_eq!(ind.tlp, Some(Tlp::Amber));
        assert_eq!(ind.confidence, Some(80));
        assert_eq!(
            ind.value,
            IndicatorValue::single(crate::Observable::ip_or_cidr("192.0.2.1").unwrap())
        );
        // Every object is kept for the store, the malware too, as written.
        assert_eq!(i.objects.len(), 2);
        assert_eq!(i.objects[1].type_name, "malware");
        assert_eq!(
            i.objects[1].json,
            serde_json::from_str::<Value>(&b).unwrap()["objects"][1]
        );
    }

    #[test]
    fn the_newest_version_wins() {
        let b = bundle(vec![
            indicator(
                A,
                "2024-01-03T00:00:00Z",
                "[ipv4-addr:value = '192.0.2.3']",
                tlp2_marking_id(Tlp::Green),
            ),
            indicator(
                A,
                "2024-01-02T00:00:00Z",
                "[ipv4-addr:value = '192.0.2.2']",
                tlp2_marking_id(Tlp::Green),
            ),
            indicator(
                A,
                "2024-01-04T00:00:00Z",
                "[ipv4-addr:value = '192.0.2.4']",
                tlp2_marking_id(Tlp::Green),
            ),
        ]);
        let i = import_bundle(&b).unwrap();
        assert_eq!(i.indicators.len(), 1);
        assert_eq!(i.indicators[0].pattern, "[ipv4-addr:value = '192.0.2.4']");
    }

    #[test]
    fn one_unknown_marking_refuses_everything() {
        let b = bundle(vec![
            indicator(
                A,
                "2024-01-01T00:00:00Z",
                "[ipv4-addr:value = '192.0.2.1']",
                tlp2_marking_id(Tlp::Green),
            ),
            indicator(
                "indicator--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                "2024-01-01T00:00:00Z",
                "[ipv4-addr:value = '192.0.2.1']",
                "marking-definition--0e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            ),
        ]);
        let e = import_bundle(&b).unwrap_err();
        assert_eq!(
            e,
            [Problem::new(
                "indicator--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                "object_marking_refs[0]",
                keys::UNKNOWN_MARKING
            )]
        );
    }

    #[test]
    fn non_stix_patterns_stay_opaque() {
        let mut i = indicator(
            A,
            "2024-01-01T00:00:00Z",
            "alert tcp any any -> any any (msg:\"x\";)",
            tlp2_marking_id(Tlp::Clear),
        );
        i["pattern_type"] = json!("snort");
        let imported = import_bundle(&bundle(vec![i])).unwrap();
        assert!(matches!(
            imported.indicators[0].value,
            IndicatorValue::StixPattern(_)
        ));
    }
}
