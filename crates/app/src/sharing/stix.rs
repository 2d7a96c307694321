//! STIX 2.1 in and out. An import is all or nothing: `interop::stix::import_bundle` validates
//! the whole bundle first and every problem comes back as a field error naming the object and
//! property (`objects[indicator--…].created`). Every object is stored as its producer made it
//! (`objects`: the STIX object store, versioned by `modified`, one object per STIX id), and
//! indicators are projected into the indicators table for lookup (`project`). An object without
//! a TLP marking gets TLP:AMBER, the importer's default. Exports are built from the indicators
//! the reader may see, never TLP:RED (an automated channel, like TAXII).

use std::collections::{HashMap, HashSet};

use irnet_domain::Tlp;
use irnet_interop::stix::Problem;
use irnet_interop::stix::export::{ExportIdentity, ExportIndicator, ExportInput, stix_id};
use irnet_interop::stix::import::{StixImport, import_bundle};
use irnet_interop::stix::problem::keys;
use irnet_store::DbConn;
use irnet_store::directory::orgs;
use irnet_store::sharing::{Filter, IndicatorRow};
use irnet_store::time::from_db;
use serde_json::Value;

use super::objects::{ObjectOutcome, Outcome, store_objects};
use super::{require_author, value_of};
use crate::error::FieldError;
use crate::{Actor, App, AppError};

/// What an import did: per object, and the indicators' projections.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ImportSummary {
    pub bundle_id: String,
    /// objects the network did not hold
    pub created: usize,
    /// new versions of held objects
    pub updated: usize,
    /// versions already held by the importer's organisation, left as they were
    pub unchanged: usize,
    /// versions already held by others, whose audience now includes the importer
    pub audience_added: usize,
    /// every object of the bundle (each version once), in bundle order
    pub objects: Vec<ObjectOutcome>,
    /// the indicators' projections (for lookup and the indicator pages)
    pub indicators: Vec<ImportedRef>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ImportedRef {
    pub stix_id: String,
    pub id: String,
    /// the version (STIX `modified`) now held
    pub version: String,
}

/// The interop problems as field errors: `objects[<object id>].<property>`, code
/// `stix_<key>` (localised under `error-stix-…`). A problem of the text as a whole (not JSON)
/// names the `body`; a NUL keeps the code every other input gives it. Two versions of one object
/// in conflict are named as `objects[<object id>]`, with both positions in the message.
pub fn field_errors(problems: Vec<Problem>) -> AppError {
    AppError::Validation(
        problems
            .into_iter()
            .map(|p| {
                if p.message_key == keys::DUPLICATE_ID {
                    return FieldError {
                        field: format!("objects[{}]", p.object_id),
                        code: format!("stix_{}", p.message_key),
                        params: vec![("positions".to_owned(), p.property)],
                    };
                }
                FieldError {
                    field: match (p.object_id.is_empty(), p.property.is_empty()) {
                        (true, true) => "body".to_owned(),
                        (true, false) => p.property,
                        _ => format!("objects[{}].{}", p.object_id, p.property),
                    },
                    code: if keys::shared(p.message_key) {
                        p.message_key.to_owned()
                    } else {
                        format!("stix_{}", p.message_key)
                    },
                    params: p
                        .params
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect(),
                }
            })
            .collect(),
    )
}

/// Stores every object of a validated import for the actor's organisation, and projects its
/// indicators, in the caller's transaction.
pub(crate) fn store_import(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    import: StixImport,
    via: &str,
) -> Result<ImportSummary, AppError> {
    let objects = store_objects(conn, app, actor, &import.objects)?;
    let indicators = super::project::project(conn, app, actor, import.indicators, &objects, via)?;
    let count = |o: Outcome| objects.iter().filter(|x| x.outcome == o).count();
    let summary = ImportSummary {
        bundle_id: import.bundle_id,
        created: count(Outcome::Created),
        updated: count(Outcome::NewVersion),
        unchanged: count(Outcome::Unchanged),
        audience_added: count(Outcome::AudienceAdded),
        indicators,
        objects,
    };
    let change = crate::audit::Change {
        action: "stix.imported",
        object_type: "stix_bundle",
        object_id: Some(&summary.bundle_id),
        object_org_id: Some(actor.principal.org_id.as_str()),
        summary: serde_json::json!({
            "via": via, "created": summary.created, "new_versions": summary.updated,
            "unchanged": summary.unchanged, "audience_added": summary.audience_added,
        }),
    };
    crate::audit::record_many(conn, app, actor, vec![change])?;
    Ok(summary)
}

/// Imports a bundle for the actor's organisation: everything or nothing.
pub async fn import(app: &App, actor: &Actor, text: String) -> Result<ImportSummary, AppError> {
    require_author(actor)?;
    let import = import_bundle(&text).map_err(field_errors)?;
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            require_author(&actor2)?;
            store_import(conn, &app2, &actor2, import, "stix")
        })
        .await
}

