//! Data markings to TLP. An object's TLP is the most restrictive of the markings that apply to it
//! (its `object_marking_refs` and, to stay on the safe side, every `marking_ref` of its
//! `granular_markings`, though those mark only parts of it). Known markings are:
//!
//! - the OASIS TLP 2.0 marking definitions (extension
//!   `extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d`), by id or defined in the bundle;
//! - the TLP 1.0 marking definitions of the STIX 2.1 specification (7.2.1.4), by id or defined in
//!   the bundle with `definition_type: "tlp"` (WHITE is CLEAR);
//! - OpenCTI's AMBER+STRICT (`marking-definition--826578e1-40ad-459f-bc73-ede076f81f37`);
//! - `definition_type: "statement"` markings of the bundle (copyright and terms of use): known,
//!   but they say nothing about who may read, so they do not change the TLP;
//! - MISP's `tlp:` tags, which MISP's STIX export writes as `labels` (`tlp:white`, `tlp:amber`,
//!   …); an object's other labels are not markings.
//!
//! Any other marking is unknown and refused: guessing low would leak, guessing high would hide a
//! producer's mistake. A definition in the bundle that reuses a well-known id with another level
//! is refused too.

use super::bundle::{Bundle, label};
use super::problem::{Problem, keys};
use irnet_domain::Tlp;
use serde_json::Value;
use std::collections::HashMap;

/// The key of the OASIS TLP 2.0 extension in a marking definition's `extensions`.
pub const TLP2_EXTENSION_ID: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// The OASIS TLP 2.0 marking definition ids.
pub fn tlp2_marking_id(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Clear => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        Tlp::Green => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        Tlp::Amber => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        Tlp::AmberStrict => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        Tlp::Red => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    }
}

/// The `tlp_2_0` value of the TLP 2.0 extension (lowercase, as OASIS publishes it).
pub fn tlp2_extension_value(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Clear => "clear",
        Tlp::Green => "green",
        Tlp::Amber => "amber",
        Tlp::AmberStrict => "amber+strict",
        Tlp::Red => "red",
    }
}

/// Marking ids that mean a TLP level wherever they appear.
const WELL_KNOWN: [(&str, Tlp); 10] = [
    (
        "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        Tlp::Clear,
    ),
    (
        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        Tlp::Green,
    ),
    (
        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        Tlp::Amber,
    ),
    (
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        Tlp::AmberStrict,
    ),
    (
        "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        Tlp::Red,
    ),
    // STIX 2.1 specification, TLP 1.0
    (
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        Tlp::Clear,
    ),
    (
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        Tlp::Green,
    ),
    (
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        Tlp::Amber,
    ),
    (
        "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
        Tlp::Red,
    ),
    // OpenCTI's AMBER+STRICT, which TLP 1.0 did not have
    (
        "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37",
        Tlp::AmberStrict,
    ),
];

/// The TLP of a well-known marking id.
pub fn well_known(id: &str) -> Option<Tlp> {
    WELL_KNOWN.iter().find(|(k, _)| *k == id).map(|&(_, t)| t)
}

/// What a known marking means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marking {
    Tlp(Tlp),
    /// A statement (copyright, terms of use): known, no bearing on who may read.
    Statement,
}

/// The markings known while reading one bundle: the well-known ids and the bundle's own
/// definitions.
#[derive(Debug, Clone)]
pub struct Markings {
    known: HashMap<String, Marking>,
}

impl Default for Markings {
    fn default() -> Self {
        Markings {
            known: WELL_KNOWN
                .iter()
                .map(|&(id, t)| (id.to_owned(), Marking::Tlp(t)))
                .collect(),
        }
    }
}

impl Markings {
    /// Learns the bundle's marking definitions. A definition we cannot read is not an error by
    /// itself (a bundle may carry markings for other objects' sake); only using it is.
    pub fn from_bundle(bundle: &Bundle) -> Result<Markings, Vec<Problem>> {
        let mut m = Markings::default();
        let mut problems = Vec::new();
        for (i, def) in bundle.objects.iter().enumerate() {
            if def.get("type").and_then(Value::as_str) != Some("marking-definition") {
                continue;
            }
            let Some(id) = def.get("id").and_then(Value::as_str) else {
                continue;
            };
            let meaning = match definition_of(def) {
                Ok(Some(meaning)) => meaning,
                Ok(None) => continue,
                Err(property) => {
                    problems.push(Problem::new(
                        label(def, i),
                        property,
                        keys::INVALID_MARKING_DEFINITION,
                    ));
                    continue;
                }
            };
            match (well_known(id), meaning) {
                (Some(t), Marking::Tlp(u)) if t == u => {}
                (Some(_), _) => {
                    problems.push(Problem::new(id, "id", keys::CONFLICTING_MARKING));
                }
                (None, meaning) => {
                    m.known.insert(id.to_owned(), meaning);
                }
            }
        }
        if problems.is_empty() {
            Ok(m)
        } else {
            Err(problems)
        }
    }

