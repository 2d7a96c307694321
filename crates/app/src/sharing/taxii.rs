//! TAXII 2.1 collections, derived from audiences and read through the one read rule:
//!
//! - `network`: TLP:CLEAR and TLP:GREEN, open to the whole network;
//! - one per cluster the reader's organisation belongs to: AMBER and AMBER+STRICT indicators of
//!   the cluster's members that the reader may read;
//! - the reader's organisation: AMBER and AMBER+STRICT indicators it owns or that were shared
//!   with it.
//!
//! A collection is listed only to those who may read it, and every query is the store's read
//! filter plus the collection's. TLP:RED is never served: no collection admits it. Objects come
//! from two places, merged into one page by date added: the STIX object store (every imported
//! object, every version, its JSON as its producer made it) and the indicators irnet made itself
//! (through the API or MISP), built from their rows, one version each (the newest).
//! `added_after` is exclusive at the stored precision (microseconds), and the dates added are
//! served at that precision, so a poller following `X-TAXII-Date-Added-Last` gets nothing twice.

use chrono::NaiveDateTime;
use irnet_domain::Tlp;
use irnet_interop::stix::Timestamp;
use irnet_interop::stix::export::{ID_NAMESPACE, uuid_v5};
use irnet_interop::stix::import::import_bundle;
use irnet_interop::taxii::filter::ObjectFilter;
use irnet_interop::taxii::resources::{Status, StatusDetails};
use irnet_store::DbConn;
use irnet_store::directory::clusters;
use irnet_store::sharing::{self as store, Filter, IndicatorRow};
use irnet_store::stix_objects::{self as objects_store, StixObjectRow};
use irnet_store::time::{from_db, to_db};
use serde_json::{Value, json};

use super::require_author;
use super::stix::{indicator_object, store_import};
use crate::{Actor, App, AppError};

/// The most objects one page holds: a thousand indicators are about 1 MB of JSON, one indexed
/// query and no other (bench/taxii.sh pages by 1,000, as feed consumers commonly do).
pub const MAX_PAGE: u64 = 1_000;

#[derive(Debug, Clone)]
pub struct CollectionDef {
    pub id: String,
    pub title: String,
    pub description: String,
    pub can_write: bool,
    filter: Filter,
}

impl CollectionDef {
    /// The same collection over the object store.
    fn object_filter(&self) -> objects_store::Filter {
        objects_store::Filter {
            tlp: self.filter.tlp.clone(),
            owners: self.filter.owners.clone(),
            audience_org: self.filter.audience_org.clone(),
            ..objects_store::Filter::default()
        }
    }
}

fn levels(l: &[Tlp]) -> Option<Vec<Tlp>> {
    Some(l.to_vec())
}

fn collection_id(name: &str) -> String {
    uuid_v5(ID_NAMESPACE, format!("taxii-collection:{name}").as_bytes()).to_string()
}

fn defs(conn: &mut DbConn, app: &App, actor: &Actor) -> Result<Vec<CollectionDef>, AppError> {
    let p = &actor.principal;
    let writes = p.may_write() && p.may_act_for(&p.org_id);
    let mut out = vec![CollectionDef {
        id: collection_id("network"),
        title: "Mạng lưới — TLP:CLEAR, TLP:GREEN".to_owned(),
        description: "Indicators open to the whole network".to_owned(),
        can_write: writes,
        filter: Filter {
            tlp: levels(&[Tlp::Clear, Tlp::Green]),
            ..Filter::default()
        },
    }];
    let today = app
        .now()
        .with_timezone(&app.settings.local_offset)
        .date_naive();
    for c in &p.org_clusters {
        let Some(cluster) = clusters::get(conn, c.as_str())? else {
            continue;
        };
        let members: Vec<String> = clusters::memberships_on(conn, &cluster.id, today)?
            .into_iter()
            .map(|m| m.org_id)
            .collect();
        out.push(CollectionDef {
            id: collection_id(&format!("cluster:{}", cluster.id)),
            title: format!("{} — TLP:AMBER", cluster.name_vi),
            description: "AMBER indicators of the cluster's members shared with you".to_owned(),
            can_write: false,
            filter: Filter {
                tlp: levels(&[Tlp::Amber, Tlp::AmberStrict]),
                owners: Some(members),
                ..Filter::default()
            },
        });
    }
    out.push(CollectionDef {
        id: collection_id(&format!("org:{}", p.org_id.as_str())),
        title: "Đơn vị của bạn — TLP:AMBER".to_owned(),
        description: "AMBER indicators of your organisation or shared with it".to_owned(),
        can_write: writes,
        filter: Filter {
            tlp: levels(&[Tlp::Amber, Tlp::AmberStrict]),
            audience_org: Some(p.org_id.as_str().to_owned()),
            ..Filter::default()
        },
    });
    Ok(out)
}

