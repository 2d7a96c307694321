//! Notifications: a notice reaches each recipient in the app in their language and by mail (over
//! real SMTP), nobody else; the live stream (server-sent events) carries only the reader's own
//! notifications as they commit — across instances on PostgreSQL; a rolled-back change sends
//! nothing; webhooks get signed posts, retried until the receiver accepts, with a delivery log
//! only their organisation's admins can read.
//!
//! The notices here use the `webhook-created` texts, a real message pair of `messages.ftl`
//! (the one irnet sends when a webhook is registered), with kinds chosen by each test.

use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use hmac::{Hmac, KeyInit, Mac};
use irnet_app::identity::users::{self, UserUpdate};
use irnet_app::notify::{Notice, notify};
use irnet_app::{Actor, AppError, Settings, jobs};
use irnet_domain::{Grant, Role, Scope, TokenScope};
use irnet_testkit::smtp::{MAIL_FROM, PUBLIC_URL, SmtpSink};
use irnet_testkit::sse::EventStream;
use irnet_testkit::{
    Backend, TestApp, TestDb, both, org_grant, postgres_only, spawn_with, start, test_clock,
};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;

fn settings(sink: Option<&SmtpSink>) -> Settings {
    Settings {
        smtp_url: sink.map(SmtpSink::url),
        mail_from: MAIL_FROM.to_owned(),
        public_url: PUBLIC_URL.to_owned(),
        // the test receivers listen on 127.0.0.1
        webhook_allow_private_targets: true,
        ..Settings::default()
    }
}

async fn instance(backend: Backend, sink: Option<&SmtpSink>) -> (TestApp, TestDb) {
    spawn_with(backend, settings(sink)).await
}

/// An account (id) in `org` with a language and roles, and a write token for it.
async fn person(
    app: &TestApp,
    email: &str,
    org: &str,
    locale: &str,
    grants: Vec<Grant>,
) -> (String, String) {
    let u = app.person(email, org, locale, grants).await;
    (u.id, app.token(email, TokenScope::Write).await)
}

fn org_admin(org: &str) -> Vec<Grant> {
    vec![org_grant(Role::OrgAdmin, org)]
}

fn notice(kind: &str, org: &str, recipients: &[&str]) -> Notice {
    Notice {
        kind: kind.to_owned(),
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
        recipients: recipients.iter().map(|r| (*r).to_owned()).collect(),
        email: true,
        restricted: false,
    }
}

/// Commits `notice` in a transaction of its own, as a use-case would.
async fn commit(app: &TestApp, notice: Notice) {
    let a = app.app.clone();
    app.app
        .store
        .write(move |conn| notify(conn, &a, &notice))
        .await
        .unwrap();
}

/// Runs `notice` in a transaction that then fails: nothing of it may remain or be sent.
async fn roll_back(app: &TestApp, notice: Notice) {
    let a = app.app.clone();
    let r: Result<(), AppError> = app
        .app
        .store
        .write(move |conn| {
            notify(conn, &a, &notice)?;
            Err(AppError::Conflict {
                code: "test_rollback",
                field: None,
            })
        })
        .await;
    assert!(r.is_err());
}

fn items(v: &Value) -> Vec<Value> {
    v["items"].as_array().cloned().unwrap_or_default()
}

/// A client's open notification stream.
struct Stream;

impl Stream {
    async fn open(app: &TestApp, token: &str, last_event_id: Option<&str>) -> EventStream {
        EventStream::open(
            &app.api("/api/v1/notifications/stream"),
            token,
            last_event_id,
        )
        .await
    }
}

