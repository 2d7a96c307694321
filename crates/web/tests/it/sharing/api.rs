//! Indicator sharing over the demo network, on both databases: what Bắc Kạn marks AMBER+STRICT
//! never reaches Cao Bằng — not by the list, the count, a direct read, a lookup, the STIX export
//! or any TAXII collection — while its GREEN indicator does; TLP:RED never leaves by TAXII, even
//! to its named people; bad input is refused naming the line, object or property, nothing stored.

use base64::Engine as _;
use irnet_app::sharing::lookup::LookupResult;
use irnet_app::sharing::stix::ImportSummary;
use irnet_app::sharing::{Count, IndicatorView};
use irnet_domain::Role;
use irnet_testkit::{Backend, Client, TestApp, both, fields, org_grant, spawn_app};
use irnet_web::api::PageOf;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const TAXII: &str = "application/taxii+json;version=2.1";

/// A caller of the API with one token.
struct Caller(Client);

impl std::ops::Deref for Caller {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.0
    }
}

impl Caller {
    /// A TAXII request with the token as the HTTP Basic password, as TAXII clients send it.
    async fn taxii(&self, path: &str) -> (StatusCode, Value) {
        let basic =
            base64::engine::general_purpose::STANDARD.encode(format!("any:{}", self.token()));
        let res = self
            .anonymous()
            .request(Method::GET, path)
            .header("authorization", format!("Basic {basic}"))
            .header("accept", TAXII)
            .send()
            .await;
        if res.status() == StatusCode::OK {
            assert_eq!(res.headers()["content-type"], TAXII);
        }
        res.parts()
    }

    /// Every STIX id served to this caller by every TAXII collection, two at a time.
    async fn taxii_ids(&self) -> Vec<String> {
        let (status, list) = self.taxii("/taxii2/api/collections/").await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let mut ids = Vec::new();
        for c in list["collections"].as_array().cloned().unwrap_or_default() {
            let base = format!(
                "/taxii2/api/collections/{}/objects/?limit=2",
                c["id"].as_str().unwrap()
            );
            let mut path = base.clone();
            loop {
                let (status, page) = self.taxii(&path).await;
                assert_eq!(status, StatusCode::OK, "{page}");
                for o in page["objects"].as_array().cloned().unwrap_or_default() {
                    ids.push(o["id"].as_str().unwrap().to_owned());
                }
                match page["next"].as_str() {
                    Some(next) if page["more"] == true => path = format!("{base}&next={next}"),
                    _ => break,
                }
            }
        }
        ids
    }

    /// A page, as this caller's browser would get it (the token stands for the session).
    async fn page(&self, path: &str) -> (StatusCode, String) {
        self.without_redirects().get(path).await.page()
    }

    /// A page's file form.
    async fn upload(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: &[u8],
    ) -> (StatusCode, String) {
        self.multipart(path, fields, "upload.json", "application/json", file)
            .await
            .page()
    }
}

fn ids_of(list: &PageOf<IndicatorView>) -> Vec<String> {
    list.items.iter().map(|i| i.id.clone()).collect()
}

