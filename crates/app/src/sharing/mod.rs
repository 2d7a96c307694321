//! Indicators shared across the network. Every read goes through `load` (one check against
//! `Principal::read_rule`; anyone else gets "not found") and every list, count, lookup and export
//! through the store's SQL filter compiled from the same rule. Writes check the policy, change,
//! and audit in one transaction.

pub mod lookup;
pub mod misp;
pub mod stix;
pub mod taxii;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use irnet_domain::ids::{OrgId, UserId};
use irnet_domain::incident::ObservableKind;
use irnet_domain::{RecordAccess, Tlp};
use irnet_interop::stix::export::{ID_NAMESPACE, stix_id, uuid_v5};
use irnet_interop::stix::pattern;
use irnet_interop::{IndicatorValue, Observable};
use irnet_store::DbConn;
use irnet_store::access::{ShareRow, share_many};
use irnet_store::directory::orgs;
use irnet_store::page::{Page, clamp_limit};
use irnet_store::sharing::{self as store, Filter, IndicatorRow, SightingRow};
use irnet_store::time::{from_db, to_db};

use crate::audit::{self, Change};
use crate::error::Problems;
use crate::{Actor, App, AppError};

/// One typed observable, as given and as shown.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ObservableIo {
    /// ip, cidr, domain, url, md5, sha1, sha256, email
    pub kind: String,
    pub value: String,
}

/// A new indicator, or a new version of one the organisation already holds for the same value.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct NewIndicator {
    /// typed values, any of which matches (give these or `pattern`)
    #[serde(default)]
    pub observables: Vec<ObservableIo>,
    /// a STIX 2.1 pattern; kept as written unless it is a plain list of values
    pub pattern: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// TLP 2.0; default AMBER
    pub tlp: Option<String>,
    /// 0–100
    pub confidence: Option<i32>,
    /// RFC 3339; default now
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub incident_id: Option<String>,
    pub alert_id: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SightingView {
    pub id: String,
    /// seen, false_positive
    pub kind: String,
    /// `null` when anonymous towards the reader
    pub org_id: Option<String>,
    /// `null` when anonymous towards the reader
    pub reported_by: Option<String>,
    pub anonymous: bool,
    pub note: Option<String>,
    pub created_at: String,
}

/// An indicator as its audience sees it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct IndicatorView {
    pub id: String,
    pub stix_id: String,
    pub owner_org_id: String,
    pub owner_name: String,
    pub tlp: String,
    /// empty when the indicator is an opaque STIX pattern
    pub observables: Vec<ObservableIo>,
    pub pattern: String,
    pub name: String,
    pub description: Option<String>,
    pub confidence: Option<i32>,
    pub valid_from: String,
    pub valid_until: Option<String>,
    pub revoked: bool,
    /// MISP's "for intrusion detection": false for context imported as an observable
    pub to_ids: bool,
    pub incident_id: Option<String>,
    pub alert_id: Option<String>,
    pub version: i32,
    pub created_at: String,
    pub modified_at: String,
    pub added_at: String,
    /// organisations it was shared with (shown to the owner only)
    pub shared_with: Vec<String>,
    pub sightings: Vec<SightingView>,
    /// the reader's organisation owns it: may revoke and share
    pub may_manage: bool,
}