#[both]
async fn a_notice_reaches_each_recipient_in_their_language_and_nobody_else(backend: Backend) {
    let sink = SmtpSink::start().await;
    let (app, _db) = instance(backend, Some(&sink)).await;
    let cao_bang = app.org("Sở Khoa học và Công nghệ tỉnh Cao Bằng").await;
    let lang_son = app.org("Sở Khoa học và Công nghệ tỉnh Lạng Sơn").await;
    let (an, an_token) = person(&app, "an@caobang.gov.vn", &cao_bang, "vi", vec![]).await;
    let (binh, binh_token) = person(&app, "binh@langson.gov.vn", &lang_son, "en", vec![]).await;
    let (_, chi_token) = person(&app, "chi@caobang.gov.vn", &cao_bang, "vi", vec![]).await;
    let (dung, _) = person(&app, "dung@caobang.gov.vn", &cao_bang, "vi", vec![]).await;
    users::update(
        &app.app,
        &Actor::operator(),
        &dung,
        UserUpdate {
            active: Some(false),
            ..UserUpdate::default()
        },
    )
    .await
    .unwrap();

    commit(
        &app,
        notice("example.happened", &cao_bang, &[&an, &binh, &dung, &an]),
    )
    .await;

    // In the app, each in their own language.
    let (status, list) = app
        .bearer(&an_token)
        .get("/api/v1/notifications")
        .await
        .parts();
    assert_eq!(status, 200, "{backend:?}: {list}");
    let mine = items(&list);
    assert_eq!(
        mine.len(),
        1,
        "{backend:?}: once, however often named: {list}"
    );
    let an_note = &mine[0];
    assert_eq!(
        an_note["title"],
        "[irnet] Đã thêm webhook cho đơn vị: https://siem.caobang.gov.vn/in"
    );
    assert!(
        an_note["body"]
            .as_str()
            .unwrap()
            .contains("admin@caobang.gov.vn đã đăng ký")
    );
    assert_eq!(an_note["kind"], "example.happened");
    assert_eq!(an_note["link"], format!("/orgs/{cao_bang}"));
    assert!(an_note["read_at"].is_null());
    let (_, list) = app
        .bearer(&binh_token)
        .get("/api/v1/notifications")
        .await
        .parts();
    let binh_note = items(&list).remove(0);
    assert_eq!(
        binh_note["title"],
        "[irnet] Webhook added for your organisation: https://siem.caobang.gov.vn/in"
    );

    // A third person sees nothing, and the others' notifications do not exist for them.
    let (_, list) = app
        .bearer(&chi_token)
        .get("/api/v1/notifications")
        .await
        .parts();
    assert!(items(&list).is_empty(), "{backend:?}: {list}");
    let an_id = an_note["id"].as_str().unwrap();
    let (status, _) = app
        .bearer(&chi_token)
        .get(&format!("/api/v1/notifications/{an_id}"))
        .await
        .parts();
    assert_eq!(status, 404);
    let (status, body) = app
        .bearer(&chi_token)
        .call(
            Method::POST,
            &format!("/api/v1/notifications/{an_id}/read"),
            None,
        )
        .await
        .parts();
    assert_eq!(status, 404, "{body}");
    let (status, _) = app
        .bearer(&an_token)
        .get(&format!("/api/v1/notifications/{an_id}"))
        .await
        .parts();
    assert_eq!(status, 200);

    // By mail, in the same languages, to the active recipients only.
    jobs::run_due(&app.app, "test").await.unwrap();
    let mail = sink.messages();
    assert_eq!(mail.len(), 2, "{backend:?}: {mail:?}");
    let to_an = mail.iter().find(|m| m.to == ["an@caobang.gov.vn"]).unwrap();
    assert!(to_an.text().contains("admin@caobang.gov.vn đã đăng ký"));
    assert!(to_an.text().contains(&format!(
        "Xem chi tiết: https://irnet.example.vn/orgs/{cao_bang}"
    )));
    let to_binh = mail
        .iter()
        .find(|m| m.to == ["binh@langson.gov.vn"])
        .unwrap();
    assert!(to_binh.text().contains("registered the webhook"));
    assert!(
        to_binh
            .text()
            .contains("Details: https://irnet.example.vn/orgs/")
    );

    // The page lists it with its link; the header counts it.
    let (status, page) = app
        .bearer(&an_token)
        .lang("vi")
        .get("/notifications")
        .await
        .page();
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("href=\"/orgs/{cao_bang}\"")),
        "{page}"
    );
    assert!(page.contains("Đã thêm webhook cho đơn vị"));
    assert!(
        page.contains("id=\"unread-badge\" class=\"badge\" title=\"Chưa đọc\">1</span>"),
        "{page}"
    );
    assert!(page.contains("<script src=\"/static/live.js\" defer></script>"));
    let script = app.client().get("/static/live.js").await;
    assert_eq!(
        script.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    assert!(script.text().contains("/api/v1/notifications/stream"));

    // Read: one by one, or all at once.
    let (status, _) = app
        .bearer(&an_token)
        .call(
            Method::POST,
            &format!("/api/v1/notifications/{an_id}/read"),
            None,
        )
        .await
        .parts();
    assert_eq!(status, 204);
    let (_, count) = app
        .bearer(&an_token)
        .get("/api/v1/notifications/unread-count")
        .await
        .parts();
    assert_eq!(count, json!({"unread": 0}));
    let (_, unread) = app
        .bearer(&an_token)
        .get("/api/v1/notifications?unread=true")
        .await
        .parts();
    assert!(items(&unread).is_empty());
    let (_, page) = app
        .bearer(&an_token)
        .lang("vi")
        .get("/notifications")
        .await
        .page();
    assert!(
        page.contains("title=\"Chưa đọc\" hidden>0</span>"),
        "{page}"
    );
    let (_, count) = app
        .bearer(&binh_token)
        .get("/api/v1/notifications/unread-count")
        .await
        .parts();
    assert_eq!(count, json!({"unread": 1}));
    let (status, marked) = app
        .bearer(&binh_token)
        .call(Method::POST, "/api/v1/notifications/read-all", None)
        .await
        .parts();
    assert_eq!((status.as_u16(), marked), (200, json!({"marked": 1})));
}

