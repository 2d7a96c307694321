//! The STIX object store (issue 17), on both databases: every object of the OASIS bundles is
//! kept as its producer made it and read back over TAXII unchanged; a second identical import
//! changes nothing and a poller following `X-TAXII-Date-Added-Last` gets nothing new; two
//! members importing one object share one object under one id; an AMBER object never reaches an
//! outsider over TAXII; one id and version with two contents, or a new version from someone
//! else than the creator, is refused naming the object.

use std::collections::{BTreeMap, HashMap, HashSet};

use base64::Engine as _;
use irnet_app::sharing::IndicatorView;
use irnet_app::sharing::objects::Outcome;
use irnet_app::sharing::stix::ImportSummary;
use irnet_domain::Role;
use irnet_testkit::{Backend, Client, TestApp, both, org_grant, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const TAXII: &str = "application/taxii+json;version=2.1";
const GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
const AMBER: &str = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
const RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

/// The OASIS files refused as invalid STIX 2.1 (not bundles of valid objects): a lone campaign
/// marked by a definition irnet does not know, and a relationship without `created`.
const INVALID: [&str; 2] = ["interop-objectmarking-test.json", "using-tlp2.0-green.json"];

/// Two responders of demo organisations: Bắc Kạn's and Cao Bằng's.
async fn members(app: &TestApp) -> (Client, Client, String) {
    irnet_app::demo::load(&app.app).await.unwrap();
    let mut out = Vec::new();
    let mut cao_bang = String::new();
    for (short, email) in [
        ("Sở KH&CN Bắc Kạn", "kho.backan@test.vn"),
        ("Sở KH&CN Cao Bằng", "kho.caobang@test.vn"),
    ] {
        let org = app.demo_org(short).await;
        let grant = org_grant(Role::Responder, &org);
        // Before 01/07/2025, when Bắc Kạn still took new accounts.
        app.on_day(2025, 6, 10, app.account(email, &org, vec![grant]))
            .await;
        out.push(app.client_of(email).await);
        cao_bang = org;
    }
    let cb = out.pop().unwrap();
    (out.pop().unwrap(), cb, cao_bang)
}

fn bundle_of(objects: &[Value]) -> String {
    json!({"type": "bundle", "id": format!("bundle--{}", uuid::Uuid::new_v4()), "objects": objects})
        .to_string()
}

async fn import(who: &Client, objects: &[Value]) -> (StatusCode, Value) {
    who.post_body(
        "/api/v1/stix/import",
        "application/stix+json",
        bundle_of(objects),
    )
    .await
    .parts()
}

async fn imported(who: &Client, objects: &[Value]) -> ImportSummary {
    let (status, body) = import(who, objects).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).unwrap()
}

/// A TAXII GET with the token as the HTTP Basic password: status, headers, body.
async fn taxii(who: &Client, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("any:{}", who.token()));
    let reply = who
        .anonymous()
        .request(Method::GET, path)
        .header("authorization", format!("Basic {basic}"))
        .header("accept", TAXII)
        .send()
        .await;
    let headers = reply.headers().clone();
    let (status, body) = reply.parts();
    (status, headers, body)
}