    /// The meaning of a marking id, if known.
    pub fn get(&self, id: &str) -> Option<Marking> {
        self.known.get(id).copied()
    }

    /// The TLP of an object: `None` when no TLP marking applies (the caller decides the
    /// default), an error naming each unknown marking reference.
    pub fn tlp_of(&self, object: &Value, index: usize) -> Result<Option<Tlp>, Vec<Problem>> {
        let mut refs: Vec<(String, &str)> = Vec::new();
        if let Some(Value::Array(list)) = object.get("object_marking_refs") {
            for (i, r) in list.iter().enumerate() {
                if let Some(r) = r.as_str() {
                    refs.push((format!("object_marking_refs[{i}]"), r));
                }
            }
        }
        if let Some(Value::Array(list)) = object.get("granular_markings") {
            for (i, g) in list.iter().enumerate() {
                if let Some(r) = g.get("marking_ref").and_then(Value::as_str) {
                    refs.push((format!("granular_markings[{i}].marking_ref"), r));
                }
            }
        }
        let mut tlp = None;
        let mut problems = Vec::new();
        if let Some(Value::Array(labels)) = object.get("labels") {
            for (i, l) in labels.iter().enumerate() {
                let Some(l) = l.as_str() else { continue };
                if !l.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("tlp:")) {
                    continue;
                }
                match Tlp::parse(l) {
                    Ok(t) => tlp = tlp.max(Some(t)),
                    Err(_) => problems.push(Problem::new(
                        label(object, index),
                        format!("labels[{i}]"),
                        keys::UNKNOWN_MARKING,
                    )),
                }
            }
        }
        for (property, r) in refs {
            match self.get(r) {
                Some(Marking::Tlp(t)) => tlp = tlp.max(Some(t)),
                Some(Marking::Statement) => {}
                None => problems.push(Problem::new(
                    label(object, index),
                    property,
                    keys::UNKNOWN_MARKING,
                )),
            }
        }
        if problems.is_empty() {
            Ok(tlp)
        } else {
            Err(problems)
        }
    }
}

