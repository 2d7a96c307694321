//! Token authentication of the API, as an API client sees it.

use irnet_domain::{Grant, Role, Scope, TokenScope};
use irnet_testkit::{Backend, both, session_token, sign_in, spawn_app};
use serde_json::Value;

#[both]
async fn me_needs_credentials_and_shows_email_and_roles_with_a_token(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let org = app.org("Sở Khoa học và Công nghệ tỉnh Cao Bằng").await;
    app.account(
        "ungcuu@caobang.gov.vn",
        &org,
        vec![
            Grant::new(
                Role::Responder,
                Scope::Org(irnet_domain::ids::OrgId::parse(&org).unwrap()),
            )
            .unwrap(),
        ],
    )
    .await;
    let http = reqwest::Client::new();

    let anon = http.get(app.api("/api/v1/me")).send().await.unwrap();
    assert_eq!(anon.status(), 401, "{backend:?}");
    assert_eq!(anon.headers()["content-type"], "application/problem+json");
    let body: Value = anon.json().await.unwrap();
    assert_eq!(body["code"], "unauthenticated");
    assert_eq!(body["status"], 401);

    let token = app.token("ungcuu@caobang.gov.vn", TokenScope::Read).await;
    let me: Value = http
        .get(app.api("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "ungcuu@caobang.gov.vn");
    assert_eq!(me["roles"][0]["role"], "responder");
    assert_eq!(me["roles"][0]["scope"], "org");
    assert_eq!(me["roles"][0]["scope_id"], org.as_str());

    let wrong = http
        .get(app.api("/api/v1/me"))
        .bearer_auth("irnet_not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
}

#[both]
async fn a_read_only_token_cannot_write_and_a_revoked_or_expired_one_stops_working(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    let org = app.org("VNCERT/CC").await;
    let account = app.account("a@vncert.vn", &org, vec![]).await;
    let http = reqwest::Client::new();
    let read = app.token("a@vncert.vn", TokenScope::Read).await;
    let r = http
        .patch(app.api("/api/v1/me"))
        .bearer_auth(&read)
        .json(&serde_json::json!({"display_name": "X"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "{backend:?}");
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "read_only_token");

    let write = app.token("a@vncert.vn", TokenScope::Write).await;
    // A token, even a write token, mints no token: that is for a signed-in browser.
    let refused = http
        .post(app.api("/api/v1/me/tokens"))
        .bearer_auth(&write)
        .json(&serde_json::json!({"name": "báo cáo", "scope": "read"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403, "{backend:?}");
    assert_eq!(
        refused.json::<Value>().await.unwrap()["code"],
        "session_required"
    );
    let new_token = app.token("a@vncert.vn", TokenScope::Read).await;
    assert!(new_token.starts_with("irnet_"));
    assert_eq!(
        http.get(app.api("/api/v1/me"))
            .bearer_auth(&new_token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // The list never shows a token again, only its prefix.
    let list: Value = http
        .get(app.api("/api/v1/me/tokens"))
        .bearer_auth(&write)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!list.to_string().contains(&new_token));
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| new_token.starts_with(t["prefix"].as_str().unwrap()))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Nor revokes one; the signed-in person does.
    let del = http
        .delete(app.api(&format!("/api/v1/me/tokens/{id}")))
        .bearer_auth(&write)
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), 403, "{backend:?}");
    let (browser, _) = sign_in(&app, "a@vncert.vn", &account.password).await;
    let csrf = session_token(&app, &browser).await;
    let revoked = browser
        .post(app.api(&format!("/profile/tokens/{id}/revoke")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 303, "{backend:?}");
    assert_eq!(
        http.get(app.api("/api/v1/me"))
            .bearer_auth(&new_token)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    app.clock.advance(chrono::Duration::days(91));
    assert_eq!(
        http.get(app.api("/api/v1/me"))
            .bearer_auth(&write)
            .send()
            .await
            .unwrap()
            .status(),
        401,
        "expired token still works"
    );
}

#[both]
async fn bad_input_names_the_fields_in_the_users_language_and_stores_nothing(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let org = app.org("VNCERT/CC").await;
    app.account(
        "admin@vncert.vn",
        &org,
        vec![Grant::new(Role::Admin, Scope::Network).unwrap()],
    )
    .await;
    let token = app.token("admin@vncert.vn", TokenScope::Write).await;
    let http = reqwest::Client::new();
    let before: Value = http
        .get(app.api("/api/v1/users"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let r = http
        .post(app.api("/api/v1/users"))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "email": "not an email", "display_name": "X", "org_id": org, "password": "short",
            "roles": [{"role": "admin", "scope": "org", "scope_id": org}]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "{backend:?}");
    let p: Value = r.json().await.unwrap();
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["roles[0].role"],
        "grants are checked first: {p}"
    );

    let r = http
        .post(app.api("/api/v1/users"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"email": "not an email", "display_name": "X", "org_id": org, "password": "short"}))
        .send()
        .await
        .unwrap();
    let p: Value = r.json().await.unwrap();
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["email", "password"]);
    // The admin's language is Vietnamese.
    assert_eq!(
        p["errors"][1]["message"],
        "Mật khẩu phải có ít nhất 12 ký tự."
    );

    let r = http
        .post(app.api("/api/v1/users"))
        .bearer_auth(&token)
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.headers()["content-type"], "application/problem+json");

    let after: Value = http
        .get(app.api("/api/v1/users"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        before["items"].as_array().unwrap().len(),
        after["items"].as_array().unwrap().len(),
        "something was stored"
    );
}

#[both]
async fn unknown_routes_and_ids_are_problem_documents(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let org = app.org("VNCERT/CC").await;
    app.account("a@vncert.vn", &org, vec![]).await;
    let token = app.token("a@vncert.vn", TokenScope::Read).await;
    let http = reqwest::Client::new();
    for path in [
        "/api/v1/nothing-here",
        "/api/v1/users/01900000-0000-7000-8000-000000000000",
    ] {
        let r = http
            .get(app.api(path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
    }
}

#[both]
async fn a_wrong_method_is_a_problem_document_and_an_admin_cannot_lock_themselves_out(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    let org = app.org("VNCERT/CC").await;
    let admin = app
        .account(
            "admin@vncert.vn",
            &org,
            vec![Grant::new(Role::Admin, Scope::Network).unwrap()],
        )
        .await;
    let token = app.token("admin@vncert.vn", TokenScope::Write).await;
    let http = reqwest::Client::new();

    let r = http
        .put(app.api("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405, "{backend:?}");
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    assert_eq!(
        r.json::<Value>().await.unwrap()["code"],
        "method_not_allowed"
    );

    let r = http
        .patch(app.api(&format!("/api/v1/users/{}", admin.id)))
        .bearer_auth(&token)
        .json(&serde_json::json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(
        r.json::<Value>().await.unwrap()["code"],
        "cannot_disable_self"
    );
    let me: Value = http
        .get(app.api("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let grant = me["roles"][0]["id"].as_str().unwrap();
    let r = http
        .delete(app.api(&format!("/api/v1/users/{}/roles/{grant}", admin.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(
        http.get(app.api("/api/v1/users"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "the admin lost access"
    );
}
