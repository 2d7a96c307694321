//! Storing validated indicators: new ones, or the next version of one the organisation holds.

use std::collections::{HashMap, HashSet};

use irnet_domain::ids::{AlertId, IncidentId, IndicatorId};
use irnet_interop::IndicatorValue;
use irnet_interop::stix::export::{ID_NAMESPACE, stix_id, uuid_v5};
use irnet_store::DbConn;
use irnet_store::access::{ShareRow, share_many};
use irnet_store::sharing::{self as store, IndicatorRow};
use irnet_store::time::to_db;

use super::Valid;
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

/// The de-duplication key: a digest of the normalised value.
pub(crate) fn value_key(value: &IndicatorValue) -> Result<(String, String), AppError> {
    let json = serde_json::to_string(value).map_err(AppError::internal)?;
    Ok((uuid_v5(ID_NAMESPACE, json.as_bytes()).to_string(), json))
}

pub(crate) fn observables_of(value: &IndicatorValue) -> Vec<(String, String)> {
    match value {
        IndicatorValue::Observables(list) => list
            .iter()
            .map(|o| (o.kind().as_str().to_owned(), o.value().to_owned()))
            .collect(),
        IndicatorValue::StixPattern(_) => Vec::new(),
    }
}

/// Stores `v` for the actor's organisation: a new indicator, or the next version of the one it
/// holds for the same normalised value. Returns the row and whether it was new. Audited.
pub(crate) fn upsert(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    v: Valid,
    via: &str,
) -> Result<(IndicatorRow, bool), AppError> {
    upsert_many(conn, app, actor, vec![v], via)?
        .pop()
        .ok_or_else(|| AppError::internal("upsert stored nothing"))
}