async fn collection_ids(who: &Client) -> Vec<String> {
    let (status, _, list) = taxii(who, "/taxii2/api/collections/").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Every object a collection serves under `query`, paged by `next`, and the last
/// `X-TAXII-Date-Added-Last` seen.
async fn poll(who: &Client, collection: &str, query: &str) -> (Vec<Value>, Option<String>) {
    let base = format!("/taxii2/api/collections/{collection}/objects/?limit=40{query}");
    let (mut path, mut out, mut last) = (base.clone(), Vec::new(), None);
    loop {
        let (status, headers, page) = taxii(who, &path).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        if let Some(h) = headers.get("x-taxii-date-added-last") {
            last = Some(h.to_str().unwrap().to_owned());
        }
        out.extend(page["objects"].as_array().cloned().unwrap_or_default());
        match page["next"].as_str() {
            Some(next) if page["more"] == true => path = format!("{base}&next={next}"),
            _ => return (out, last),
        }
    }
}

/// Every version the caller may read, in every collection: (id, modified) → object.
async fn served(who: &Client) -> HashMap<(String, Option<String>), Value> {
    let mut out = HashMap::new();
    for c in collection_ids(who).await {
        for o in poll(who, &c, "&match[version]=all").await.0 {
            out.insert(key(&o), o);
        }
    }
    out
}

fn key(o: &Value) -> (String, Option<String>) {
    (
        o["id"].as_str().unwrap().to_owned(),
        o["modified"].as_str().map(str::to_owned),
    )
}

/// The OASIS files as lists of objects (a lone object travels as a bundle of one).
fn oasis() -> Option<BTreeMap<String, Vec<Value>>> {
    let dir = irnet_testkit::shared_testdata("stix object store")?.join("stix");
    let mut out = BTreeMap::new();
    for d in [dir.clone(), dir.join("tlp-2.0")] {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let content: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let objects = match content.get("objects") {
                Some(list) => list.as_array().unwrap().clone(),
                None => vec![content],
            };
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            out.insert(name, objects);
        }
    }
    assert!(out.len() >= 8, "{:?}", out.keys());
    Some(out)
}

