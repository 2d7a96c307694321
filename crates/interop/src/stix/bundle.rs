//! Reading a bundle: every object is kept as JSON, and the properties STIX 2.1 defines for all
//! objects, plus those of the object types irnet uses, are checked strictly. All problems of all
//! objects are collected, so a producer learns everything wrong with a bundle in one answer.

use super::id::{StixId, TypeName};
use super::problem::{Problem, keys};
use super::timestamp::Timestamp;
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Cyber-observable object types (STIX 2.1, 6): they have no `created`/`modified` and their
/// `spec_version` is optional.
const OBSERVABLE_TYPES: [&str; 18] = [
    "artifact",
    "autonomous-system",
    "directory",
    "domain-name",
    "email-addr",
    "email-message",
    "file",
    "ipv4-addr",
    "ipv6-addr",
    "mac-addr",
    "mutex",
    "network-traffic",
    "process",
    "software",
    "url",
    "user-account",
    "windows-registry-key",
    "x509-certificate",
];

/// How strictly to read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Every identifier an object refers to must be the id of an object in the same bundle (the
    /// validator's `--enforce-refs`). Off for imports, where references to objects the sender
    /// holds elsewhere (or to the well-known TLP markings) are normal; on for our own exports.
    pub enforce_refs: bool,
}

/// A bundle whose objects passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    pub id: StixId,
    pub objects: Vec<Value>,
}

impl Bundle {
    /// Parses and validates a bundle from its JSON text (a byte order mark before it is skipped).
    /// Text that is not JSON is one problem saying where it stops being JSON.
    pub fn parse(text: &str, options: ParseOptions) -> Result<Bundle, Vec<Problem>> {
        let value = crate::json_text::parse(text).map_err(|e| vec![Problem::not_json(e)])?;
        Bundle::from_value(value, options)
    }

    pub fn from_value(value: Value, options: ParseOptions) -> Result<Bundle, Vec<Problem>> {
        let Value::Object(mut map) = value else {
            return Err(vec![Problem::new("", "", keys::NOT_A_BUNDLE)]);
        };
        let raw_id = map
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        // STIX 2.0 put `spec_version` on the bundle (2.1 puts it on each object): every object
        // would fail on its missing `spec_version` and on what 2.0 named otherwise, so the one
        // thing to say is the version.
        if map.get("spec_version").and_then(Value::as_str) == Some("2.0") {
            return Err(vec![Problem::new("", "spec_version", keys::VERSION_2_0)]);
        }
        let mut problems = Vec::new();
        match map.get("type") {
            None => problems.push(Problem::new(&raw_id, "type", keys::REQUIRED)),
            Some(t) if t.as_str() != Some("bundle") => {
                problems.push(Problem::new(&raw_id, "type", keys::NOT_A_BUNDLE));
            }
            Some(_) => {}
        }
        let id = StixId::parse(&raw_id).filter(|id| id.type_name() == "bundle");
        if id.is_none() {
            problems.push(Problem::new(&raw_id, "id", keys::INVALID_ID));
        }
        // `objects` is optional: an empty bundle is valid.
        let objects = match map.remove("objects") {
            None => Vec::new(),
            Some(Value::Array(list)) => list,
            Some(_) => {
                problems.push(Problem::new(&raw_id, "objects", keys::NOT_A_LIST));
                Vec::new()
            }
        };
        for (i, object) in objects.iter().enumerate() {
            problems.extend(validate_object(object, i));
        }
        if options.enforce_refs {
            problems.extend(unresolved_refs(&objects));
        }
        match id {
            Some(id) if problems.is_empty() => Ok(Bundle { id, objects }),
            _ => Err(problems),
        }
    }

    /// The objects of one type.
    pub fn of_type<'a>(&'a self, type_name: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
        self.objects
            .iter()
            .filter(move |o| o.get("type").and_then(Value::as_str) == Some(type_name))
    }

    /// The object with this id (the first, if several versions are present).
    pub fn get(&self, id: &str) -> Option<&Value> {
        self.objects
            .iter()
            .find(|o| o.get("id").and_then(Value::as_str) == Some(id))
    }
}

