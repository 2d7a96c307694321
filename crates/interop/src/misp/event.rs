//! The MISP event format (MISP core format, as MISP and PyMISP write it). Only what irnet uses
//! is typed; everything else in a document is ignored on reading.

use super::MispProblem;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

/// An integer MISP may write as a number or as a string of digits (`"distribution": "5"`).
/// Written back as a string, as MISP itself does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Num(pub i64);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(n) => n
                .as_i64()
                .map(Num)
                .ok_or_else(|| de::Error::custom("not an integer")),
            Value::String(s) => s
                .trim()
                .parse()
                .map(Num)
                .map_err(|_| de::Error::custom("not an integer")),
            _ => Err(de::Error::custom("not an integer")),
        }
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// A boolean MISP may write as `true`, `1`, `"1"`, `"true"` (and the false counterparts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let bad = || de::Error::custom("not a boolean");
        match Value::deserialize(d)? {
            Value::Bool(b) => Ok(Flag(b)),
            Value::Number(n) => match n.as_i64() {
                Some(0) => Ok(Flag(false)),
                Some(1) => Ok(Flag(true)),
                _ => Err(bad()),
            },
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "1" | "true" => Ok(Flag(true)),
                "0" | "false" | "" => Ok(Flag(false)),
                _ => Err(bad()),
            },
            _ => Err(bad()),
        }
    }
}

/// An attribute value: MISP writes some as numbers (counters, ports); they are text to us.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(de::Error::custom("not a text value")),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Org {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
}