fn stamp(t: chrono::NaiveDateTime) -> String {
    from_db(t).to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub(crate) fn value_of(row: &IndicatorRow) -> IndicatorValue {
    serde_json::from_str(&row.value)
        .unwrap_or_else(|_| IndicatorValue::StixPattern(row.pattern.clone()))
}

pub(crate) fn tlp_of(row: &IndicatorRow) -> Result<Tlp, AppError> {
    Tlp::parse(&row.tlp).map_err(|e| AppError::Internal(e.to_string()))
}

/// The indicator, or "not found" when the reader may not read it: existence never leaks.
pub(crate) fn load(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<IndicatorRow, AppError> {
    let row = store::get(conn, id)?.ok_or(AppError::NotFound)?;
    let (shared_orgs, shared_people) = store::audience(conn, id)?;
    let access = RecordAccess {
        owner_org: OrgId::from_trusted(row.owner_org_id.clone()),
        tlp: tlp_of(&row)?,
        shared_orgs: shared_orgs.into_iter().map(OrgId::from_trusted).collect(),
        shared_people: shared_people
            .into_iter()
            .map(UserId::from_trusted)
            .collect(),
    };
    if !actor.principal.may_read(&access) {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

fn owns(actor: &Actor, row: &IndicatorRow) -> bool {
    actor.principal.may_act_for(&actor.principal.org_id)
        && row.owner_org_id == actor.principal.org_id.as_str()
}

/// The incidents and alerts that indicators link to which the reader may open: an indicator
/// readable to many (GREEN) may point at a record readable to few (a TLP:RED incident), and its
/// id is shown only to those who may follow it. Asked once for a whole page, through the
/// policy's read rules compiled in SQL.
#[derive(Debug, Default)]
pub(crate) struct Links {
    incidents: HashMap<String, Tlp>,
    /// title and TLP of each readable alert
    alerts: HashMap<String, (String, Tlp)>,
}

impl Links {
    pub(crate) fn of(
        conn: &mut DbConn,
        actor: &Actor,
        rows: &[IndicatorRow],
    ) -> Result<Links, AppError> {
        let p = &actor.principal;
        let distinct = |ids: Vec<&String>| -> Vec<String> {
            let set: std::collections::BTreeSet<String> = ids.into_iter().cloned().collect();
            set.into_iter().collect()
        };
        let incident_ids = distinct(rows.iter().filter_map(|r| r.incident_id.as_ref()).collect());
        let alert_ids = distinct(rows.iter().filter_map(|r| r.alert_id.as_ref()).collect());
        let mut links = Links::default();
        if !incident_ids.is_empty() {
            let readable = irnet_store::incidents::readable_among(
                conn,
                &p.incident_read_rule(),
                p.user_id.as_str(),
                &incident_ids,
            )?;
            for (id, tlp) in readable {
                let tlp = Tlp::parse(&tlp).map_err(|e| AppError::Internal(e.to_string()))?;
                links.incidents.insert(id, tlp);
            }
        }
        if !alert_ids.is_empty() {
            let filter = irnet_store::alerts::Filter {
                own_org: p.org_id.as_str().to_owned(),
                ..Default::default()
            };
            let readable = irnet_store::alerts::readable_among(
                conn,
                &p.alert_read_rule(),
                &filter,
                &alert_ids,
            )?;
            for a in readable {
                let tlp = Tlp::parse(&a.tlp).map_err(|e| AppError::Internal(e.to_string()))?;
                links.alerts.insert(a.id, (a.title, tlp));
            }
        }
        Ok(links)
    }

    /// The linked incident's id, if the reader may open it.
    pub(crate) fn incident(&self, id: Option<&str>) -> Option<String> {
        id.filter(|i| self.incidents.contains_key(*i))
            .map(str::to_owned)
    }

    /// The linked alert's id, if the reader may open it.
    pub(crate) fn alert(&self, id: Option<&str>) -> Option<String> {
        id.filter(|i| self.alerts.contains_key(*i))
            .map(str::to_owned)
    }

    /// The linked alert's title, if the reader may read the alert and its TLP may travel under
    /// `marking` (what it is exported under): never an AMBER+STRICT title in a GREEN event.
    pub(crate) fn alert_title_under(&self, id: Option<&str>, marking: Tlp) -> Option<&str> {
        let (title, tlp) = self.alerts.get(id?)?;
        marking.may_carry(*tlp).then_some(title.as_str())
    }
}

/// One indicator as the reader sees it (its links checked alone).
pub(crate) fn view_one(
    conn: &mut DbConn,
    actor: &Actor,
    row: IndicatorRow,
) -> Result<IndicatorView, AppError> {
    let links = Links::of(conn, actor, std::slice::from_ref(&row))?;
    view(conn, actor, row, &links)
}

/// An indicator as the reader sees it; `links` holds what its incident and alert links may show.
pub(crate) fn view(
    conn: &mut DbConn,
    actor: &Actor,
    row: IndicatorRow,
    links: &Links,
) -> Result<IndicatorView, AppError> {
    let owner_name = orgs::get(conn, &row.owner_org_id)?
        .map(|o| o.name_vi)
        .unwrap_or_default();
    let own = actor.principal.org_id.as_str();
    let is_owner = row.owner_org_id == own;
    let shared_with = if is_owner {
        store::audience(conn, &row.id)?.0
    } else {
        Vec::new()
    };
    let sightings = store::sightings(conn, &row.id)?
        .into_iter()
        .map(|s| {
            // An anonymous sighting names its reporter to the reporting organisation only.
            let named = !s.anonymous || s.org_id == own;
            SightingView {
                id: s.id,
                kind: s.kind,
                org_id: named.then_some(s.org_id),
                reported_by: named.then_some(s.reported_by),
                anonymous: s.anonymous,
                note: s.note,
                created_at: stamp(s.created_at),
            }
        })
        .collect();
    let observables = match value_of(&row) {
        IndicatorValue::Observables(list) => list
            .iter()
            .map(|o| ObservableIo {
                kind: o.kind().as_str().to_owned(),
                value: o.value().to_owned(),
            })
            .collect(),
        IndicatorValue::StixPattern(_) => Vec::new(),
    };
    Ok(IndicatorView {
        may_manage: owns(actor, &row),
        id: row.id,
        stix_id: row.stix_id,
        owner_org_id: row.owner_org_id,
        owner_name,
        tlp: row.tlp,
        observables,
        pattern: row.pattern,
        name: row.name,
        description: row.description,
        confidence: row.confidence,
        valid_from: stamp(row.valid_from),
        valid_until: row.valid_until.map(stamp),
        revoked: row.revoked,
        to_ids: row.to_ids,
        incident_id: links.incident(row.incident_id.as_deref()),
        alert_id: links.alert(row.alert_id.as_deref()),
        version: row.version,
        created_at: stamp(row.created_at),
        modified_at: stamp(row.modified_at),
        added_at: stamp(row.added_at),
        shared_with,
        sightings,
    })
}

/// What an indicator is, validated: shared by the API, STIX and MISP imports.
#[derive(Debug, Clone)]
pub(crate) struct Valid {
    pub value: IndicatorValue,
    pub pattern: String,
    pub name: String,
    pub description: Option<String>,
    pub tlp: Tlp,
    pub confidence: Option<i32>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    pub revoked: bool,
    /// false for context (a MISP attribute not "for intrusion detection")
    pub to_ids: bool,
    pub incident_id: Option<String>,
    pub alert_id: Option<String>,
    /// the producer's STIX id, kept when the indicator is new
    pub stix_id: Option<String>,
}

fn time(p: &mut Problems, field: &str, s: Option<&str>) -> Option<DateTime<Utc>> {
    let s = s.map(str::trim).filter(|s| !s.is_empty())?;
    match DateTime::parse_from_rfc3339(s) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(_) => {
            p.add(field, "invalid_datetime");
            None
        }
    }
}

fn clean(s: Option<&str>) -> Option<String> {
    s.map(|v| irnet_domain::text::nfc(v.trim()))
        .filter(|v| !v.is_empty())
}

fn validate(app: &App, n: &NewIndicator) -> Result<Valid, AppError> {
    let mut p = Problems::default();
    let mut list = Vec::new();
    for (i, o) in n.observables.iter().enumerate() {
        let kind = p.check(
            &format!("observables[{i}].kind"),
            ObservableKind::parse(&o.kind),
        );
        if let Some(kind) = kind
            && let Some(v) = p.check(
                &format!("observables[{i}].value"),
                Observable::parse(kind, &o.value),
            )
        {
            list.push(v);
        }
    }
    let pattern_in = clean(n.pattern.as_deref());
    let value = match (&pattern_in, n.observables.is_empty()) {
        (Some(_), false) | (None, true) => {
            p.add("observables", "observables_or_pattern");
            None
        }
        (Some(pat), true) => {
            if pattern::well_formed(pat) {
                Some(pattern::indicator_value(pat))
            } else {
                p.add("pattern", "invalid_pattern");
                None
            }
        }
        (None, false) => Some(IndicatorValue::Observables(list)),
    };
    let tlp = p.check("tlp", Tlp::parse(n.tlp.as_deref().unwrap_or("AMBER")));
    if n.confidence.is_some_and(|c| !(0..=100).contains(&c)) {
        p.add("confidence", "out_of_range");
    }
    let valid_from = time(&mut p, "valid_from", n.valid_from.as_deref());
    let valid_until = time(&mut p, "valid_until", n.valid_until.as_deref());
    let from = valid_from.unwrap_or_else(|| app.now());
    if valid_until.is_some_and(|u| u <= from) {
        p.add("valid_until", "not_after_valid_from");
    }
    let name = clean(n.name.as_deref());
    if name.as_ref().is_some_and(|s| s.chars().count() > 300) {
        p.add("name", "invalid_length");
    }
    p.into_result()?;
    let (Some(value), Some(tlp)) = (value, tlp) else {
        return Err(AppError::Internal("validated indicator incomplete".into()));
    };
    let value = value.normalised();
    let pattern = match &value {
        IndicatorValue::Observables(list) => pattern::to_pattern(list),
        IndicatorValue::StixPattern(pat) => pat.clone(),
    };
    Ok(Valid {
        name: name.unwrap_or_else(|| pattern.clone()),
        value,
        pattern,
        description: clean(n.description.as_deref()),
        tlp,
        confidence: n.confidence,
        valid_from: from,
        valid_until,
        revoked: false,
        to_ids: true,
        incident_id: clean(n.incident_id.as_deref()),
        alert_id: clean(n.alert_id.as_deref()),
        stix_id: None,
    })
}

/// The de-duplication key: a digest of the normalised value.
fn value_key(value: &IndicatorValue) -> Result<(String, String), AppError> {
    let json = serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((uuid_v5(ID_NAMESPACE, json.as_bytes()).to_string(), json))
}

fn observables_of(value: &IndicatorValue) -> Vec<(String, String)> {
    match value {
        IndicatorValue::Observables(list) => list
            .iter()
            .map(|o| (o.kind().as_str().to_owned(), o.value().to_owned()))
            .collect(),
        IndicatorValue::StixPattern(_) => Vec::new(),
    }
}

pub(crate) fn require_author(actor: &Actor) -> Result<(), AppError> {
    let p = &actor.principal;
    if !p.may_write() {
        return Err(AppError::ReadOnly);
    }
    if !p.may_act_for(&p.org_id) {
        return Err(AppError::Forbidden);
    }
    Ok(())
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
        .ok_or_else(|| AppError::Internal("upsert stored nothing".into()))
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
    let mut incidents_ok: HashSet<String> = HashSet::new();
    for incident in vs.iter().filter_map(|v| v.incident_id.as_ref()) {
        if incidents_ok.insert(incident.clone()) {
            crate::incidents::load(conn, actor, incident)
                .map_err(|_| AppError::invalid("incident_id", "unknown_incident"))?;
        }
    }
    let mut alerts_ok: HashSet<String> = HashSet::new();
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
    let mut rows: HashMap<String, IndicatorRow> = HashMap::new();
    let mut by_key: HashMap<String, String> = HashMap::new();
    let mut by_stix: HashMap<String, String> = HashMap::new();
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
    let stored: HashSet<String> = rows.keys().cloned().collect();
    let now = to_db(app.now());
    let mut observables: HashMap<String, Vec<(String, String)>> = HashMap::new();
    let mut created_ids: Vec<String> = Vec::new();
    // Stored rows changed, with the step of their last change.
    let mut last_change: HashMap<String, usize> = HashMap::new();
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
                row.tlp = v.tlp.as_str().to_owned();
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
                    id: uuid.to_string(),
                    stix_id: stix,
                    owner_org_id: org.clone(),
                    created_by: actor.user_id().map(str::to_owned),
                    tlp: v.tlp.as_str().to_owned(),
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
    let mut updated_ids: Vec<String> = last_change.keys().cloned().collect();
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
                record_id: id.clone(),
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
            object_id: Some(&row.id),
            object_org_id: Some(&org),
            summary: serde_json::json!({
                "tlp": row.tlp, "version": row.version, "via": via, "stix_id": row.stix_id,
            }),
        })
        .collect();
    audit::record_many(conn, app, actor, changes)?;
    Ok(out)
}

/// Records an indicator of the actor's organisation (or a new version of the one it holds for
/// the same value).
pub async fn create(
    app: &App,
    actor: &Actor,
    input: NewIndicator,
) -> Result<(IndicatorView, bool), AppError> {
    let v = validate(app, &input)?;
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            require_author(&actor2)?;
            let (row, created) = upsert(conn, &app2, &actor2, v, "api")?;
            Ok((view_one(conn, &actor2, row)?, created))
        })
        .await
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// only this source organisation
    pub org: Option<String>,
    /// only this TLP
    pub tlp: Option<String>,
    /// only indicators with an observable of this kind
    pub kind: Option<String>,
    /// true or false
    pub revoked: Option<bool>,
    pub incident: Option<String>,
    /// words of the name or value (values are matched in their canonical, lower-case form)
    pub q: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

