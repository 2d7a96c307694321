//! STIX 2.1 in and out. An import is all or nothing: `interop::stix::import_bundle` validates
//! the whole bundle first and every problem comes back as a field error naming the object and
//! property (`objects[indicator--…].created`). Only indicators are stored; identities, reports,
//! marking definitions and other types are valid input but are counted as not imported. An
//! indicator without a TLP marking gets TLP:AMBER, the importer's default. Exports are built
//! from what the reader may see, never TLP:RED (an automated channel, like TAXII).

use std::collections::{BTreeMap, HashMap, HashSet};

use irnet_domain::Tlp;
use irnet_interop::IndicatorValue;
use irnet_interop::stix::export::{ExportIdentity, ExportIndicator, ExportInput, stix_id};
use irnet_interop::stix::import::{StixImport, import_bundle};
use irnet_interop::stix::problem::keys;
use irnet_interop::stix::{Problem, pattern};
use irnet_store::DbConn;
use irnet_store::directory::orgs;
use irnet_store::sharing::{Filter, IndicatorRow};
use irnet_store::time::from_db;
use serde_json::Value;

use super::{Valid, require_author, upsert_many, value_of};
use crate::error::FieldError;
use crate::{Actor, App, AppError};

/// What an import stored.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ImportSummary {
    pub bundle_id: String,
    pub created: usize,
    pub updated: usize,
    pub indicators: Vec<ImportedRef>,
    /// object types valid but not stored, with how many
    pub not_imported: BTreeMap<String, usize>,
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
/// names the `body`; a NUL keeps the code every other input gives it.
pub fn field_errors(problems: Vec<Problem>) -> AppError {
    AppError::Validation(
        problems
            .into_iter()
            .map(|p| FieldError {
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
            })
            .collect(),
    )
}

/// Stores the indicators of a validated import for the actor's organisation, in the caller's
/// transaction.
pub(crate) fn store_import(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    import: StixImport,
    via: &str,
) -> Result<ImportSummary, AppError> {
    let mut summary = ImportSummary {
        bundle_id: import.bundle_id,
        created: 0,
        updated: 0,
        indicators: Vec::new(),
        not_imported: import.not_imported.into_iter().collect(),
    };
    for k in ["identity", "report"] {
        let n = match k {
            "identity" => import.identities.len(),
            _ => import.reports.len(),
        };
        if n > 0 {
            *summary.not_imported.entry(k.to_owned()).or_default() += n;
        }
    }
    let mut given = Vec::with_capacity(IMPORT_CHUNK);
    let mut valid = Vec::with_capacity(IMPORT_CHUNK);
    for i in import.indicators {
        let value = match i.value {
            IndicatorValue::Observables(list) if list.is_empty() => {
                IndicatorValue::StixPattern(i.pattern.clone())
            }
            v => v.normalised(),
        };
        let pattern_text = match &value {
            IndicatorValue::Observables(list) => pattern::to_pattern(list),
            IndicatorValue::StixPattern(p) => p.clone(),
        };
        given.push(i.stix_id.clone());
        valid.push(Valid {
            name: i.name.unwrap_or_else(|| pattern_text.clone()),
            value,
            pattern: pattern_text,
            description: i.description,
            tlp: i.tlp.unwrap_or(Tlp::Amber),
            confidence: i.confidence.map(i32::from),
            valid_from: i.valid_from,
            valid_until: i.valid_until,
            revoked: i.revoked,
            to_ids: true,
            incident_id: None,
            alert_id: None,
            stix_id: Some(i.stix_id),
        });
        if valid.len() == IMPORT_CHUNK {
            store_chunk(conn, app, actor, &mut given, &mut valid, via, &mut summary)?;
        }
    }
    store_chunk(conn, app, actor, &mut given, &mut valid, via, &mut summary)?;
    Ok(summary)
}

/// Indicators stored per `upsert_many`: few statements for many rows, while the rows in hand
/// stay a few megabytes.
const IMPORT_CHUNK: usize = 10_000;

fn store_chunk(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    given: &mut Vec<String>,
    valid: &mut Vec<Valid>,
    via: &str,
    summary: &mut ImportSummary,
) -> Result<(), AppError> {
    if valid.is_empty() {
        return Ok(());
    }
    let stored = upsert_many(conn, app, actor, std::mem::take(valid), via)?;
    for (stix_id, (row, created)) in given.drain(..).zip(stored) {
        if created {
            summary.created += 1;
        } else {
            summary.updated += 1;
        }
        summary.indicators.push(ImportedRef {
            stix_id,
            id: row.id.to_string(),
            version: irnet_interop::stix::Timestamp::from_utc(from_db(row.modified_at)).to_stix(),
        });
    }
    Ok(())
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
