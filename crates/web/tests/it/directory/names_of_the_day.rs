//! Names of the day beyond incidents (issue 16): an alert Bắc Kạn sent as the cluster's lead in
//! 2024 and a message it posted that year keep the names of 2024 in 2026 — the sender's and the
//! recipients' — with today's beside them ("nay là …"), in the list, the page and the API; a
//! directory search names a merged organisation's people by its last name and what it is now.

use irnet_domain::roles::{Grant, Scope};
use irnet_domain::{Role, TokenScope};
use irnet_testkit::{Backend, both, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

const BK_2024: &str = "Sở Thông tin và Truyền thông tỉnh Bắc Kạn";
const TN_NOW: &str = "Sở Khoa học và Công nghệ tỉnh Thái Nguyên";
const LS_2024: &str = "Sở Thông tin và Truyền thông tỉnh Lạng Sơn";
const LS_NOW: &str = "Sở Khoa học và Công nghệ tỉnh Lạng Sơn";

fn find<'a>(list: &'a Value, key: &str, id: &str) -> &'a Value {
    list[key]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {list}"))
}

#[both]
async fn an_alert_and_a_message_of_2024_keep_the_names_of_2024_with_todays_beside(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let bac_kan = app.demo_org("Sở KH&CN Bắc Kạn").await;
    let coordinator = app.client_of("dieuphoi@demo.irnet.vn").await;
    let (_, clusters) = coordinator.get("/api/v1/clusters").await.parts();
    let cluster = clusters[0]["id"].as_str().unwrap().to_owned();

    // 15/10/2024: Bắc Kạn leads Cluster 1 and warns it; it also posts in the cluster's channel.
    app.set_local_time(2024, 10, 15, 10, 0);
    app.account(
        "cumtruong.backan@test.vn",
        &bac_kan,
        vec![
            Grant::new(Role::ClusterLead, Scope::Cluster(cluster.parse().unwrap())).unwrap(),
            irnet_testkit::org_grant(Role::Responder, &bac_kan),
        ],
    )
    .await;
    let bk = app.bearer(
        &app.token("cumtruong.backan@test.vn", TokenScope::Write)
            .await,
    );
    let (s, draft) = bk
        .post_json(
            "/api/v1/alerts",
            &json!({"title": "Chiến dịch lừa đảo giả mạo cổng dịch vụ công",
                    "audience": {"clusters": [cluster]}}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {draft}");
    let id = draft["id"].as_str().unwrap().to_owned();
    let (s, sent) = bk
        .post_json(&format!("/api/v1/alerts/{id}/send"), &json!({}))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {sent}");
    assert_eq!(sent["sender"]["name_vi"], BK_2024);
    assert!(sent["sender"]["now_vi"].is_null(), "in 2024: {sent}");
    let (s, msg) = bk
        .post_json(
            &format!("/api/v1/channels/{cluster}/messages"),
            &json!({"body": "Đã chặn tên miền giả mạo.", "tlp": "AMBER"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {msg}");
    let mid = msg["id"].as_str().unwrap().to_owned();

    // 02/03/2026: Lạng Sơn reads them under the names of 2024, with today's beside.
    app.set_local_time(2026, 3, 2, 9, 0);
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    let (s, v) = ls.get(&format!("/api/v1/alerts/{id}")).await.parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {v}");
    assert_eq!(v["sender_name"], BK_2024, "{backend:?}");
    assert_eq!(v["sender"]["name_vi"], BK_2024);
    assert_eq!(v["sender"]["now_vi"], TN_NOW, "{backend:?}: {v}");
    assert_eq!(v["mine"]["org"]["name_vi"], LS_2024);
    assert_eq!(v["mine"]["org"]["now_vi"], LS_NOW);
    let (_, list) = ls.get("/api/v1/alerts").await.parts();
    let row = find(&list, "items", &id);
    assert_eq!(row["sender"]["name_vi"], BK_2024, "{backend:?}: {row}");
    assert_eq!(row["sender"]["now_vi"], TN_NOW);

    // The coordinator reads every recipient under its name of the send day.
    let (s, recipients) = coordinator
        .get(&format!("/api/v1/alerts/{id}/recipients"))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {recipients}");
    let ls_row = recipients["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["org"]["name_vi"] == LS_2024)
        .unwrap_or_else(|| panic!("{backend:?}: {recipients}"));
    assert_eq!(ls_row["org_name_vi"], LS_2024);
    assert_eq!(ls_row["org"]["now_vi"], LS_NOW);

    let (s, messages) = ls
        .get(&format!("/api/v1/channels/{cluster}/messages"))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {messages}");
    let m = find(&messages, "items", &mid);
    assert_eq!(m["org_name"], BK_2024, "{backend:?}: {m}");
    assert_eq!(m["org"]["now_vi"], TN_NOW);

    // The pages say both names.
    let (browser, _) = app
        .sign_in("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")
        .await;
    let said = format!("{BK_2024} (nay là {TN_NOW})");
    for path in [
        "/alerts".to_owned(),
        format!("/alerts/{id}"),
        format!("/channels/{cluster}"),
    ] {
        let (s, page) = browser.get(&path).await.page();
        assert_eq!(s, StatusCode::OK, "{backend:?}: {path}");
        assert!(page.contains(&said), "{backend:?}: {path}: {page}");
    }
    let (coordinator_browser, _) = app
        .sign_in("dieuphoi@demo.irnet.vn", "demo-coordinator-2024")
        .await;
    let (_, page) = coordinator_browser
        .get(&format!("/alerts/{id}"))
        .await
        .page();
    assert!(
        page.contains(&format!("{LS_2024} (nay là {LS_NOW})")),
        "{backend:?}: the recipients' table: {page}"
    );

    // A directory search names Bắc Kạn's people by its last name and what it is now.
    let (s, found) = coordinator
        .get("/api/v1/search?q=backan&kind=system")
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {found}");
    let hit = &found["systems"]["items"][0];
    assert_eq!(
        hit["owner_org_id"],
        bac_kan.as_str(),
        "{backend:?}: {found}"
    );
    assert_eq!(hit["owner"]["now_vi"], TN_NOW, "{backend:?}: {hit}");
}