/// `upsert` of each of `vs` in order, with the outcome of each (its row as that step left it),
/// exactly as that many `upsert`s would store and audit them — a later value may update the
/// indicator an earlier one created — but with a few set-based reads and multi-row writes
/// instead of a dozen statements per indicator (a STIX import of a million indicators).
pub(crate) fn upsert_many(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    vs: Vec<Valid>,
    via: &str,
) -> Result<Vec<(IndicatorRow, bool)>, AppError> {
    let org = actor.principal.org_id.as_str().to_owned();
    let mut incidents_ok: HashSet<IncidentId> = HashSet::new();
    for incident in vs.iter().filter_map(|v| v.incident_id.as_ref()) {
        if incidents_ok.insert(incident.clone()) {
            crate::incidents::load(conn, actor, incident)
                .map_err(|_| AppError::invalid("incident_id", "unknown_incident"))?;
        }
    }
    let mut alerts_ok: HashSet<AlertId> = HashSet::new();
    for alert in vs.iter().filter_map(|v| v.alert_id.as_ref()) {
        if alerts_ok.insert(alert.clone()) {
            crate::alerts::load(conn, actor, alert)
                .map_err(|_| AppError::invalid("alert_id", "unknown_alert"))?;
        }
    }
    let keyed: Vec<(String, String)> = vs
        .iter()
        .map(|v| value_key(&v.value))
        .collect::<Result<_, _>>()?;
    let keys: Vec<String> = keyed.iter().map(|(k, _)| k.clone()).collect();
    let stix_ids: Vec<String> = vs.iter().filter_map(|v| v.stix_id.clone()).collect();
    // What the database holds that the poster may read: the organisation's rows by value and by
    // STIX id. A row hidden from the poster (a colleague's TLP:RED) is never found, read or
    // changed: the value becomes a row of the poster's own, and the answer is the one they would
    // get if the hidden row did not exist. Of the STIX ids held by others, only that they are
    // taken is read (they are unique).
    let rule = actor.principal.read_rule();
    let user = actor.user_id().unwrap_or_default().to_owned();
    let mut found = store::by_values(conn, &rule, &org, &keys)?;
    // One organisation may hold a value in several rows (each hidden from another's author):
    // the poster's own comes first, then the oldest, so each author keeps versioning theirs.
    found.sort_by(|a, b| {
        let theirs = |r: &IndicatorRow| r.created_by.as_deref() != Some(user.as_str());
        (theirs(a), &a.id).cmp(&(theirs(b), &b.id))
    });
    let mut rows: HashMap<IndicatorId, IndicatorRow> = HashMap::new();
    let mut by_key: HashMap<String, IndicatorId> = HashMap::new();
    let mut by_stix: HashMap<String, IndicatorId> = HashMap::new();
    for r in found {
        by_key
            .entry(r.value_key.clone())
            .or_insert_with(|| r.id.clone());
        rows.insert(r.id.clone(), r);
    }
    let mut stix_taken: HashSet<String> = store::stix_ids_taken(conn, &stix_ids)?
        .into_iter()
        .collect();
    for r in store::by_stix_ids(conn, &rule, &org, &stix_ids)? {
        by_stix.insert(r.stix_id.clone(), r.id.clone());
        rows.insert(r.id.clone(), r);
    }
    let stored: HashSet<IndicatorId> = rows.keys().cloned().collect();
    let now = to_db(app.now());
    let mut observables: HashMap<IndicatorId, Vec<(String, String)>> = HashMap::new();
    let mut created_ids: Vec<IndicatorId> = Vec::new();
    // Stored rows changed, with the step of their last change.
    let mut last_change: HashMap<IndicatorId, usize> = HashMap::new();
    let mut out = Vec::with_capacity(vs.len());
    for (v, (key, json)) in vs.into_iter().zip(keyed) {
        let mut existing = by_key.get(&key).cloned();
        // A new version of a producer's object may change its value: it is still that object.
        if existing.is_none()
            && let Some(s) = &v.stix_id
        {
            existing = by_stix.get(s).cloned();
        }
        let obs = observables_of(&v.value);
        let (row, created) = match existing.and_then(|id| rows.remove(&id)) {
            Some(mut row) => {
                if row.value_key != key && by_key.get(&row.value_key) == Some(&row.id) {
                    by_key.remove(&row.value_key);
                }
                row.value_key = key;
                row.value = json;
                row.pattern = v.pattern;
                row.tlp = v.tlp;
                row.name = v.name;
                row.description = v.description;
                row.confidence = v.confidence;
                row.valid_from = to_db(v.valid_from);
                row.valid_until = v.valid_until.map(to_db);
                row.revoked = v.revoked;
                row.to_ids = v.to_ids;
                row.incident_id = v.incident_id.or(row.incident_id);
                row.alert_id = v.alert_id.or(row.alert_id);
                row.version += 1;
                row.modified_at = now.max(row.modified_at);
                row.added_at = now;
                (row, false)
            }
            None => {
                let uuid = uuid::Uuid::now_v7();
                // A producer's id is kept unless another indicator already carries it.
                let stix = match v.stix_id {
                    Some(s) if !stix_taken.contains(&s) => s,
                    _ => stix_id("indicator", uuid),
                };
                let row = IndicatorRow {
                    id: IndicatorId::from_trusted(uuid.hyphenated().to_string()),
                    stix_id: stix,
                    owner_org_id: org.clone(),
                    created_by: actor.user_id().map(str::to_owned),
                    tlp: v.tlp,
                    value_key: key,
                    value: json,
                    pattern: v.pattern,
                    name: v.name,
                    description: v.description,
                    confidence: v.confidence,
                    valid_from: to_db(v.valid_from),
                    valid_until: v.valid_until.map(to_db),
                    revoked: v.revoked,
                    incident_id: v.incident_id,
                    alert_id: v.alert_id,
                    version: 1,
                    created_at: now,
                    modified_at: now,
                    added_at: now,
                    to_ids: v.to_ids,
                };
                created_ids.push(row.id.clone());
                (row, true)
            }
        };
        if stored.contains(&row.id) {
            last_change.insert(row.id.clone(), out.len());
        }
        stix_taken.insert(row.stix_id.clone());
        by_stix.insert(row.stix_id.clone(), row.id.clone());
        by_key.insert(row.value_key.clone(), row.id.clone());
        observables.insert(row.id.clone(), obs);
        rows.insert(row.id.clone(), row.clone());
        out.push((row, created));
    }
    // Rows the database held first (a value may move to a row created next), in the order they
    // last changed (a value may move from one to another), then new rows.
    let mut updated_ids: Vec<IndicatorId> = last_change.keys().cloned().collect();
    updated_ids.sort_by_key(|id| last_change.get(id).copied());
    for id in &updated_ids {
        if let (Some(row), Some(obs)) = (rows.get(id), observables.get(id)) {
            store::save(conn, row, obs)?;
        }
    }
    let mut new_rows = Vec::with_capacity(created_ids.len());
    let mut new_observables = Vec::new();
    for id in &created_ids {
        if let Some(row) = rows.remove(id) {
            for (k, value) in observables.remove(id).unwrap_or_default() {
                new_observables.push((id.clone(), k, value));
            }
            new_rows.push(row);
        }
    }
    store::insert_many(conn, &new_rows, &new_observables)?;
    // The author is named, so that a TLP:RED indicator stays readable to them.
    if let Some(user) = actor.user_id() {
        for id in &updated_ids {
            store::share_with(conn, id, None, Some(user), now)?;
        }
        let shares: Vec<ShareRow> = created_ids
            .iter()
            .map(|id| ShareRow {
                id: uuid::Uuid::now_v7().to_string(),
                record_kind: store::KIND.to_owned(),
                record_id: id.to_string(),
                org_id: None,
                user_id: Some(user.to_owned()),
                created_at: now,
            })
            .collect();
        share_many(conn, &shares)?;
    }
    let changes = out
        .iter()
        .map(|(row, created)| Change {
            action: if *created {
                "indicator.created"
            } else {
                "indicator.updated"
            },
            object_type: "indicator",
            object_id: Some(row.id.as_str()),
            object_org_id: Some(&org),
            summary: serde_json::json!({
                "tlp": row.tlp.as_str(), "version": row.version, "via": via, "stix_id": row.stix_id,
            }),
        })
        .collect();
    audit::record_many(conn, app, actor, changes)?;
    Ok(out)
}