/// How an object is named in problems: its id as written, or its position when it has none.
pub fn label(object: &Value, index: usize) -> String {
    match object.get("id").and_then(Value::as_str) {
        // A NUL in the id is shown escaped: the name itself must be storable text.
        Some(id) if !id.is_empty() => id.replace('\0', "\\u0000"),
        _ => format!("objects[{index}]"),
    }
}

/// Checks one object (common properties and those of the types we use); `index` is its position
/// in the bundle, used to name it when it has no id.
pub fn validate_object(object: &Value, index: usize) -> Vec<Problem> {
    let mut c = Checker {
        label: label(object, index),
        problems: Vec::new(),
    };
    let Value::Object(map) = object else {
        c.push("", keys::NOT_AN_OBJECT);
        return c.problems;
    };
    // Text PostgreSQL cannot store is refused wherever it is in the object, on every backend.
    if let Some(at) = nul_at(object, String::new()) {
        c.push(at, keys::NUL_CHARACTER);
    }
    let type_name = c.common(map);
    match type_name.as_deref() {
        Some("indicator") => c.indicator(map),
        Some("marking-definition") => c.marking_definition(map),
        Some("identity") => c.required_string(map, "name"),
        Some("report") => c.report(map),
        Some("relationship") => c.relationship(map),
        Some("sighting") => c.sighting(map),
        _ => {}
    }
    c.problems
}

/// Where below an object the first text holding U+0000 is (`external_references[0].url`), a key
/// holding one named with it escaped.
fn nul_at(v: &Value, at: String) -> Option<String> {
    match v {
        Value::String(s) => s.contains('\0').then_some(at),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_at(item, format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, item)| {
            let key = k.replace('\0', "\\u0000");
            let here = if at.is_empty() {
                key
            } else {
                format!("{at}.{key}")
            };
            if k.contains('\0') {
                Some(here)
            } else {
                nul_at(item, here)
            }
        }),
        _ => None,
    }
}