fn filter_of(q: &ListQuery) -> Result<Filter, AppError> {
    let tlp = match &q.tlp {
        Some(t) => Some(vec![
            Tlp::parse(t)
                .map_err(|e| AppError::field("tlp", &e))?
                .as_str()
                .to_owned(),
        ]),
        None => None,
    };
    if let Some(k) = &q.kind {
        ObservableKind::parse(k).map_err(|e| AppError::field("kind", &e))?;
    }
    Ok(Filter {
        owner_org_id: q.org.clone(),
        tlp,
        kind: q.kind.clone(),
        revoked: q.revoked,
        incident_id: q.incident.clone(),
        search: clean(q.q.as_deref()).map(|w| {
            let escaped: String = w
                .chars()
                .flat_map(|c| match c {
                    '%' | '_' | '\\' => vec!['\\', c],
                    c => vec![c],
                })
                .collect();
            format!("%{escaped}%")
        }),
        ..Filter::default()
    })
}

/// Whether a list's incident filter names an incident the reader may open (or none): the filter
/// on one they may not would tell which indicators link to it.
fn incident_filter_readable(
    conn: &mut DbConn,
    actor: &Actor,
    filter: &Filter,
) -> Result<bool, AppError> {
    let Some(id) = &filter.incident_id else {
        return Ok(true);
    };
    let p = &actor.principal;
    let found = irnet_store::incidents::readable_among(
        conn,
        &p.incident_read_rule(),
        p.user_id.as_str(),
        std::slice::from_ref(id),
    )?;
    Ok(!found.is_empty())
}

