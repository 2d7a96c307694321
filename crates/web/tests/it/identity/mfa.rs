//! Two-step verification: enrolment, the second sign-in step, single-use codes, recovery codes.

use irnet_app::identity::mfa::code_at;
use irnet_app::identity::users::UserView;
use irnet_domain::{Clock, TokenScope};
use irnet_testkit::{Backend, PASSWORD, Problem, both, form_token, spawn_app, spawn_with};

#[both]
async fn enrolled_people_need_a_fresh_code_or_a_recovery_code_to_sign_in(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let org = app.org("Sở Khoa học và Công nghệ tỉnh Thái Nguyên").await;
    app.account("duc@thainguyen.gov.vn", &org, vec![]).await;
    // Enrolment is for a signed-in browser that has just given the password (a token
    // manages no credential): the page shows the secret, a code from the app confirms it.
    let (browser, _) = app.sign_in("duc@thainguyen.gov.vn", PASSWORD).await;
    let page = browser.get("/profile/mfa").await.text();
    let between = |html: &str, from: &str, to: &str| -> String {
        let at = html.find(from).expect(from) + from.len();
        html[at..at + html[at..].find(to).unwrap()].to_owned()
    };
    let secret = between(&page, "id=\"mfa-secret\" class=\"secret-text\">", "<");
    let csrf = form_token(&page);
    let bad = browser
        .post_form(
            "/profile/mfa",
            &[("csrf_token", csrf.as_str()), ("code", "000000")],
        )
        .await;
    assert_eq!(bad.status(), 422, "{backend:?}");
    let code = code_at(&secret, app.clock.now()).unwrap();
    let done = browser
        .post_form(
            "/profile/mfa",
            &[("csrf_token", csrf.as_str()), ("code", code.as_str())],
        )
        .await
        .text();
    let list = between(&done, "id=\"recovery-codes\"", "</ul>");
    let recovery: Vec<String> = list
        .split("<code>")
        .skip(1)
        .map(|c| c[..c.find("</code>").unwrap()].to_owned())
        .collect();
    assert_eq!(recovery.len(), 10);

    // The password alone now leads to the second step, not to a session.
    let (client, r) = app.sign_in("duc@thainguyen.gov.vn", PASSWORD).await;
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login/mfa")
    );
    assert_eq!(client.get("/api/v1/me").await.status(), 401);
    let page = client.get("/login/mfa").await.text();
    let csrf = form_token(&page);
    // The code used to enrol was used once already.
    let reused = client
        .post_form(
            "/login/mfa",
            &[("csrf_token", csrf.as_str()), ("code", code.as_str())],
        )
        .await;
    assert_eq!(
        reused.status(),
        401,
        "{backend:?}: a TOTP code worked twice"
    );
    app.clock.advance(chrono::Duration::seconds(30));
    let fresh = code_at(&secret, app.clock.now()).unwrap();
    let r = client
        .post_form(
            "/login/mfa",
            &[("csrf_token", csrf.as_str()), ("code", fresh.as_str())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let me: UserView = client.get("/api/v1/me").await.json();
    assert!(me.mfa_enabled);

    // A recovery code works once, typed in capitals with spaces.
    let typed = recovery[0].to_uppercase().replace('-', " ");
    for expected in [303, 401] {
        let (c2, _) = app.sign_in("duc@thainguyen.gov.vn", PASSWORD).await;
        let page = c2.get("/login/mfa").await.text();
        let csrf = form_token(&page);
        let r = c2
            .post_form(
                "/login/mfa",
                &[("csrf_token", csrf.as_str()), ("code", typed.as_str())],
            )
            .await;
        assert_eq!(r.status(), expected, "{backend:?}");
    }
}

#[both]
async fn a_role_that_requires_mfa_is_held_at_enrolment_until_it_is_done(backend: Backend) {
    let settings = irnet_app::Settings {
        mfa_required_roles: vec![irnet_domain::Role::Admin],
        ..Default::default()
    };
    let (app, _db) = spawn_with(backend, settings).await;
    let org = app.org("VNCERT/CC").await;
    app.account(
        "root@vncert.vn",
        &org,
        vec![
            irnet_domain::Grant::new(irnet_domain::Role::Admin, irnet_domain::Scope::Network)
                .unwrap(),
        ],
    )
    .await;
    let token = app.token("root@vncert.vn", TokenScope::Write).await;
    let r = app.bearer(&token).get("/api/v1/users").await;
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Problem>().code, "mfa_enrolment_required");
    assert_eq!(app.bearer(&token).get("/api/v1/me").await.status(), 200);
    let (client, _) = app.sign_in("root@vncert.vn", PASSWORD).await;
    let r = client.get("/admin/users").await;
    assert_eq!(r.headers()["location"], "/profile/mfa");
}
