//! MISP in and out. An import is all or nothing: `interop::misp` reads the event and maps its
//! attributes, and every problem comes back as a field error naming the attribute (by its uuid
//! when it has one, else by its index) and the property (`Attribute[<uuid>].Tag[0]`).
//!
//! How MISP's sharing maps onto irnet's (also in docs/ARCHITECTURE.md, "MISP"): the `tlp:` tags
//! give the TLP and the distribution level caps it, the narrower of the two applying:
//!
//! - 0 "your organisation only": the importing organisation only — at least TLP:AMBER+STRICT;
//! - 1, 2, 3 (community, connected communities, all): the network — the tag's TLP, GREEN when
//!   untagged;
//! - 4 (a sharing group): at least TLP:AMBER, shared with the group's organisations that the
//!   directory knows (by uuid, else by name); the others are listed in `unmatched_orgs`;
//! - absent (feed events): as 0.
//!
//! Attributes with the same normalised value are one indicator (the narrowest reach of them,
//! `to_ids` if any says so). Exports group what the reader may see — never TLP:RED — into one
//! event per (source organisation, linked alert, TLP), with stable uuids; the alert (its title
//! in `info`) only when the reader may read it and its TLP is no stricter than the event's.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{DateTime, Utc};
use irnet_domain::Tlp;
use irnet_domain::ids::AlertId;
use irnet_domain::text;
use irnet_interop::IndicatorValue;
use irnet_interop::misp::event::Event;
use irnet_interop::misp::export::{EventMeta, build_event, distribution_for};
use irnet_interop::misp::feed::{FeedFile, build_feed};
use irnet_interop::misp::mapping::{Audience, MispImport};
use irnet_interop::misp::{MispProblem, import_event};
use irnet_interop::stix::export::{ID_NAMESPACE, uuid_v5};
use irnet_interop::stix::pattern;
use irnet_store::DbConn;
use irnet_store::directory::orgs;
use irnet_store::sharing::{self as store, Filter, IndicatorRow};
use irnet_store::time::{from_db, to_db};
use serde_json::Value;

use super::stix::{automated_levels, export_indicator, uuid_of};
use super::{Links, Valid, require_author, upsert};
use crate::error::FieldError;
use crate::{Actor, App, AppError};