/// The indicators the reader may see, newest first.
pub async fn list(app: &App, actor: &Actor, q: ListQuery) -> Result<Page<IndicatorView>, AppError> {
    let filter = filter_of(&q)?;
    let limit = clamp_limit(q.limit);
    let (actor2, rule) = (actor.clone(), actor.principal.read_rule());
    app.store
        .read(move |conn| {
            if !incident_filter_readable(conn, &actor2, &filter)? {
                return Ok(Page {
                    next_cursor: None,
                    items: Vec::new(),
                });
            }
            let page = store::list(conn, &rule, &filter, q.cursor.as_deref(), limit)?;
            let links = Links::of(conn, &actor2, &page.items)?;
            Ok(Page {
                next_cursor: page.next_cursor,
                items: page
                    .items
                    .into_iter()
                    .map(|r| view(conn, &actor2, r, &links))
                    .collect::<Result<_, _>>()?,
            })
        })
        .await
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Count {
    pub total: i64,
}

pub async fn count(app: &App, actor: &Actor, q: ListQuery) -> Result<Count, AppError> {
    let filter = filter_of(&q)?;
    let (actor2, rule) = (actor.clone(), actor.principal.read_rule());
    app.store
        .read(move |conn| {
            if !incident_filter_readable(conn, &actor2, &filter)? {
                return Ok(Count { total: 0 });
            }
            Ok(Count {
                total: store::count(conn, &rule, &filter)?,
            })
        })
        .await
}

pub async fn get(app: &App, actor: &Actor, id: &str) -> Result<IndicatorView, AppError> {
    let (actor2, id) = (actor.clone(), id.to_owned());
    app.store
        .read(move |conn| {
            let row = load(conn, &actor2, &id)?;
            view_one(conn, &actor2, row)
        })
        .await
}

/// Runs `f` on an indicator the actor's organisation owns, in one write transaction.
async fn manage<F>(app: &App, actor: &Actor, id: &str, f: F) -> Result<IndicatorView, AppError>
where
    F: FnOnce(&mut DbConn, &App, &Actor, &mut IndicatorRow) -> Result<(), AppError>
        + Send
        + 'static,
{
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.to_owned());
    app.store
        .write(move |conn| {
            let mut row = load(conn, &actor2, &id)?;
            if !actor2.principal.may_write() {
                return Err(AppError::ReadOnly);
            }
            if !owns(&actor2, &row) {
                return Err(AppError::Forbidden);
            }
            f(conn, &app2, &actor2, &mut row)?;
            let row = load(conn, &actor2, &id)?;
            view_one(conn, &actor2, row)
        })
        .await
}

