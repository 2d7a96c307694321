//! Imported indicators projected into the `indicators` table, for lookup, lists and the TLP
//! rule. The projection of a stored STIX indicator carries the producer's id and its
//! `created`/`modified`; there is one per STIX id, which importers of the same object share
//! (the object store decided who holds what: `objects::store_objects`).

use std::collections::HashMap;

use irnet_domain::Tlp;
use irnet_domain::ids::IndicatorId;
use irnet_interop::IndicatorValue;
use irnet_interop::stix::import::ImportedIndicator;
use irnet_interop::stix::pattern;
use irnet_store::DbConn;
use irnet_store::access::{ShareRow, share_many};
use irnet_store::sharing::{self as store, IndicatorRow};
use irnet_store::time::{from_db, to_db};

use super::objects::{ObjectOutcome, Outcome};
use super::observables_of;
use super::stix::ImportedRef;
use super::upsert::value_key;
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

/// Writes the projections of the imported indicators whose version the import stored (new or
/// newer than the projection), and shares a projection with the importer when the import added
/// them to the very version it shows. Audited as indicator changes. A projection the importer
/// may not read is never changed (its object's new version is in the store all the same).
pub(crate) fn project(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    indicators: Vec<ImportedIndicator>,
    outcomes: &[ObjectOutcome],
    via: &str,
) -> Result<Vec<ImportedRef>, AppError> {
    let org = actor.principal.org_id.as_str().to_owned();
    let user = actor.user_id().map(str::to_owned);
    let now = to_db(app.now());
    let stamp = |t| irnet_interop::stix::Timestamp::from_utc(t).to_stix();
    let outcome_of: HashMap<(&str, Option<&str>), Outcome> = outcomes
        .iter()
        .map(|o| ((o.stix_id.as_str(), o.version.as_deref()), o.outcome))
        .collect();
    let ids: Vec<String> = indicators.iter().map(|i| i.stix_id.clone()).collect();
    let rule = actor.principal.read_rule();
    let mut readable: HashMap<String, IndicatorRow> =
        store::readable_by_stix_ids(conn, &rule, &ids)?
            .into_iter()
            .map(|r| (r.stix_id.clone(), r))
            .collect();
    let taken: std::collections::HashSet<String> =
        store::stix_ids_taken(conn, &ids)?.into_iter().collect();
    let mut refs = Vec::new();
    let mut created: Vec<IndicatorRow> = Vec::new();
    let mut new_observables: Vec<(IndicatorId, String, String)> = Vec::new();
    let mut changed: Vec<(IndicatorRow, bool)> = Vec::new();
    for i in indicators {
        let version = stamp(i.modified);
        let Some(&outcome) = outcome_of.get(&(i.stix_id.as_str(), Some(version.as_str()))) else {
            continue;
        };
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
        let (key, json) = value_key(&value)?;
        let obs = observables_of(&value);
        let tlp = i.tlp.unwrap_or(Tlp::Amber);
        let modified = to_db(i.modified);
        match (outcome, readable.remove(&i.stix_id)) {
            (Outcome::Created | Outcome::NewVersion, Some(mut row)) => {
                if row.modified_at < modified {
                    row.value_key = key;
                    row.value = json;
                    row.pattern = pattern_text.clone();
                    row.tlp = tlp;
                    row.name = i.name.unwrap_or(pattern_text);
                    row.description = i.description;
                    row.confidence = i.confidence.map(i32::from);
                    row.valid_from = to_db(i.valid_from);
                    row.valid_until = i.valid_until.map(to_db);
                    row.revoked = i.revoked;
                    row.version += 1;
                    row.created_at = to_db(i.created);
                    row.modified_at = modified;
                    row.added_at = now;
                    store::save(conn, &row, &obs)?;
                    changed.push((row.clone(), false));
                }
                share(conn, &row.id, &row.owner_org_id, &org, user.as_deref(), now)?;
                refs.push(imported_ref(&row));
            }
            (Outcome::Created | Outcome::NewVersion, None) if !taken.contains(&i.stix_id) => {
                let row = IndicatorRow {
                    id: IndicatorId::from_trusted(uuid::Uuid::now_v7().hyphenated().to_string()),
                    stix_id: i.stix_id.clone(),
                    owner_org_id: org.clone(),
                    created_by: user.clone(),
                    tlp,
                    value_key: key,
                    value: json,
                    pattern: pattern_text.clone(),
                    name: i.name.unwrap_or(pattern_text),
                    description: i.description,
                    confidence: i.confidence.map(i32::from),
                    valid_from: to_db(i.valid_from),
                    valid_until: i.valid_until.map(to_db),
                    revoked: i.revoked,
                    incident_id: None,
                    alert_id: None,
                    version: 1,
                    created_at: to_db(i.created),
                    modified_at: modified,
                    added_at: now,
                    to_ids: true,
                };
                new_observables.extend(obs.into_iter().map(|(k, v)| (row.id.clone(), k, v)));
                refs.push(imported_ref(&row));
                changed.push((row.clone(), true));
                created.push(row);
            }
            (Outcome::AudienceAdded, _) => {
                // The importer holds this very version: they join the projection's audience
                // when it shows that version (not a later one they never received).
                if let Some((id, owner, at)) = store::projection_of(conn, &i.stix_id)?
                    && at == modified
                {
                    share(conn, &id, &owner, &org, user.as_deref(), now)?;
                    if let Some(row) = store::get(conn, &id)? {
                        refs.push(imported_ref(&row));
                    }
                }
            }
            (Outcome::Unchanged, Some(row)) => refs.push(imported_ref(&row)),
            _ => {}
        }
    }
    store::insert_many(conn, &created, &new_observables)?;
    // The importer is named on new projections, in multi-row inserts (a bundle may hold a
    // million indicators).
    if let Some(u) = &user {
        let shares: Vec<ShareRow> = created
            .iter()
            .map(|row| ShareRow {
                id: uuid::Uuid::now_v7().to_string(),
                record_kind: store::KIND.to_owned(),
                record_id: row.id.to_string(),
                org_id: None,
                user_id: Some(u.clone()),
                created_at: now,
            })
            .collect();
        share_many(conn, &shares)?;
    }
    let changes = changed
        .iter()
        .map(|(row, new)| Change {
            action: if *new {
                "indicator.created"
            } else {
                "indicator.updated"
            },
            object_type: "indicator",
            object_id: Some(row.id.as_str()),
            object_org_id: Some(&row.owner_org_id),
            summary: serde_json::json!({
                "tlp": row.tlp.as_str(), "version": row.version, "via": via, "stix_id": row.stix_id,
            }),
        })
        .collect();
    audit::record_many(conn, app, actor, changes)?;
    Ok(refs)
}

fn imported_ref(row: &IndicatorRow) -> ImportedRef {
    ImportedRef {
        stix_id: row.stix_id.clone(),
        id: row.id.to_string(),
        version: irnet_interop::stix::Timestamp::from_utc(from_db(row.modified_at)).to_stix(),
    }
}

/// Adds the importer's organisation and person to a projection's audience (the owner's
/// organisation needs no share).
fn share(
    conn: &mut DbConn,
    id: &IndicatorId,
    owner: &str,
    org: &str,
    user: Option<&str>,
    now: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    if owner != org {
        store::share_with(conn, id, Some(org), None, now)?;
    }
    if let Some(u) = user {
        store::share_with(conn, id, None, Some(u), now)?;
    }
    Ok(())
}
