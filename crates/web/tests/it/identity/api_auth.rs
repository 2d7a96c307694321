//! Token authentication of the API, as an API client sees it.

use irnet_app::identity::users::UserView;
use irnet_domain::{Grant, Role, Scope, TokenScope};
use irnet_testkit::{Backend, Problem, both, fields, org_grant, spawn_app};
use irnet_web::api::PageOf;
use serde_json::Value;

#[both]
async fn me_needs_credentials_and_shows_email_and_roles_with_a_token(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let org = app.org("Sở Khoa học và Công nghệ tỉnh Cao Bằng").await;
    app.account(
        "ungcuu@caobang.gov.vn",
        &org,
        vec![org_grant(Role::Responder, &org)],
    )
    .await;

    let anon = app.client().get("/api/v1/me").await;
    assert_eq!(anon.status(), 401, "{backend:?}");
    assert_eq!(anon.headers()["content-type"], "application/problem+json");
    let body: Problem = anon.json();
    assert_eq!(body.code, "unauthenticated");
    assert_eq!(body.status, 401);

    let token = app.token("ungcuu@caobang.gov.vn", TokenScope::Read).await;
    let me: UserView = app.bearer(&token).get("/api/v1/me").await.json();
    assert_eq!(me.email, "ungcuu@caobang.gov.vn");
    assert_eq!(me.roles[0].role, "responder");
    assert_eq!(me.roles[0].scope, "org");
    assert_eq!(me.roles[0].scope_id.as_deref(), Some(org.as_str()));

    let wrong = app.bearer("irnet_not-a-token").get("/api/v1/me").await;
    assert_eq!(wrong.status(), 401);
}

#[both]
async fn a_read_only_token_cannot_write_and_a_revoked_or_expired_one_stops_working(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    let org = app.org("VNCERT/CC").await;
    let account = app.account("a@vncert.vn", &org, vec![]).await;
    let read = app.token("a@vncert.vn", TokenScope::Read).await;
    let r = app
        .bearer(&read)
        .patch_json("/api/v1/me", &serde_json::json!({"display_name": "X"}))
        .await;
    assert_eq!(r.status(), 403, "{backend:?}");
    assert_eq!(r.json::<Problem>().code, "read_only_token");

    let write = app.token("a@vncert.vn", TokenScope::Write).await;
    // A token, even a write token, mints no token: that is for a signed-in browser.
    let refused = app
        .bearer(&write)
        .post_json(
            "/api/v1/me/tokens",
            &serde_json::json!({"name": "báo cáo", "scope": "read"}),
        )
        .await;
    assert_eq!(refused.status(), 403, "{backend:?}");
    assert_eq!(refused.json::<Problem>().code, "session_required");
    let new_token = app.token("a@vncert.vn", TokenScope::Read).await;
    assert!(new_token.starts_with("irnet_"));
    assert_eq!(app.bearer(&new_token).get("/api/v1/me").await.status(), 200);
    // The list never shows a token again, only its prefix.
    let list: Value = app.bearer(&write).get("/api/v1/me/tokens").await.json();
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
    let del = app
        .bearer(&write)
        .delete(&format!("/api/v1/me/tokens/{id}"))
        .await;
    assert_eq!(del.status(), 403, "{backend:?}");
    let (browser, _) = app.sign_in("a@vncert.vn", &account.password).await;
    let csrf = browser.session_token().await;
    let revoked = browser
        .post_form(
            &format!("/profile/tokens/{id}/revoke"),
            &[("csrf_token", csrf.as_str())],
        )
        .await;
    assert_eq!(revoked.status(), 303, "{backend:?}");
    assert_eq!(app.bearer(&new_token).get("/api/v1/me").await.status(), 401);

    app.clock.advance(chrono::Duration::days(91));
    assert_eq!(
        app.bearer(&write).get("/api/v1/me").await.status(),
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
    let before: PageOf<UserView> = app.bearer(&token).get("/api/v1/users").await.json();

    let r = app
        .bearer(&token)
        .post_json(
            "/api/v1/users",
            &serde_json::json!({
                "email": "not an email", "display_name": "X", "org_id": org, "password": "short",
                "roles": [{"role": "admin", "scope": "org", "scope_id": org}]
            }),
        )
        .await;
    assert_eq!(r.status(), 422, "{backend:?}");
    let p: Problem = r.json();
    assert_eq!(
        fields(&p),
        vec!["roles[0].role"],
        "grants are checked first: {p:?}"
    );

    let r = app.bearer(&token).post_json("/api/v1/users", &serde_json::json!({"email": "not an email", "display_name": "X", "org_id": org, "password": "short"})).await;
    let p: Problem = r.json();
    assert_eq!(fields(&p), vec!["email", "password"]);
    // The admin's language is Vietnamese.
    assert_eq!(p.errors[1].message, "Mật khẩu phải có ít nhất 12 ký tự.");

    let r = app
        .bearer(&token)
        .request(reqwest::Method::POST, "/api/v1/users")
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(r.headers()["content-type"], "application/problem+json");

    let after: PageOf<UserView> = app.bearer(&token).get("/api/v1/users").await.json();
    assert_eq!(
        before.items.len(),
        after.items.len(),
        "something was stored"
    );
}

#[both]
async fn unknown_routes_and_ids_are_problem_documents(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let org = app.org("VNCERT/CC").await;
    app.account("a@vncert.vn", &org, vec![]).await;
    let token = app.token("a@vncert.vn", TokenScope::Read).await;
    for path in [
        "/api/v1/nothing-here",
        "/api/v1/users/01900000-0000-7000-8000-000000000000",
    ] {
        let r = app.bearer(&token).get(path).await;
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

    let r = app
        .bearer(&token)
        .request(reqwest::Method::PUT, "/api/v1/me")
        .send()
        .await;
    assert_eq!(r.status(), 405, "{backend:?}");
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    assert_eq!(r.json::<Problem>().code, "method_not_allowed");

    let r = app
        .bearer(&token)
        .patch_json(
            &format!("/api/v1/users/{}", admin.id),
            &serde_json::json!({"active": false}),
        )
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(r.json::<Problem>().code, "cannot_disable_self");
    let me: UserView = app.bearer(&token).get("/api/v1/me").await.json();
    let grant = &me.roles[0].id;
    let r = app
        .bearer(&token)
        .delete(&format!("/api/v1/users/{}/roles/{grant}", admin.id))
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        app.bearer(&token).get("/api/v1/users").await.status(),
        200,
        "the admin lost access"
    );
}