/// Withdraws an indicator: a new version marked revoked, so that TAXII clients see the change.
pub async fn revoke(app: &App, actor: &Actor, id: &str) -> Result<IndicatorView, AppError> {
    manage(app, actor, id, |conn, app, actor, row| {
        if row.revoked {
            return Err(AppError::Conflict {
                code: "already_revoked",
                field: None,
            });
        }
        let now = to_db(app.now());
        row.revoked = true;
        row.version += 1;
        row.modified_at = now.max(row.modified_at);
        row.added_at = now;
        let observables: Vec<(String, String)> = observables_of(&value_of(row));
        store::save(conn, row, &observables)?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "indicator.revoked",
                object_type: "indicator",
                object_id: Some(&row.id),
                object_org_id: Some(&row.owner_org_id),
                summary: serde_json::json!({ "version": row.version }),
            },
        )
    })
    .await
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct ShareInput {
    /// an organisation to add to the audience
    pub org_id: Option<String>,
    /// a person to name (needed for TLP:RED)
    pub user_id: Option<String>,
}

/// The owner adds an organisation or a named person to the audience.
pub async fn share(
    app: &App,
    actor: &Actor,
    id: &str,
    input: ShareInput,
) -> Result<IndicatorView, AppError> {
    manage(app, actor, id, move |conn, app, actor, row| {
        let org = clean(input.org_id.as_deref());
        let user = clean(input.user_id.as_deref());
        if org.is_none() && user.is_none() {
            return Err(AppError::invalid("org_id", "required"));
        }
        if let Some(o) = &org
            && orgs::get(conn, o)?.is_none()
        {
            return Err(AppError::invalid("org_id", "unknown_org"));
        }
        if let Some(u) = &user
            && irnet_store::identity::users::get(conn, u)?.is_none()
        {
            return Err(AppError::invalid("user_id", "unknown_user"));
        }
        let now = to_db(app.now());
        if let Some(o) = &org {
            store::share_with(conn, &row.id, Some(o), None, now)?;
        }
        if let Some(u) = &user {
            store::share_with(conn, &row.id, None, Some(u), now)?;
        }
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "indicator.shared",
                object_type: "indicator",
                object_id: Some(&row.id),
                object_org_id: Some(&row.owner_org_id),
                summary: serde_json::json!({ "org_id": org, "user_id": user }),
            },
        )
    })
    .await
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct SightingInput {
    /// seen, false_positive
    pub kind: String,
    /// hide the reporter (person and organisation) from everyone but the reporting organisation
    #[serde(default)]
    pub anonymous: bool,
    pub note: Option<String>,
}