fn stix_ids_of(bundle: &Value) -> Vec<String> {
    bundle["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The demo network with a responder token for Bắc Kạn and for Cao Bằng.
async fn members(app: &TestApp) -> (Caller, Caller, String) {
    irnet_app::demo::load(&app.app).await.unwrap();
    let mut callers = Vec::new();
    let mut cao_bang = String::new();
    for (short, email) in [
        ("Sở KH&CN Bắc Kạn", "chiase.backan@test.vn"),
        ("Sở KH&CN Cao Bằng", "chiase.caobang@test.vn"),
    ] {
        let org = app.demo_org(short).await;
        let grant = org_grant(Role::Responder, &org);
        // Before 01/07/2025, when Bắc Kạn still took new accounts.
        app.on_day(2025, 6, 10, app.account(email, &org, vec![grant]))
            .await;
        callers.push(Caller(app.client_of(email).await));
        cao_bang = org;
    }
    let cb = callers.pop().unwrap();
    let bk = callers.pop().unwrap();
    (bk, cb, cao_bang)
}

async fn indicator(who: &Caller, kind: &str, value: &str, tlp: &str) -> (String, String) {
    let v: IndicatorView = who
        .post_json(
            "/api/v1/indicators",
            &json!({"observables": [{"kind": kind, "value": value}], "tlp": tlp, "confidence": 80}),
        )
        .await
        .created();
    assert_eq!(v.tlp, tlp);
    (v.id, v.stix_id)
}

#[both]
async fn amber_strict_stays_with_bac_kan_while_green_reaches_cao_bang(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let (bk, cb, cao_bang) = members(&app).await;
    let (strict, strict_stix) = indicator(&bk, "ip", "203.0.113.7", "AMBER+STRICT").await;
    let (green, green_stix) = indicator(&bk, "domain", "Mal.Example.VN", "GREEN").await;

    // The same value again is a new version, not a duplicate.
    let again: IndicatorView = bk
        .post_json("/api/v1/indicators", &json!({"observables": [{"kind": "ip", "value": "203.0.113.7"}], "tlp": "AMBER+STRICT", "confidence": 90})).await.ok();
    assert_eq!(again.id, strict);
    assert_eq!(again.version, 2);
    assert_eq!(again.stix_id, strict_stix);
    assert_eq!(again.confidence, Some(90));

    // The owner sees both; Cao Bằng only the GREEN one, everywhere.
    let mine: PageOf<IndicatorView> = bk.get("/api/v1/indicators").await.ok();
    assert_eq!(ids_of(&mine).len(), 2);
    let theirs: PageOf<IndicatorView> = cb.get("/api/v1/indicators").await.ok();
    assert_eq!(ids_of(&theirs), vec![green.clone()]);
    let n: Count = cb.get("/api/v1/indicators/count").await.ok();
    assert_eq!(n.total, 1);
    let n: Count = cb
        .get("/api/v1/indicators/count?tlp=AMBER%2BSTRICT")
        .await
        .ok();
    assert_eq!(n.total, 0);
    let (status, _) = cb
        .get(&format!("/api/v1/indicators/{strict}"))
        .await
        .parts();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let g: IndicatorView = cb.get(&format!("/api/v1/indicators/{green}")).await.ok();
    assert_eq!(g.observables[0].value, "mal.example.vn");
    assert_eq!(g.tlp, "GREEN");

    // Lookup: matches only what the reader may see; a bad line is named by its number.
    let text = "203.0.113.7\nmal.example.vn\nnot a value!!\n".to_owned();
    let reply = cb
        .post_body("/api/v1/indicators/lookup", "text/plain", text.clone())
        .await;
    let found: LookupResult = reply.ok();
    let matched: Vec<&str> = found
        .matches
        .iter()
        .map(|m| m.indicator_id.as_str())
        .collect();
    assert_eq!(matched, vec![green.as_str()]);
    assert_eq!(found.matches[0].tlp, "GREEN");
    assert_eq!(found.invalid[0].field, "lines[3]");
    assert!(!reply.text().contains(&strict), "{reply}");
    let found: LookupResult = bk
        .post_body("/api/v1/indicators/lookup", "text/plain", text)
        .await
        .ok();
    assert_eq!(found.matches.len(), 2, "{found:?}");
    let found: LookupResult = cb
        .post_json("/api/v1/indicators/lookup", &json!([{"kind": "domain", "value": "MAL.example.vn"}, {"kind": "ip", "value": "203.0.113.7"}])).await.ok();
    assert_eq!(found.matches.len(), 1, "{found:?}");
    // A value pasted four times is one value matched: the counts say so.
    let repeated = "mal.example.vn\n".repeat(4) + "203.0.113.7\n198.51.100.99\n";
    let found: LookupResult = bk
        .post_body("/api/v1/indicators/lookup", "text/plain", repeated)
        .await
        .ok();
    assert_eq!(
        (found.checked, found.distinct, found.matched),
        (6, 3, 2),
        "{found:?}"
    );
    let too_many = "10.0.0.1\n".repeat(100_001);
    let refused = cb
        .post_body("/api/v1/indicators/lookup", "text/plain", too_many)
        .await
        .problem(422);
    assert_eq!(fields(&refused), vec!["observables"]);

    // STIX export and TAXII: the same rule.
    let (status, bundle) = cb.get("/api/v1/stix/export").await.parts();
    assert_eq!(status, StatusCode::OK);
    let exported = stix_ids_of(&bundle);
    assert!(exported.contains(&green_stix) && !exported.contains(&strict_stix));
    let (_, bundle) = bk.get("/api/v1/stix/export").await.parts();
    assert!(stix_ids_of(&bundle).contains(&strict_stix));
    let served = cb.taxii_ids().await;
    assert!(served.contains(&green_stix), "{served:?}");
    assert!(!served.contains(&strict_stix), "{served:?}");
    let served = bk.taxii_ids().await;
    assert!(
        served.contains(&green_stix) && served.contains(&strict_stix),
        "{served:?}"
    );

    // Only the owner revokes; a sighting may hide its reporter from the owner.
    let (status, _) = cb
        .post_json(&format!("/api/v1/indicators/{green}/revoke"), &json!({}))
        .await
        .parts();
    assert_eq!(status, StatusCode::FORBIDDEN);
    let seen: IndicatorView = cb
        .post_json(
            &format!("/api/v1/indicators/{green}/sightings"),
            &json!({"kind": "seen", "anonymous": true}),
        )
        .await
        .ok();
    assert_eq!(seen.sightings[0].org_id.as_deref(), Some(cao_bang.as_str()));
    let owner_view: IndicatorView = bk.get(&format!("/api/v1/indicators/{green}")).await.ok();
    let sighting = &owner_view.sightings[0];
    assert_eq!(sighting.kind, "seen");
    assert!(sighting.anonymous);
    assert_eq!(sighting.org_id, None);
    assert_eq!(sighting.reported_by, None);

    // Shared with Cao Bằng, the AMBER+STRICT indicator reaches it.
    let shared: IndicatorView = bk
        .post_json(
            &format!("/api/v1/indicators/{strict}/shares"),
            &json!({"org_id": cao_bang}),
        )
        .await
        .ok();
    assert_eq!(shared.shared_with, vec![cao_bang.clone()]);
    let (status, _) = cb
        .get(&format!("/api/v1/indicators/{strict}"))
        .await
        .parts();
    assert_eq!(status, StatusCode::OK);
    assert!(cb.taxii_ids().await.contains(&strict_stix));
    let revoked: IndicatorView = bk
        .post_json(&format!("/api/v1/indicators/{strict}/revoke"), &json!({}))
        .await
        .ok();
    assert!(revoked.revoked);
    assert_eq!(revoked.version, 3);
}

#[both]
async fn tlp_red_never_leaves_by_taxii_even_to_its_named_people(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let (bk, cb, _) = members(&app).await;
    let (red, red_stix) = indicator(&bk, "sha256", &"ab".repeat(32), "RED").await;
    let (status, _) = bk.get(&format!("/api/v1/indicators/{red}")).await.parts();
    assert_eq!(status, StatusCode::OK, "the author is named");
    let (status, _) = cb.get(&format!("/api/v1/indicators/{red}")).await.parts();
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!bk.taxii_ids().await.contains(&red_stix));
    let (_, bundle) = bk.get("/api/v1/stix/export").await.parts();
    assert!(!bundle.to_string().contains(&red_stix));

    // TAXII speaks only TAXII, and only to a token.
    let res = app
        .client()
        .request(Method::GET, "/taxii2/")
        .header("accept", TAXII)
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = bk
        .request(Method::GET, "/taxii2/")
        .header("accept", "application/json")
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::NOT_ACCEPTABLE);
    let (status, discovery) = bk.taxii("/taxii2/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(discovery["api_roots"][0], "/taxii2/api/");
}

#[both]
async fn a_bad_bundle_is_refused_naming_object_and_property_with_nothing_stored(backend: Backend) {
    let Some(dir) = irnet_testkit::shared_testdata("stix import refusal") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("stix/tlp-2.0/using-tlp2.0-green.json")).unwrap();
    let (app, _db) = spawn_app(backend).await;
    let (bk, _, _) = members(&app).await;
    let problem = bk
        .post_body("/api/v1/stix/import", "application/stix+json", text.clone())
        .await
        .problem(422);
    assert!(
        fields(&problem)
            .contains(&"objects[relationship--1621d4d4-b67d-11e3-9670-f01faf20d111].created"),
        "{problem:?}"
    );
    assert!(!problem.errors[0].message.is_empty(), "{problem:?}");
    let n: Count = bk.get("/api/v1/indicators/count").await.ok();
    assert_eq!(n.total, 0);

    // A good bundle goes in; unmarked indicators get AMBER.
    let good = std::fs::read_to_string(dir.join("stix/indicator-for-c2-ip-address.json")).unwrap();
    let summary: ImportSummary = bk
        .post_body("/api/v1/stix/import", "application/stix+json", good)
        .await
        .ok();
    assert!(summary.created >= 1, "{summary:?}");
    let list: PageOf<IndicatorView> = bk.get("/api/v1/indicators").await.ok();
    assert_eq!(list.items[0].tlp, "AMBER", "unmarked: AMBER");
}

