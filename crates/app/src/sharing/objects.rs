//! The STIX object store's write side: every object of an import kept as its producer made it,
//! versioned and identified as STIX 2.1 says (issue 17).
//!
//! - One object per STIX id across the network. A version is known by its `modified` (objects
//!   without one have a single version).
//! - A version already held, identical: nothing changes (no new version, no new date added); if
//!   the importer's organisation was not in its audience, it is added ("audience added") — the
//!   importer shows it holds the very object, so it learns nothing it did not have.
//! - A version not held: stored as a new version, but only from the object's creator (the
//!   `created_by_ref` of the versions held); the same version with other content is refused.
//! - A version is a record of its own (owner: the organisation that first stored it; TLP from
//!   its markings), so a member who never received an older version does not read it.

use std::collections::{HashMap, HashSet};

use irnet_domain::Tlp;
use irnet_interop::stix::import::ImportedObject;
use irnet_interop::stix::markings;
use irnet_store::DbConn;
use irnet_store::access::{ShareRow, share_many};
use irnet_store::stix_objects::{self as store, StixObjectRow};
use irnet_store::time::to_db;

use crate::error::FieldError;
use crate::{Actor, App, AppError};

/// What an import did with one object.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// a STIX id the network did not hold
    Created,
    /// a version of a held object that was not held
    NewVersion,
    /// this very version was held, and the importer's organisation was in its audience
    Unchanged,
    /// this very version was held by others: the importer's organisation joined its audience
    AudienceAdded,
}

/// One object of an import summary.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ObjectOutcome {
    pub stix_id: String,
    #[serde(rename = "type")]
    pub type_name: String,
    /// the version (`modified`), absent for objects without versions
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub outcome: Outcome,
    /// the TLP the object is kept under (its markings, else TLP:AMBER)
    pub tlp: String,
    /// the object's `name`, when it has one (a report, a malware, a threat actor…)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl ObjectOutcome {
    /// The locale key of the outcome (`import-outcome-…`).
    pub fn outcome_key(&self) -> &'static str {
        match self.outcome {
            Outcome::Created => "import-outcome-created",
            Outcome::NewVersion => "import-outcome-new-version",
            Outcome::Unchanged => "import-outcome-unchanged",
            Outcome::AudienceAdded => "import-outcome-audience-added",
        }
    }
}

/// The TLP an object is kept under: its markings; the well-known TLP marking definitions
/// themselves are public (CLEAR); anything else unmarked is TLP:AMBER, the importer's default.
fn tlp_of(o: &ImportedObject) -> Tlp {
    match o.tlp {
        Some(t) => t,
        None if o.type_name == "marking-definition"
            && markings::well_known(&o.stix_id).is_some() =>
        {
            Tlp::Clear
        }
        None => Tlp::Amber,
    }
}