#[both]
async fn the_stream_sends_ones_own_notifications_as_they_commit_and_nothing_rolled_back(
    backend: Backend,
) {
    let sink = SmtpSink::start().await;
    let (app, _db) = instance(backend, Some(&sink)).await;
    let org = app.org("Sở Khoa học và Công nghệ tỉnh Cao Bằng").await;
    let (an, an_token) = person(&app, "an@caobang.gov.vn", &org, "vi", vec![]).await;
    let (binh, _) = person(&app, "binh@caobang.gov.vn", &org, "en", vec![]).await;

    let mut stream = Stream::open(&app, &an_token, None).await;
    commit(&app, notice("for.someone.else", &org, &[&binh])).await;
    roll_back(&app, notice("rolled.back", &org, &[&an])).await;
    commit(&app, notice("for.an", &org, &[&an])).await;

    let event = stream.next().await;
    assert_eq!(event.event, "notification");
    assert_eq!(
        event.data["kind"], "for.an",
        "{backend:?}: neither the other person's nor the rolled-back one came first"
    );
    assert_eq!(event.id, event.data["id"].as_str().unwrap());
    assert_eq!(
        event.data["title"],
        "[irnet] Đã thêm webhook cho đơn vị: https://siem.caobang.gov.vn/in"
    );

    // The rolled-back notice left nothing: no notification, no mail.
    let (_, list) = app
        .bearer(&an_token)
        .get("/api/v1/notifications")
        .await
        .parts();
    let kinds: Vec<String> = items(&list)
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds, ["for.an"], "{backend:?}");
    jobs::run_due(&app.app, "test").await.unwrap();
    let mut to: Vec<String> = sink.messages().iter().map(|m| m.to.join(",")).collect();
    to.sort();
    assert_eq!(
        to,
        ["an@caobang.gov.vn", "binh@caobang.gov.vn"],
        "{backend:?}"
    );

    // A client that reconnects with Last-Event-ID gets what it missed, then what follows.
    let first = event.id;
    drop(stream);
    commit(&app, notice("missed", &org, &[&an])).await;
    let mut resumed = Stream::open(&app, &an_token, Some(&first)).await;
    assert_eq!(resumed.next().await.data["kind"], "missed");
    commit(&app, notice("after.resuming", &org, &[&an])).await;
    assert_eq!(resumed.next().await.data["kind"], "after.resuming");
}