/// The collections the reader may read.
pub async fn collections(app: &App, actor: &Actor) -> Result<Vec<CollectionDef>, AppError> {
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store.read(move |conn| defs(conn, &app2, &actor2)).await
}

fn find(conn: &mut DbConn, app: &App, actor: &Actor, id: &str) -> Result<CollectionDef, AppError> {
    defs(conn, app, actor)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(AppError::NotFound)
}

pub async fn collection(app: &App, actor: &Actor, id: &str) -> Result<CollectionDef, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.to_owned());
    app.store
        .read(move |conn| find(conn, &app2, &actor2, &id))
        .await
}

/// One object as served, with when it was added.
#[derive(Debug, Clone)]
pub struct Served {
    pub object: Value,
    pub date_added: Timestamp,
}

#[derive(Debug, Clone, Default)]
pub struct ObjectsPage {
    pub objects: Vec<Served>,
    pub more: bool,
    pub next: Option<String>,
}

fn stamp(t: NaiveDateTime) -> Timestamp {
    Timestamp::from_utc(from_db(t))
}

/// The objects of a collection that pass `f`, one page in the order they were added: a page
/// of each source under the same cursor, merged.
pub async fn objects(
    app: &App,
    actor: &Actor,
    collection: &str,
    f: ObjectFilter,
) -> Result<ObjectsPage, AppError> {
    let (app2, actor2, collection) = (app.clone(), actor.clone(), collection.to_owned());
    app.store
        .read(move |conn| {
            let c = find(conn, &app2, &actor2, &collection)?;
            // Every object held is STIX 2.1 (an import refuses anything else).
            let spec_ok = f.spec_versions.is_empty() || f.spec_versions.iter().any(|s| s == "2.1");
            if !spec_ok {
                return Ok(ObjectsPage::default());
            }
            let after = match &f.next {
                Some(n) => Some(
                    objects_store::decode(n)
                        .ok_or_else(|| AppError::invalid("next", "invalid_next"))?,
                ),
                None => None,
            };
            let limit = i64::try_from(f.page_size(MAX_PAGE)).unwrap_or(1_000);
            let rule = actor2.principal.read_rule();
            let added_after = f.added_after.map(|t| to_db(t.utc()));
            let ids = (!f.ids.is_empty()).then(|| f.ids.clone());
            let types = (!f.types.is_empty()).then(|| f.types.clone());

            let mut of = c.object_filter();
            of.added_after = added_after;
            of.stix_ids = ids.clone();
            of.types = types.clone();
            of.versions = objects_store::Versions {
                all: f.versions.all,
                first: f.versions.first,
                last: f.versions.last,
                exact: f
                    .versions
                    .exact
                    .iter()
                    .map(|t| irnet_interop::stix::import::version_key(Some(t.utc())))
                    .collect(),
            };
            let stored = objects_store::list_by_added(conn, &rule, &of, after.clone(), limit + 1)?;

            let built_wanted = types
                .as_ref()
                .is_none_or(|t| t.iter().any(|t| t == "indicator"));
            let built = if built_wanted {
                let mut filter = c.filter;
                filter.added_after = added_after;
                filter.stix_ids = ids;
                filter.built_only = true;
                let cursor = after
                    .as_ref()
                    .map(|(at, id)| objects_store::cursor_of(*at, id));
                store::list_by_added(conn, &rule, &filter, cursor.as_deref(), limit + 1)?.items
            } else {
                Vec::new()
            };
            merge(stored, built, &f, limit)
        })
        .await
}

/// One object of either source, keyed for the merge.
enum Either {
    Stored(StixObjectRow),
    Built(IndicatorRow),
}

impl Either {
    fn key(&self) -> (NaiveDateTime, &str) {
        match self {
            Either::Stored(r) => (r.added_at, r.id.as_str()),
            Either::Built(r) => (r.added_at, r.id.as_str()),
        }
    }
}

/// The first `limit` of both sources (each sorted by date added then id, each read `limit + 1`
/// past the cursor), and whether more remain.
fn merge(
    stored: Vec<StixObjectRow>,
    built: Vec<IndicatorRow>,
    f: &ObjectFilter,
    limit: i64,
) -> Result<ObjectsPage, AppError> {
    let mut all: Vec<Either> = stored
        .into_iter()
        .map(Either::Stored)
        .chain(built.into_iter().map(Either::Built))
        .collect();
    all.sort_by(|a, b| a.key().cmp(&b.key()));
    let limit = usize::try_from(limit).unwrap_or(1_000);
    let more = all.len() > limit;
    all.truncate(limit);
    let next = if more {
        all.last().map(|e| {
            let (at, id) = e.key();
            objects_store::cursor_of(at, id)
        })
    } else {
        None
    };
    let mut objects = Vec::with_capacity(all.len());
    for e in all {
        match e {
            Either::Stored(r) => objects.push(Served {
                object: serde_json::from_str(&r.body).map_err(AppError::internal)?,
                date_added: stamp(r.added_at),
            }),
            // The built indicators hold one version: the version filter is theirs to pass.
            Either::Built(r) => {
                if !f.versions.select(&[stamp(r.modified_at)]).is_empty() {
                    objects.extend(serve(std::slice::from_ref(&r))?);
                }
            }
        }
    }
    Ok(ObjectsPage {
        objects,
        more,
        next,
    })
}