/// What an import stored.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct MispImportSummary {
    pub created: usize,
    pub updated: usize,
    pub events: Vec<ImportedEvent>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ImportedEvent {
    pub event_uuid: Option<String>,
    pub info: String,
    pub indicators: Vec<ImportedAttribute>,
    /// attributes left out: a type that is not an observable, a value that does not validate,
    /// a deleted attribute
    pub skipped: Vec<SkippedAttribute>,
    /// sharing-group organisations the directory does not know (not given access)
    pub unmatched_orgs: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ImportedAttribute {
    /// where in the event, e.g. `Object[2].Attribute[0]`
    pub path: String,
    pub attribute_uuid: Option<String>,
    /// the indicator it became (attributes with the same value share one)
    pub id: String,
    pub tlp: String,
    pub to_ids: bool,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SkippedAttribute {
    pub path: String,
    pub attribute_uuid: Option<String>,
    #[serde(rename = "type")]
    pub type_name: String,
    /// unmapped_type, invalid_value, deleted
    pub reason: String,
}

/// Names an attribute by its uuid when it has one: `Object[1].Attribute[2].Tag[0]` becomes
/// `Object[1].Attribute[<uuid>].Tag[0]`, which a person can search the file for.
fn named(event: &Event, path: &str) -> String {
    let index = |s: &str, name: &str| -> Option<(usize, usize)> {
        let rest = s.strip_prefix(name)?.strip_prefix('[')?;
        let end = rest.find(']')?;
        Some((rest[..end].parse().ok()?, name.len() + end + 2))
    };
    let (attributes, offset) = match index(path, "Object") {
        Some((o, n)) if path[n..].starts_with(".Attribute") => match event.objects.get(o) {
            Some(obj) => (&obj.attributes, n + 1),
            None => return path.to_owned(),
        },
        _ => (&event.attributes, 0),
    };
    let Some((i, end)) = index(&path[offset..], "Attribute") else {
        return path.to_owned();
    };
    match attributes.get(i).and_then(|a| a.uuid.as_deref()) {
        Some(uuid) => format!(
            "{}Attribute[{uuid}]{}",
            &path[..offset],
            &path[offset + end..]
        ),
        None => path.to_owned(),
    }
}

fn field_errors(prefix: &str, problems: Vec<(String, &'static str)>) -> Vec<FieldError> {
    problems
        .into_iter()
        .map(|(path, key)| FieldError {
            field: match (prefix.is_empty(), path.is_empty()) {
                (true, true) => "body".to_owned(),
                (true, false) => path,
                (false, true) => prefix.to_owned(),
                (false, false) => format!("{prefix}.{path}"),
            },
            code: format!("misp_{key}"),
            params: vec![],
        })
        .collect()
}

/// The events of a document: `{"Event": …}`, a bare event, or MISP's API answer
/// `{"response": [{"Event": …}, …]}` (every event of it), each mapped; or every problem.
pub fn read(text: &str) -> Result<Vec<MispImport>, AppError> {
    // A byte order mark is skipped; text that is not JSON says where (`json_text`).
    let value: Value = irnet_interop::json_text::parse(text).map_err(AppError::from)?;
    let documents: Vec<(String, Value)> = match value {
        Value::Object(mut map) if matches!(map.get("response"), Some(Value::Array(_))) => {
            match map.remove("response") {
                Some(Value::Array(list)) if !list.is_empty() => list
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (format!("response[{i}]"), v))
                    .collect(),
                _ => return Err(AppError::invalid("response", "misp_no_event")),
            }
        }
        other => vec![(String::new(), other)],
    };
    let mut problems = Vec::new();
    let mut imports = Vec::new();
    for (prefix, doc) in documents {
        let wrapped = doc.get("Event").is_some();
        let event = match Event::from_value(doc) {
            Ok(e) => e,
            Err(p) => {
                problems.extend(field_errors(&prefix, vec![(p.path, p.message_key)]));
                continue;
            }
        };
        let at = match (prefix.is_empty(), wrapped) {
            (true, true) => "Event".to_owned(),
            (false, true) => format!("{prefix}.Event"),
            (_, false) => prefix,
        };
        match import_event(&event) {
            Ok(i) => imports.push(i),
            Err(list) => problems.extend(field_errors(
                &at,
                list.into_iter()
                    .map(|MispProblem { path, message_key }| (named(&event, &path), message_key))
                    .collect(),
            )),
        }
    }
    if problems.is_empty() {
        Ok(imports)
    } else {
        Err(AppError::Validation(problems))
    }
}

/// Who may read an attribute in irnet: its TLP and, below the network, the organisations it is
/// shared with (`None`: no limit beyond the TLP).
#[derive(Debug, Clone)]
struct Reach {
    tlp: Tlp,
    orgs: Option<BTreeSet<String>>,
}

impl Reach {
    /// The narrower of two: the higher TLP, the organisations both admit.
    fn narrowest(self, other: Reach) -> Reach {
        Reach {
            tlp: self.tlp.max(other.tlp),
            orgs: match (self.orgs, other.orgs) {
                (Some(a), Some(b)) => Some(a.intersection(&b).cloned().collect()),
                (a, b) => a.or(b),
            },
        }
    }
}

/// The directory's organisations of a sharing group; the names of the others.
fn group_orgs(
    conn: &mut DbConn,
    audience: &Audience,
    unmatched: &mut BTreeSet<String>,
) -> Result<BTreeSet<String>, AppError> {
    let mut found = BTreeSet::new();
    if let Audience::SharingGroup { organisations, .. } = audience {
        for o in organisations {
            let by_uuid = match &o.uuid {
                Some(u) => orgs::get(conn, u)?,
                None => None,
            };
            let row = match by_uuid {
                Some(r) => Some(r),
                None if !o.name.trim().is_empty() => {
                    orgs::find(conn, o.name.trim(), &text::fold(o.name.trim()))?
                }
                None => None,
            };
            match row {
                Some(r) => {
                    found.insert(r.id);
                }
                None => {
                    unmatched.insert(if o.name.is_empty() {
                        o.uuid.clone().unwrap_or_default()
                    } else {
                        o.name.clone()
                    });
                }
            }
        }
    }
    Ok(found)
}

fn reach(tlp: Option<Tlp>, audience: &Audience, group: BTreeSet<String>) -> Reach {
    match audience {
        Audience::SourceOrganisation => Reach {
            tlp: tlp.unwrap_or(Tlp::AmberStrict).max(Tlp::AmberStrict),
            orgs: Some(BTreeSet::new()),
        },
        Audience::SharingGroup { .. } => Reach {
            tlp: tlp.unwrap_or(Tlp::Amber).max(Tlp::Amber),
            orgs: Some(group),
        },
        Audience::Network => Reach {
            tlp: tlp.unwrap_or(Tlp::Green),
            orgs: None,
        },
    }
}

/// One indicator to store: the attributes with its value, merged.
struct Merged {
    value: IndicatorValue,
    reach: Reach,
    to_ids: bool,
    comment: Option<String>,
    timestamp: Option<i64>,
    attribute_uuid: Option<String>,
    paths: Vec<(String, Option<String>)>,
}

fn store_event(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    import: MispImport,
    summary: &mut MispImportSummary,
) -> Result<(), AppError> {
    let own = actor.principal.org_id.as_str().to_owned();
    let mut unmatched = BTreeSet::new();
    let mut merged: BTreeMap<String, Merged> = BTreeMap::new();
    for a in import.indicators {
        let value = IndicatorValue::Observables(a.observables).normalised();
        let key = serde_json::to_string(&value).map_err(AppError::internal)?;
        let group = group_orgs(conn, &a.audience, &mut unmatched)?;
        let r = reach(a.tlp, &a.audience, group);
        let path = (a.path, a.attribute_uuid.clone());
        match merged.get_mut(&key) {
            Some(m) => {
                m.reach = m.reach.clone().narrowest(r);
                m.to_ids |= a.to_ids;
                m.paths.push(path);
            }
            None => {
                merged.insert(
                    key,
                    Merged {
                        value,
                        reach: r,
                        to_ids: a.to_ids,
                        comment: a.comment,
                        timestamp: a.timestamp,
                        attribute_uuid: a.attribute_uuid,
                        paths: vec![path],
                    },
                );
            }
        }
    }
    let event_time = app.now();
    let mut event = ImportedEvent {
        event_uuid: import.event_uuid,
        info: import.info.clone(),
        indicators: Vec::new(),
        skipped: import
            .skipped
            .into_iter()
            .map(|s| SkippedAttribute {
                path: s.path,
                attribute_uuid: s.attribute_uuid,
                type_name: s.misp_type,
                reason: s.reason.to_owned(),
            })
            .collect(),
        unmatched_orgs: Vec::new(),
    };
    // In the event's order, so that a summary reads like the file.
    let mut ordered: Vec<Merged> = merged.into_values().collect();
    ordered.sort_by(|a, b| a.paths[0].0.cmp(&b.paths[0].0));
    for m in ordered {
        let pattern_text = match &m.value {
            IndicatorValue::Observables(list) => pattern::to_pattern(list),
            IndicatorValue::StixPattern(p) => p.clone(),
        };
        let description = match &m.comment {
            Some(c) => format!("{} — {c}", import.info),
            None => import.info.clone(),
        };
        let valid_from = m
            .timestamp
            .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0))
            .unwrap_or(event_time);
        // MISP's STIX export names an attribute's indicator after the attribute's uuid.
        let stix = m
            .attribute_uuid
            .as_deref()
            .and_then(|u| uuid::Uuid::try_parse(u).ok())
            .map(|u| format!("indicator--{}", u.hyphenated()));
        let v = Valid {
            name: text::nfc(&pattern_text),
            value: m.value,
            pattern: pattern_text,
            description: Some(text::nfc(&description)),
            tlp: m.reach.tlp,
            confidence: None,
            valid_from,
            valid_until: None,
            revoked: false,
            to_ids: m.to_ids,
            incident_id: None,
            alert_id: None,
            stix_id: stix,
        };
        let (row, created) = upsert(conn, app, actor, v, "misp")?;
        if created {
            summary.created += 1;
        } else {
            summary.updated += 1;
        }
        if matches!(m.reach.tlp, Tlp::Amber | Tlp::AmberStrict)
            && let Some(list) = &m.reach.orgs
        {
            let now = to_db(app.now());
            for org in list.iter().filter(|o| **o != own) {
                store::share_with(conn, &row.id, Some(org), None, now)?;
            }
        }
        for (path, attribute_uuid) in m.paths {
            event.indicators.push(ImportedAttribute {
                path,
                attribute_uuid,
                id: row.id.to_string(),
                tlp: row.tlp.as_str().to_owned(),
                to_ids: row.to_ids,
            });
        }
    }
    event.unmatched_orgs = unmatched.into_iter().collect();
    summary.events.push(event);
    Ok(())
}

