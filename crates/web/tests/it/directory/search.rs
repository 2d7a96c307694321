//! One search across the directory (`GET /api/v1/search` and the `/search` page): organisations by
//! any name they had, people and systems only where the reader may read the member's private
//! part — on the demo network, on both databases.

use irnet_domain::TokenScope;
use irnet_testkit::{Backend, TestApp, both, spawn_app};
use reqwest::Method;
use serde_json::Value;

async fn search(app: &TestApp, token: &str, params: &[(&str, &str)]) -> (u16, Value) {
    let r = app
        .bearer(token)
        .request(Method::GET, "/api/v1/search")
        .query(params)
        .send()
        .await;
    (r.status().as_u16(), r.json())
}

fn names(found: &Value, field: &str) -> Vec<String> {
    found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i[field].as_str().unwrap().to_owned())
        .collect()
}

#[both]
async fn one_query_finds_organisations_people_and_systems_without_accents(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Write).await;

    // "bac kan": the department (merged into Thái Nguyên), its people by their emails, its
    // two systems.
    let (status, r) = search(&app, &coordinator, &[("q", "bac kan")]).await;
    assert_eq!(status, 200, "{backend:?}: {r}");
    let orgs = &r["organisations"];
    assert_eq!(orgs["total"], 1, "{r}");
    let hit = &orgs["items"][0];
    assert_eq!(
        hit["org"]["name_vi"],
        "Sở Khoa học và Công nghệ tỉnh Bắc Kạn"
    );
    assert_eq!(hit["succeeded_by"]["kind"], "merge");
    assert_eq!(hit["succeeded_by"]["effective"], "2025-07-01");
    assert_eq!(
        hit["succeeded_by"]["successor_name"],
        "Sở Khoa học và Công nghệ tỉnh Thái Nguyên"
    );
    let mut people = names(&r["people"], "full_name");
    people.sort();
    assert_eq!(people, ["Hoàng Văn Thiên", "Triệu Thị Loan"]);
    assert_eq!(
        r["people"]["items"][0]["org_name"],
        "Sở Khoa học và Công nghệ tỉnh Bắc Kạn"
    );
    assert_eq!(r["systems"]["total"], 2);

    // A person by their names in any order, a phone as written or as digits, a domain.
    for q in [
        "thien hoang",
        "Hoàng Thiên",
        "0209 3870 001",
        "02093870001",
        "+84 209 3870 001",
    ] {
        let (_, r) = search(&app, &coordinator, &[("q", q), ("kind", "person")]).await;
        assert_eq!(
            names(&r["people"], "full_name"),
            ["Hoàng Văn Thiên"],
            "{q}: {r}"
        );
        assert_eq!(
            r["organisations"]["total"], 0,
            "kind=person searches people only"
        );
    }
    let (_, r) = search(&app, &coordinator, &[("q", "backan.gov.vn")]).await;
    assert_eq!(
        names(&r["systems"], "name"),
        ["Cổng thông tin điện tử tỉnh Bắc Kạn"]
    );
    assert_eq!(r["systems"]["items"][0]["internet_facing"], true);

    // "dong nai" finds Đồng Nai; decomposed input finds composed data; hoà and hòa both.
    let org: Value = app.bearer(&coordinator).post_json("/api/v1/organisations", &serde_json::json!({"name_vi": "Sở Khoa học và Công nghệ tỉnh Đồng Nai", "kind": "provincial_department"})).await
        .json();
    let dong_nai = org["id"].as_str().unwrap();
    let person = app.bearer(&coordinator).post_json(&format!("/api/v1/organisations/{dong_nai}/people"), &serde_json::json!({"family_name": "Lê", "middle_name": "Thị", "given_name": "Hoà", "emails": ["hoa.le@dongnai.gov.vn"]})).await;
    assert_eq!(person.status(), 201);
    for q in ["dong nai", "ĐỒNG NAI", "\u{0110}o\u{0302}\u{0300}ng Nai"] {
        let (_, r) = search(&app, &coordinator, &[("q", q), ("kind", "org")]).await;
        assert_eq!(
            names(&r["organisations"], "matched_name"),
            ["Sở Khoa học và Công nghệ tỉnh Đồng Nai"],
            "{q}"
        );
    }
    for q in [
        "le thi hòa",
        "lê hoà",
        "Le\u{0302} Ho\u{0300}a",
        "hoa.le@dongnai",
    ] {
        let (_, r) = search(&app, &coordinator, &[("q", q), ("kind", "person")]).await;
        assert_eq!(names(&r["people"], "full_name"), ["Lê Thị Hoà"], "{q}: {r}");
        assert_eq!(
            r["people"]["items"][0]["org_name"],
            "Sở Khoa học và Công nghệ tỉnh Đồng Nai"
        );
    }
    // A former name finds the organisation too, and says which name matched.
    let (_, r) = search(
        &app,
        &coordinator,
        &[("q", "thong tin truyen thong cao bang")],
    )
    .await;
    assert_eq!(
        names(&r["organisations"], "matched_name"),
        ["Sở Thông tin và Truyền thông tỉnh Cao Bằng"]
    );
    assert!(r["organisations"]["items"][0]["succeeded_by"].is_null());

    // Bad parameters: each named, in the reader's language, nothing else.
    let (status, p) = search(
        &app,
        &coordinator,
        &[("q", "a"), ("kind", "building"), ("limit", "0")],
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["q", "kind", "limit"], "{p}");
    assert_eq!(
        p["errors"][1]["message"],
        "Loại phải là tổ chức (org), người (person) hoặc hệ thống (system)."
    );
    let (status, _) = search(&app, &coordinator, &[("q", "a b c d e f g h i j")]).await;
    assert_eq!(status, 422);
    let anonymous = app.client().get("/api/v1/search?q=bac+kan").await;
    assert_eq!(anonymous.status(), 401);
}

