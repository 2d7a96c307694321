//! The TAXII 2.1 resources (TAXII 2.1, sections 4 and 5), as serde types written from the
//! specification. Optional properties are left out when empty, as the specification asks
//! ("MUST NOT be present" rather than null).

use crate::stix::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `GET /taxii2/` (4.1.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discovery {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub api_roots: Vec<String>,
}

/// `GET {api-root}/` (4.2.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiRoot {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub versions: Vec<String>,
    pub max_content_length: u64,
}

/// One collection (5.2.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Collection {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    pub can_read: bool,
    pub can_write: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media_types: Vec<String>,
}

/// `GET {api-root}/collections/` (5.1.1); an empty list is written as `{}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Collections {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collections: Vec<Collection>,
}

/// The objects of a collection, a page at a time (3.7).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Envelope {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<Value>,
}

/// One object version in a manifest (5.3.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestRecord {
    pub id: String,
    /// When the server added this version (a STIX timestamp).
    pub date_added: String,
    /// The version: the object's `modified`, or `created`, or (objects with neither) the
    /// `date_added`.
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

impl ManifestRecord {
    /// The record of a stored object version: its id, and as version its `modified`, else its
    /// `created`, else (objects that are not versioned, such as observables) `date_added`.
    /// `None` for a value without a string `id`.
    pub fn for_object(object: &Value, date_added: Timestamp) -> Option<ManifestRecord> {
        let id = object.get("id")?.as_str()?.to_owned();
        let stamp = |k: &str| {
            object
                .get(k)
                .and_then(Value::as_str)
                .and_then(Timestamp::parse)
        };
        let version = stamp("modified")
            .or_else(|| stamp("created"))
            .unwrap_or(date_added);
        Some(ManifestRecord {
            id,
            date_added: date_added.to_stix_exact(),
            version: version.to_stix(),
            media_type: Some(crate::stix::MEDIA_TYPE.to_owned()),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Manifest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<ManifestRecord>,
}

/// `GET …/objects/{id}/versions/` (5.7).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Versions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusKind {
    Pending,
    Complete,
}

/// One object of an add request, in a status resource (4.3.1 "status-details").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusDetails {
    pub id: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The status of an add request (4.3.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub id: String,
    pub status: StatusKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_timestamp: Option<String>,
    pub total_count: u64,
    pub success_count: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub successes: Vec<StatusDetails>,
    pub failure_count: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<StatusDetails>,
    pub pending_count: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pendings: Vec<StatusDetails>,
}

impl Status {
    /// A status whose counts agree with its lists, and which is complete when nothing is
    /// pending: the counts are derived here so they cannot disagree.
    pub fn new(
        id: String,
        request_timestamp: Option<String>,
        successes: Vec<StatusDetails>,
        failures: Vec<StatusDetails>,
        pendings: Vec<StatusDetails>,
    ) -> Status {
        let n = |l: &Vec<StatusDetails>| l.len() as u64;
        Status {
            id,
            status: if pendings.is_empty() {
                StatusKind::Complete
            } else {
                StatusKind::Pending
            },
            request_timestamp,
            total_count: n(&successes) + n(&failures) + n(&pendings),
            success_count: n(&successes),
            failure_count: n(&failures),
            pending_count: n(&pendings),
            successes,
            failures,
            pendings,
        }
    }
}

/// The error message body (3.6.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Error {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_details: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Map<String, Value>>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_optionals_are_left_out() {
        assert_eq!(
            serde_json::to_value(Collections::default()).unwrap(),
            json!({})
        );
        assert_eq!(
            serde_json::to_value(Envelope::default()).unwrap(),
            json!({})
        );
        let d = Discovery {
            title: "irnet".into(),
            description: None,
            contact: None,
            default: Some("/taxii2/irnet/".into()),
            api_roots: vec!["/taxii2/irnet/".into()],
        };
        assert_eq!(
            serde_json::to_value(d).unwrap(),
            json!({"title": "irnet", "default": "/taxii2/irnet/", "api_roots": ["/taxii2/irnet/"]})
        );
    }

    #[test]
    fn status_counts_follow_the_lists() {
        let d = |id: &str| StatusDetails {
            id: id.into(),
            version: "2024-01-01T00:00:00.000Z".into(),
            message: None,
        };
        let s = Status::new(
            "s1".into(),
            None,
            vec![d("a"), d("b")],
            vec![d("c")],
            vec![],
        );
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["status"], "complete");
        assert_eq!(
            (
                v["total_count"].as_u64(),
                v["success_count"].as_u64(),
                v["failure_count"].as_u64(),
                v["pending_count"].as_u64()
            ),
            (Some(3), Some(2), Some(1), Some(0))
        );
        assert!(v.get("pendings").is_none());
        assert_eq!(
            Status::new("s2".into(), None, vec![], vec![], vec![d("x")]).status,
            StatusKind::Pending
        );
    }

    #[test]
    fn manifest_versions_come_from_the_object() {
        let added = Timestamp::parse("2024-05-01T10:00:00Z").unwrap();
        let r = ManifestRecord::for_object(
            &json!({"id": "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e", "created": "2016-11-01T03:04:05Z", "modified": "2016-11-03T12:30:59.1Z"}),
            added,
        )
        .unwrap();
        assert_eq!(
            (r.version.as_str(), r.date_added.as_str()),
            ("2016-11-03T12:30:59.100Z", "2024-05-01T10:00:00.000Z")
        );
        let sco = ManifestRecord::for_object(
            &json!({"id": "ipv4-addr--6770298f-0fd8-471a-ab8c-1c658a46574e"}),
            added,
        )
        .unwrap();
        assert_eq!(sco.version, "2024-05-01T10:00:00.000Z");
        assert!(ManifestRecord::for_object(&json!({}), added).is_none());
    }

    #[test]
    fn medallion_shaped_resources_read_back() {
        let c: Collection = serde_json::from_value(json!({
            "id": "472c94ae-3113-4e3e-a4dd-a9f4ac7471d4", "title": "This data collection is for testing querying across collections",
            "can_read": false, "can_write": true, "media_types": ["application/stix+json;version=2.1"]
        }))
        .unwrap();
        assert!(c.can_write && !c.can_read);
        let m: ManifestRecord = serde_json::from_value(json!({
            "id": "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e", "date_added": "2016-11-01T03:04:05.000Z",
            "version": "2016-11-03T12:30:59.000Z", "media_type": "application/stix+json;version=2.1"
        }))
        .unwrap();
        assert_eq!(m.media_type.as_deref(), Some(crate::stix::MEDIA_TYPE));
    }
}
