//! CSRF, sign-in lockout across instances, sessions across instances, security headers.

use irnet_app::Settings;
use irnet_testkit::{Backend, PASSWORD, TestDb, both, spawn_app, start, test_clock};

#[both]
async fn a_browser_post_without_the_csrf_token_is_refused(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let org = app.org("Sở Khoa học và Công nghệ tỉnh Lạng Sơn").await;
    app.account("mai@langson.gov.vn", &org, vec![]).await;

    // Even the sign-in form needs its token.
    let c = app.browser();
    let r = c
        .post_form(
            "/login",
            &[("email", "mai@langson.gov.vn"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 403, "{backend:?}");

    let (client, resp) = app.sign_in("mai@langson.gov.vn", PASSWORD).await;
    assert_eq!(resp.status(), 303);
    let without = client
        .post_form("/profile", &[("display_name", "Mai"), ("locale", "en")])
        .await;
    assert_eq!(without.status(), 403);
    let wrong = client
        .post_form(
            "/profile",
            &[
                ("csrf_token", "nope"),
                ("display_name", "Mai"),
                ("locale", "en"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 403);
    let token = client.session_token().await;
    let cross = client
        .request(reqwest::Method::POST, "/profile")
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("csrf_token", token.as_str()),
            ("display_name", "Mai"),
            ("locale", "en"),
        ])
        .send()
        .await;
    assert_eq!(cross.status(), 403);
    let ok = client
        .post_form(
            "/profile",
            &[
                ("csrf_token", token.as_str()),
                ("display_name", "Lương Thị Mai"),
                ("locale", "en"),
            ],
        )
        .await;
    assert_eq!(ok.status(), 303);
    let page = client.get("/profile").await.text();
    assert!(page.contains("<html lang=\"en\">") && page.contains("Lương Thị Mai"));
    // The JSON API from the same browser session needs the header token too.
    let api = client
        .patch_json("/api/v1/me", &serde_json::json!({"locale": "vi"}))
        .await;
    assert_eq!(api.status(), 403);
    let api = client
        .request(reqwest::Method::PATCH, "/api/v1/me")
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"locale": "vi"}))
        .send()
        .await;
    assert_eq!(api.status(), 200);
}

#[both]
async fn ten_wrong_passwords_lock_the_account_on_every_instance_and_unknown_emails_look_the_same(
    backend: Backend,
) {
    let db = TestDb::new(backend);
    let clock = test_clock();
    let a = start(&db, clock.clone(), Settings::default()).await;
    let b = start(&db, clock.clone(), Settings::default()).await;
    let org = a.org("Sở Khoa học và Công nghệ tỉnh Bắc Ninh").await;
    a.account("lan@bacninh.gov.vn", &org, vec![]).await;

    for email in ["lan@bacninh.gov.vn", "nobody@bacninh.gov.vn"] {
        for i in 0..10 {
            let inst = if i % 2 == 0 { &a } else { &b };
            let (_, r) = inst.sign_in(email, "wrong password!!").await;
            let expected = if i < 9 { 401 } else { 429 };
            assert_eq!(
                r.status(),
                expected,
                "{backend:?} {email} attempt {}",
                i + 1
            );
        }
        // Locked on both instances, even with the right password.
        for inst in [&a, &b] {
            let (_, r) = inst.sign_in(email, PASSWORD).await;
            assert_eq!(r.status(), 429, "{backend:?} {email}");
            let page = r.text();
            assert!(page.contains("Đăng nhập sai quá nhiều lần"), "{page}");
        }
    }
    // The configured period passes.
    clock.advance(chrono::Duration::minutes(16));
    let (_, r) = b.sign_in("lan@bacninh.gov.vn", PASSWORD).await;
    assert_eq!(
        r.status(),
        303,
        "{backend:?}: still locked after the period"
    );
}

#[both]
async fn a_session_made_on_one_instance_works_on_the_other_until_signed_out_everywhere(
    backend: Backend,
) {
    let db = TestDb::new(backend);
    let clock = test_clock();
    let a = start(&db, clock.clone(), Settings::default()).await;
    let b = start(&db, clock.clone(), Settings::default()).await;
    let org = a.org("VNCERT/CC").await;
    a.account("hanh@vncert.vn", &org, vec![]).await;
    let (client, r) = a.sign_in("hanh@vncert.vn", PASSWORD).await;
    assert_eq!(r.status(), 303);
    // The cookie jar is per host:port, so carry the cookie over by hand, as a load balancer would.
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("irnet_session="))
        .unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let on_b = b.plain();
    let me = on_b
        .request(reqwest::Method::GET, "/api/v1/me")
        .header("cookie", &cookie)
        .send()
        .await;
    assert_eq!(me.status(), 200, "{backend:?}");
    let page = on_b
        .request(reqwest::Method::GET, "/profile")
        .header("cookie", &cookie)
        .send()
        .await
        .text();
    let token = irnet_testkit::form_token(&page);
    let out = on_b
        .request(reqwest::Method::POST, "/profile/sessions/revoke-all")
        .header("cookie", &cookie)
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await;
    assert_eq!(out.status(), 303);
    assert_eq!(
        client.get("/api/v1/me").await.status(),
        401,
        "session survived sign-out everywhere"
    );
}

#[both]
async fn pages_carry_the_security_headers_and_cookies_are_http_only(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let r = app.client().get("/login").await;
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
            && csp.contains("frame-ancestors 'none'")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
    assert!(h["set-cookie"].to_str().unwrap().contains("HttpOnly"));
    assert!(
        h.get("strict-transport-security").is_none(),
        "HSTS over plain HTTP"
    );
    let body = r.text();
    assert!(body.contains("<html lang=\"vi\">") && body.contains("<h1>Đăng nhập</h1>"));
    assert!(!body.contains("<script>"), "inline script");
}