impl Tag {
    pub fn named(name: impl Into<String>) -> Tag {
        Tag {
            name: name.into(),
            colour: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharingGroupOrg {
    #[serde(rename = "Organisation", default)]
    pub organisation: Org,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharingGroup {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(
        rename = "SharingGroupOrg",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub organisations: Vec<SharingGroupOrg>,
}

/// Who may receive an event, object or attribute in MISP: the level (0–5) and, for 4, the
/// sharing group. The same three properties on all three, read the same way.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Distribution {
    #[serde(
        rename = "distribution",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub level: Option<Num>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sharing_group_id: Option<Num>,
    #[serde(
        rename = "SharingGroup",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sharing_group: Option<SharingGroup>,
}

impl Distribution {
    pub fn level(level: u8) -> Distribution {
        Distribution {
            level: Some(Num(level.into())),
            ..Distribution::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    #[serde(rename = "type")]
    pub type_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(deserialize_with = "text")]
    pub value: String,
    #[serde(default)]
    pub to_ids: Flag,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Num>,
    #[serde(flatten)]
    pub distribution: Distribution,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_relation: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deleted: Flag,
    #[serde(rename = "Tag", default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

fn is_false(f: &Flag) -> bool {
    !f.0
}

/// A MISP object: a template-shaped group of attributes (a `file` with its hashes, a `url`…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MispObject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(
        rename = "meta-category",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub meta_category: Option<String>,
    #[serde(flatten)]
    pub distribution: Distribution,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deleted: Flag,
    #[serde(rename = "Attribute", default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    pub info: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threat_level_id: Option<Num>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<Num>,
    #[serde(flatten)]
    pub distribution: Distribution,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Flag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Num>,
    #[serde(rename = "Orgc", default, skip_serializing_if = "Option::is_none")]
    pub orgc: Option<Org>,
    #[serde(rename = "Org", default, skip_serializing_if = "Option::is_none")]
    pub org: Option<Org>,
    #[serde(rename = "Tag", default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    #[serde(rename = "Attribute", default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
    #[serde(rename = "Object", default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<MispObject>,
}

/// Why a JSON document is not a MISP event.
pub mod not_event {
    pub const NOT_JSON: &str = "not_json";
    pub const NOT_AN_OBJECT: &str = "not_an_object";
    /// MISP (and PyMISP) require an event's `info`.
    pub const NO_INFO: &str = "no_info";
    pub const INVALID: &str = "invalid_event";
}

impl Event {
    /// Reads an event from `{"Event": {...}}`, a bare event, or an API answer
    /// `{"response": [{"Event": …}]}` (its first event, as PyMISP does).
    pub fn parse(text: &str) -> Result<Event, MispProblem> {
        let value: Value =
            serde_json::from_str(text).map_err(|_| MispProblem::new("", not_event::NOT_JSON))?;
        Event::from_value(value)
    }

    pub fn from_value(value: Value) -> Result<Event, MispProblem> {
        let mut v = value;
        let mut path = String::new();
        if let Some(r) = v.get_mut("response").map(Value::take) {
            v = match r {
                Value::Array(mut list) if !list.is_empty() => list.swap_remove(0),
                other => other,
            };
            path.push_str("response[0]");
        }
        if let Some(e) = v.get_mut("Event").map(Value::take) {
            v = e;
            path = if path.is_empty() {
                "Event".into()
            } else {
                format!("{path}.Event")
            };
        }
        if !v.is_object() {
            return Err(MispProblem::new(path, not_event::NOT_AN_OBJECT));
        }
        if v.get("info")
            .and_then(Value::as_str)
            .is_none_or(|i| i.trim().is_empty())
        {
            let at = if path.is_empty() {
                "info".to_owned()
            } else {
                format!("{path}.info")
            };
            return Err(MispProblem::new(at, not_event::NO_INFO));
        }
        serde_json::from_value(v)
            .map_err(|e| MispProblem::new(format!("{path} ({e})"), not_event::INVALID))
    }

    /// `{"Event": …}`, the form MISP exports and feeds use.
    pub fn to_json(&self) -> Value {
        serde_json::json!({ "Event": self })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn lenient_about_representation() {
        let e = Event::parse(
            r#"{"Event": {"info": "x", "distribution": "3", "threat_level_id": 1, "published": "0",
                "Attribute": [{"type": "port", "value": 443, "to_ids": "1", "timestamp": "1513893921"}]}}"#,
        )
        .unwrap();
        assert_eq!(e.distribution.level, Some(Num(3)));
        assert_eq!(e.published, Some(Flag(false)));
        assert_eq!(e.attributes[0].value, "443");
        assert!(e.attributes[0].to_ids.0);
        let out = serde_json::to_value(&e).unwrap();
        assert_eq!(out["distribution"], "3");
    }

    #[test]
    fn wrappers_and_refusals() {
        assert_eq!(
            Event::parse(r#"{"response": [{"Event": {"info": "a"}}]}"#)
                .unwrap()
                .info,
            "a"
        );
        assert_eq!(Event::parse(r#"{"info": "b"}"#).unwrap().info, "b");
        assert_eq!(
            Event::parse("{}").unwrap_err(),
            MispProblem::new("info", not_event::NO_INFO)
        );
        assert_eq!(
            Event::parse(r#"{"Event": {"info": " "}}"#)
                .unwrap_err()
                .path,
            "Event.info"
        );
        assert_eq!(
            Event::parse("[1]").unwrap_err().message_key,
            not_event::NOT_AN_OBJECT
        );
        assert_eq!(
            Event::parse("nope").unwrap_err().message_key,
            not_event::NOT_JSON
        );
        assert_eq!(
            Event::parse(r#"{"info": "c", "distribution": "x"}"#)
                .unwrap_err()
                .message_key,
            not_event::INVALID
        );
    }

    proptest::proptest! {
        #[test]
        fn numbers_read_from_either_form(n in proptest::prelude::any::<i64>()) {
            let from_number: Num = serde_json::from_value(serde_json::json!(n)).unwrap();
            let from_text: Num = serde_json::from_value(serde_json::json!(n.to_string())).unwrap();
            proptest::prop_assert_eq!(from_number, Num(n));
            proptest::prop_assert_eq!(from_text, Num(n));
            proptest::prop_assert_eq!(serde_json::to_value(Num(n)).unwrap(), serde_json::json!(n.to_string()));
        }
    }
}