/// Imports MISP events for the actor's organisation: everything or nothing.
pub async fn import(app: &App, actor: &Actor, text: String) -> Result<MispImportSummary, AppError> {
    require_author(actor)?;
    let imports = read(&text)?;
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            require_author(&actor2)?;
            let mut summary = MispImportSummary::default();
            for i in imports {
                store_event(conn, &app2, &actor2, i, &mut summary)?;
            }
            Ok(summary)
        })
        .await
}

/// The events of what the reader may see, never TLP:RED: one per (source organisation, linked
/// alert, TLP), sorted by uuid. An event carries an alert — its title in `info`, its id in the
/// event's uuid — only when the reader may read the alert and its TLP may travel under the
/// event's (`Tlp::may_carry`): never an AMBER+STRICT alert's title in a GREEN event. Otherwise
/// the indicators go with those linked to no alert, under the neutral "source — TLP" text.
fn events_of(conn: &mut DbConn, actor: &Actor) -> Result<Vec<Event>, AppError> {
    let filter = Filter {
        tlp: Some(automated_levels()),
        ..Filter::default()
    };
    let rows = store::all(conn, &actor.principal.read_rule(), &filter)?;
    let links = Links::of(conn, actor, &rows)?;
    // The events are sorted by uuid at the end; the groups' order does not matter.
    let mut groups: BTreeMap<(String, Option<AlertId>, Tlp), Vec<IndicatorRow>> = BTreeMap::new();
    for r in rows {
        let alert = links
            .alert_title_under(r.alert_id.as_ref(), r.tlp)
            .and(r.alert_id.clone());
        groups
            .entry((r.owner_org_id.clone(), alert, r.tlp))
            .or_default()
            .push(r);
    }
    let mut events = Vec::new();
    for ((org_id, alert_id, tlp), rows) in groups {
        if !tlp.leaves_by_automated_channel() {
            return Err(AppError::internal("TLP:RED reached a MISP export"));
        }
        let org = orgs::get(conn, &org_id)?.ok_or(AppError::NotFound)?;
        let info = match links.alert_title_under(alert_id.as_ref(), tlp) {
            Some(t) => format!("{t} — {} — TLP:{tlp}", org.name_vi),
            None => format!("{} — TLP:{tlp}", org.name_vi),
        };
        let mut indicators = Vec::with_capacity(rows.len());
        let mut context_only = HashSet::new();
        for r in &rows {
            let i = export_indicator(r)?;
            if !r.to_ids {
                context_only.insert(i.id);
            }
            indicators.push(i);
        }
        let created = rows.iter().map(|r| r.created_at).min().unwrap_or_default();
        let modified = rows
            .iter()
            .map(|r| r.modified_at.max(r.created_at))
            .max()
            .unwrap_or_default();
        let meta = EventMeta {
            uuid: uuid_v5(
                ID_NAMESPACE,
                format!(
                    "misp-event:{org_id}:{}:{}",
                    alert_id.as_ref().map_or("", AlertId::as_str),
                    tlp.as_str()
                )
                .as_bytes(),
            ),
            info,
            org_name: org.name_vi.clone(),
            org_uuid: uuid_of(&org.id)?,
            date: from_db(created).date_naive(),
            timestamp: from_db(modified),
            distribution: distribution_for(tlp),
            threat_level_id: 4,
            analysis: 2,
            published: true,
        };
        events.push(
            build_event(&meta, &indicators, &context_only)
                .map_err(|p| AppError::internal(format!("MISP export: {p:?}")))?,
        );
    }
    events.sort_by(|a, b| a.uuid.cmp(&b.uuid));
    Ok(events)
}

