//! The directory's history, read "as of" a day: the seed's Cluster 1 before and after the 2025
//! renaming and mergers, and its leads.

use irnet_domain::TokenScope;
use irnet_testkit::{Backend, both, form_token, spawn_app};
use reqwest::Method;
use serde_json::Value;

fn names(members: &Value) -> Vec<String> {
    members
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name_vi"].as_str().unwrap().to_owned())
        .collect()
}

#[both]
async fn cluster_one_as_of_2024_and_2025_with_its_leads(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let reader = app.bearer(
        &app.token("ungcuu.langson@demo.irnet.vn", TokenScope::Read)
            .await,
    );
    let clusters = reader.get("/api/v1/clusters").await.json::<Value>();
    let cluster = &clusters.as_array().unwrap()[0];
    assert_eq!(cluster["number"], 1);
    assert_eq!(cluster["founding_decision"], "38/QĐ-CATTT");
    assert_eq!(cluster["founding_date"], "2020-05-04");
    let id = cluster["id"].as_str().unwrap();

    let y2024 = reader
        .get(&format!("/api/v1/clusters/{id}/members?as_of=2024-12-31"))
        .await
        .json::<Value>();
    assert_eq!(
        names(&y2024),
        [
            "Sở Thông tin và Truyền thông tỉnh Bắc Giang",
            "Sở Thông tin và Truyền thông tỉnh Bắc Kạn",
            "Sở Thông tin và Truyền thông tỉnh Bắc Ninh",
            "Sở Thông tin và Truyền thông tỉnh Cao Bằng",
            "Sở Thông tin và Truyền thông tỉnh Lạng Sơn",
            "Sở Thông tin và Truyền thông tỉnh Thái Nguyên",
        ],
        "{backend:?}"
    );
    let y2025 = reader
        .get(&format!("/api/v1/clusters/{id}/members?as_of=2025-08-01"))
        .await
        .json::<Value>();
    assert_eq!(
        names(&y2025),
        [
            "Sở Khoa học và Công nghệ tỉnh Bắc Ninh",
            "Sở Khoa học và Công nghệ tỉnh Cao Bằng",
            "Sở Khoa học và Công nghệ tỉnh Lạng Sơn",
            "Sở Khoa học và Công nghệ tỉnh Thái Nguyên",
        ]
    );
    // Between the renaming and the mergers: six members under their new names.
    let spring = reader
        .get(&format!("/api/v1/clusters/{id}/members?as_of=2025-04-01"))
        .await
        .json::<Value>();
    assert_eq!(names(&spring).len(), 6);
    assert!(
        names(&spring)
            .iter()
            .all(|n| n.starts_with("Sở Khoa học và Công nghệ"))
    );

    let leads = reader
        .get(&format!("/api/v1/clusters/{id}/leads"))
        .await
        .json::<Value>();
    assert_eq!(leads[0]["year"], 2024);
    assert_eq!(
        leads[0]["name_vi"],
        "Sở Thông tin và Truyền thông tỉnh Bắc Kạn"
    );
    assert_eq!(leads[1]["year"], 2025);
    assert_eq!(
        leads[1]["name_vi"],
        "Sở Khoa học và Công nghệ tỉnh Cao Bằng"
    );
    assert_eq!(
        leads[1]["handed_over_from_name"],
        "Sở Thông tin và Truyền thông tỉnh Bắc Kạn"
    );
    assert!(
        leads[1]["handed_over_by"]
            .as_str()
            .unwrap()
            .contains("Hoàng Văn Thiên")
    );

    let bac_kan = y2024.as_array().unwrap()[1]["org_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let history = reader
        .get(&format!("/api/v1/organisations/{bac_kan}/history"))
        .await
        .json::<Value>();
    let merge = history["successions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "merge")
        .unwrap();
    assert_eq!(merge["effective"], "2025-07-01");
    assert_eq!(
        merge["successor_name"],
        "Sở Khoa học và Công nghệ tỉnh Thái Nguyên"
    );

    let bad = reader
        .get(&format!("/api/v1/clusters/{id}/members?as_of=31/12/2024"))
        .await;
    assert_eq!(bad.status(), 422);

    // The cluster page shows the same, in Vietnamese and in English.
    let (browser, _) = app
        .sign_in("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")
        .await;
    let page = browser
        .get(&format!("/clusters/{id}?as_of=2024-12-31"))
        .await
        .text();
    assert!(
        page.contains("Sở Thông tin và Truyền thông tỉnh Bắc Kạn")
            && page.contains("6 thành viên tại ngày 31/12/2024"),
        "{page}"
    );
    assert!(page.contains("38/QĐ-CATTT"));
    let token_form = form_token(&page);
    browser
        .post_form(
            "/lang",
            &[
                ("csrf_token", token_form.as_str()),
                ("lang", "en"),
                ("next", "/"),
            ],
        )
        .await;
    let page = browser
        .get(&format!("/clusters/{id}?as_of=2025-08-01"))
        .await
        .text();
    assert!(
        page.contains("4 members on 01/08/2025")
            && page.contains("Thái Nguyên Department of Science and Technology"),
        "{page}"
    );
    // The members table (the timeline below it still tells Bắc Kạn's story).
    let members = page
        .split("<table id=\"members\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .unwrap();
    assert!(members.contains("Thái Nguyên Department of Science and Technology"));
    assert!(
        !members.contains("Bắc Kạn Department of Science"),
        "{members}"
    );
}

#[both]
async fn renaming_an_organisation_keeps_its_old_name_for_the_past(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let org = app.org("Sở Thông tin và Truyền thông tỉnh Hà Giang").await;
    app.account(
        "admin@vncert.vn",
        &org,
        vec![
            irnet_domain::Grant::new(irnet_domain::Role::Admin, irnet_domain::Scope::Network)
                .unwrap(),
        ],
    )
    .await;
    let token = app.token("admin@vncert.vn", TokenScope::Write).await;
    app.clock.advance(chrono::Duration::days(30));
    let r = app
        .bearer(&token)
        .patch_json(
            &format!("/api/v1/organisations/{org}"),
            &serde_json::json!({"name_vi": "Sở Khoa học và Công nghệ tỉnh Hà Giang"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{backend:?}");
    let h: Value = app
        .bearer(&token)
        .get(&format!("/api/v1/organisations/{org}/history"))
        .await
        .json();
    let names = h["names"].as_array().unwrap();
    assert_eq!(names.len(), 2);
    assert_eq!(
        names[0]["name_vi"],
        "Sở Thông tin và Truyền thông tỉnh Hà Giang"
    );
    assert_eq!(names[0]["valid_to"], names[1]["valid_from"]);
    assert_eq!(names[1]["reason"], "rename");
    assert!(names[1]["valid_to"].is_null());
}

#[both]
async fn searching_without_accents_finds_bac_kan_and_says_it_merged_into_thai_nguyen(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let token = app.token("xem@demo.irnet.vn", TokenScope::Read).await;
    for q in [
        "bac kan",
        "BẮC KẠN",
        "Ba\u{0306}c Ka\u{0323}n",
        "thong tin va truyen thong tinh bac kan",
    ] {
        let hits: Value = app
            .bearer(&token)
            .request(Method::GET, "/api/v1/organisations/search")
            .query(&[("q", q)])
            .send()
            .await
            .json();
        let hits = hits.as_array().unwrap();
        assert_eq!(hits.len(), 1, "{backend:?} {q}: {hits:?}");
        assert_eq!(
            hits[0]["org"]["name_vi"],
            "Sở Khoa học và Công nghệ tỉnh Bắc Kạn"
        );
        assert_eq!(hits[0]["succeeded_by"]["kind"], "merge");
        assert_eq!(hits[0]["succeeded_by"]["effective"], "2025-07-01");
        assert_eq!(
            hits[0]["succeeded_by"]["successor_name"],
            "Sở Khoa học và Công nghệ tỉnh Thái Nguyên"
        );
    }
    // Cao Bằng still exists: no successor.
    let hits: Value = app
        .bearer(&token)
        .get("/api/v1/organisations/search?q=cao%20bang")
        .await
        .json();
    assert!(hits[0]["succeeded_by"].is_null());
    for q in ["dong nai", "100%"] {
        let hits: Value = app
            .bearer(&token)
            .request(Method::GET, "/api/v1/organisations/search")
            .query(&[("q", q)])
            .send()
            .await
            .json();
        assert_eq!(hits.as_array().unwrap().len(), 0, "{q}");
    }
    let short = app
        .bearer(&token)
        .get("/api/v1/organisations/search?q=a")
        .await;
    assert_eq!(short.status(), 422);
    assert_eq!(
        app.client()
            .get("/api/v1/organisations/search?q=bac")
            .await
            .status(),
        401
    );

    let (browser, _) = app.sign_in("xem@demo.irnet.vn", "demo-viewer-2024").await;
    let page = browser.get("/search?q=bac+kan").await.text();
    assert!(
        page.contains("Sở Khoa học và Công nghệ tỉnh Bắc Kạn")
            && page.contains(
                "Đã sáp nhập vào Sở Khoa học và Công nghệ tỉnh Thái Nguyên từ ngày 01/07/2025"
            ),
        "{page}"
    );
}

#[both]
async fn a_members_people_and_focal_points_reach_only_it_its_cluster_lead_and_the_coordinator(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    // Cao Bằng leads Cluster 1 in 2025 (a lead grant counts only in its organisation's lead year).
    app.set_local_time(2025, 12, 15, 9, 0);
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Write).await;
    let lang_son = app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Read)
        .await;
    let lead = app.token("cumtruong@demo.irnet.vn", TokenScope::Read).await;
    let hits: Value = app
        .bearer(&lang_son)
        .get("/api/v1/organisations/search?q=cao+bang")
        .await
        .json();
    let cao_bang = hits[0]["org"]["id"].as_str().unwrap().to_owned();
    let hits: Value = app
        .bearer(&lang_son)
        .get("/api/v1/organisations/search?q=lang+son")
        .await
        .json();
    let lang_son_org = hits[0]["org"]["id"].as_str().unwrap().to_owned();

    // The Lạng Sơn responder learns nothing of Cao Bằng's people or focal points…
    for path in [
        format!("/api/v1/organisations/{cao_bang}/people"),
        format!("/api/v1/organisations/{cao_bang}/focal-points"),
    ] {
        let r = app.bearer(&lang_son).get(&path).await;
        assert_eq!(r.status(), 404, "{backend:?} {path}");
        let body = r.text();
        assert!(!body.contains("Bế") && !body.contains("0206"), "{body}");
    }
    // …but sees its own organisation's, sorted by given name.
    let own: Value = app
        .bearer(&lang_son)
        .get(&format!("/api/v1/organisations/{lang_son_org}/people"))
        .await
        .json();
    let given: Vec<&str> = own
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["given_name"].as_str().unwrap())
        .collect();
    assert_eq!(given, ["Bình", "Mai"]);

    // The coordinator and the cluster lead (Cao Bằng leads Cluster 1) see Cao Bằng's.
    for token in [&coordinator, &lead] {
        let fp: Value = app
            .bearer(token)
            .get(&format!("/api/v1/organisations/{cao_bang}/focal-points"))
            .await
            .json();
        assert_eq!(fp[0]["kind"], "main");
        assert_eq!(fp[0]["person"]["full_name"], "Nông Văn Dũng");
        assert_eq!(fp[1]["kind"], "backup");
    }

    // Bad input names the field and stores nothing.
    let bad = app.bearer(&coordinator).post_json(&format!("/api/v1/organisations/{cao_bang}/people"), &serde_json::json!({"family_name": "Bế", "given_name": "", "phones": ["call me"], "emails": ["x@"]})).await;
    assert_eq!(bad.status(), 422);
    let p: Value = bad.json();
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["given_name", "phones[0]", "emails[0]"]);
    let after: Value = app
        .bearer(&coordinator)
        .get(&format!("/api/v1/organisations/{cao_bang}/people"))
        .await
        .json();
    assert_eq!(after.as_array().unwrap().len(), 2);

    // A new backup focal point, recorded (and audited) by the coordinator.
    let created: Value = app.bearer(&coordinator).post_json(&format!("/api/v1/organisations/{cao_bang}/people"), &serde_json::json!({"family_name": "Đàm", "middle_name": "Văn", "given_name": "Sơn", "phones": ["0206 3852 403"], "emails": ["son.caobang@demo.irnet.vn"]})).await
        .json();
    let set = app
        .bearer(&coordinator)
        .put_json(
            &format!("/api/v1/organisations/{cao_bang}/focal-points/backup"),
            &serde_json::json!({"person_id": created["id"]}),
        )
        .await;
    assert_eq!(set.status(), 200);
    let fp: Value = set.json();
    assert_eq!(fp[1]["person"]["full_name"], "Đàm Văn Sơn");
    // A read-only lead cannot change them.
    let r = app
        .bearer(&lead)
        .put_json(
            &format!("/api/v1/organisations/{cao_bang}/focal-points/main"),
            &serde_json::json!({"person_id": created["id"]}),
        )
        .await;
    assert_eq!(r.status(), 403);
}

#[both]
async fn a_members_systems_reach_only_it_its_cluster_lead_and_the_coordinator_and_bad_addresses_are_refused(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Write).await;
    let lang_son = app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Read)
        .await;
    let search = |q: &str| {
        let lang_son = app.bearer(&lang_son);
        let q = q.to_owned();
        async move {
            let hits: Value = lang_son
                .request(Method::GET, "/api/v1/organisations/search")
                .query(&[("q", q)])
                .send()
                .await
                .json();
            hits[0]["org"]["id"].as_str().unwrap().to_owned()
        }
    };
    let cao_bang = search("cao bang").await;
    let bac_kan = search("bac kan").await;

    let portal: Value = app
        .bearer(&coordinator)
        .get(&format!("/api/v1/organisations/{bac_kan}/systems"))
        .await
        .json();
    let portal = portal
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["internet_facing"] == true)
        .unwrap()
        .clone();
    assert_eq!(
        portal["name"], "Cổng thông tin điện tử tỉnh Bắc Kạn",
        "{backend:?}"
    );
    assert_eq!(portal["approved_level"], 3);
    let theirs: Value = app
        .bearer(&coordinator)
        .get(&format!("/api/v1/organisations/{cao_bang}/systems"))
        .await
        .json();
    let system_id = theirs[0]["id"].as_str().unwrap().to_owned();

    for path in [
        format!("/api/v1/organisations/{cao_bang}/systems"),
        format!("/api/v1/systems/{system_id}"),
    ] {
        let r = app.bearer(&lang_son).get(&path).await;
        assert_eq!(r.status(), 404, "{backend:?} {path}");
        assert!(!r.text().contains("Cao Bằng"));
    }
    assert_eq!(
        app.bearer(&coordinator)
            .get(&format!("/api/v1/systems/{system_id}"))
            .await
            .status(),
        200
    );

    let bad = app.bearer(&coordinator).post_json(&format!("/api/v1/organisations/{cao_bang}/systems"), &serde_json::json!({"name": "Cổng dịch vụ công", "approved_level": 6, "public_urls": ["ftp://caobang.gov.vn"], "domains": ["caobang.gov.vn", "bad_domain"], "ip_ranges": ["300.1.1.1", "203.113.131.0/24"]})).await;
    assert_eq!(bad.status(), 422);
    let p: Value = bad.json();
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "approved_level",
            "public_urls[0]",
            "domains[1]",
            "ip_ranges[0]"
        ]
    );
    let after: Value = app
        .bearer(&coordinator)
        .get(&format!("/api/v1/organisations/{cao_bang}/systems"))
        .await
        .json();
    assert_eq!(
        after.as_array().unwrap().len(),
        1,
        "a refused system was stored"
    );
}