/// What a marking definition object defines: `Ok(None)` for kinds we do not know (unknown, so
/// refused when used), `Err(property)` for a TLP definition with an unreadable level.
fn definition_of(def: &Value) -> Result<Option<Marking>, &'static str> {
    if let Some(ext) = def.get("extensions").and_then(|e| e.get(TLP2_EXTENSION_ID)) {
        let level = ext
            .get("tlp_2_0")
            .and_then(Value::as_str)
            .ok_or("extensions")?;
        return Tlp::parse(level)
            .ok()
            // TLP 2.0 has no WHITE: accepting it here would accept a mislabelled definition.
            .filter(|_| !level.eq_ignore_ascii_case("white"))
            .map(|t| Some(Marking::Tlp(t)))
            .ok_or("extensions");
    }
    match def.get("definition_type").and_then(Value::as_str) {
        Some("tlp") => {
            let level = def
                .get("definition")
                .and_then(|d| d.get("tlp"))
                .and_then(Value::as_str)
                .ok_or("definition")?;
            // TLP 1.0 knew white, green, amber and red.
            match level.to_ascii_lowercase().as_str() {
                "white" | "green" | "amber" | "red" => Tlp::parse(level)
                    .map(|t| Some(Marking::Tlp(t)))
                    .map_err(|_| "definition"),
                _ => Err("definition"),
            }
        }
        Some("statement") => Ok(Some(Marking::Statement)),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::stix::ParseOptions;
    use serde_json::json;

    const SOME: &str = "marking-definition--0e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";

    fn marked(refs: Value) -> Value {
        json!({"type": "x-thing", "id": "x-thing--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "object_marking_refs": refs})
    }

    fn bundle(objects: Vec<Value>) -> Bundle {
        Bundle {
            id: crate::stix::StixId::parse("bundle--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f").unwrap(),
            objects,
        }
    }

    #[test]
    fn well_known_ids_map_to_tlp() {
        let m = Markings::default();
        for t in Tlp::ALL {
            assert_eq!(
                m.tlp_of(&marked(json!([tlp2_marking_id(t)])), 0).unwrap(),
                Some(t)
            );
        }
        let v1 = |s: &str| format!("marking-definition--{s}");
        assert_eq!(
            m.tlp_of(
                &marked(json!([v1("613f2e26-407d-48c7-9eca-b8e91df99dc9")])),
                0
            )
            .unwrap(),
            Some(Tlp::Clear)
        );
        assert_eq!(
            m.tlp_of(
                &marked(json!([v1("826578e1-40ad-459f-bc73-ede076f81f37")])),
                0
            )
            .unwrap(),
            Some(Tlp::AmberStrict)
        );
        assert_eq!(m.tlp_of(&marked(json!([])), 0).unwrap(), None);
    }

    #[test]
    fn the_most_restrictive_wins() {
        let m = Markings::default();
        let refs = json!([
            tlp2_marking_id(Tlp::Green),
            tlp2_marking_id(Tlp::Red),
            tlp2_marking_id(Tlp::Amber)
        ]);
        assert_eq!(m.tlp_of(&marked(refs), 0).unwrap(), Some(Tlp::Red));
        let mut o = marked(json!([tlp2_marking_id(Tlp::Clear)]));
        o["granular_markings"] = json!([{"selectors": ["description"], "marking_ref": tlp2_marking_id(Tlp::AmberStrict)}]);
        assert_eq!(m.tlp_of(&o, 0).unwrap(), Some(Tlp::AmberStrict));
    }

    #[test]
    fn unknown_markings_are_refused_by_name() {
        let e = Markings::default()
            .tlp_of(&marked(json!([tlp2_marking_id(Tlp::Green), SOME])), 0)
            .unwrap_err();
        assert_eq!(
            e,
            [Problem::new(
                "x-thing--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                "object_marking_refs[1]",
                keys::UNKNOWN_MARKING
            )]
        );
    }

    #[test]
    fn misp_tlp_labels_count_as_markings() {
        let m = Markings::default();
        let mut o = marked(json!([tlp2_marking_id(Tlp::Green)]));
        o["labels"] = json!(["misp:category=\"Network activity\"", "TLP:AMBER"]);
        assert_eq!(m.tlp_of(&o, 0).unwrap(), Some(Tlp::Amber));
        o["labels"] = json!(["tlp:white"]);
        assert_eq!(m.tlp_of(&o, 0).unwrap(), Some(Tlp::Green));
        o["labels"] = json!(["tlp:ex:chr"]);
        let e = m.tlp_of(&o, 0).unwrap_err();
        assert_eq!(
            (e[0].property.as_str(), e[0].message_key),
            ("labels[0]", keys::UNKNOWN_MARKING)
        );
    }

    #[test]
    fn bundle_definitions_are_learnt() {
        let tlp1 = json!({"type": "marking-definition", "id": SOME, "definition_type": "tlp", "definition": {"tlp": "amber"}});
        let m = Markings::from_bundle(&bundle(vec![tlp1])).unwrap();
        assert_eq!(m.get(SOME), Some(Marking::Tlp(Tlp::Amber)));
        let tlp2 = json!({"type": "marking-definition", "id": SOME, "extensions": {TLP2_EXTENSION_ID: {"extension_type": "property-extension", "tlp_2_0": "amber+strict"}}});
        assert_eq!(
            Markings::from_bundle(&bundle(vec![tlp2]))
                .unwrap()
                .get(SOME),
            Some(Marking::Tlp(Tlp::AmberStrict))
        );
        let statement = json!({"type": "marking-definition", "id": SOME, "definition_type": "statement", "definition": {"statement": "© us"}});
        let m = Markings::from_bundle(&bundle(vec![statement])).unwrap();
        assert_eq!(m.tlp_of(&marked(json!([SOME])), 0).unwrap(), None);
        let other = json!({"type": "marking-definition", "id": SOME, "definition_type": "pap", "definition": {"pap": "red"}});
        let m = Markings::from_bundle(&bundle(vec![other])).unwrap();
        assert!(m.tlp_of(&marked(json!([SOME])), 0).is_err());
    }

    #[test]
    fn bad_or_conflicting_definitions_are_refused() {
        let white2 = json!({"type": "marking-definition", "id": SOME, "extensions": {TLP2_EXTENSION_ID: {"tlp_2_0": "white"}}});
        let e = Markings::from_bundle(&bundle(vec![white2])).unwrap_err();
        assert_eq!(e[0].message_key, keys::INVALID_MARKING_DEFINITION);
        let clear1 = json!({"type": "marking-definition", "id": SOME, "definition_type": "tlp", "definition": {"tlp": "clear"}});
        assert!(Markings::from_bundle(&bundle(vec![clear1])).is_err());
        let spoof = json!({"type": "marking-definition", "id": tlp2_marking_id(Tlp::Green), "definition_type": "tlp", "definition": {"tlp": "white"}});
        let e = Markings::from_bundle(&bundle(vec![spoof])).unwrap_err();
        assert_eq!(e[0].message_key, keys::CONFLICTING_MARKING);
        let same = json!({"type": "marking-definition", "id": tlp2_marking_id(Tlp::Green), "extensions": {TLP2_EXTENSION_ID: {"tlp_2_0": "green"}}});
        assert!(Markings::from_bundle(&bundle(vec![same])).is_ok());
        let _ = ParseOptions::default();
    }
}