/// Anyone who may read the indicator and act for their organisation reports a sighting.
pub async fn sight(
    app: &App,
    actor: &Actor,
    id: &str,
    input: SightingInput,
) -> Result<IndicatorView, AppError> {
    if !matches!(input.kind.as_str(), "seen" | "false_positive") {
        return Err(AppError::invalid("kind", "invalid_value"));
    }
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.to_owned());
    app.store
        .write(move |conn| {
            let row = load(conn, &actor2, &id)?;
            require_author(&actor2)?;
            let p = &actor2.principal;
            let s = SightingRow {
                id: uuid::Uuid::now_v7().to_string(),
                indicator_id: row.id.clone(),
                org_id: p.org_id.as_str().to_owned(),
                reported_by: p.user_id.as_str().to_owned(),
                kind: input.kind.clone(),
                anonymous: input.anonymous,
                note: clean(input.note.as_deref()),
                created_at: to_db(app2.now()),
            };
            store::add_sighting(conn, &s)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "indicator.sighted",
                    object_type: "indicator",
                    object_id: Some(&row.id),
                    object_org_id: Some(&s.org_id),
                    summary: serde_json::json!({ "kind": s.kind, "anonymous": s.anonymous }),
                },
            )?;
            view_one(conn, &actor2, row)
        })
        .await
}