#[both]
async fn every_oasis_object_is_kept_as_made_and_a_second_import_changes_nothing(backend: Backend) {
    let Some(files) = oasis() else {
        return;
    };
    let (app, _db) = spawn_app(backend).await;
    let (bk, _, _) = members(&app).await;
    let mut kept: Vec<Value> = Vec::new();
    for (name, objects) in &files {
        let (status, body) = import(&bk, objects).await;
        if INVALID.contains(&name.as_str()) {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{name}: {body}");
        let summary: ImportSummary = serde_json::from_value(body).unwrap();
        // Every object has an outcome: none is left out.
        let given: HashSet<&str> = objects.iter().map(|o| o["id"].as_str().unwrap()).collect();
        let answered: HashSet<&str> = summary.objects.iter().map(|o| o.stix_id.as_str()).collect();
        assert_eq!(given, answered, "{name}");
        for o in &summary.objects {
            assert_ne!(o.outcome, Outcome::AudienceAdded, "{name}: {o:?}");
        }
        kept.extend(objects.iter().cloned());
    }
    assert!(kept.len() > 200, "{}", kept.len());

    // Read back over TAXII: each object equal to what was imported, property by property.
    let back = served(&bk).await;
    for o in &kept {
        let got = back.get(&key(o));
        assert_eq!(got, Some(o), "{:?} as served", key(o));
    }

    // Where a poller stands after reading everything.
    let mut marks = Vec::new();
    for c in collection_ids(&bk).await {
        let (objects, last) = poll(&bk, &c, "").await;
        if let Some(last) = last {
            assert!(!objects.is_empty());
            marks.push((c, last));
        }
    }
    assert!(!marks.is_empty());

    // The same files again: every object unchanged, nothing new for the poller.
    for (name, objects) in &files {
        if INVALID.contains(&name.as_str()) {
            continue;
        }
        let summary = imported(&bk, objects).await;
        assert_eq!(
            (summary.created, summary.updated, summary.audience_added),
            (0, 0, 0),
            "{name}: {summary:?}"
        );
        assert!(
            summary
                .objects
                .iter()
                .all(|o| o.outcome == Outcome::Unchanged),
            "{name}: {summary:?}"
        );
    }
    for (c, last) in &marks {
        let (objects, _) = poll(&bk, c, &format!("&added_after={last}")).await;
        assert!(objects.is_empty(), "{c} after {last}: {objects:?}");
    }
}

/// A TLP-marked indicator of a producer, with its identity.
fn producer_objects(marking: &str, ip: &str) -> Vec<Value> {
    let identity = format!("identity--{}", uuid::Uuid::new_v4());
    vec![
        json!({"type": "identity", "spec_version": "2.1", "id": identity,
               "created": "2025-01-02T03:04:05.678Z", "modified": "2025-01-02T03:04:05.678Z",
               "name": "A producer", "identity_class": "organization",
               "object_marking_refs": [GREEN]}),
        json!({"type": "indicator", "spec_version": "2.1",
               "id": format!("indicator--{}", uuid::Uuid::new_v4()),
               "created": "2025-01-02T03:04:05.678Z", "modified": "2025-01-02T03:04:05.678Z",
               "created_by_ref": identity, "name": "Allow-listed resolver",
               "indicator_types": ["benign"], "labels": ["resolver"],
               "kill_chain_phases": [{"kill_chain_name": "lockheed-martin-cyber-kill-chain", "phase_name": "delivery"}],
               "pattern": format!("[ipv4-addr:value = '{ip}']"), "pattern_type": "stix",
               "valid_from": "2025-01-02T03:04:05Z", "object_marking_refs": [marking],
               "x_producer_note": {"kept": true}}),
    ]
}

#[both]
async fn two_members_importing_one_green_indicator_share_one_object(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let (bk, cb, cao_bang) = members(&app).await;
    let objects = producer_objects(GREEN, "198.51.100.61");
    let stix_id = objects[1]["id"].as_str().unwrap().to_owned();

    let first = imported(&bk, &objects).await;
    assert!(
        first.objects.iter().all(|o| o.outcome == Outcome::Created),
        "{first:?}"
    );
    assert_eq!(first.objects[1].tlp, "GREEN");
    let second = imported(&cb, &objects).await;
    assert!(
        second
            .objects
            .iter()
            .all(|o| o.outcome == Outcome::AudienceAdded),
        "{second:?}"
    );
    // One projection, under the producer's id, dated as the producer dated it.
    assert_eq!(first.indicators.len(), 1);
    assert_eq!(second.indicators.len(), 1);
    assert_eq!(first.indicators[0].id, second.indicators[0].id);
    assert_eq!(first.indicators[0].stix_id, stix_id);
    let view: IndicatorView = bk
        .get(&format!("/api/v1/indicators/{}", first.indicators[0].id))
        .await
        .ok();
    assert_eq!(view.stix_id, stix_id);
    assert!(
        view.created_at.starts_with("2025-01-02T03:04:05"),
        "{}",
        view.created_at
    );
    assert!(
        view.shared_with.contains(&cao_bang),
        "{:?}",
        view.shared_with
    );

    // Both read one object, as made, over TAXII.
    for who in [&bk, &cb] {
        let back = served(who).await;
        let copies: Vec<_> = back.keys().filter(|(id, _)| *id == stix_id).collect();
        assert_eq!(copies.len(), 1, "{copies:?}");
        assert_eq!(back.get(&key(&objects[1])), Some(&objects[1]));
    }
}

#[both]
async fn an_amber_object_never_reaches_an_outsider_and_red_never_leaves_by_taxii(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let (bk, cb, _) = members(&app).await;
    let mut objects = producer_objects(AMBER, "198.51.100.62");
    let malware = json!({"type": "malware", "spec_version": "2.1",
        "id": format!("malware--{}", uuid::Uuid::new_v4()),
        "created": "2025-02-01T00:00:00.000Z", "modified": "2025-02-01T00:00:00.000Z",
        "name": "AMBER-MALWARE-NAME", "is_family": true, "object_marking_refs": [AMBER]});
    let red = json!({"type": "threat-actor", "spec_version": "2.1",
        "id": format!("threat-actor--{}", uuid::Uuid::new_v4()),
        "created": "2025-02-01T00:00:00.000Z", "modified": "2025-02-01T00:00:00.000Z",
        "name": "RED-ACTOR-NAME", "object_marking_refs": [RED]});
    objects.extend([malware.clone(), red.clone()]);
    let summary = imported(&bk, &objects).await;
    let tlps: Vec<&str> = summary.objects.iter().map(|o| o.tlp.as_str()).collect();
    assert_eq!(tlps, ["GREEN", "AMBER", "AMBER", "RED"]);

    // The owner reads the AMBER objects; TLP:RED is in no collection, not even hers.
    let own = served(&bk).await;
    assert_eq!(own.get(&key(&malware)), Some(&malware));
    assert_eq!(own.get(&key(&objects[1])), Some(&objects[1]));
    assert!(!own.contains_key(&key(&red)));

    // The outsider: not in any page, and "not found" by id in every collection.
    let theirs = served(&cb).await;
    for hidden in [&malware, &objects[1], &red] {
        assert!(!theirs.contains_key(&key(hidden)), "{hidden}");
        for c in collection_ids(&cb).await {
            for path in [
                format!(
                    "/taxii2/api/collections/{c}/objects/{}/",
                    hidden["id"].as_str().unwrap()
                ),
                format!(
                    "/taxii2/api/collections/{c}/objects/{}/versions/",
                    hidden["id"].as_str().unwrap()
                ),
            ] {
                let (status, _, body) = taxii(&cb, &path).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
                assert!(!body.to_string().contains("AMBER-MALWARE-NAME"));
            }
        }
    }
    // The GREEN identity is the network's.
    assert_eq!(theirs.get(&key(&objects[0])), Some(&objects[0]));
}

#[both]
async fn versions_follow_the_creator_and_conflicts_are_refused(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let (bk, cb, _) = members(&app).await;
    let objects = producer_objects(GREEN, "198.51.100.63");
    let id = objects[1]["id"].as_str().unwrap().to_owned();
    imported(&bk, &objects).await;

    // One id and version with two contents in one bundle: refused, naming both positions.
    let mut other = objects[1].clone();
    other["name"] = json!("Another name");
    let mut twice = objects.clone();
    twice.push(other.clone());
    let (status, problem) = import(&bk, &twice).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let errors = problem["errors"].as_array().unwrap();
    assert_eq!(errors[0]["field"], format!("objects[{id}]"), "{problem}");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.contains("objects[1]") && message.contains("objects[2]"),
        "{message}"
    );

    // The held version with other content: refused, nothing stored.
    let (status, problem) = import(&cb, &[other]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        problem["errors"][0]["field"],
        format!("objects[{id}].modified")
    );

    // A newer version from someone else than the creator: refused.
    let mut forged = objects[1].clone();
    forged["modified"] = json!("2025-03-01T00:00:00.000Z");
    forged["created_by_ref"] = json!(format!("identity--{}", uuid::Uuid::new_v4()));
    let (status, problem) = import(&cb, &[forged]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        problem["errors"][0]["field"],
        format!("objects[{id}].created_by_ref")
    );

    // The creator's newer version: a new version; both are served, the newest by default.
    let mut newer = objects[1].clone();
    newer["modified"] = json!("2025-03-01T00:00:00.000Z");
    newer["revoked"] = json!(true);
    let summary = imported(&bk, std::slice::from_ref(&newer)).await;
    assert_eq!(
        summary.objects[0].outcome,
        Outcome::NewVersion,
        "{summary:?}"
    );
    let network = collection_ids(&bk).await.remove(0);
    let (status, _, versions) = taxii(
        &bk,
        &format!("/taxii2/api/collections/{network}/objects/{id}/versions/"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{versions}");
    assert_eq!(
        versions["versions"],
        json!(["2025-01-02T03:04:05.678Z", "2025-03-01T00:00:00.000Z"])
    );
    let (_, _, latest) = taxii(
        &bk,
        &format!("/taxii2/api/collections/{network}/objects/{id}/"),
    )
    .await;
    assert_eq!(latest["objects"], json!([newer]));
    let (_, _, manifest) = taxii(
        &bk,
        &format!("/taxii2/api/collections/{network}/manifest/?match[id]={id}&match[version]=all"),
    )
    .await;
    assert_eq!(
        manifest["objects"].as_array().unwrap().len(),
        2,
        "{manifest}"
    );
}