/// A MISP event of Bắc Kạn: GREEN by its tag and community distribution, with one attribute for
/// its organisation only, one for a sharing group naming Cao Bằng and an unknown organisation,
/// one context attribute and one that is not an observable.
fn misp_event(cao_bang: &str) -> Value {
    json!({"Event": {
    "uuid": "5f0e0000-0000-4000-8000-00000000e001",
    "info": "Chiến dịch lừa đảo — MISP",
    "distribution": "1",
    "Tag": [{"name": "tlp:green"}],
    "Orgc": {"name": "Sở KH&CN Bắc Kạn"},
    "Attribute": [
        {"uuid": "5f0e0000-0000-4000-8000-00000000a000", "type": "domain", "value": "Misp-Green.example.vn", "to_ids": true},
        {"uuid": "5f0e0000-0000-4000-8000-00000000a001", "type": "ip-dst", "value": "203.0.113.91", "to_ids": true, "distribution": "0"},
        {"uuid": "5f0e0000-0000-4000-8000-00000000a002", "type": "sha256", "value": "ab".repeat(32), "to_ids": "1",
         "distribution": "4", "sharing_group_id": "3", "Tag": [{"name": "tlp:amber"}],
         "SharingGroup": {"name": "Cụm 1", "SharingGroupOrg": [
             {"Organisation": {"name": "Cao Bằng", "uuid": cao_bang}},
             {"Organisation": {"name": "Ngân hàng không có trong danh bạ"}}]}},
        {"uuid": "5f0e0000-0000-4000-8000-00000000a003", "type": "url", "value": "https://misp-green.example.vn/login", "to_ids": false},
        {"uuid": "5f0e0000-0000-4000-8000-00000000a004", "type": "text", "value": "ghi chú"}
    ]}})
}