#[postgres_only]
async fn a_notice_committed_on_one_instance_reaches_a_stream_on_another(backend: Backend) {
    let db = TestDb::new(backend);
    let clock = test_clock();
    let a = start(&db, clock.clone(), settings(None)).await;
    let b = start(&db, clock, settings(None)).await;
    let org = a.org("Sở Khoa học và Công nghệ tỉnh Lạng Sơn").await;
    let (an, an_token) = person(&a, "an@langson.gov.vn", &org, "vi", vec![]).await;
    let (binh, _) = person(&a, "binh@langson.gov.vn", &org, "vi", vec![]).await;

    let mut on_b = Stream::open(&b, &an_token, None).await;
    commit(&a, notice("for.binh", &org, &[&binh])).await;
    commit(&a, notice("committed.on.a", &org, &[&an])).await;
    let event = on_b.next().await;
    assert_eq!(event.data["kind"], "committed.on.a");
}

/// A webhook receiver that answers 500 to the first post and 200 afterwards, keeping each post.
#[derive(Clone, Default)]
struct Receiver {
    posts: Arc<Mutex<Vec<(HeaderMap, String)>>>,
}

impl Receiver {
    async fn start(&self) -> String {
        let posts = self.posts.clone();
        let router = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let posts = posts.clone();
                async move {
                    let mut p = posts.lock().unwrap();
                    p.push((headers, body));
                    if p.len() == 1 {
                        axum::http::StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        axum::http::StatusCode::OK
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        format!("http://{addr}/hook")
    }

    fn posts(&self) -> Vec<(HeaderMap, String)> {
        self.posts.lock().unwrap().clone()
    }
}

fn hmac_hex(secret: &str, message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[both]
async fn webhooks_get_signed_posts_retried_until_accepted_with_a_delivery_log(backend: Backend) {
    let (app, _db) = instance(backend, None).await;
    let org = app.org("Sở Khoa học và Công nghệ tỉnh Cao Bằng").await;
    let (an, admin_token) = person(&app, "admin@caobang.gov.vn", &org, "en", org_admin(&org)).await;
    let (binh, _) = person(&app, "binh@caobang.gov.vn", &org, "vi", vec![]).await;
    let receiver = Receiver::default();
    let url = receiver.start().await;
    let hooks = format!("/api/v1/organisations/{org}/webhooks");

    // One that wants another kind only, then one that wants everything.
    let (status, other) = app
        .bearer(&admin_token)
        .post_json(&hooks, &json!({"url": url, "kinds": ["other.kind"]}))
        .await
        .parts();
    assert_eq!(status, 201, "{backend:?}: {other}");
    let (status, created) = app
        .bearer(&admin_token)
        .post_json(&hooks, &json!({"url": url}))
        .await
        .parts();
    assert_eq!(status, 201, "{created}");
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_") && secret.len() > 40);
    let hook_id = created["id"].as_str().unwrap().to_owned();
    let (_, listed) = app
        .bearer(&admin_token)
        .get(&format!("/api/v1/organisations/{org}/webhooks"))
        .await
        .parts();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(
        !listed.to_string().contains("whsec_"),
        "the secret is shown once"
    );
    // The org admins were told a webhook was added.
    let (_, mine) = app
        .bearer(&admin_token)
        .get("/api/v1/notifications")
        .await
        .parts();
    assert_eq!(items(&mine).len(), 2, "{mine}");
    assert_eq!(items(&mine)[0]["kind"], "webhook.created");

    // A notice to two people of the organisation: one delivery, to the catch-all webhook.
    commit(&app, notice("example.happened", &org, &[&an, &binh])).await;
    jobs::run_due(&app.app, "test").await.unwrap();
    let deliveries = format!("/api/v1/webhooks/{hook_id}/deliveries");
    let (status, log) = app.bearer(&admin_token).get(&deliveries).await.parts();
    assert_eq!(status, 200);
    let log = items(&log);
    let ours: Vec<&Value> = log
        .iter()
        .filter(|d| d["event"] == "example.happened")
        .collect();
    assert_eq!(ours.len(), 1, "{backend:?}: {log:?}");
    assert_eq!(ours[0]["attempts"], 1);
    assert_eq!(ours[0]["last_status"], 500);
    assert_eq!(ours[0]["status"], "pending");
    assert!(ours[0]["delivered_at"].is_null());
    let (_, other_log) = app
        .bearer(&admin_token)
        .get(&format!(
            "/api/v1/webhooks/{}/deliveries",
            other["id"].as_str().unwrap()
        ))
        .await
        .parts();
    assert!(
        items(&other_log)
            .iter()
            .all(|d| d["event"] != "example.happened"),
        "{other_log}"
    );

    // The worker's backoff: the retry is due a minute later.
    app.clock.advance(chrono::Duration::minutes(2));
    jobs::run_due(&app.app, "test").await.unwrap();
    let (_, log) = app.bearer(&admin_token).get(&deliveries).await.parts();
    let log = items(&log);
    let d = log
        .iter()
        .find(|d| d["event"] == "example.happened")
        .unwrap();
    assert_eq!(d["attempts"], 2, "{backend:?}: {d}");
    assert_eq!(d["last_status"], 200);
    assert_eq!(d["status"], "delivered");
    assert!(d["delivered_at"].is_string());
    assert!(d["last_error"].is_null());

    // Both posts carried the same body, each signed with the secret over its timestamp.
    let posts = receiver.posts();
    let ours: Vec<&(HeaderMap, String)> = posts
        .iter()
        .filter(|(h, _)| h["x-irnet-event"] == "example.happened")
        .collect();
    assert_eq!(ours.len(), 2, "{backend:?}");
    for (headers, body) in &ours {
        let ts = headers["x-irnet-timestamp"].to_str().unwrap();
        assert_eq!(
            headers["x-irnet-signature"].to_str().unwrap(),
            format!("sha256={}", hmac_hex(&secret, &format!("{ts}.{body}")))
        );
        assert_eq!(headers["x-irnet-delivery"].to_str().unwrap(), d["id"]);
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(body, &ours[0].1);
    }
    let body: Value = serde_json::from_str(&ours[0].1).unwrap();
    assert_eq!(body["kind"], "example.happened");
    assert_eq!(body["object_type"], "organisation");
    assert_eq!(body["object_id"], org);
    assert_eq!(body["id"], d["event_id"]);
    assert_eq!(body["link"], format!("https://irnet.example.vn/orgs/{org}"));
    assert_eq!(
        body["title"], "[irnet] Đã thêm webhook cho đơn vị: https://siem.caobang.gov.vn/in",
        "in Vietnamese"
    );
    assert!(chrono::DateTime::parse_from_rfc3339(body["occurred_at"].as_str().unwrap()).is_ok());

    // A restricted notice (TLP:RED) reaches nobody outside: no delivery at all.
    commit(
        &app,
        Notice {
            restricted: true,
            ..notice("restricted.happened", &org, &[&an])
        },
    )
    .await;
    let (_, log) = app.bearer(&admin_token).get(&deliveries).await.parts();
    assert!(
        items(&log)
            .iter()
            .all(|d| d["event"] != "restricted.happened")
    );
}

#[both]
async fn only_the_organisations_admins_and_administrators_manage_its_webhooks(backend: Backend) {
    let (app, _db) = instance(backend, None).await;
    let cao_bang = app.org("Sở Khoa học và Công nghệ tỉnh Cao Bằng").await;
    let lang_son = app.org("Sở Khoa học và Công nghệ tỉnh Lạng Sơn").await;
    let (_, admin) = person(
        &app,
        "admin@caobang.gov.vn",
        &cao_bang,
        "vi",
        org_admin(&cao_bang),
    )
    .await;
    let (_, outsider) = person(
        &app,
        "admin@langson.gov.vn",
        &lang_son,
        "vi",
        org_admin(&lang_son),
    )
    .await;
    let (_, responder) = person(
        &app,
        "responder@caobang.gov.vn",
        &cao_bang,
        "vi",
        vec![org_grant(Role::Responder, &cao_bang)],
    )
    .await;
    let (_, platform) = person(
        &app,
        "root@vncert.vn",
        &lang_son,
        "vi",
        vec![Grant::new(Role::Admin, Scope::Network).unwrap()],
    )
    .await;
    let hooks = format!("/api/v1/organisations/{cao_bang}/webhooks");

    // Bad targets are refused, naming the field; nothing is stored.
    for (body, field) in [
        (json!({"url": "ftp://siem.caobang.gov.vn/"}), "url"),
        (json!({"url": "http://0.0.0.0/in"}), "url"),
        (
            json!({"url": "https://siem.caobang.gov.vn/in", "kinds": ["Sự cố"]}),
            "kinds",
        ),
    ] {
        let (status, problem) = app.bearer(&admin).post_json(&hooks, &body).await.parts();
        assert_eq!(status, 422, "{backend:?}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let (_, listed) = app
        .bearer(&admin)
        .get(&format!("/api/v1/organisations/{cao_bang}/webhooks"))
        .await
        .parts();
    assert_eq!(listed, json!([]));

    let (status, created) = app
        .bearer(&admin)
        .post_json(
            &hooks,
            &json!({"url": "https://siem.caobang.gov.vn/in", "kinds": ["incident.reported"]}),
        )
        .await
        .parts();
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();

    // To anyone else, the webhooks do not exist.
    for token in [&outsider, &responder] {
        let (status, _) = app
            .bearer(token)
            .get(&format!("/api/v1/organisations/{cao_bang}/webhooks"))
            .await
            .parts();
        assert_eq!(status, 404, "{backend:?}");
        let (status, _) = app
            .bearer(token)
            .get(&format!("/api/v1/webhooks/{id}/deliveries"))
            .await
            .parts();
        assert_eq!(status, 404);
        let (status, _) = app
            .bearer(token)
            .delete(&format!("/api/v1/webhooks/{id}"))
            .await
            .parts();
        assert_eq!(status, 404);
        let (status, _) = app
            .bearer(token)
            .post_json(&hooks, &json!({"url": "https://evil.example.com/in"}))
            .await
            .parts();
        assert_eq!(status, 404);
    }
    let read_only = app.token("admin@caobang.gov.vn", TokenScope::Read).await;
    let (status, _) = app
        .bearer(&read_only)
        .post_json(&hooks, &json!({"url": "https://siem.caobang.gov.vn/b"}))
        .await
        .parts();
    assert_eq!(status, 403);

    // The platform's administrators see it; its org admin removes it.
    let (status, listed) = app
        .bearer(&platform)
        .get(&format!("/api/v1/organisations/{cao_bang}/webhooks"))
        .await
        .parts();
    assert_eq!(status, 200);
    assert_eq!(listed[0]["url"], "https://siem.caobang.gov.vn/in");
    assert_eq!(listed[0]["kinds"], json!(["incident.reported"]));
    let (status, _) = app
        .bearer(&admin)
        .delete(&format!("/api/v1/webhooks/{id}"))
        .await
        .parts();
    assert_eq!(status, 204);
    let (_, listed) = app
        .bearer(&admin)
        .get(&format!("/api/v1/organisations/{cao_bang}/webhooks"))
        .await
        .parts();
    assert_eq!(listed, json!([]));

    // Both changes are in the audit trail.
    let (_, audit) = app
        .bearer(&platform)
        .get("/api/v1/audit?limit=50")
        .await
        .parts();
    let actions: Vec<String> = items(&audit)
        .iter()
        .filter(|e| e["object_id"] == id.as_str())
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(actions, ["webhook.delete", "webhook.create"], "{audit}");
    assert!(
        !audit.to_string().contains("whsec_"),
        "no secret in the trail"
    );
}
