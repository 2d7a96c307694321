//! Grants gate everything (issue 14, finding 7), on the demo network on 20/12/2024 and both
//! databases: viewers and accounts with no grant do not post in channels; an account with no
//! grant reads nothing of its organisation; escalation opens an incident to the people holding
//! the coordinator role, not to the platform administrator working in the same centre; a
//! read-only token does not move read markers; a token manages no credential and a stale session
//! must give its password again; incident numbers run per member and year.

use irnet_domain::{Grant, Role, Scope, TokenScope};
use irnet_testkit::{Backend, TestApp, both, form_token, sign_in, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const DEMO_ADMIN: &str = "admin@demo.irnet.vn";
const COORDINATOR: &str = "dieuphoi@demo.irnet.vn";
const VIEWER: &str = "xem@demo.irnet.vn";

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    app.call_json(token, method, path, body).await
}

async fn demo(app: &TestApp) -> String {
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2024, 12, 20, 10, 30);
    app.demo_org("Sở KH&CN Bắc Kạn").await
}

async fn responder(app: &TestApp, email: &str, org: &str) -> String {
    app.account(
        email,
        org,
        vec![Grant::new(Role::Responder, Scope::Org(org.parse().unwrap())).unwrap()],
    )
    .await;
    app.token(email, TokenScope::Write).await
}

