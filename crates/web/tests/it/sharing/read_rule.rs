//! Indicators under the read rule at their edges, on both databases (issue 14): a value already
//! held by a colleague's TLP:RED indicator becomes a record of the poster's own — by the API, a
//! STIX bundle, a MISP event or TAXII — and the hidden one is neither revealed nor changed; a
//! MISP export carries a linked alert's title only to readers of the alert and never under a
//! looser TLP than the alert's; an indicator shows its incident and alert links only to those
//! who may open them.

use irnet_app::sharing::{Count, IndicatorView};
use irnet_testkit::{Backend, Client, TestApp, both, spawn_app};
use irnet_web::api::PageOf;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const TAXII: &str = "application/taxii+json;version=2.1";
const AMBER: &str = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
const CLEAR: &str = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";

/// A STIX bundle or MISP event posted as its own media type, answered in TAXII's.
async fn post_text(
    who: &Client,
    path: &str,
    content_type: &str,
    text: String,
) -> (StatusCode, Value) {
    who.request(Method::POST, path)
        .header("content-type", content_type)
        .header("accept", TAXII)
        .body(text)
        .send()
        .await
        .parts()
}

/// A responder of a demo organisation, by its short name.
async fn responder(app: &TestApp, org_short: &str, email: &str) -> Client {
    let org = app.demo_org(org_short).await;
    // Before 01/07/2025, when Bắc Kạn still took new accounts.
    let grant = irnet_testkit::org_grant(irnet_domain::Role::Responder, &org);
    app.on_day(2025, 6, 10, app.account(email, &org, vec![grant]))
        .await;
    app.client_of(email).await
}

/// A STIX bundle of one indicator for an IPv4 address, under a fresh producer id.
fn bundle(ip: &str, marking: &str, name: &str) -> String {
    let id = uuid::Uuid::new_v4();
    json!({
        "type": "bundle",
        "id": format!("bundle--{}", uuid::Uuid::new_v4()),
        "objects": [{
            "type": "indicator",
            "spec_version": "2.1",
            "id": format!("indicator--{id}"),
            "created": "2024-12-01T00:00:00.000Z",
            "modified": "2024-12-01T00:00:00.000Z",
            "name": name,
            "description": name,
            "indicator_types": ["malicious-activity"],
            "pattern": format!("[ipv4-addr:value = '{ip}']"),
            "pattern_type": "stix",
            "valid_from": "2024-12-01T00:00:00Z",
            "object_marking_refs": [marking]
        }]
    })
    .to_string()
}

/// A's TLP:RED indicator for `(kind, value)`, named for her only: its id and full view.
async fn red(a: &Client, kind: &str, value: &str) -> (String, Value) {
    let (status, v) = a
        .post_json("/api/v1/indicators", &json!({"observables": [{"kind": kind, "value": value}], "tlp": "RED",
                   "name": "RED-NAME-of-A", "description": "RED-DESCRIPTION-of-A", "confidence": 90})).await.parts();
    assert_eq!(status, StatusCode::CREATED, "{v}");
    (v["id"].as_str().unwrap().to_owned(), v)
}

/// What of A's hidden record an answer to B must not hold.
fn assert_nothing_of(answer: &Value, hidden: &Value) {
    let text = answer.to_string();
    for field in ["id", "stix_id", "name", "description"] {
        let secret = hidden[field].as_str().unwrap();
        assert!(
            !text.contains(secret),
            "{field} of the hidden record in {text}"
        );
    }
}