pub(crate) fn uuid_of(s: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(s).map_err(|e| AppError::internal_in(format!("id {s}"), e))
}

/// An indicator row as the interop exporters take it (STIX and MISP). Never TLP:RED.
pub(crate) fn export_indicator(r: &IndicatorRow) -> Result<ExportIndicator, AppError> {
    Ok(ExportIndicator {
        id: uuid_of(r.id.as_str())?,
        source: uuid_of(&r.owner_org_id)?,
        tlp: automated_tlp(r)?,
        name: r.name.clone(),
        // STIX best practice (validator 303) wants both a name and a description.
        description: Some(r.description.clone().unwrap_or_else(|| r.name.clone())),
        value: value_of(r),
        indicator_types: vec!["malicious-activity".to_owned()],
        confidence: r.confidence.and_then(|c| u8::try_from(c).ok()),
        valid_from: from_db(r.valid_from),
        valid_until: r.valid_until.map(from_db),
        revoked: r.revoked,
        created: from_db(r.created_at),
        modified: from_db(r.modified_at.max(r.created_at)),
    })
}

/// The STIX objects of `rows` (indicators, their organisations' identities, the TLP marking
/// definitions used), each indicator under its stored STIX id. Rows must not be TLP:RED.
pub(crate) fn objects(conn: &mut DbConn, rows: &[IndicatorRow]) -> Result<Value, AppError> {
    let mut input = ExportInput::default();
    let mut seen_orgs = HashSet::new();
    let mut renamed = HashMap::new();
    for r in rows {
        if !seen_orgs.contains(&r.owner_org_id) {
            let org = orgs::get(conn, &r.owner_org_id)?.ok_or(AppError::NotFound)?;
            input.identities.push(ExportIdentity {
                id: uuid_of(&org.id)?,
                name: org.name_vi.clone(),
                created: from_db(org.created_at),
                modified: from_db(org.updated_at.max(org.created_at)),
            });
            seen_orgs.insert(r.owner_org_id.clone());
        }
        let indicator = export_indicator(r)?;
        renamed.insert(stix_id("indicator", indicator.id), r.stix_id.clone());
        input.indicators.push(indicator);
    }
    let mut bundle = irnet_interop::stix::export::build_bundle(&input)
        .map_err(|p| AppError::internal(format!("export: {p:?}")))?;
    // Imported indicators keep the producer's id, so that the network speaks of one object.
    if let Some(list) = bundle.get_mut("objects").and_then(Value::as_array_mut) {
        for o in list {
            let ours = o.get("id").and_then(Value::as_str).map(str::to_owned);
            if let Some(theirs) = ours.and_then(|id| renamed.get(&id))
                && let Some(map) = o.as_object_mut()
            {
                map.insert("id".into(), Value::String(theirs.clone()));
            }
        }
    }
    Ok(bundle)
}

/// The row's TLP, which must be one an automated channel may carry (the callers' filters exclude
/// TLP:RED; reaching it here is a defect, not a refusal).
fn automated_tlp(r: &IndicatorRow) -> Result<Tlp, AppError> {
    let tlp = r.tlp;
    if !tlp.leaves_by_automated_channel() {
        return Err(AppError::internal("TLP:RED reached an export"));
    }
    Ok(tlp)
}

/// One indicator alone, as TAXII serves it: the same object as in an export bundle (under its
/// stored STIX id), built without the bundle around it. Never TLP:RED.
pub(crate) fn indicator_object(r: &IndicatorRow) -> Result<Value, AppError> {
    let mut o = irnet_interop::stix::export::indicator_object(&export_indicator(r)?)
        .map_err(|p| AppError::internal(format!("export: {p:?}")))?;
    if let Some(map) = o.as_object_mut() {
        map.insert("id".into(), Value::String(r.stix_id.clone()));
    }
    Ok(o)
}

/// Every indicator the reader may see, except TLP:RED, as one STIX 2.1 bundle.
pub async fn export(app: &App, actor: &Actor) -> Result<Value, AppError> {
    let rule = actor.principal.read_rule();
    let bundle = app
        .store
        .read(move |conn| {
            let filter = Filter {
                tlp: Some(automated_levels()),
                ..Filter::default()
            };
            let rows = irnet_store::sharing::all(conn, &rule, &filter)?;
            objects(conn, &rows)
        })
        .await?;
    crate::audit::exported(app, actor, "stix", None, serde_json::json!({})).await?;
    Ok(bundle)
}

/// The TLP levels automated channels may carry (all but RED).
pub fn automated_levels() -> Vec<Tlp> {
    Tlp::ALL
        .into_iter()
        .filter(|t| t.leaves_by_automated_channel())
        .collect()
}
