//! The focal-point reminder: a member whose main or backup 24/7 focal point is missing or not
//! confirmed for `focal_point_max_age` gets mail — over real SMTP, to a local sink — addressed to
//! its org admins in their language and to its focal points, at most once per `reminder_repeat`,
//! and never about another member.

use std::sync::Arc;

use chrono::Duration;
use irnet_app::identity::users::{self, NewUser};
use irnet_app::{Actor, Settings, jobs};
use irnet_domain::{FixedClock, Grant, Role, Scope, TokenScope};
use irnet_testkit::smtp::{Received, SmtpSink};
use irnet_testkit::{Backend, PASSWORD, TestApp, TestDb, both, org_grant, start, test_epoch};
use serde_json::{Value, json};

async fn org_admin(app: &TestApp, email: &str, org_id: &str, locale: &str) {
    users::create(
        &app.app,
        &Actor::operator(),
        NewUser {
            email: email.to_owned(),
            display_name: email.to_owned(),
            org_id: org_id.to_owned(),
            locale: Some(locale.to_owned()),
            password: PASSWORD.to_owned(),
            grants: vec![org_grant(Role::OrgAdmin, org_id)],
        },
    )
    .await
    .unwrap();
}

async fn person(app: &TestApp, token: &str, org: &str, given: &str, email: &str) -> String {
    let res = app.bearer(token).post_json(&format!("/api/v1/organisations/{org}/people"), &json!({"family_name": "Nguyễn", "middle_name": "Văn", "given_name": given, "emails": [email]})).await;
    assert_eq!(res.status(), 201);
    res.json::<Value>()["id"].as_str().unwrap().to_owned()
}

async fn focal(app: &TestApp, token: &str, org: &str, kind: &str, person: &str) {
    let res = app
        .bearer(token)
        .put_json(
            &format!("/api/v1/organisations/{org}/focal-points/{kind}"),
            &json!({ "person_id": person }),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text());
}

/// Runs the day's check and the mail it enqueued; returns the messages the sink got meanwhile.
async fn run_day(app: &TestApp, sink: &SmtpSink) -> Vec<Received> {
    let before = sink.messages().len();
    jobs::schedule(&app.app).await.unwrap();
    jobs::run_due(&app.app, "test").await.unwrap();
    sink.messages().split_off(before)
}

/// The focal-point mail to `address` (in mid-June the half-year report's reminder, Mẫu 05, goes
/// out the same day: `rules::reminders`).
fn to(messages: &[Received], address: &str) -> Vec<Received> {
    messages
        .iter()
        .filter(|m| m.to == [address] && !m.text().contains("Mẫu 05"))
        .cloned()
        .collect()
}