#[both]
async fn a_colleagues_red_indicator_is_neither_found_nor_changed_by_posting_its_value(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let a = responder(&app, "Sở KH&CN Bắc Kạn", "a.backan@test.vn").await;
    let b = responder(&app, "Sở KH&CN Bắc Kạn", "b.backan@test.vn").await;

    // The API: AMBER, then CLEAR, of a value A holds at RED.
    let (hidden, before) = red(&a, "ip", "198.51.100.23").await;
    let (status, amber) = b
        .post_json(
            "/api/v1/indicators",
            &json!({"observables": [{"kind": "ip", "value": "198.51.100.23"}], "tlp": "AMBER",
                   "name": "B amber"}),
        )
        .await
        .parts();
    assert_eq!(status, StatusCode::CREATED, "{backend:?}: {amber}");
    assert_ne!(amber["id"], hidden.as_str());
    assert_eq!(amber["version"], 1);
    assert!(amber["incident_id"].is_null());
    assert_nothing_of(&amber, &before);
    let (status, clear) = b
        .post_json(
            "/api/v1/indicators",
            &json!({"observables": [{"kind": "ip", "value": "198.51.100.23"}], "tlp": "CLEAR",
                   "name": "B clear"}),
        )
        .await
        .parts();
    assert_eq!(status, StatusCode::OK, "B's own record, versioned: {clear}");
    assert_eq!(clear["id"], amber["id"]);
    assert_eq!(clear["version"], 2);
    assert_nothing_of(&clear, &before);

    // A STIX bundle (AMBER, then CLEAR) of another value A holds at RED.
    let (hidden_stix, before_stix) = red(&a, "ip", "198.51.100.24").await;
    for marking in [AMBER, CLEAR] {
        let (status, summary) = post_text(
            &b,
            "/api/v1/stix/import",
            "application/stix+json",
            bundle("198.51.100.24", marking, "B by STIX"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{summary}");
        assert_nothing_of(&summary, &before_stix);
        assert_ne!(summary["indicators"][0]["id"], hidden_stix.as_str());
    }

    // A MISP event of a third value A holds at RED.
    let (_, before_misp) = red(&a, "domain", "red-of-a.example.vn").await;
    let event = json!({"Event": {
        "uuid": "5f0e0000-0000-4000-8000-00000000e0b1", "info": "B by MISP",
        "distribution": "1", "Tag": [{"name": "tlp:clear"}],
        "Attribute": [{"type": "domain", "value": "Red-Of-A.example.vn", "to_ids": true}]}});
    let (status, summary) = b.post_json("/api/v1/misp/import", &event).await.parts();
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!(
        (summary["created"].as_u64(), summary["updated"].as_u64()),
        (Some(1), Some(0)),
        "{summary}"
    );
    assert_nothing_of(&summary, &before_misp);

    // TAXII: B adds a bundle of a fourth value to their organisation's collection.
    let (_, before_taxii) = red(&a, "ip", "198.51.100.25").await;
    let basic = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("any:{}", b.token()))
    };
    let res = app
        .client()
        .request(reqwest::Method::GET, "/taxii2/api/collections/")
        .header("authorization", format!("Basic {basic}"))
        .header("accept", TAXII)
        .send()
        .await;
    let (_, collections) = res.parts();
    let writable = collections["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["can_write"] == true && c["title"].as_str().unwrap().contains("AMBER"))
        .expect("the organisation's collection")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app.client().request(reqwest::Method::POST, &format!(
            "/taxii2/api/collections/{writable}/objects/"
        )).header("authorization", format!("Basic {basic}")).header("accept", TAXII).header("content-type", TAXII).body(json!({"objects": serde_json::from_str::<Value>(&bundle("198.51.100.25", AMBER, "B by TAXII")).unwrap()["objects"]}).to_string()).send().await;
    let (status, taxii_status) = res.parts();
    assert!(status.is_success(), "{status}: {taxii_status}");
    assert_nothing_of(&taxii_status, &before_taxii);

    // A's records are exactly as she left them, and B's list never holds them.
    for (id, before) in [
        (hidden.as_str(), &before),
        (hidden_stix.as_str(), &before_stix),
        (before_misp["id"].as_str().unwrap(), &before_misp),
        (before_taxii["id"].as_str().unwrap(), &before_taxii),
    ] {
        let (status, now) = a.get(&format!("/api/v1/indicators/{id}")).await.parts();
        assert_eq!(status, StatusCode::OK);
        for field in [
            "tlp",
            "name",
            "description",
            "version",
            "modified_at",
            "to_ids",
        ] {
            assert_eq!(now[field], before[field], "{backend:?}: {field} of {id}");
        }
        let (status, _) = b.get(&format!("/api/v1/indicators/{id}")).await.parts();
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (_, list) = b.get("/api/v1/indicators?limit=100").await.parts();
    for hidden in [&before, &before_stix, &before_misp, &before_taxii] {
        assert_nothing_of(&list, hidden);
    }

    // A posting her value again still versions her own record, not B's.
    let again: IndicatorView = a
        .post_json(
            "/api/v1/indicators",
            &json!({"observables": [{"kind": "ip", "value": "198.51.100.23"}], "tlp": "RED",
                   "name": "RED-NAME-of-A"}),
        )
        .await
        .ok();
    assert_eq!(again.id, hidden);
    assert_eq!(again.version, 2);
    assert_eq!(again.tlp, "RED");
}

#[both]
async fn a_misp_event_carries_an_alert_title_only_to_its_readers_and_never_under_a_looser_tlp(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let coordinator = app.client_of("dieuphoi@demo.irnet.vn").await;
    let bk = responder(&app, "Sở KH&CN Bắc Kạn", "chiase.backan@test.vn").await;
    let bac_kan = app.demo_org("Sở KH&CN Bắc Kạn").await;
    let alert = |title: &str, tlp: &str| {
        json!({"title": title, "description": "Mô tả", "severity": "high", "tlp": tlp,
               "required_actions": "Cập nhật bản vá.", "audience": {"orgs": [bac_kan]}})
    };
    let mut alerts = Vec::new();
    for (title, tlp) in [
        ("STRICT-ALERT-TITLE", "AMBER+STRICT"),
        ("OPEN-ALERT-TITLE", "GREEN"),
    ] {
        let (status, a) = coordinator
            .post_json("/api/v1/alerts", &alert(title, tlp))
            .await
            .parts();
        assert_eq!(status, StatusCode::CREATED, "{a}");
        alerts.push(a["id"].as_str().unwrap().to_owned());
    }
    for (value, alert_id) in [
        ("strict-linked.example.vn", &alerts[0]),
        ("open-linked.example.vn", &alerts[1]),
    ] {
        let (status, v) = coordinator
            .post_json(
                "/api/v1/indicators",
                &json!({"observables": [{"kind": "domain", "value": value}], "tlp": "GREEN",
                       "alert_id": alert_id}),
            )
            .await
            .parts();
        assert_eq!(status, StatusCode::CREATED, "{v}");
    }

    // The sender reads both alerts: the GREEN title travels, the AMBER+STRICT one does not.
    let (status, events) = coordinator.get("/api/v1/misp/events").await.parts();
    assert_eq!(status, StatusCode::OK, "{events}");
    let text = events.to_string();
    assert!(text.contains("strict-linked.example.vn"), "{text}");
    assert!(text.contains("OPEN-ALERT-TITLE"), "{text}");
    assert!(!text.contains("STRICT-ALERT-TITLE"), "{backend:?}: {text}");
    assert!(!text.contains(&alerts[0]), "{text}");

    // Bắc Kạn reads neither draft: both indicators, no title, in every file of the feed.
    for reader in [&coordinator, &bk] {
        let mut seen = String::new();
        let (_, manifest) = reader.get("/api/v1/misp/feed/manifest.json").await.parts();
        seen.push_str(&manifest.to_string());
        for uuid in manifest.as_object().unwrap().keys() {
            let (status, file) = reader
                .get(&format!("/api/v1/misp/feed/{uuid}.json"))
                .await
                .parts();
            assert_eq!(status, StatusCode::OK);
            seen.push_str(&file.to_string());
        }
        let (_, hashes) = reader.get("/api/v1/misp/feed/hashes.csv").await.parts();
        seen.push_str(hashes.as_str().unwrap());
        let (_, events) = reader.get("/api/v1/misp/events").await.parts();
        seen.push_str(&events.to_string());
        assert!(seen.contains("strict-linked.example.vn"), "{seen}");
        assert!(!seen.contains("STRICT-ALERT-TITLE"), "{backend:?}: {seen}");
    }
    let (_, events) = bk.get("/api/v1/misp/events").await.parts();
    assert!(!events.to_string().contains("OPEN-ALERT-TITLE"), "{events}");
    let (_, list) = bk.get("/api/v1/indicators").await.parts();
    assert!(!list.to_string().contains(&alerts[0]), "{list}");
    assert!(!list.to_string().contains(&alerts[1]), "{list}");
    for path in ["/api/v1/stix/export"] {
        let (_, bundle) = bk.get(path).await.parts();
        let text = bundle.to_string();
        assert!(
            !text.contains("ALERT-TITLE") && !text.contains(&alerts[0]),
            "{text}"
        );
    }
}

#[both]
async fn an_indicator_shows_its_incident_only_to_those_who_may_open_it(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    // Lạng Sơn: Bắc Kạn merged away on 01/07/2025 and files no incident in 2026.
    let a = responder(&app, "Sở KH&CN Lạng Sơn", "a.langson@test.vn").await;
    let colleague = responder(&app, "Sở KH&CN Lạng Sơn", "b.langson@test.vn").await;
    let outsider = responder(&app, "Sở KH&CN Cao Bằng", "chiase.caobang@test.vn").await;
    let (status, incident) = a
        .post_json(
            "/api/v1/incidents",
            &json!({"title": "RED-INCIDENT", "detected_at": "2024-12-19T09:00", "tlp": "RED"}),
        )
        .await
        .parts();
    assert_eq!(status, StatusCode::CREATED, "{incident}");
    let incident = incident["id"].as_str().unwrap().to_owned();
    let v: IndicatorView = a
        .post_json(
            "/api/v1/indicators",
            &json!({"observables": [{"kind": "domain", "value": "green-of-red.example.vn"}],
                   "tlp": "GREEN", "incident_id": incident}),
        )
        .await
        .created();
    assert_eq!(
        v.incident_id.as_deref(),
        Some(incident.as_str()),
        "its author may follow the link"
    );
    let id = v.id;

    for reader in [&outsider, &colleague] {
        let list: PageOf<IndicatorView> = reader.get("/api/v1/indicators").await.ok();
        assert_eq!(list.items[0].id, id);
        assert_eq!(list.items[0].incident_id, None, "{backend:?}");
        let one: IndicatorView = reader.get(&format!("/api/v1/indicators/{id}")).await.ok();
        assert_eq!(one.incident_id, None);
        // Filtering by the incident would tell which indicators link to it.
        let by: PageOf<IndicatorView> = reader
            .get(&format!("/api/v1/indicators?incident={incident}"))
            .await
            .ok();
        assert!(by.items.is_empty(), "{:?}", by.items);
        let n: Count = reader
            .get(&format!("/api/v1/indicators/count?incident={incident}"))
            .await
            .ok();
        assert_eq!(n.total, 0);
        for path in ["/indicators".to_owned(), format!("/indicators/{id}")] {
            let (status, html) = reader.lang("vi").get(&path).await.page();
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(html.contains("green-of-red.example.vn"), "{path}");
            assert!(!html.contains(&incident), "{backend:?} {path}: {html}");
        }
        for path in ["/api/v1/stix/export", "/api/v1/misp/events"] {
            let (_, out) = reader.get(path).await.parts();
            assert!(!out.to_string().contains(&incident), "{path}");
        }
    }
    let by: PageOf<IndicatorView> = a
        .get(&format!("/api/v1/indicators?incident={incident}"))
        .await
        .ok();
    assert_eq!(by.items.len(), 1);
    assert_eq!(by.items[0].id, id);
    assert_eq!(by.items[0].incident_id.as_deref(), Some(incident.as_str()));
    let (_, html) = a.lang("vi").get(&format!("/indicators/{id}")).await.page();
    assert!(html.contains(&format!("/incidents/{incident}")), "{html}");
}