/// Stores every object of a validated import for the actor's organisation, in the caller's
/// transaction, and says what became of each. All or nothing: a refused object (not the
/// creator's version, one version with two contents) refuses the whole import.
pub(crate) fn store_objects(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    objects: &[ImportedObject],
) -> Result<Vec<ObjectOutcome>, AppError> {
    let org = actor.principal.org_id.as_str().to_owned();
    let user = actor.user_id().map(str::to_owned);
    let now = to_db(app.now());
    let mut ids: Vec<String> = objects.iter().map(|o| o.stix_id.clone()).collect();
    ids.sort_unstable();
    ids.dedup();
    // Identity is decided over every version held, readable or not; nothing of a version the
    // importer may not read is returned, only the outcome for the object it sent.
    let mut held: HashMap<String, Vec<StixObjectRow>> = HashMap::new();
    for r in store::versions_of(conn, &ids)? {
        held.entry(r.stix_id.clone()).or_default().push(r);
    }
    let had_versions: HashSet<String> = held.keys().cloned().collect();
    let mut new_rows: Vec<StixObjectRow> = Vec::new();
    let mut shares: Vec<ShareRow> = Vec::new();
    let mut errors: Vec<FieldError> = Vec::new();
    let mut out = Vec::with_capacity(objects.len());
    let share = |record_id: &str, org_id: Option<&str>, user_id: Option<&str>| ShareRow {
        id: uuid::Uuid::now_v7().to_string(),
        record_kind: store::KIND.to_owned(),
        record_id: record_id.to_owned(),
        org_id: org_id.map(str::to_owned),
        user_id: user_id.map(str::to_owned),
        created_at: now,
    };
    for o in objects {
        let key = o.version_key();
        let tlp = tlp_of(o);
        let versions = held.entry(o.stix_id.clone()).or_default();
        let outcome = if let Some(same) = versions.iter().find(|r| r.version_key == key) {
            let body: serde_json::Value =
                serde_json::from_str(&same.body).map_err(AppError::internal)?;
            if body != o.json {
                let property = if o.modified.is_some() {
                    "modified"
                } else {
                    "id"
                };
                errors.push(object_error(o, property, "stix_version_conflict"));
                continue;
            }
            let (orgs, _) = store::audience(conn, &same.id)?;
            let known = same.owner_org_id == org
                || orgs.contains(&org)
                || shares
                    .iter()
                    .any(|s| s.record_id == same.id && s.org_id.as_deref() == Some(&org));
            if known {
                Outcome::Unchanged
            } else {
                shares.push(share(&same.id, Some(&org), None));
                if let Some(u) = &user {
                    shares.push(share(&same.id, None, Some(u)));
                }
                Outcome::AudienceAdded
            }
        } else {
            if let Some(first) = versions.first()
                && first.created_by_ref != o.created_by_ref
            {
                errors.push(object_error(o, "created_by_ref", "stix_not_the_creator"));
                continue;
            }
            let outcome = if versions.is_empty() {
                Outcome::Created
            } else {
                Outcome::NewVersion
            };
            let row = StixObjectRow {
                id: uuid::Uuid::now_v7().to_string(),
                stix_id: o.stix_id.clone(),
                object_type: o.type_name.clone(),
                version_key: key,
                owner_org_id: org.clone(),
                created_by_ref: o.created_by_ref.clone(),
                tlp,
                body: o.json.to_string(),
                latest: false,
                earliest: false,
                added_at: now,
            };
            // The importer is named, so that a TLP:RED object stays readable to them.
            if let Some(u) = &user {
                shares.push(share(&row.id, None, Some(u)));
            }
            versions.push(row.clone());
            new_rows.push(row);
            outcome
        };
        out.push(ObjectOutcome {
            stix_id: o.stix_id.clone(),
            type_name: o.type_name.clone(),
            version: o
                .modified
                .map(|m| irnet_interop::stix::Timestamp::from_utc(m).to_stix()),
            outcome,
            tlp: tlp.as_str().to_owned(),
            name: o
                .json
                .get("name")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned),
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    // Newest and oldest version of each object, over what was held and what arrives.
    let mut ends: HashMap<&str, (&str, &str)> = HashMap::new();
    for (id, versions) in &held {
        let newest = versions.iter().map(|r| r.version_key.as_str()).max();
        let oldest = versions.iter().map(|r| r.version_key.as_str()).min();
        if let (Some(n), Some(o)) = (newest, oldest) {
            ends.insert(id.as_str(), (n, o));
        }
    }
    let rows: Vec<StixObjectRow> = new_rows
        .into_iter()
        .map(|mut r| {
            if let Some(&(n, o)) = ends.get(r.stix_id.as_str()) {
                r.latest = r.version_key == n;
                r.earliest = r.version_key == o;
            }
            r
        })
        .collect();
    store::insert_many(conn, &rows)?;
    // Objects that had versions before and received one: their ends may have moved.
    let mut moved: Vec<&str> = rows
        .iter()
        .map(|r| r.stix_id.as_str())
        .filter(|id| had_versions.contains(*id))
        .collect();
    moved.sort_unstable();
    moved.dedup();
    for id in moved {
        if let Some(&(n, o)) = ends.get(id) {
            store::set_ends(conn, id, n, o)?;
        }
    }
    share_many(conn, &shares)?;
    Ok(out)
}

/// A refusal naming the object and the property at fault, as the import's other problems do.
fn object_error(o: &ImportedObject, property: &str, code: &str) -> FieldError {
    FieldError {
        field: format!("objects[{}].{property}", o.stix_id),
        code: code.to_owned(),
        params: vec![],
    }
}