#[both]
async fn a_thousand_organisations_with_three_bad_rows_import_nothing_and_the_corrected_file_imports_all(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    let org = app.org("VNCERT/CC").await;
    app.account(
        "dieuphoi@vncert.vn",
        &org,
        vec![
            irnet_domain::Grant::new(
                irnet_domain::Role::Coordinator,
                irnet_domain::Scope::Network,
            )
            .unwrap(),
        ],
    )
    .await;
    let token = app.token("dieuphoi@vncert.vn", TokenScope::Write).await;
    let file = |bad: bool| {
        let mut s = String::from("name_vi,name_en,short_name,kind,member_code\n");
        for i in 1..=1000 {
            let (name, kind) = match (bad, i) {
                (true, 17) => (String::new(), "other"),
                (true, 500) => (format!("Đơn vị số {i}"), "ngân hàng"),
                _ => (format!("Đơn vị số {i}"), "enterprise"),
            };
            let code = if bad && i == 999 {
                "M0001".to_owned()
            } else {
                format!("M{i:04}")
            };
            s.push_str(&format!("\"{name}\",Unit {i},u{i},{kind},{code}\n"));
        }
        s
    };
    let count = || async {
        let page: Value = app
            .bearer(&token)
            .get("/api/v1/organisations?limit=500")
            .await
            .json();
        page["items"].as_array().unwrap().len()
    };

    let dry: Value = app
        .bearer(&token)
        .request(Method::POST, "/api/v1/organisations/import?dry_run=true")
        .header("content-type", "text/csv")
        .body(file(true))
        .send()
        .await
        .json();
    let rows: Vec<(u64, &str)> = dry["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap()))
        .collect();
    // Row numbers as a spreadsheet shows them: the header is row 1.
    assert_eq!(
        rows,
        [(18, "name_vi"), (501, "kind"), (1000, "member_code")],
        "{backend:?}"
    );
    let real = app
        .bearer(&token)
        .request(Method::POST, "/api/v1/organisations/import")
        .header("content-type", "text/csv")
        .body(file(true))
        .send()
        .await;
    assert_eq!(real.status(), 422);
    let p: Value = real.json();
    assert_eq!(p["errors"].as_array().unwrap().len(), 3);
    assert_eq!(p["errors"][0]["field"], "row 18 / name_vi");
    assert_eq!(count().await, 1, "a partial import was stored");

    let ok = app
        .bearer(&token)
        .request(Method::POST, "/api/v1/organisations/import")
        .header("content-type", "text/csv")
        .body(file(false))
        .send()
        .await;
    assert_eq!(ok.status(), 201);
    let report: Value = ok.json();
    assert_eq!(report["imported"], 1000);
    let hits: Value = app
        .bearer(&token)
        .get("/api/v1/organisations/search?q=don+vi+so+999")
        .await
        .json();
    assert_eq!(hits[0]["org"]["member_code"], "M0999");
    // A file over the import limit (16 MiB) is refused as a problem document, not a bare 413.
    let huge = "name_vi\n".to_owned() + &"x\n".repeat(9_000_000);
    let r = app
        .bearer(&token)
        .request(Method::POST, "/api/v1/organisations/import")
        .header("content-type", "text/csv")
        .body(huge)
        .send()
        .await;
    assert_eq!(r.status(), 413);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    assert_eq!(r.json::<Value>()["code"], "payload_too_large");
    // Importing it again would repeat the member codes: refused, nothing stored.
    let again = app
        .bearer(&token)
        .request(Method::POST, "/api/v1/organisations/import")
        .header("content-type", "text/csv")
        .body(file(false))
        .send()
        .await;
    assert_eq!(again.status(), 422);
}