fn by_value<'a>(list: &'a Value, value: &str) -> Option<&'a Value> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["observables"][0]["value"] == value)
}

#[both]
async fn misp_import_maps_tlp_and_distribution_and_the_export_keeps_amber_strict_home(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    let (bk, cb, cao_bang) = members(&app).await;
    let event = misp_event(&cao_bang);
    let (status, summary) = bk
        .post_json("/api/v1/misp/import", &event.clone())
        .await
        .parts();
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!(
        (summary["created"].as_u64(), summary["updated"].as_u64()),
        (Some(4), Some(0)),
        "{summary}"
    );
    let e = &summary["events"][0];
    assert_eq!(e["skipped"][0]["reason"], "unmapped_type");
    assert_eq!(
        e["unmatched_orgs"],
        json!(["Ngân hàng không có trong danh bạ"])
    );

    let (_, mine) = bk.get("/api/v1/indicators?limit=100").await.parts();
    let tlp = |v: &str| {
        by_value(&mine, v).unwrap()["tlp"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(tlp("misp-green.example.vn"), "GREEN");
    assert_eq!(
        tlp("203.0.113.91"),
        "AMBER+STRICT",
        "distribution 0: Bắc Kạn only"
    );
    assert_eq!(
        tlp(&"ab".repeat(32)),
        "AMBER",
        "sharing group, tagged amber"
    );
    let url = by_value(&mine, "https://misp-green.example.vn/login").unwrap();
    assert_eq!(
        (url["tlp"].as_str(), url["to_ids"].as_bool()),
        (Some("GREEN"), Some(false))
    );
    let ip = by_value(&mine, "203.0.113.91").unwrap();
    assert_eq!(
        ip["stix_id"],
        "indicator--5f0e0000-0000-4000-8000-00000000a001"
    );

    // Cao Bằng: the GREEN ones and the sharing group's AMBER one, never the AMBER+STRICT one.
    let (_, theirs) = cb.get("/api/v1/indicators?limit=100").await.parts();
    assert!(by_value(&theirs, "misp-green.example.vn").is_some());
    assert!(by_value(&theirs, &"ab".repeat(32)).is_some(), "{theirs}");
    assert!(by_value(&theirs, "203.0.113.91").is_none(), "{theirs}");

    // The same event again makes new versions, not duplicates.
    let (status, again) = bk.post_json("/api/v1/misp/import", &event).await.parts();
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(
        (again["created"].as_u64(), again["updated"].as_u64()),
        (Some(0), Some(4))
    );

    // Exports: Bắc Kạn's has all four; Cao Bằng's never the AMBER+STRICT address.
    let (status, own) = bk.get("/api/v1/misp/events").await.parts();
    assert_eq!(status, StatusCode::OK, "{own}");
    assert!(own.to_string().contains("203.0.113.91"));
    let (status, export) = cb.get("/api/v1/misp/events").await.parts();
    assert_eq!(status, StatusCode::OK, "{export}");
    let text = export.to_string();
    assert!(
        text.contains("misp-green.example.vn") && !text.contains("203.0.113.91"),
        "{text}"
    );

    // The feed: manifest, hashes and event files, each as the reader may see.
    let (_, bk_manifest) = bk.get("/api/v1/misp/feed/manifest.json").await.parts();
    let (_, cb_manifest) = cb.get("/api/v1/misp/feed/manifest.json").await.parts();
    let strict: Vec<String> = bk_manifest
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, e)| e["Tag"][0]["name"] == "tlp:amber+strict")
        .map(|(uuid, _)| uuid.clone())
        .collect();
    assert_eq!(strict.len(), 1, "{bk_manifest}");
    assert!(cb_manifest.get(&strict[0]).is_none(), "{cb_manifest}");
    assert!(!cb_manifest.as_object().unwrap().is_empty());
    let path = format!("/api/v1/misp/feed/{}.json", strict[0]);
    let (status, file) = bk.get(&path).await.parts();
    assert_eq!(status, StatusCode::OK);
    assert!(file.to_string().contains("203.0.113.91"));
    let (status, _) = cb.get(&path).await.parts();
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "an event Cao Bằng may not see"
    );
    // md5("203.0.113.91"), computed with coreutils' md5sum
    let md5 = "a443315f74b8df1832a0ce3fb39546e8";
    let (_, bk_hashes) = bk.get("/api/v1/misp/feed/hashes.csv").await.parts();
    let (_, cb_hashes) = cb.get("/api/v1/misp/feed/hashes.csv").await.parts();
    assert!(bk_hashes.as_str().unwrap().contains(md5), "{bk_hashes}");
    assert!(!cb_hashes.as_str().unwrap().contains(md5), "{cb_hashes}");
    for (uuid, _) in cb_manifest.as_object().unwrap() {
        let (status, _) = cb
            .get(&format!("/api/v1/misp/feed/{uuid}.json"))
            .await
            .parts();
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _) = cb.get("/api/v1/misp/feed/nothing.json").await.parts();
    assert_eq!(status, StatusCode::NOT_FOUND);

    // TLP:RED never leaves by MISP, even to its author.
    indicator(&bk, "domain", "red-misp.example.vn", "RED").await;
    let (_, own) = bk.get("/api/v1/misp/events").await.parts();
    assert!(!own.to_string().contains("red-misp.example.vn"));
    let (_, hashes) = bk.get("/api/v1/misp/feed/hashes.csv").await.parts();
    assert!(!hashes.as_str().unwrap().is_empty());

    // Without a credential: nothing.
    let res = app.client().get("/api/v1/misp/feed/manifest.json").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[both]