/// What the reader may see, as MISP events (`{"response": [{"Event": …}, …]}`, the form of
/// MISP's own API).
pub async fn export(app: &App, actor: &Actor) -> Result<Value, AppError> {
    let reader = actor.clone();
    let events = app
        .store
        .read(move |conn| {
            let events = events_of(conn, &reader)?;
            Ok::<_, AppError>(serde_json::json!({
                "response": events.iter().map(Event::to_json).collect::<Vec<_>>()
            }))
        })
        .await?;
    crate::audit::exported(app, actor, "misp", None, serde_json::json!({})).await?;
    Ok(events)
}

/// The MISP feed of what the reader may see: `manifest.json`, `hashes.csv` and one
/// `<uuid>.json` per event.
pub async fn feed(app: &App, actor: &Actor) -> Result<Vec<FeedFile>, AppError> {
    let actor = actor.clone();
    app.store
        .read(move |conn| {
            let events = events_of(conn, &actor)?;
            build_feed(&events).map_err(|p| AppError::internal(format!("MISP feed: {p:?}")))
        })
        .await
}

/// One file of the reader's feed; an event the reader may not see is "not found".
pub async fn feed_file(app: &App, actor: &Actor, path: &str) -> Result<FeedFile, AppError> {
    feed(app, actor)
        .await?
        .into_iter()
        .find(|f| f.path == path)
        .ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn attributes_are_named_by_uuid_when_they_have_one() {
        let e = Event::parse(
            r#"{"info": "x", "Attribute": [{"type": "domain", "value": "a.example"},
                {"uuid": "5a3c0000-0000-4000-8000-000000000002", "type": "domain", "value": "b.example"}],
                "Object": [{"name": "file", "Attribute": [{"uuid": "u-o", "type": "md5", "value": "x"}]}]}"#,
        )
        .unwrap();
        assert_eq!(named(&e, "Attribute[0].Tag[1]"), "Attribute[0].Tag[1]");
        assert_eq!(
            named(&e, "Attribute[1].distribution"),
            "Attribute[5a3c0000-0000-4000-8000-000000000002].distribution"
        );
        assert_eq!(
            named(&e, "Object[0].Attribute[0].Tag[0]"),
            "Object[0].Attribute[u-o].Tag[0]"
        );
        assert_eq!(named(&e, "Tag[3]"), "Tag[3]");
        assert_eq!(
            named(&e, "Object[0].distribution"),
            "Object[0].distribution"
        );
        assert_eq!(named(&e, "Attribute[9].Tag[0]"), "Attribute[9].Tag[0]");
    }

    #[test]
    fn distribution_caps_the_tlp() {
        let none = BTreeSet::new;
        let r = |tlp, a: &Audience| reach(tlp, a, none()).tlp;
        let group = Audience::SharingGroup {
            id: None,
            name: None,
            organisations: vec![],
        };
        assert_eq!(r(None, &Audience::SourceOrganisation), Tlp::AmberStrict);
        assert_eq!(
            r(Some(Tlp::Clear), &Audience::SourceOrganisation),
            Tlp::AmberStrict
        );
        assert_eq!(r(Some(Tlp::Red), &Audience::SourceOrganisation), Tlp::Red);
        assert_eq!(r(Some(Tlp::Green), &group), Tlp::Amber);
        assert_eq!(r(None, &Audience::Network), Tlp::Green);
        assert_eq!(r(Some(Tlp::Clear), &Audience::Network), Tlp::Clear);
        let a = Reach {
            tlp: Tlp::Amber,
            orgs: Some(["a".to_owned(), "b".to_owned()].into()),
        };
        let b = Reach {
            tlp: Tlp::Green,
            orgs: None,
        };
        let c = Reach {
            tlp: Tlp::Amber,
            orgs: Some(["b".to_owned()].into()),
        };
        let n = a.narrowest(b).narrowest(c);
        assert_eq!((n.tlp, n.orgs.unwrap().len()), (Tlp::Amber, 1));
    }

    #[test]
    fn documents_are_read_with_every_problem_named() {
        let Err(AppError::Validation(p)) = read(
            r#"{"response": [{"Event": {"info": "a", "Tag": [{"name": "tlp:ex:chr"}]}}, {"Event": {}}]}"#,
        ) else {
            panic!("refused expected");
        };
        let found: Vec<_> = p
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("response[0].Event.Tag[0]", "misp_unknown_tlp_tag"),
                ("response[1].Event.info", "misp_no_info")
            ]
        );
        assert!(matches!(read("nope"), Err(AppError::Validation(_))));
        assert_eq!(read(r#"{"info": "bare"}"#).unwrap()[0].info, "bare");
    }
}