/// A submitted incident of the token's organisation; returns the view.
async fn incident(app: &TestApp, token: &str, title: &str, tlp: &str) -> Value {
    let (s, inc) = call(
        app,
        token,
        Method::POST,
        "/api/v1/incidents",
        Some(
            json!({"title": title, "detected_at": "2024-12-20T08:00", "tlp": tlp, "submit": true}),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{inc}");
    inc
}

#[both]
async fn only_those_acting_for_their_organisation_post_in_channels(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let bac_kan = demo(&app).await;
    let bk = responder(&app, "ungcuu.bk@test.vn", &bac_kan).await;
    let viewer = app.token(VIEWER, TokenScope::Write).await;
    app.account("moi.bk@test.vn", &bac_kan, vec![]).await;
    let no_grant = app.token("moi.bk@test.vn", TokenScope::Write).await;
    let body = json!({"body": "Xin chào @ungcuu.bk@test.vn", "tlp": "GREEN"});
    for (who, token) in [("viewer", &viewer), ("no grant", &no_grant)] {
        let (s, m) = call(
            &app,
            token,
            Method::POST,
            "/api/v1/channels/network/messages",
            Some(body.clone()),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{backend:?}: {who} posted: {m}");
        let (_, ch) = call(&app, token, Method::GET, "/api/v1/channels/network", None).await;
        assert_eq!(ch["may_post"], false, "{backend:?}: {who}");
    }
    // Nothing was stored: the responder's list is empty, and no one was told.
    let (_, list) = call(
        &app,
        &bk,
        Method::GET,
        "/api/v1/channels/network/messages",
        None,
    )
    .await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        0,
        "{backend:?}: {list}"
    );
    let (_, told) = call(&app, &bk, Method::GET, "/api/v1/notifications", None).await;
    assert_eq!(
        told["items"].as_array().unwrap().len(),
        0,
        "{backend:?}: {told}"
    );
    // The responder posts.
    let (s, m) = call(
        &app,
        &bk,
        Method::POST,
        "/api/v1/channels/network/messages",
        Some(json!({"body": "Cảnh báo", "tlp": "GREEN"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {m}");
    let (_, ch) = call(&app, &bk, Method::GET, "/api/v1/channels/network", None).await;
    assert_eq!(ch["may_post"], true, "{backend:?}");
}

#[both]
async fn an_account_with_no_grant_reads_nothing_of_its_organisation(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let bac_kan = demo(&app).await;
    let bk = responder(&app, "ungcuu.bk@test.vn", &bac_kan).await;
    let amber = incident(&app, &bk, "AMBER canary 7731", "AMBER").await;
    let green = incident(&app, &bk, "GREEN canary 7732", "GREEN").await;
    app.account("moi.bk@test.vn", &bac_kan, vec![]).await;
    let no_grant = app.token("moi.bk@test.vn", TokenScope::Read).await;
    for inc in [&amber, &green] {
        let id = inc["id"].as_str().unwrap();
        let (s, _) = call(
            &app,
            &no_grant,
            Method::GET,
            &format!("/api/v1/incidents/{id}"),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}: {}", inc["title"]);
    }
    let (s, list) = call(&app, &no_grant, Method::GET, "/api/v1/incidents", None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!list.to_string().contains("canary"), "{backend:?}: {list}");
    let (_, counts) = call(
        &app,
        &no_grant,
        Method::GET,
        "/api/v1/incidents/count",
        None,
    )
    .await;
    assert_eq!(counts["total"], 0, "{backend:?}: {counts}");
    // Nor its organisation's private part: the people.
    let (s, people) = call(
        &app,
        &no_grant,
        Method::GET,
        &format!("/api/v1/organisations/{bac_kan}/people"),
        None,
    )
    .await;
    assert!(
        s == StatusCode::NOT_FOUND || people.as_array().is_some_and(Vec::is_empty),
        "{backend:?}: {s} {people}"
    );
    // A colleague with a viewer grant reads them.
    app.account(
        "xem.bk@test.vn",
        &bac_kan,
        vec![Grant::new(Role::Viewer, Scope::Org(bac_kan.parse().unwrap())).unwrap()],
    )
    .await;
    let viewer = app.token("xem.bk@test.vn", TokenScope::Read).await;
    let id = amber["id"].as_str().unwrap();
    let (s, _) = call(
        &app,
        &viewer,
        Method::GET,
        &format!("/api/v1/incidents/{id}"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{backend:?}");
}

#[both]
async fn escalation_names_the_coordinators_not_their_whole_organisation(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let bac_kan = demo(&app).await;
    let bk = responder(&app, "ungcuu.bk@test.vn", &bac_kan).await;
    let coordinator = app.token(COORDINATOR, TokenScope::Write).await;
    let admin = app.token(DEMO_ADMIN, TokenScope::Write).await;
    let inc = incident(&app, &bk, "Escalated canary 7741", "AMBER").await;
    let id = inc["id"].as_str().unwrap();
    let (s, _) = call(
        &app,
        &bk,
        Method::POST,
        &format!("/api/v1/incidents/{id}/escalate"),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, seen) = call(
        &app,
        &coordinator,
        Method::GET,
        &format!("/api/v1/incidents/{id}"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{backend:?}: the coordinator reads it");
    assert_eq!(seen["may"]["coordinate"], true, "{backend:?}");
    // The platform administrator works at the coordinator's centre: not in the audience.
    let (s, _) = call(
        &app,
        &admin,
        Method::GET,
        &format!("/api/v1/incidents/{id}"),
        None,
    )
    .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "{backend:?}: the admin reads the escalated incident"
    );
    let (_, list) = call(&app, &admin, Method::GET, "/api/v1/incidents", None).await;
    assert!(!list.to_string().contains("7741"), "{backend:?}: {list}");

    // Someone who takes up the coordinator role later joins the coordinators the escalation
    // named; when the role is taken away, so is what it opened.
    let (_, me) = call(&app, &coordinator, Method::GET, "/api/v1/me", None).await;
    let centre = me["org_id"]
        .as_str()
        .or(me["user"]["org_id"].as_str())
        .unwrap()
        .to_owned();
    let newcomer = app.account("dieuphoi.moi@test.vn", &centre, vec![]).await;
    let reader = app.token("dieuphoi.moi@test.vn", TokenScope::Read).await;
    let path = format!("/api/v1/incidents/{id}");
    let (s, _) = call(&app, &reader, Method::GET, &path, None).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "{backend:?}: not yet a coordinator"
    );
    let (s, g) = call(
        &app,
        &admin,
        Method::POST,
        &format!("/api/v1/users/{}/roles", newcomer.id),
        Some(json!({"role": "coordinator", "scope": "network"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {g}");
    let (s, seen) = call(&app, &reader, Method::GET, &path, None).await;
    assert_eq!(
        s,
        StatusCode::OK,
        "{backend:?}: the new coordinator reads it"
    );
    assert!(seen.to_string().contains("7741"));
    let (s, _) = call(
        &app,
        &admin,
        Method::DELETE,
        &format!(
            "/api/v1/users/{}/roles/{}",
            newcomer.id,
            g["id"].as_str().unwrap()
        ),
        None,
    )
    .await;
    assert!(s.is_success(), "{backend:?}: {s}");
    let (s, _) = call(&app, &reader, Method::GET, &path, None).await;
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
    let bk = responder(&app, "ungcuu.bk@test.vn", &bac_kan).await;
    let poster = responder(&app, "ungcuu2.bk@test.vn", &bac_kan).await;
    let (s, _) = call(
        &app,
        &poster,
        Method::POST,
        "/api/v1/channels/network/messages",
        Some(json!({"body": "Tin mới", "tlp": "GREEN"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let read_only = app.token("ungcuu.bk@test.vn", TokenScope::Read).await;
    let (s, _) = call(
        &app,
        &read_only,
        Method::POST,
        "/api/v1/channels/network/read",
        None,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{backend:?}");
    let (_, ch) = call(&app, &bk, Method::GET, "/api/v1/channels/network", None).await;
    assert_eq!(ch["unread"], 1, "{backend:?}: the marker moved: {ch}");
    let (s, ch) = call(
        &app,
        &bk,
        Method::POST,
        "/api/v1/channels/network/read",
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ch["unread"], 0, "{backend:?}");
}

#[both]
async fn a_token_manages_no_credential(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let bac_kan = demo(&app).await;
    let bk = responder(&app, "ungcuu.bk@test.vn", &bac_kan).await;
    let (s, t) = call(
        &app,
        &bk,
        Method::POST,
        "/api/v1/me/tokens",
        Some(json!({"name": "more", "scope": "write"})),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "{backend:?}: a token minted a token: {t}"
    );
    assert_eq!(t["code"], "session_required");
    let (s, e) = call(&app, &bk, Method::POST, "/api/v1/me/mfa", None).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "{backend:?}: a token enrolled MFA: {e}"
    );
    let (_, tokens) = call(&app, &bk, Method::GET, "/api/v1/me/tokens", None).await;
    assert_eq!(tokens.as_array().unwrap().len(), 1, "{backend:?}: {tokens}");
    let (s, _) = call(
        &app,
        &bk,
        Method::PUT,
        "/api/v1/me/password",
        Some(json!({"current_password": "wrong", "new_password": "a-new-password-2024"})),
    )
    .await;
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
            vec![Grant::new(Role::Responder, Scope::Org(bac_kan.parse().unwrap())).unwrap()],
        )
        .await;
    let (client, _) = sign_in(&app, &account.email, &account.password).await;
    let page = |lang: &'static str| {
        let client = client.clone();
        let url = app.api("/profile");
        async move {
            client
                .get(url)
                .header("Accept-Language", lang)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
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
        .post(app.api("/profile"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("display_name", "ungcuu"),
            ("locale", "en"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), StatusCode::SEE_OTHER, "{backend:?}");
    let en = page("en").await;
    assert!(en.contains("Confirm your password"), "{backend:?}");
    let make = |csrf: String| {
        let client = client.clone();
        let url = app.api("/profile/tokens");
        async move {
            client
                .post(url)
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("name", "ci"),
                    ("scope", "read"),
                    ("days", "30"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let refused = make(csrf.clone()).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{backend:?}");
    assert!(
        !refused.text().await.unwrap().contains("irnet_"),
        "{backend:?}"
    );
    let wrong = client
        .post(app.api("/profile/confirm-password"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("password", "not-it"),
            ("next", "/profile"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        wrong.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{backend:?}"
    );
    let ok = client
        .post(app.api("/profile/confirm-password"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("password", account.password.as_str()),
            ("next", "/profile"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER, "{backend:?}");
    let made = make(csrf).await;
    assert_eq!(made.status(), StatusCode::OK, "{backend:?}");
    assert!(
        made.text().await.unwrap().contains("irnet_"),
        "{backend:?}: the new token shown"
    );
}

#[both]
async fn incidents_are_numbered_per_member_and_year(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let bac_kan = demo(&app).await;
    let cao_bang = app.demo_org("Sở KH&CN Cao Bằng").await;
    let bk = responder(&app, "ungcuu.bk@test.vn", &bac_kan).await;
    let cb = responder(&app, "ungcuu.cb@test.vn", &cao_bang).await;
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
    let (s, inc) = call(
        &app,
        &bk,
        Method::POST,
        "/api/v1/incidents",
        Some(json!({"title": "Bốn", "detected_at": "2025-01-02T08:00", "submit": true})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(inc["number"], "BK-2025-0001", "{backend:?}");

    // Concurrent submissions of one member never share a number (PostgreSQL: many
    // connections; SQLite: one writer).
    let mut tasks = Vec::new();
    for i in 0..12 {
        let (url, token) = (app.api("/api/v1/incidents"), bk.clone());
        tasks.push(tokio::spawn(async move {
            let res = reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&json!({"title": format!("Song song {i}"), "detected_at": "2025-01-02T08:00", "submit": true}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::CREATED);
            res.json::<Value>().await.unwrap()["number"].as_str().unwrap().to_owned()
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
    let (s, draft) = call(
        &app,
        &coordinator,
        Method::POST,
        "/api/v1/alerts",
        Some(json!({
            "title": "RED canary 7751",
            "description": "Chỉ người được nêu tên",
            "required_actions": "Kiểm tra",
            "action_deadline": "2024-12-27T17:00",
            "tlp": "RED",
            "audience": {"orgs": [bac_kan]}
        })),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {draft}");
    let id = draft["id"].as_str().unwrap();
    let (s, own) = call(
        &app,
        &coordinator,
        Method::GET,
        &format!("/api/v1/alerts/{id}"),
        None,
    )
    .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "{backend:?}: the author reads their RED draft"
    );
    assert_eq!(own["may"]["edit"], true, "{backend:?}");
    // A colleague of the same centre is not named.
    let (s, _) = call(
        &app,
        &admin,
        Method::GET,
        &format!("/api/v1/alerts/{id}"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}");
    let (s, sent) = call(
        &app,
        &coordinator,
        Method::POST,
        &format!("/api/v1/alerts/{id}/send"),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{backend:?}: {sent}");
    let (s, _) = call(
        &app,
        &coordinator,
        Method::GET,
        &format!("/api/v1/alerts/{id}"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{backend:?}: the sender still reads it");
}
