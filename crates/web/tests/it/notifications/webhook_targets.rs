//! A webhook's target is resolved and checked at each delivery: a name that leads inside (here
//! `localhost`, which this machine resolves to 127.0.0.1) is refused however it was registered,
//! nothing is posted, and the delivery log says only that it was refused — not whether the
//! target answered, how, or how fast.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use irnet_app::notify::{Notice, notify};
use irnet_app::{Settings, jobs};
use irnet_domain::{Role, TokenScope};
use irnet_store::notify::webhooks::{WebhookRow, insert};
use irnet_testkit::{Backend, TestApp, TestDb, both, org_grant, start, test_clock, test_epoch};
use serde_json::Value;

/// A receiver on 127.0.0.1 counting the posts it gets; its URL by the name `localhost`.
async fn receiver(posts: Arc<AtomicUsize>) -> String {
    let router = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let posts = posts.clone();
            async move {
                posts.fetch_add(1, Ordering::SeqCst);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://localhost:{port}/hook")
}

/// An org admin of `org` reading in `locale`: the account id and a write token.
async fn admin(app: &TestApp, org: &str, email: &str, locale: &str) -> (String, String) {
    let u = app
        .person(email, org, locale, vec![org_grant(Role::OrgAdmin, org)])
        .await;
    (u.id, app.token(email, TokenScope::Write).await)
}

fn notice(org: &str, recipient: &str) -> Notice {
    Notice {
        kind: "example.happened".to_owned(),
        object_type: "organisation".to_owned(),
        object_id: org.to_owned(),
        org_id: Some(org.to_owned()),
        link: format!("/orgs/{org}"),
        message: "webhook-created".to_owned(),
        args: vec![
            (
                "url".to_owned(),
                "https://siem.caobang.gov.vn/in".to_owned(),
            ),
            ("by".to_owned(), "admin@caobang.gov.vn".to_owned()),
        ],
        recipients: vec![recipient.to_owned()],
        email: false,
        restricted: false,
    }
}

#[both]
async fn a_name_resolving_inside_is_refused_at_delivery_and_the_log_says_only_that(
    backend: Backend,
) {
    let db = TestDb::new(backend);
    let clock = test_clock();
    // Two instances on one database: the operator allowed internal targets on one only.
    let lenient = start(
        &db,
        clock.clone(),
        Settings {
            webhook_allow_private_targets: true,
            ..Settings::default()
        },
    )
    .await;
    let strict = start(&db, clock.clone(), Settings::default()).await;
    let org = strict
        .org("Sở Thông tin và Truyền thông tỉnh Lạng Sơn")
        .await;
    let (recipient, en) = admin(&strict, &org, "quantri@langson.gov.vn", "en").await;
    let (_, vi) = admin(&strict, &org, "pho@langson.gov.vn", "vi").await;
    let posts = Arc::new(AtomicUsize::new(0));
    let url = receiver(posts.clone()).await;

    // `localhost` has one label, which registration refuses as a URL at all: the webhook is
    // stored as a name that resolved outside when registered would be.
    let hook = uuid::Uuid::now_v7().to_string();
    let row = WebhookRow {
        id: hook.clone(),
        org_id: org.clone(),
        url: url.clone(),
        secret: "whsec_test".to_owned(),
        kinds: "[]".to_owned(),
        active: true,
        created_by: None,
        created_at: test_epoch().naive_utc(),
    };
    strict
        .app
        .store
        .write(move |c| Ok::<_, irnet_app::AppError>(insert(c, &row)?))
        .await
        .unwrap();

    let a = strict.app.clone();
    let n = notice(&org, &recipient);
    strict
        .app
        .store
        .write(move |c| notify(c, &a, &n))
        .await
        .unwrap();
    jobs::run_due(&strict.app, "test").await.unwrap();

    assert_eq!(
        posts.load(Ordering::SeqCst),
        0,
        "{backend:?}: nothing was posted"
    );
    let log = format!("/api/v1/webhooks/{hook}/deliveries");
    let (_, en_log) = strict.bearer(&en).get(&log).await.parts();
    let d = en_log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["event"] == "example.happened")
        .cloned()
        .unwrap_or_else(|| panic!("{backend:?}: {en_log}"));
    assert_eq!(d["last_error"], "refused: not a public address", "{d}");
    assert_eq!(d["status"], "failed", "not retried: {d}");
    assert_eq!(d["last_status"], Value::Null);
    let (_, vi_log) = strict.bearer(&vi).get(&log).await.parts();
    assert!(
        vi_log
            .to_string()
            .contains("bị từ chối: không phải địa chỉ công cộng"),
        "{vi_log}"
    );

    // Nothing is retried later either.
    clock.advance(chrono::Duration::hours(2));
    jobs::run_due(&strict.app, "test").await.unwrap();
    assert_eq!(posts.load(Ordering::SeqCst), 0);

    // Where the operator allows internal targets, the same name is delivered to.
    let n = notice(&org, &recipient);
    let a = lenient.app.clone();
    lenient
        .app
        .store
        .write(move |c| notify(c, &a, &n))
        .await
        .unwrap();
    jobs::run_due(&lenient.app, "test").await.unwrap();
    assert_eq!(posts.load(Ordering::SeqCst), 1, "{backend:?}");
}