struct Checker {
    label: String,
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, property: impl Into<String>, key: &'static str) {
        self.problems.push(Problem::new(&self.label, property, key));
    }

    /// The properties every object has; returns the type name when it is valid.
    fn common(&mut self, map: &Map<String, Value>) -> Option<String> {
        let type_name = match map.get("type") {
            None => {
                self.push("type", keys::REQUIRED);
                None
            }
            Some(Value::String(t)) => match TypeName::parse(t) {
                Some(t) => Some(t.as_str().to_owned()),
                None => {
                    self.push("type", keys::INVALID_TYPE);
                    None
                }
            },
            Some(_) => {
                self.push("type", keys::NOT_A_STRING);
                None
            }
        };
        match map.get("id") {
            None => self.push("id", keys::REQUIRED),
            Some(Value::String(raw)) => match (StixId::parse(raw), &type_name) {
                (None, _) => self.push("id", keys::INVALID_ID),
                (Some(id), Some(t)) if id.type_name() != t => {
                    self.push("id", keys::ID_TYPE_MISMATCH)
                }
                _ => {}
            },
            Some(_) => self.push("id", keys::NOT_A_STRING),
        }
        let observable = type_name
            .as_deref()
            .is_some_and(|t| OBSERVABLE_TYPES.contains(&t));
        match map.get("spec_version") {
            None if !observable => self.push("spec_version", keys::REQUIRED),
            None => {}
            Some(v) if v.as_str() == Some("2.1") => {}
            Some(_) => self.push("spec_version", keys::INVALID_SPEC_VERSION),
        }
        if !observable {
            let created = self.timestamp(map, "created", true);
            // Marking definitions cannot be versioned, so they have no `modified`.
            let versioned = type_name.as_deref() != Some("marking-definition");
            let modified = self.timestamp(map, "modified", versioned);
            if let (Some(c), Some(m)) = (created, modified)
                && m < c
            {
                self.push("modified", keys::MODIFIED_BEFORE_CREATED);
            }
        }
        self.reference(map, "created_by_ref", Some("identity"));
        self.references(map, "object_marking_refs", Some("marking-definition"));
        self.optional_bool(map, "revoked");
        self.optional_strings(map, "labels");
        self.optional_string(map, "lang");
        if let Some(v) = map.get("confidence")
            && v.as_u64().is_none_or(|n| n > 100)
        {
            self.push("confidence", keys::OUT_OF_RANGE);
        }
        if let Some(v) = map.get("extensions")
            && !v.is_object()
        {
            self.push("extensions", keys::NOT_A_DICTIONARY);
        }
        self.external_references(map);
        self.granular_markings(map);
        // Every other `*_ref` / `*_refs` property holds identifiers (STIX 2.1, 3.3 "Reserved
        // property names" and the `_ref` naming rule).
        for name in map.keys() {
            if name == "created_by_ref" || name == "object_marking_refs" {
                continue;
            }
            if name.ends_with("_ref") {
                self.reference(map, name, None);
            } else if name.ends_with("_refs") {
                self.references(map, name, None);
            }
        }
        type_name
    }

    fn timestamp(
        &mut self,
        map: &Map<String, Value>,
        name: &str,
        required: bool,
    ) -> Option<Timestamp> {
        match map.get(name) {
            None if required => {
                self.push(name, keys::REQUIRED);
                None
            }
            None => None,
            Some(Value::String(s)) => {
                let t = Timestamp::parse(s);
                if t.is_none() {
                    self.push(name, keys::INVALID_TIMESTAMP);
                }
                t
            }
            Some(_) => {
                self.push(name, keys::INVALID_TIMESTAMP);
                None
            }
        }
    }

    fn id_value(&mut self, property: String, value: &Value, of_type: Option<&str>) {
        match value.as_str().map(StixId::parse) {
            None => self.push(property, keys::NOT_A_STRING),
            Some(None) => self.push(property, keys::INVALID_ID),
            Some(Some(id)) => {
                if of_type.is_some_and(|t| t != id.type_name()) {
                    self.push(property, keys::WRONG_REF_TYPE);
                }
            }
        }
    }

    fn reference(&mut self, map: &Map<String, Value>, name: &str, of_type: Option<&str>) {
        if let Some(v) = map.get(name) {
            self.id_value(name.to_owned(), v, of_type);
        }
    }

    fn references(&mut self, map: &Map<String, Value>, name: &str, of_type: Option<&str>) {
        match map.get(name) {
            None => {}
            Some(Value::Array(list)) => {
                if list.is_empty() {
                    self.push(name, keys::EMPTY_LIST);
                }
                for (i, v) in list.iter().enumerate() {
                    self.id_value(format!("{name}[{i}]"), v, of_type);
                }
            }
            Some(_) => self.push(name, keys::NOT_A_LIST),
        }
    }

    fn required_string(&mut self, map: &Map<String, Value>, name: &str) {
        match map.get(name) {
            None => self.push(name, keys::REQUIRED),
            Some(Value::String(_)) => {}
            Some(_) => self.push(name, keys::NOT_A_STRING),
        }
    }

    fn optional_string(&mut self, map: &Map<String, Value>, name: &str) {
        if map.get(name).is_some_and(|v| !v.is_string()) {
            self.push(name, keys::NOT_A_STRING);
        }
    }

    fn optional_bool(&mut self, map: &Map<String, Value>, name: &str) {
        if map.get(name).is_some_and(|v| !v.is_boolean()) {
            self.push(name, keys::NOT_A_BOOLEAN);
        }
    }

    fn optional_strings(&mut self, map: &Map<String, Value>, name: &str) {
        match map.get(name) {
            None => {}
            Some(Value::Array(list)) => {
                for (i, v) in list.iter().enumerate() {
                    if !v.is_string() {
                        self.push(format!("{name}[{i}]"), keys::NOT_A_STRING);
                    }
                }
            }
            Some(_) => self.push(name, keys::NOT_A_LIST),
        }
    }

    fn external_references(&mut self, map: &Map<String, Value>) {
        let Some(value) = map.get("external_references") else {
            return;
        };
        let Value::Array(list) = value else {
            self.push("external_references", keys::NOT_A_LIST);
            return;
        };
        for (i, r) in list.iter().enumerate() {
            let at = |p: &str| format!("external_references[{i}].{p}");
            let Value::Object(r) = r else {
                self.push(format!("external_references[{i}]"), keys::NOT_AN_OBJECT);
                continue;
            };
            match r.get("source_name") {
                None => self.push(at("source_name"), keys::REQUIRED),
                Some(v) if !v.is_string() => self.push(at("source_name"), keys::NOT_A_STRING),
                Some(_) => {}
            }
            for p in ["description", "url", "external_id"] {
                if r.get(p).is_some_and(|v| !v.is_string()) {
                    self.push(at(p), keys::NOT_A_STRING);
                }
            }
            if r.get("hashes").is_some_and(|v| !v.is_object()) {
                self.push(at("hashes"), keys::NOT_A_DICTIONARY);
            }
        }
    }

    fn granular_markings(&mut self, map: &Map<String, Value>) {
        let Some(value) = map.get("granular_markings") else {
            return;
        };
        let Value::Array(list) = value else {
            self.push("granular_markings", keys::NOT_A_LIST);
            return;
        };
        for (i, g) in list.iter().enumerate() {
            let at = format!("granular_markings[{i}]");
            let Value::Object(g) = g else {
                self.push(at, keys::NOT_AN_OBJECT);
                continue;
            };
            match g.get("selectors") {
                Some(Value::Array(s)) if !s.is_empty() && s.iter().all(Value::is_string) => {}
                Some(Value::Array(s)) if s.is_empty() => {
                    self.push(format!("{at}.selectors"), keys::EMPTY_LIST)
                }
                Some(_) => self.push(format!("{at}.selectors"), keys::NOT_A_LIST),
                None => self.push(format!("{at}.selectors"), keys::REQUIRED),
            }
            match (g.get("marking_ref"), g.get("lang")) {
                (Some(v), _) => {
                    self.id_value(format!("{at}.marking_ref"), v, Some("marking-definition"))
                }
                (None, Some(v)) if v.is_string() => {}
                (None, Some(_)) => self.push(format!("{at}.lang"), keys::NOT_A_STRING),
                (None, None) => self.push(format!("{at}.marking_ref"), keys::REQUIRED),
            }
        }
    }

    fn indicator(&mut self, map: &Map<String, Value>) {
        self.required_string(map, "pattern_type");
        self.optional_string(map, "pattern_version");
        self.optional_string(map, "name");
        self.optional_strings(map, "indicator_types");
        match map.get("pattern") {
            None => self.push("pattern", keys::REQUIRED),
            Some(Value::String(p)) => {
                let stix = map.get("pattern_type").and_then(Value::as_str) == Some("stix");
                if stix && !super::pattern::well_formed(p) {
                    self.push("pattern", keys::INVALID_PATTERN);
                }
            }
            Some(_) => self.push("pattern", keys::NOT_A_STRING),
        }
        let from = self.timestamp(map, "valid_from", true);
        let until = self.timestamp(map, "valid_until", false);
        if let (Some(f), Some(u)) = (from, until)
            && u <= f
        {
            self.push("valid_until", keys::NOT_AFTER_VALID_FROM);
        }
    }

    fn marking_definition(&mut self, map: &Map<String, Value>) {
        self.optional_string(map, "name");
        match (map.get("definition_type"), map.get("definition")) {
            (Some(Value::String(_)), Some(Value::Object(_))) => {}
            (Some(Value::String(_)), Some(_)) => self.push("definition", keys::NOT_A_DICTIONARY),
            (Some(Value::String(_)), None) => self.push("definition", keys::REQUIRED),
            (Some(_), _) => self.push("definition_type", keys::NOT_A_STRING),
            // A STIX 2.1 marking definition may instead be defined by an extension (TLP 2.0).
            (None, _) if map.get("extensions").is_some_and(Value::is_object) => {}
            (None, _) => self.push("definition_type", keys::REQUIRED),
        }
    }

    fn report(&mut self, map: &Map<String, Value>) {
        self.required_string(map, "name");
        self.timestamp(map, "published", true);
        self.optional_strings(map, "report_types");
        // Its identifiers were checked with every other `*_refs`; here only its presence.
        if !map.contains_key("object_refs") {
            self.push("object_refs", keys::REQUIRED);
        }
    }

    fn relationship(&mut self, map: &Map<String, Value>) {
        self.required_string(map, "relationship_type");
        for r in ["source_ref", "target_ref"] {
            if !map.contains_key(r) {
                self.push(r, keys::REQUIRED);
            }
        }
        let from = self.timestamp(map, "start_time", false);
        let to = self.timestamp(map, "stop_time", false);
        if let (Some(f), Some(t)) = (from, to)
            && t <= f
        {
            self.push("stop_time", keys::NOT_AFTER_VALID_FROM);
        }
    }

    fn sighting(&mut self, map: &Map<String, Value>) {
        if !map.contains_key("sighting_of_ref") {
            self.push("sighting_of_ref", keys::REQUIRED);
        }
        if let Some(v) = map.get("count")
            && v.as_u64().is_none_or(|n| n > 999_999_999)
        {
            self.push("count", keys::OUT_OF_RANGE);
        }
        let first = self.timestamp(map, "first_seen", false);
        let last = self.timestamp(map, "last_seen", false);
        if let (Some(f), Some(l)) = (first, last)
            && l < f
        {
            self.push("last_seen", keys::LAST_BEFORE_FIRST);
        }
    }
}

