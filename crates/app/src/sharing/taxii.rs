//! TAXII 2.1 collections, derived from audiences and read through the one read rule:
//!
//! - `network`: TLP:CLEAR and TLP:GREEN, open to the whole network;
//! - one per cluster the reader's organisation belongs to: AMBER and AMBER+STRICT indicators of
//!   the cluster's members that the reader may read;
//! - the reader's organisation: AMBER and AMBER+STRICT indicators it owns or that were shared
//!   with it.
//!
//! A collection is listed only to those who may read it, and every query is the store's read
//! filter plus the collection's. TLP:RED is never served: no collection admits it. Only
//! indicators are held, one version each (the newest), dated by when that version arrived.

use chrono::NaiveDateTime;
use irnet_domain::Tlp;
use irnet_interop::stix::Timestamp;
use irnet_interop::stix::export::{ID_NAMESPACE, uuid_v5};
use irnet_interop::stix::import::import_bundle;
use irnet_interop::taxii::filter::ObjectFilter;
use irnet_interop::taxii::resources::{Status, StatusDetails};
use irnet_store::DbConn;
use irnet_store::directory::clusters;
use irnet_store::page::decode_cursor;
use irnet_store::sharing::{self as store, Filter, IndicatorRow};
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

/// The indicators of a collection that pass `f`, one page in the order they were added.
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
            // Only indicators of spec version 2.1 are held.
            let types_ok = f.types.is_empty() || f.types.iter().any(|t| t == "indicator");
            let spec_ok = f.spec_versions.is_empty() || f.spec_versions.iter().any(|s| s == "2.1");
            if !types_ok || !spec_ok {
                return Ok(ObjectsPage::default());
            }
            if let Some(n) = &f.next
                && decode_cursor(n, 2).is_none()
            {
                return Err(AppError::invalid("next", "invalid_next"));
            }
            let mut filter = c.filter;
            filter.added_after = f.added_after.map(|t| to_db(t.utc()));
            if !f.ids.is_empty() {
                filter.stix_ids = Some(f.ids.clone());
            }
            let limit = i64::try_from(f.page_size(MAX_PAGE)).unwrap_or(1_000);
            let rule = actor2.principal.read_rule();
            let page = store::list_by_added(conn, &rule, &filter, f.next.as_deref(), limit)?;
            let rows: Vec<IndicatorRow> = page
                .items
                .into_iter()
                .filter(|r| !f.versions.select(&[stamp(r.modified_at)]).is_empty())
                .collect();
            let served = serve(&rows)?;
            Ok(ObjectsPage {
                more: page.next_cursor.is_some(),
                next: page.next_cursor,
                objects: served,
            })
        })
        .await
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
/// when the envelope is refused every object is a failure naming its problems; otherwise the
/// indicators are successes and every other object a failure saying it is not stored.
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
            let (successes, failures) = match import_bundle(&bundle.to_string()) {
                Err(problems) => {
                    let failures = list
                        .iter()
                        .map(|o| {
                            let id = id_of(o);
                            let mine: Vec<String> = problems
                                .iter()
                                .filter(|p| p.object_id == id)
                                .map(|p| format!("{}: {}", p.property, p.message_key))
                                .collect();
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
                        .collect();
                    (Vec::new(), failures)
                }
                Ok(import) => {
                    let summary = store_import(conn, &app2, &actor2, import, "taxii")?;
                    let stored: Vec<String> = summary
                        .indicators
                        .iter()
                        .map(|i| i.stix_id.clone())
                        .collect();
                    let mut successes = Vec::new();
                    let mut failures = Vec::new();
                    for o in &list {
                        let id = id_of(o);
                        if stored.contains(&id) {
                            successes.push(StatusDetails {
                                id,
                                version: version_of(o),
                                message: None,
                            });
                        } else {
                            failures.push(StatusDetails {
                                id,
                                version: version_of(o),
                                message: Some("not stored: irnet keeps indicators only".to_owned()),
                            });
                        }
                    }
                    (successes, failures)
                }
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