#[both]
async fn members_with_missing_or_stale_focal_points_are_reminded_by_mail(backend: Backend) {
    let sink = SmtpSink::start().await;
    let db = TestDb::new(backend);
    let clock = Arc::new(FixedClock::new(test_epoch()));
    let settings = Settings {
        smtp_url: Some(sink.url()),
        mail_from: "irnet <irnet@vncert.vn>".to_owned(),
        public_url: "https://irnet.example.vn".to_owned(),
        ..Settings::default()
    };
    let app = start(&db, clock.clone(), settings).await;
    let coordination = app.org("Trung tâm điều phối").await;
    app.account(
        "dieuphoi@vncert.vn",
        &coordination,
        vec![Grant::new(Role::Coordinator, Scope::Network).unwrap()],
    )
    .await;
    let token = app.token("dieuphoi@vncert.vn", TokenScope::Write).await;
    let cao_bang = app.org("Sở Khoa học và Công nghệ tỉnh Cao Bằng").await;
    let lang_son = app.org("Sở Khoa học và Công nghệ tỉnh Lạng Sơn").await;
    org_admin(&app, "admin@caobang.gov.vn", &cao_bang, "en").await;
    org_admin(&app, "admin@langson.gov.vn", &lang_son, "vi").await;
    let an = person(&app, &token, &cao_bang, "An", "an.nguyen@caobang.gov.vn").await;
    focal(&app, &token, &cao_bang, "main", &an).await;

    // Day 1: Cao Bằng has no backup; Lạng Sơn has none at all.
    let day1 = run_day(&app, &sink).await;
    let admin = to(&day1, "admin@caobang.gov.vn");
    assert_eq!(admin.len(), 1, "{backend:?}: {day1:?}");
    let m = &admin[0];
    assert_eq!(m.from, "irnet@vncert.vn");
    assert!(m.header("Subject").is_some());
    let body = m.text();
    assert_eq!(
        m.header("Content-Transfer-Encoding").as_deref(),
        Some("8bit"),
        "readable as sent"
    );
    assert!(
        body.contains("Dear Sở Khoa học và Công nghệ tỉnh Cao Bằng"),
        "{body}"
    );
    assert!(body.contains("Backup focal point: not named"), "{body}");
    assert!(
        !body.contains("Main focal point"),
        "the main one is fine: {body}"
    );
    assert!(
        body.contains(&format!("https://irnet.example.vn/orgs/{cao_bang}")),
        "{body}"
    );
    let focal_mail = to(&day1, "an.nguyen@caobang.gov.vn");
    assert_eq!(focal_mail.len(), 1, "the focal point is told too");
    assert!(
        focal_mail[0]
            .text()
            .contains("Đầu mối dự phòng: chưa khai báo"),
        "Vietnamese by default"
    );
    let ls = to(&day1, "admin@langson.gov.vn");
    assert_eq!(ls.len(), 1);
    assert!(ls[0].text().contains("Đầu mối chính: chưa khai báo"));
    // Nothing about one member reaches another.
    assert!(
        ls.iter()
            .all(|m| !m.text().contains("Cao Bằng") && !m.text().contains("Nguyễn Văn An"))
    );
    assert!(
        admin
            .iter()
            .chain(&focal_mail)
            .all(|m| !m.text().contains("Lạng Sơn"))
    );
    assert_eq!(
        day1.len(),
        3,
        "{backend:?}: nobody else is written to: {day1:?}"
    );

    // The same day again, and three days later: nothing new.
    assert!(run_day(&app, &sink).await.is_empty(), "{backend:?}");
    clock.advance(Duration::days(3));
    assert!(
        run_day(&app, &sink).await.is_empty(),
        "{backend:?}: at most once a week"
    );

    // A week after the first reminder, still no backup: reminded again.
    clock.advance(Duration::days(4));
    assert_eq!(
        to(&run_day(&app, &sink).await, "admin@caobang.gov.vn").len(),
        1
    );

    // Cao Bằng names its backup; 100 days on, both are unconfirmed for too long.
    let binh = person(
        &app,
        &token,
        &cao_bang,
        "Bình",
        "binh.nguyen@caobang.gov.vn",
    )
    .await;
    focal(&app, &token, &cao_bang, "backup", &binh).await;
    clock.advance(Duration::days(100));
    let late = run_day(&app, &sink).await;
    let admin = to(&late, "admin@caobang.gov.vn");
    assert_eq!(admin.len(), 1, "{backend:?}");
    assert!(
        admin[0].text().contains(
            "Main focal point: Nguyễn Văn An, last confirmed on 02/03/2026 (107 days ago)"
        ),
        "{}",
        admin[0].text()
    );
    assert!(
        admin[0]
            .text()
            .contains("Backup focal point: Nguyễn Văn Bình"),
        "{}",
        admin[0].text()
    );
    assert_eq!(to(&late, "binh.nguyen@caobang.gov.vn").len(), 1);

    // Confirmed: no more reminders for Cao Bằng. (A new token: the first one has expired.)
    let token = app.token("dieuphoi@vncert.vn", TokenScope::Write).await;
    let res = app
        .bearer(&token)
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/organisations/{cao_bang}/focal-points/confirm"),
        )
        .send()
        .await;
    assert_eq!(res.status(), 200);
    clock.advance(Duration::days(8));
    let after = run_day(&app, &sink).await;
    assert!(
        after.iter().all(|m| !m.to[0].ends_with("@caobang.gov.vn")),
        "{backend:?}: {after:?}"
    );
    assert_eq!(
        to(&after, "admin@langson.gov.vn").len(),
        1,
        "Lạng Sơn still has none"
    );
}

#[both]
async fn without_smtp_the_mail_job_fails_with_the_reason_and_is_not_retried(backend: Backend) {
    let db = TestDb::new(backend);
    let app = start(
        &db,
        Arc::new(FixedClock::new(test_epoch())),
        Settings::default(),
    )
    .await;
    let org = app.org("Sở Khoa học và Công nghệ tỉnh Bắc Ninh").await;
    org_admin(&app, "admin@bacninh.gov.vn", &org, "vi").await;
    jobs::schedule(&app.app).await.unwrap();
    jobs::run_due(&app.app, "test").await.unwrap();
    let mail = app
        .app
        .store
        .read(|c| {
            Ok::<_, irnet_app::AppError>(irnet_store::jobs::of_kind(c, irnet_app::mail::JOB, 10)?)
        })
        .await
        .unwrap();
    assert_eq!(mail.len(), 1, "{backend:?}");
    assert_eq!(mail[0].status, "failed");
    assert_eq!(mail[0].attempts, 1);
    assert!(mail[0].last_error.as_deref().unwrap().contains("smtp_url"));
}
