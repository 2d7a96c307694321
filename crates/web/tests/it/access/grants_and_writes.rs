//! Grants gate everything (issue 14, finding 7), on the demo network on 20/12/2024 and both
//! databases: viewers and accounts with no grant do not post in channels; an account with no
//! grant reads nothing of its organisation; escalation opens an incident to the people holding
//! the coordinator role, not to the platform administrator working in the same centre; a
//! read-only token does not move read markers; a token manages no credential and a stale session
//! must give its password again; incident numbers run per member and year.

use irnet_domain::{Role, TokenScope};
use irnet_testkit::{Backend, TestApp, both, form_token, org_grant, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const DEMO_ADMIN: &str = "admin@demo.irnet.vn";
const COORDINATOR: &str = "dieuphoi@demo.irnet.vn";
const VIEWER: &str = "xem@demo.irnet.vn";

async fn demo(app: &TestApp) -> String {
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2024, 12, 20, 10, 30);
    app.demo_org("Sở KH&CN Bắc Kạn").await
}

/// A submitted incident of the token's organisation; returns the view.
async fn incident(app: &TestApp, token: &str, title: &str, tlp: &str) -> Value {
    let (s, inc) = app
        .bearer(token)
        .post_json(
            "/api/v1/incidents",
            &json!({"title": title, "detected_at": "2024-12-20T08:00", "tlp": tlp, "submit": true}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{inc}");
    inc
}

#[both]
async fn only_those_acting_for_their_organisation_post_in_channels(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let bac_kan = demo(&app).await;
    let bk = app.responder("ungcuu.bk@test.vn", &bac_kan).await;
    let viewer = app.token(VIEWER, TokenScope::Write).await;
    app.account("moi.bk@test.vn", &bac_kan, vec![]).await;
    let no_grant = app.token("moi.bk@test.vn", TokenScope::Write).await;
    let body = json!({"body": "Xin chào @ungcuu.bk@test.vn", "tlp": "GREEN"});
    for (who, token) in [("viewer", &viewer), ("no grant", &no_grant)] {
        let (s, m) = app
            .bearer(token)
            .post_json("/api/v1/channels/network/messages", &body.clone())
            .await
            .parts();
        assert_eq!(s, StatusCode::FORBIDDEN, "{backend:?}: {who} posted: {m}");
        let (_, ch) = app
            .bearer(token)
            .get("/api/v1/channels/network")
            .await
            .parts();
        assert_eq!(ch["may_post"], false, "{backend:?}: {who}");
    }
    // Nothing was stored: the responder's list is empty, and no one was told.
    let (_, list) = app
        .bearer(&bk)
        .get("/api/v1/channels/network/messages")
        .await
        .parts();
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        0,
        "{backend:?}: {list}"
    );
    let (_, told) = app.bearer(&bk).get("/api/v1/notifications").await.parts();
    assert_eq!(
        told["items"].as_array().unwrap().len(),
        0,
        "{backend:?}: {told}"
    );
    // The responder posts.
    let (s, m) = app
        .bearer(&bk)
        .post_json(
            "/api/v1/channels/network/messages",
            &json!({"body": "Cảnh báo", "tlp": "GREEN"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {m}");
    let (_, ch) = app
        .bearer(&bk)
        .get("/api/v1/channels/network")
        .await
        .parts();
    assert_eq!(ch["may_post"], true, "{backend:?}");
}

#[both]
async fn an_account_with_no_grant_reads_nothing_of_its_organisation(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let bac_kan = demo(&app).await;
    let bk = app.responder("ungcuu.bk@test.vn", &bac_kan).await;
    let amber = incident(&app, &bk, "AMBER canary 7731", "AMBER").await;
    let green = incident(&app, &bk, "GREEN canary 7732", "GREEN").await;
    app.account("moi.bk@test.vn", &bac_kan, vec![]).await;
    let no_grant = app.token("moi.bk@test.vn", TokenScope::Read).await;
    for inc in [&amber, &green] {
        let id = inc["id"].as_str().unwrap();
        let (s, _) = app
            .bearer(&no_grant)
            .get(&format!("/api/v1/incidents/{id}"))
            .await
            .parts();
        assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}: {}", inc["title"]);
    }
    let (s, list) = app.bearer(&no_grant).get("/api/v1/incidents").await.parts();
    assert_eq!(s, StatusCode::OK);
    assert!(!list.to_string().contains("canary"), "{backend:?}: {list}");
    let (_, counts) = app
        .bearer(&no_grant)
        .get("/api/v1/incidents/count")
        .await
        .parts();
    assert_eq!(counts["total"], 0, "{backend:?}: {counts}");
    // Nor its organisation's private part: the people.
    let (s, people) = app
        .bearer(&no_grant)
        .get(&format!("/api/v1/organisations/{bac_kan}/people"))
        .await
        .parts();
    assert!(
        s == StatusCode::NOT_FOUND || people.as_array().is_some_and(Vec::is_empty),
        "{backend:?}: {s} {people}"
    );
    // A colleague with a viewer grant reads them.
    app.account(
        "xem.bk@test.vn",
        &bac_kan,
        vec![org_grant(Role::Viewer, &bac_kan)],
    )
    .await;
    let viewer = app.token("xem.bk@test.vn", TokenScope::Read).await;
    let id = amber["id"].as_str().unwrap();
    let (s, _) = app
        .bearer(&viewer)
        .get(&format!("/api/v1/incidents/{id}"))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}");
}

#[both]
async fn escalation_names_the_coordinators_not_their_whole_organisation(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let bac_kan = demo(&app).await;
    let bk = app.responder("ungcuu.bk@test.vn", &bac_kan).await;
    let coordinator = app.token(COORDINATOR, TokenScope::Write).await;
    let admin = app.token(DEMO_ADMIN, TokenScope::Write).await;
    let inc = incident(&app, &bk, "Escalated canary 7741", "AMBER").await;
    let id = inc["id"].as_str().unwrap();
    let (s, _) = app
        .bearer(&bk)
        .post_json(&format!("/api/v1/incidents/{id}/escalate"), &json!({}))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK);
    let (s, seen) = app
        .bearer(&coordinator)
        .get(&format!("/api/v1/incidents/{id}"))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: the coordinator reads it");
    assert_eq!(seen["may"]["coordinate"], true, "{backend:?}");
    // The platform administrator works at the coordinator's centre: not in the audience.
    let (s, _) = app
        .bearer(&admin)
        .get(&format!("/api/v1/incidents/{id}"))
        .await
        .parts();
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "{backend:?}: the admin reads the escalated incident"
    );
    let (_, list) = app.bearer(&admin).get("/api/v1/incidents").await.parts();
    assert!(!list.to_string().contains("7741"), "{backend:?}: {list}");

    // Someone who takes up the coordinator role later joins the coordinators the escalation
    // named; when the role is taken away, so is what it opened.
    let (_, me) = app.bearer(&coordinator).get("/api/v1/me").await.parts();
    let centre = me["org_id"]
        .as_str()
        .or(me["user"]["org_id"].as_str())
        .unwrap()
        .to_owned();
    let newcomer = app.account("dieuphoi.moi@test.vn", &centre, vec![]).await;
    let reader = app.token("dieuphoi.moi@test.vn", TokenScope::Read).await;
    let path = format!("/api/v1/incidents/{id}");
    let (s, _) = app.bearer(&reader).get(&path).await.parts();
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "{backend:?}: not yet a coordinator"
    );
    let (s, g) = app
        .bearer(&admin)
        .post_json(
            &format!("/api/v1/users/{}/roles", newcomer.id),
            &json!({"role": "coordinator", "scope": "network"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {g}");
    let (s, seen) = app.bearer(&reader).get(&path).await.parts();
    assert_eq!(
        s,
        StatusCode::OK,
        "{backend:?}: the new coordinator reads it"
    );
    assert!(seen.to_string().contains("7741"));
    let (s, _) = app
        .bearer(&admin)
        .delete(&format!(
            "/api/v1/users/{}/roles/{}",
            newcomer.id,
            g["id"].as_str().unwrap()
        ))
        .await
        .parts();
    assert!(s.is_success(), "{backend:?}: {s}");
    let (s, _) = app.bearer(&reader).get(&path).await.parts();
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "{backend:?}: no longer a coordinator"
    );
}

#[both]
async fn a_read_only_token_does_not_move_read_markers(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let bac_kan = demo(&app).await;
    let bk = app.responder("ungcuu.bk@test.vn", &bac_kan).await;
    let poster = app.responder("ungcuu2.bk@test.vn", &bac_kan).await;
    let (s, _) = app
        .bearer(&poster)
        .post_json(
            "/api/v1/channels/network/messages",
            &json!({"body": "Tin mới", "tlp": "GREEN"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED);
    let read_only = app.token("ungcuu.bk@test.vn", TokenScope::Read).await;
    let (s, _) = app
        .bearer(&read_only)
        .call(Method::POST, "/api/v1/channels/network/read", None)
        .await
        .parts();
    assert_eq!(s, StatusCode::FORBIDDEN, "{backend:?}");
    let (_, ch) = app
        .bearer(&bk)
        .get("/api/v1/channels/network")
        .await
        .parts();
    assert_eq!(ch["unread"], 1, "{backend:?}: the marker moved: {ch}");
    let (s, ch) = app
        .bearer(&bk)
        .call(Method::POST, "/api/v1/channels/network/read", None)
        .await
        .parts();
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ch["unread"], 0, "{backend:?}");
}

#[both]
async fn a_token_manages_no_credential(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let bac_kan = demo(&app).await;
    let bk = app.responder("ungcuu.bk@test.vn", &bac_kan).await;
    let (s, t) = app
        .bearer(&bk)
        .post_json(
            "/api/v1/me/tokens",
            &json!({"name": "more", "scope": "write"}),
        )
        .await
        .parts();
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "{backend:?}: a token minted a token: {t}"
    );
    assert_eq!(t["code"], "session_required");
    let (s, e) = app
        .bearer(&bk)
        .call(Method::POST, "/api/v1/me/mfa", None)
        .await
        .parts();
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "{backend:?}: a token enrolled MFA: {e}"
    );
    let (_, tokens) = app.bearer(&bk).get("/api/v1/me/tokens").await.parts();
    assert_eq!(tokens.as_array().unwrap().len(), 1, "{backend:?}: {tokens}");
    let (s, _) = app
        .bearer(&bk)
        .put_json(
            "/api/v1/me/password",
            &json!({"current_password": "wrong", "new_password": "a-new-password-2024"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::FORBIDDEN, "{backend:?}");
}

#[both]
async fn a_stale_session_gives_its_password_again_before_making_a_token(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let bac_kan = demo(&app).await;
    let account = app
        .account(
            "ungcuu.bk@test.vn",
            &bac_kan,
            vec![org_grant(Role::Responder, &bac_kan)],
        )
        .await;
    let (client, _) = app.sign_in(&account.email, &account.password).await;
    let page = |lang: &'static str| {
        let client = client.lang(lang);
        async move { client.get("/profile").await.text() }
    };
    let fresh = page("en").await;
    assert!(
        !fresh.contains("id=\"reauth\""),
        "{backend:?}: asked at once"
    );
    // Eleven minutes later the password is asked again, in both languages.
    app.set_local_time(2024, 12, 20, 10, 41);
    let vi = page("vi").await;
    assert!(vi.contains("Xác nhận mật khẩu"), "{backend:?}");
    let csrf = form_token(&vi);
    // The same prompt in English, once the person's language is English.
    let switched = client
        .post_form(
            "/profile",
            &[
                ("csrf_token", csrf.as_str()),
                ("display_name", "ungcuu"),
                ("locale", "en"),
            ],
        )
        .await;
    assert_eq!(switched.status(), StatusCode::SEE_OTHER, "{backend:?}");
    let en = page("en").await;
    assert!(en.contains("Confirm your password"), "{backend:?}");
    let make = |csrf: String| {
        let client = client.clone();
        async move {
            client
                .submit(
                    "/profile/tokens",
                    &csrf,
                    &[("name", "ci"), ("scope", "read"), ("days", "30")],
                )
                .await
        }
    };
    let refused = make(csrf.clone()).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{backend:?}");
    assert!(!refused.text().contains("irnet_"), "{backend:?}");
    let wrong = client
        .post_form(
            "/profile/confirm-password",
            &[
                ("csrf_token", csrf.as_str()),
                ("password", "not-it"),
                ("next", "/profile"),
            ],
        )
        .await;
    assert_eq!(
        wrong.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{backend:?}"
    );
    let ok = client
        .post_form(
            "/profile/confirm-password",
            &[
                ("csrf_token", csrf.as_str()),
                ("password", account.password.as_str()),
                ("next", "/profile"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER, "{backend:?}");
    let made = make(csrf).await;
    assert_eq!(made.status(), StatusCode::OK, "{backend:?}");
    assert!(
        made.text().contains("irnet_"),
        "{backend:?}: the new token shown"
    );
}

#[both]
async fn incidents_are_numbered_per_member_and_year(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let bac_kan = demo(&app).await;
    let cao_bang = app.demo_org("Sở KH&CN Cao Bằng").await;
    let bk = app.responder("ungcuu.bk@test.vn", &bac_kan).await;
    let cb = app.responder("ungcuu.cb@test.vn", &cao_bang).await;
    assert_eq!(
        incident(&app, &bk, "Một", "AMBER").await["number"],
        "BK-2024-0001"
    );
    assert_eq!(
        incident(&app, &bk, "Hai", "AMBER").await["number"],
        "BK-2024-0002"
    );
    // Cao Bằng's first says nothing of Bắc Kạn's two.
    assert_eq!(
        incident(&app, &cb, "Ba", "AMBER").await["number"],
        "CB-2024-0001"
    );
    app.set_local_time(2025, 1, 2, 9, 0);
    let (s, inc) = app
        .bearer(&bk)
        .post_json(
            "/api/v1/incidents",
            &json!({"title": "Bốn", "detected_at": "2025-01-02T08:00", "submit": true}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(inc["number"], "BK-2025-0001", "{backend:?}");

    // Concurrent submissions of one member never share a number (PostgreSQL: many
    // connections; SQLite: one writer).
    let mut tasks = Vec::new();
    for i in 0..12 {
        let bk = app.bearer(&bk);
        tasks.push(tokio::spawn(async move {
            let res = bk
                .post_json("/api/v1/incidents", &json!({"title": format!("Song song {i}"), "detected_at": "2025-01-02T08:00", "submit": true}))
                .await;
            assert_eq!(res.status(), StatusCode::CREATED);
            res.json::<Value>()["number"].as_str().unwrap().to_owned()
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort();
    let expected: Vec<String> = (2..=13).map(|n| format!("BK-2025-{n:04}")).collect();
    assert_eq!(numbers, expected, "{backend:?}");
}

#[both]
async fn a_red_alert_is_drafted_and_sent_to_named_people(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let bac_kan = demo(&app).await;
    let coordinator = app.token(COORDINATOR, TokenScope::Write).await;
    let admin = app.token(DEMO_ADMIN, TokenScope::Write).await;
    let (s, draft) = app
        .bearer(&coordinator)
        .post_json(
            "/api/v1/alerts",
            &json!({
                "title": "RED canary 7751",
                "description": "Chỉ người được nêu tên",
                "required_actions": "Kiểm tra",
                "action_deadline": "2024-12-27T17:00",
                "tlp": "RED",
                "audience": {"orgs": [bac_kan]}
            }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {draft}");
    let id = draft["id"].as_str().unwrap();
    let (s, own) = app
        .bearer(&coordinator)
        .get(&format!("/api/v1/alerts/{id}"))
        .await
        .parts();
    assert_eq!(
        s,
        StatusCode::OK,
        "{backend:?}: the author reads their RED draft"
    );
    assert_eq!(own["may"]["edit"], true, "{backend:?}");
    // A colleague of the same centre is not named.
    let (s, _) = app
        .bearer(&admin)
        .get(&format!("/api/v1/alerts/{id}"))
        .await
        .parts();
    assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}");
    let (s, sent) = app
        .bearer(&coordinator)
        .post_json(&format!("/api/v1/alerts/{id}/send"), &json!({}))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {sent}");
    let (s, _) = app
        .bearer(&coordinator)
        .get(&format!("/api/v1/alerts/{id}"))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: the sender still reads it");
}