/// Every reference (top-level `*_ref`/`*_refs` and granular `marking_ref`) that names no object
/// of the bundle.
fn unresolved_refs(objects: &[Value]) -> Vec<Problem> {
    let ids: HashSet<&str> = objects
        .iter()
        .filter_map(|o| o.get("id").and_then(Value::as_str))
        .collect();
    let mut problems = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        let Value::Object(map) = object else { continue };
        let mut check = |property: String, v: &Value| {
            if let Some(r) = v.as_str()
                && !ids.contains(r)
            {
                problems.push(Problem::new(
                    label(object, i),
                    property,
                    keys::UNRESOLVED_REF,
                ));
            }
        };
        for (name, v) in map {
            if name.ends_with("_ref") {
                check(name.clone(), v);
            } else if name.ends_with("_refs")
                && let Value::Array(list) = v
            {
                for (j, r) in list.iter().enumerate() {
                    check(format!("{name}[{j}]"), r);
                }
            }
        }
        if let Some(Value::Array(list)) = map.get("granular_markings") {
            for (j, g) in list.iter().enumerate() {
                if let Some(r) = g.get("marking_ref") {
                    check(format!("granular_markings[{j}].marking_ref"), r);
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    const IND: &str = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
    const IDT: &str = "identity--0e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";

    fn indicator() -> Value {
        json!({
            "type": "indicator", "spec_version": "2.1", "id": IND,
            "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
            "pattern": "[ipv4-addr:value = '192.0.2.1']", "pattern_type": "stix",
            "valid_from": "2024-01-01T00:00:00Z"
        })
    }

    fn bundle(objects: Vec<Value>) -> Value {
        json!({"type": "bundle", "id": "bundle--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "objects": objects})
    }

    fn problems(objects: Vec<Value>) -> Vec<(String, String, &'static str)> {
        match Bundle::from_value(bundle(objects), ParseOptions::default()) {
            Ok(_) => vec![],
            Err(p) => p
                .into_iter()
                .map(|p| (p.object_id, p.property, p.message_key))
                .collect(),
        }
    }

    fn with(mut v: Value, key: &str, value: Value) -> Value {
        v[key] = value;
        v
    }

    fn without(mut v: Value, key: &str) -> Value {
        v.as_object_mut().unwrap().remove(key);
        v
    }

    #[test]
    fn a_valid_indicator_passes() {
        let b = Bundle::from_value(bundle(vec![indicator()]), ParseOptions::default()).unwrap();
        assert_eq!(b.of_type("indicator").count(), 1);
        assert!(b.get(IND).is_some());
    }

    #[test]
    fn an_empty_bundle_is_valid_and_a_non_bundle_is_not() {
        assert!(
            Bundle::parse(
                r#"{"type":"bundle","id":"bundle--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}"#,
                ParseOptions::default()
            )
            .is_ok()
        );
        let e = Bundle::from_value(indicator(), ParseOptions::default()).unwrap_err();
        assert_eq!(e[0].message_key, keys::NOT_A_BUNDLE);
        // Text that is not JSON says where it stops being JSON (issue 17: it used to be called
        // "not a bundle" with no place).
        let e = Bundle::parse("[", ParseOptions::default()).unwrap_err();
        assert_eq!(e[0].message_key, keys::JSON_SYNTAX);
    }

    #[test]
    fn json_errors_say_where() {
        let parse = |t: &str| Bundle::parse(t, ParseOptions::default()).unwrap_err();
        let e = parse("{\n  \"type\": \"bundle\",\n  \"objects\": [,]\n}");
        assert_eq!(e.len(), 1);
        assert_eq!(
            (
                e[0].message_key,
                e[0].object_id.as_str(),
                e[0].property.as_str()
            ),
            (keys::JSON_SYNTAX, "", "")
        );
        assert_eq!(
            e[0].params,
            vec![("line", "3".to_owned()), ("column", "15".to_owned())]
        );
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(parse(&deep)[0].message_key, keys::JSON_TOO_DEEP);
        let surrogate = r#"{"type": "bundle", "id": "\ud800"}"#;
        assert_eq!(parse(surrogate)[0].message_key, keys::JSON_LONE_SURROGATE);
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let text =
            "\u{feff}{\"type\":\"bundle\",\"id\":\"bundle--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"}";
        assert!(Bundle::parse(text, ParseOptions::default()).is_ok());
    }

    #[test]
    fn stix_2_0_is_named_once() {
        let mut b = bundle(vec![
            without(indicator(), "spec_version"),
            without(indicator(), "spec_version"),
        ]);
        b["spec_version"] = json!("2.0");
        let e = Bundle::from_value(b, ParseOptions::default()).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(
            (e[0].property.as_str(), e[0].message_key),
            ("spec_version", keys::VERSION_2_0)
        );
    }

    #[test]
    fn a_nul_is_named_by_its_property() {
        let i = with(
            indicator(),
            "external_references",
            json!([{"source_name": "x", "url": "https://a.example/\u{0}"}]),
        );
        assert_eq!(
            problems(vec![i]),
            [(
                IND.to_owned(),
                "external_references[0].url".to_owned(),
                keys::NUL_CHARACTER
            )]
        );
        let i = with(indicator(), "description", json!("a\u{0}b"));
        assert_eq!(problems(vec![i])[0].1, "description");
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let bad = with(
            with(indicator(), "created", json!("2022-101-27T13:49:54.326Z")),
            "spec_version",
            json!("2.0"),
        );
        let bad = without(bad, "valid_from");
        let p = problems(vec![bad]);
        assert_eq!(
            p,
            [
                (
                    IND.to_owned(),
                    "spec_version".to_owned(),
                    keys::INVALID_SPEC_VERSION
                ),
                (
                    IND.to_owned(),
                    "created".to_owned(),
                    keys::INVALID_TIMESTAMP
                ),
                (IND.to_owned(), "valid_from".to_owned(), keys::REQUIRED),
            ]
        );
    }

    #[test]
    fn ids_must_match_their_type() {
        let p = problems(vec![with(indicator(), "id", json!(IDT))]);
        assert_eq!(
            p,
            [(IDT.to_owned(), "id".to_owned(), keys::ID_TYPE_MISMATCH)]
        );
        let p = problems(vec![without(indicator(), "id")]);
        assert_eq!(
            p,
            [("objects[0]".to_owned(), "id".to_owned(), keys::REQUIRED)]
        );
        let p = problems(vec![with(indicator(), "type", json!("Indicator"))]);
        assert_eq!(p[0].2, keys::INVALID_TYPE);
    }

    #[test]
    fn time_must_move_forward() {
        let p = problems(vec![with(
            indicator(),
            "modified",
            json!("2023-12-31T23:59:59Z"),
        )]);
        assert_eq!(
            p,
            [(
                IND.to_owned(),
                "modified".to_owned(),
                keys::MODIFIED_BEFORE_CREATED
            )]
        );
        let p = problems(vec![with(
            indicator(),
            "valid_until",
            json!("2024-01-01T00:00:00Z"),
        )]);
        assert_eq!(
            p,
            [(
                IND.to_owned(),
                "valid_until".to_owned(),
                keys::NOT_AFTER_VALID_FROM
            )]
        );
        let p = problems(vec![with(
            indicator(),
            "created",
            json!("2024-01-01T00:00:00+07:00"),
        )]);
        assert_eq!(p[0].2, keys::INVALID_TIMESTAMP);
    }

    #[test]
    fn references_are_identifiers_of_the_right_type() {
        let i = with(indicator(), "created_by_ref", json!(IND));
        let i = with(
            i,
            "object_marking_refs",
            json!(["marking-definition--nope", 3]),
        );
        let i = with(i, "sample_refs", json!("x"));
        let i = with(i, "external_references", json!([{"url": 1}, "x"]));
        let p: Vec<_> = problems(vec![i]).into_iter().map(|p| (p.1, p.2)).collect();
        assert_eq!(
            p,
            [
                ("created_by_ref".to_owned(), keys::WRONG_REF_TYPE),
                ("object_marking_refs[0]".to_owned(), keys::INVALID_ID),
                ("object_marking_refs[1]".to_owned(), keys::NOT_A_STRING),
                (
                    "external_references[0].source_name".to_owned(),
                    keys::REQUIRED
                ),
                ("external_references[0].url".to_owned(), keys::NOT_A_STRING),
                ("external_references[1]".to_owned(), keys::NOT_AN_OBJECT),
                ("sample_refs".to_owned(), keys::NOT_A_LIST),
            ]
        );
    }

    #[test]
    fn types_we_use_have_their_properties_checked() {
        let base = |t: &str| {
            json!({"type": t, "spec_version": "2.1", "id": format!("{t}--2e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"),
                   "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z"})
        };
        let keys_of = |v: Value| {
            problems(vec![v])
                .into_iter()
                .map(|p| (p.1, p.2))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys_of(base("identity")),
            [("name".to_owned(), keys::REQUIRED)]
        );
        assert_eq!(
            keys_of(base("relationship")),
            [
                ("relationship_type".to_owned(), keys::REQUIRED),
                ("source_ref".to_owned(), keys::REQUIRED),
                ("target_ref".to_owned(), keys::REQUIRED)
            ]
        );
        let r = with(
            with(base("report"), "name", json!("r")),
            "published",
            json!("2024-01-01T00:00:00Z"),
        );
        assert_eq!(
            keys_of(with(r, "object_refs", json!([]))),
            [("object_refs".to_owned(), keys::EMPTY_LIST)]
        );
        let s = with(base("sighting"), "sighting_of_ref", json!(IND));
        let s = with(
            with(s, "first_seen", json!("2024-01-02T00:00:00Z")),
            "last_seen",
            json!("2024-01-01T00:00:00Z"),
        );
        assert_eq!(
            keys_of(with(s, "count", json!(-1))),
            [
                ("count".to_owned(), keys::OUT_OF_RANGE),
                ("last_seen".to_owned(), keys::LAST_BEFORE_FIRST)
            ]
        );
        let m = without(without(base("marking-definition"), "modified"), "created");
        assert_eq!(
            keys_of(m),
            [
                ("created".to_owned(), keys::REQUIRED),
                ("definition_type".to_owned(), keys::REQUIRED)
            ]
        );
        let bad_pattern = with(
            indicator(),
            "pattern",
            json!("[ipv4-addr:value = '1.2.3.4'"),
        );
        assert_eq!(
            keys_of(bad_pattern),
            [("pattern".to_owned(), keys::INVALID_PATTERN)]
        );
    }

    #[test]
    fn observables_need_no_timestamps() {
        let o = json!({"type": "ipv4-addr", "id": "ipv4-addr--2e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "value": "192.0.2.1"});
        assert!(problems(vec![o]).is_empty());
    }

    #[test]
    fn refs_may_be_enforced() {
        let i = with(indicator(), "created_by_ref", json!(IDT));
        let strict = ParseOptions { enforce_refs: true };
        let e = Bundle::from_value(bundle(vec![i.clone()]), strict).unwrap_err();
        assert_eq!(
            (
                e[0].object_id.as_str(),
                e[0].property.as_str(),
                e[0].message_key
            ),
            (IND, "created_by_ref", keys::UNRESOLVED_REF)
        );
        assert!(Bundle::from_value(bundle(vec![i.clone()]), ParseOptions::default()).is_ok());
        let idt = json!({"type": "identity", "spec_version": "2.1", "id": IDT, "name": "x",
                         "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z"});
        assert!(Bundle::from_value(bundle(vec![i, idt]), strict).is_ok());
    }
}