#[both]
async fn a_lang_son_responder_finds_nothing_of_cao_bang_s_people_or_systems_the_coordinator_does(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    // Cao Bằng leads Cluster 1 in 2025 (a lead grant counts only in its organisation's lead year).
    app.set_local_time(2025, 12, 15, 9, 0);
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Read).await;
    let lang_son = app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Read)
        .await;
    let lead = app.token("cumtruong@demo.irnet.vn", TokenScope::Read).await;

    // Cao Bằng's people, by name and by phone, and its shared database.
    for (q, kind, field, expected) in [
        ("nong van dung", "people", "full_name", "Nông Văn Dũng"),
        ("0206 3852 402", "people", "full_name", "Bế Thị Ánh"),
        (
            "co so du lieu cao bang",
            "systems",
            "name",
            "Cơ sở dữ liệu dùng chung tại Trung tâm Tích hợp dữ liệu tỉnh Cao Bằng",
        ),
    ] {
        let (_, r) = search(&app, &coordinator, &[("q", q)]).await;
        assert_eq!(
            names(&r[kind], field),
            [expected],
            "{backend:?} coordinator {q}"
        );
        assert_eq!(r[kind]["total"], 1);
        let (status, r) = search(&app, &lang_son, &[("q", q)]).await;
        assert_eq!(status, 200);
        assert_eq!(r[kind]["total"], 0, "{backend:?} Lạng Sơn {q}: {r}");
        assert!(r[kind]["items"].as_array().unwrap().is_empty());
    }
    // Bắc Kạn's portal, by its domain: the coordinator only.
    let (_, r) = search(&app, &lang_son, &[("q", "backan.gov.vn")]).await;
    assert_eq!(r["systems"]["total"], 0);
    // Organisations are public: the responder finds Cao Bằng's department itself.
    let (_, r) = search(&app, &lang_son, &[("q", "cao bang")]).await;
    assert_eq!(r["organisations"]["total"], 1);
    assert_eq!(r["people"]["total"], 0);
    // Its own people it finds.
    let (_, r) = search(&app, &lang_son, &[("q", "hoang duc binh")]).await;
    assert_eq!(names(&r["people"], "full_name"), ["Hoàng Đức Bình"]);

    // The cluster lead (Cao Bằng, Cluster 1) reads the private part of the cluster's members
    // of today: Lạng Sơn yes; Bắc Kạn, which left at its merger on 01/07/2025, as part of its
    // successor Thái Nguyên, a member today (a lead reads a member's predecessors as the
    // member's own).
    let (_, r) = search(&app, &lead, &[("q", "hoang duc binh")]).await;
    assert_eq!(names(&r["people"], "full_name"), ["Hoàng Đức Bình"]);
    let (_, r) = search(&app, &lead, &[("q", "hoang van thien")]).await;
    assert_eq!(names(&r["people"], "full_name"), ["Hoàng Văn Thiên"], "{r}");

    // The page says the same: a count of 0 and no name.
    let (browser, _) = app
        .sign_in("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")
        .await;
    let page = browser.get("/search?q=nong+van+dung").await.text();
    assert!(
        page.contains(r#"<span class="muted" id="person-count">(0)</span>"#),
        "{page}"
    );
    assert!(!page.contains("Nông Văn Dũng"));
    let (browser, _) = app
        .sign_in("dieuphoi@demo.irnet.vn", "demo-coordinator-2024")
        .await;
    let page = browser.get("/search?q=nong+van+dung").await.text();
    assert!(
        page.contains(r#"<span class="muted" id="person-count">(1)</span>"#),
        "{page}"
    );
    assert!(page.contains("Nông Văn Dũng") && page.contains("0206 3852 401"));
}

#[both]
async fn the_search_page_shows_the_three_kinds_in_vietnamese_and_english(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let (browser, _) = app
        .sign_in("dieuphoi@demo.irnet.vn", "demo-coordinator-2024")
        .await;
    let page = browser.get("/search?q=bac+kan").await.text();
    assert!(
        page.contains(
            "Đã sáp nhập vào Sở Khoa học và Công nghệ tỉnh Thái Nguyên từ ngày 01/07/2025"
        ),
        "{backend:?}: {page}"
    );
    assert!(page.contains("Người") && page.contains("Triệu Thị Loan"));
    assert!(page.contains("Cổng thông tin điện tử tỉnh Bắc Kạn") && page.contains("backan.gov.vn"));
    assert!(page.contains("href=\"/orgs/"));
    let token = irnet_testkit::form_token(&page);
    browser
        .post_form(
            "/lang",
            &[
                ("csrf_token", token.as_str()),
                ("lang", "en"),
                ("next", "/"),
            ],
        )
        .await;
    let page = browser.get("/search?q=bac+kan&kind=system").await.text();
    assert!(
        page.contains("Information systems") && page.contains("Internet-facing"),
        "{page}"
    );
    assert!(
        !page.contains("Triệu Thị Loan"),
        "kind=system shows systems only"
    );
    let bad = browser.get("/search?q=x").await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().contains("Length not allowed."));
}

#[both]
async fn rows_written_before_the_index_existed_are_indexed_at_start(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    // As if the directory predated the index: empty it, then start again.
    app.app
        .store
        .write(|c| {
            use irnet_store::diesel::RunQueryDsl;
            irnet_store::diesel::delete(irnet_store::schema::search_terms::table).execute(c)?;
            Ok::<_, irnet_store::StoreError>(())
        })
        .await
        .unwrap();
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Read).await;
    let (_, r) = search(&app, &coordinator, &[("q", "bac kan")]).await;
    assert_eq!(r["organisations"]["total"], 0, "the index is empty");
    app.app.store.migrate().await.unwrap();
    let (_, r) = search(&app, &coordinator, &[("q", "bac kan")]).await;
    assert_eq!(r["organisations"]["total"], 1, "{backend:?}: {r}");
    assert_eq!(r["people"]["total"], 2);
    assert_eq!(r["systems"]["total"], 2);
}