/// The STIX objects of `rows`, in the rows' order: each built from its row alone, no query.
fn serve(rows: &[IndicatorRow]) -> Result<Vec<Served>, AppError> {
    rows.iter()
        .map(|r| {
            Ok(Served {
                object: indicator_object(r)?,
                date_added: stamp(r.added_at),
            })
        })
        .collect()
}

/// Adds the objects of an envelope to a writable collection. All or nothing, as a STIX import:
/// when the envelope is refused every object is a failure naming its problems; otherwise every
/// object is stored (or already was) and is a success.
pub async fn add_objects(
    app: &App,
    actor: &Actor,
    collection: &str,
    envelope: Value,
) -> Result<Status, AppError> {
    let (app2, actor2, collection) = (app.clone(), actor.clone(), collection.to_owned());
    app.store
        .write(move |conn| {
            let c = find(conn, &app2, &actor2, &collection)?;
            require_author(&actor2)?;
            if !c.can_write {
                return Err(AppError::Forbidden);
            }
            let list = envelope
                .get("objects")
                .and_then(Value::as_array)
                .cloned()
                .ok_or_else(|| AppError::invalid("objects", "required"))?;
            let status_id = uuid::Uuid::now_v7().to_string();
            let bundle = json!({
                "type": "bundle",
                "id": format!("bundle--{}", uuid::Uuid::now_v7()),
                "objects": list,
            });
            let version_of = |o: &Value| {
                o.get("modified")
                    .or_else(|| o.get("created"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let id_of = |o: &Value| {
                o.get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let refused = |messages: &dyn Fn(&str) -> Vec<String>| -> Vec<StatusDetails> {
                list.iter()
                    .map(|o| {
                        let id = id_of(o);
                        let mine = messages(&id);
                        StatusDetails {
                            version: version_of(o),
                            message: Some(if mine.is_empty() {
                                "refused with the rest of the envelope".to_owned()
                            } else {
                                mine.join("; ")
                            }),
                            id,
                        }
                    })
                    .collect()
            };
            let (successes, failures) = match import_bundle(&bundle.to_string()) {
                Err(problems) => (
                    Vec::new(),
                    refused(&|id| {
                        problems
                            .iter()
                            .filter(|p| p.object_id == id)
                            .map(|p| format!("{}: {}", p.property, p.message_key))
                            .collect()
                    }),
                ),
                Ok(import) => match store_import(conn, &app2, &actor2, import, "taxii") {
                    // Every object posted is now held (an identical repeat once).
                    Ok(_) => {
                        let successes = list
                            .iter()
                            .map(|o| StatusDetails {
                                id: id_of(o),
                                version: version_of(o),
                                message: None,
                            })
                            .collect();
                        (successes, Vec::new())
                    }
                    // Refused by the store (not the creator's version, one version with two
                    // contents): nothing was kept; each object says why, or that it went with
                    // the rest.
                    Err(AppError::Validation(fields)) => (
                        Vec::new(),
                        refused(&|id| {
                            let field = format!("objects[{id}]");
                            fields
                                .iter()
                                .filter(|f| f.field.starts_with(&field))
                                .map(|f| format!("{}: {}", f.field, f.code))
                                .collect()
                        }),
                    ),
                    Err(e) => return Err(e),
                },
            };
            let now = app2.now();
            let status = Status::new(
                status_id.clone(),
                Some(Timestamp::from_utc(now).to_stix()),
                successes,
                failures,
                Vec::new(),
            );
            let body = serde_json::to_string(&status).map_err(AppError::internal)?;
            store::put_status(
                conn,
                &status_id,
                actor2.principal.user_id.as_str(),
                &body,
                to_db(now),
            )?;
            Ok(status)
        })
        .await
}

/// A status resource of the reader's own submission.
pub async fn status(app: &App, actor: &Actor, id: &str) -> Result<Status, AppError> {
    let (user, id) = (actor.principal.user_id.as_str().to_owned(), id.to_owned());
    let body = app
        .store
        .read(move |conn| Ok::<_, AppError>(store::status(conn, &id, &user)?))
        .await?
        .ok_or(AppError::NotFound)?;
    serde_json::from_str(&body).map_err(AppError::internal)
}