async fn a_bad_misp_event_is_refused_naming_the_attribute_with_nothing_stored(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let (bk, _, cao_bang) = members(&app).await;
    let mut event = misp_event(&cao_bang);
    event["Event"]["Attribute"][2]["Tag"] = json!([{"name": "tlp:ex:chr"}]);
    event["Event"]["Attribute"][0]["distribution"] = json!("9");
    let problem = bk
        .post_json("/api/v1/misp/import", &event)
        .await
        .problem(422);
    assert_eq!(
        fields(&problem),
        [
            "Event.Attribute[5f0e0000-0000-4000-8000-00000000a000].distribution",
            "Event.Attribute[5f0e0000-0000-4000-8000-00000000a002].Tag[0]"
        ],
        "{problem:?}"
    );
    assert!(
        problem.errors[1].message.contains("Nhãn TLP"),
        "in Vietnamese by default: {problem:?}"
    );
    let (_, n) = bk.get("/api/v1/indicators/count").await.parts();
    assert_eq!(n["total"], 0, "nothing stored");

    let problem = bk
        .post_json("/api/v1/misp/import", &json!({"Event": {"uuid": "x"}}))
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["Event.info"]);

    // An indicator's alert must be an alert its author may see.
    let problem = bk
        .post_json("/api/v1/indicators", &json!({"observables": [{"kind": "domain", "value": "x.example.vn"}], "alert_id": "no-such-alert"})).await.problem(422);
    assert_eq!(fields(&problem), ["alert_id"]);
}

#[both]
async fn the_indicator_pages_list_show_look_up_and_import_within_the_read_rule(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let (bk, cb, cao_bang) = members(&app).await;
    let (green, _) = indicator(&bk, "domain", "trang-gia.example.vn", "GREEN").await;
    let (strict, _) = indicator(&bk, "ip", "198.51.100.23", "AMBER+STRICT").await;

    let (status, list) = bk.page("/indicators").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("trang-gia.example.vn") && list.contains("198.51.100.23"));
    let (_, filtered) = bk.page("/indicators?tlp=GREEN&q=trang").await;
    assert!(filtered.contains("trang-gia.example.vn") && !filtered.contains("198.51.100.23"));
    let (_, kind) = bk.page("/indicators?kind=ip").await;
    assert!(!kind.contains("trang-gia.example.vn") && kind.contains("198.51.100.23"));

    // Cao Bằng: the GREEN one only; the other's page is "not found".
    let (_, theirs) = cb.page("/indicators").await;
    assert!(theirs.contains("trang-gia.example.vn") && !theirs.contains("198.51.100.23"));
    let (status, _) = cb.page(&format!("/indicators/{strict}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, page) = cb.page(&format!("/indicators/{green}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("indicator-sight") && !page.contains("indicator-revoke"));

    // An anonymous sighting by Cao Bằng, shown to Bắc Kạn without the reporter.
    let res = cb
        .without_redirects()
        .post_form(
            &format!("/indicators/{green}/sightings"),
            &[
                ("kind", "seen"),
                ("anonymous", "1"),
                ("note", "trên máy chủ thư"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, seen) = bk.get(&format!("/api/v1/indicators/{green}")).await.parts();
    assert_eq!(seen["sightings"][0]["anonymous"], true);
    assert!(seen["sightings"][0]["org_id"].is_null());
    let (_, page) = bk.page(&format!("/indicators/{green}")).await;
    assert!(
        page.contains("ẩn danh") && page.contains("indicator-revoke"),
        "{page}"
    );

    // Lookup: a match the reader may see, the bad line named; nothing of what it may not.
    let text = "trang-gia.example.vn\nkhông phải giá trị\n198.51.100.23\n";
    let (status, found) = cb
        .upload("/indicators/lookup", &[("values", "")], text.as_bytes())
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert!(found.contains(&format!("/indicators/{green}")), "{found}");
    assert!(
        found.contains("lines[2]") && !found.contains(&strict),
        "{found}"
    );

    // Import: a bad MISP event shows its problems; a good one is stored.
    let mut event = misp_event(&cao_bang);
    event["Event"]["Tag"] = json!([{"name": "tlp:ex:chr"}]);
    let (status, refused) = bk
        .upload(
            "/indicators/import",
            &[("format", "misp")],
            event.to_string().as_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.contains("Event.Tag[0]") && refused.contains("Nhãn TLP"),
        "{refused}"
    );
    let (status, done) = bk
        .upload(
            "/indicators/import",
            &[("format", "misp")],
            misp_event(&cao_bang).to_string().as_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(done.contains("4 mới"), "{done}");
    // A STIX bundle imported twice from the page: the second time, every object is unchanged.
    let bundle = json!({
        "type": "bundle",
        "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
        "objects": [{
            "type": "indicator", "spec_version": "2.1",
            "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "name": "Máy chủ điều khiển của chiến dịch",
            "created": "2024-12-01T00:00:00.000Z", "modified": "2024-12-01T00:00:00.000Z",
            "indicator_types": ["malicious-activity"],
            "pattern": "[ipv4-addr:value = '198.51.100.77']", "pattern_type": "stix",
            "valid_from": "2024-12-01T00:00:00Z"
        }]
    })
    .to_string();
    for expected in [
        "Đã nhập: 1 mới, 0 phiên bản mới, 0 không đổi",
        "Đã nhập: 0 mới, 0 phiên bản mới, 1 không đổi",
    ] {
        let (status, done) = bk
            .upload(
                "/indicators/import",
                &[("format", "stix")],
                bundle.as_bytes(),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{done}");
        assert!(done.contains(expected), "{expected}: {done}");
        assert!(done.contains("Máy chủ điều khiển của chiến dịch"), "{done}");
    }
    let (_, n) = bk.get("/api/v1/indicators/count").await.parts();
    assert_eq!(n["total"], 7);
}
