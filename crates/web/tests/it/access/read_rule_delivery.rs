//! Nothing leaks by notifications, mail or statistics (issue 14, findings 2 and 4): a record is
//! named — in the notification list, on the live stream, in mail — only to people who may read it
//! when it is delivered; statistics count what their reader may read; a cluster lead's grant
//! confers nothing in a year its organisation does not lead the cluster. On both databases, with
//! the demo network.

use std::sync::Arc;

use base64::Engine;
use irnet_domain::{FixedClock, Grant, Role, Scope, TokenScope};
use irnet_testkit::smtp::{Received, SmtpSink};
use irnet_testkit::sse::EventStream;
use irnet_testkit::{Backend, TestApp, TestDb, both, start, test_epoch};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// In every text field of the RED incident: wherever it shows up outside the audience, it leaked.
const RED: &str = "CANARYRED5531";
const AMBER: &str = "CANARYAMBER7702";

/// A subject as a reader's mail program shows it (RFC 2047 encoded words decoded).
pub(crate) fn subject(m: &Received) -> String {
    let raw = m.header("Subject").unwrap_or_default();
    let mut out = String::new();
    for word in raw.split_whitespace() {
        let decoded = word
            .strip_prefix("=?utf-8?")
            .or_else(|| word.strip_prefix("=?UTF-8?"))
            .and_then(|w| w.strip_suffix("?="))
            .and_then(|w| match w.split_at_checked(2) {
                Some(("b?" | "B?", data)) => base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok()),
                Some(("q?" | "Q?", data)) => Some(q_decode(data)),
                _ => None,
            });
        match decoded {
            Some(d) => out.push_str(&d),
            None => {
                out.push(' ');
                out.push_str(word);
            }
        }
    }
    out
}

fn q_decode(data: &str) -> String {
    let mut bytes = Vec::new();
    let mut it = data.bytes();
    while let Some(b) = it.next() {
        match b {
            b'_' => bytes.push(b' '),
            b'=' => {
                let hex: Vec<u8> = it.by_ref().take(2).collect();
                let h = std::str::from_utf8(&hex).unwrap_or("3F");
                bytes.push(u8::from_str_radix(h, 16).unwrap_or(b'?'));
            }
            b => bytes.push(b),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Everything mailed to `to`, as its reader reads it (subjects and texts).
fn mail_to(sink: &SmtpSink, to: &str) -> String {
    sink.messages()
        .iter()
        .filter(|m| m.to.iter().any(|t| t == to))
        .map(|m| format!("{}\n{}\n", subject(m), m.text()))
        .collect()
}

async fn notifications(app: &TestApp, token: &str) -> Vec<Value> {
    let (s, v) = app.bearer(token).get("/api/v1/notifications").await.parts();
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"].as_array().cloned().unwrap_or_default()
}

fn of_kind<'a>(list: &'a [Value], kind: &str) -> Vec<&'a Value> {
    list.iter().filter(|n| n["kind"] == kind).collect()
}

/// The next `n` notifications of a stream, as JSON text.
async fn streamed(stream: &mut EventStream, n: usize) -> String {
    let mut out = String::new();
    for _ in 0..n {
        let e = stream.next().await;
        assert_eq!(e.event, "notification");
        out.push_str(&e.data.to_string());
    }
    out
}

async fn run_jobs(app: &TestApp) {
    irnet_app::jobs::schedule(&app.app).await.unwrap();
    irnet_app::jobs::run_due(&app.app, "test").await.unwrap();
}

#[both]
async fn a_red_incident_is_named_by_notification_stream_and_mail_only_to_those_who_may_read_it(
    backend: Backend,
) {
    let sink = SmtpSink::start().await;
    let db = TestDb::new(backend);
    let clock = Arc::new(FixedClock::new(test_epoch()));
    let settings = irnet_app::Settings {
        smtp_url: Some(sink.url()),
        public_url: "https://irnet.example.vn".to_owned(),
        ..irnet_app::Settings::default()
    };
    let app = start(&db, clock.clone(), settings).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2024, 12, 20, 10, 30);
    let bac_kan = app.demo_org("Sở KH&CN Bắc Kạn").await;
    let cao_bang = app.demo_org("Sở KH&CN Cao Bằng").await;
    // The author (named on the RED incident), a colleague who is not, Cao Bằng's responder.
    let bk = app.responder("ungcuu.backan@test.vn", &bac_kan).await;
    let colleague = app.responder("dongnghiep.backan@test.vn", &bac_kan).await;
    let cb = app.responder("ungcuu.caobang@test.vn", &cao_bang).await;
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Write).await;
    // The outsiders' streams, open before anything happens.
    let url = app.api("/api/v1/notifications/stream");
    let mut coordinator_stream = EventStream::open(&url, &coordinator, None).await;
    let mut colleague_stream = EventStream::open(&url, &colleague, None).await;
    let mut cb_stream = EventStream::open(&url, &cb, None).await;

    let report = |title: String, tlp: &'static str| {
        let (app, bk) = (&app, bk.clone());
        async move {
            let (_, inc) = app
                .bearer(&bk)
                .post_json(
                    "/api/v1/incidents",
                    &json!({
                        "title": title, "detected_at": "2024-12-20T09:00",
                        "tlp": tlp, "submit": true,
                    }),
                )
                .await
                .success()
                .parts();
            let id = inc["id"].as_str().unwrap().to_owned();
            app.bearer(&bk)
                .post_json(&format!("/api/v1/incidents/{id}/escalate"), &json!({}))
                .await
                .success()
                .parts();
            id
        }
    };
    let red = report(format!("Lộ lọt dữ liệu {RED}"), "RED").await;
    report(format!("Dò quét {AMBER}"), "AMBER").await;

    // A mention of the colleague, who is not named: not told at all.
    app.bearer(&bk)
        .post_json(
            &format!("/api/v1/incidents/{red}/comments"),
            &json!({"text": format!("@dongnghiep.backan@test.vn xem giúp {RED}")}),
        )
        .await
        .success()
        .parts();
    // Support: Cao Bằng is asked, offers (Bắc Kạn is told), is accepted (Cao Bằng is told).
    app.bearer(&bk)
        .post_json(
            &format!("/api/v1/incidents/{red}/support-requests"),
            &json!({"message": "Đề nghị hỗ trợ điều tra", "orgs": [cao_bang]}),
        )
        .await
        .success()
        .parts();
    let (_, inbox) = app
        .bearer(&cb)
        .get("/api/v1/support-requests")
        .await
        .parts();
    let request = inbox[0]["id"].as_str().unwrap().to_owned();
    app.bearer(&cb)
        .post_json(
            &format!("/api/v1/support-requests/{request}/answer"),
            &json!({"offer": true}),
        )
        .await
        .success()
        .parts();
    app.bearer(&bk)
        .post_json(
            &format!("/api/v1/support-requests/{request}/accept"),
            &json!({"org_id": cao_bang}),
        )
        .await
        .success()
        .parts();

    // The notification lists.
    let for_coordinator = notifications(&app, &coordinator).await;
    let escalated = of_kind(&for_coordinator, "incident.escalated");
    assert_eq!(escalated.len(), 2, "{backend:?}: {for_coordinator:?}");
    let text = |v: &[Value]| serde_json::to_string(v).unwrap();
    // Escalating names the people holding the coordinator role: the owner chose to tell
    // them, so they read even the RED incident (and only they, not their organisation).
    assert!(
        text(&for_coordinator).contains(RED) && text(&for_coordinator).contains(AMBER),
        "{backend:?}: the coordinator is named by the escalation: {for_coordinator:?}"
    );
    assert!(escalated.iter().all(|n| n["link"] != "/notifications"));

    let for_colleague = notifications(&app, &colleague).await;
    assert!(
        of_kind(&for_colleague, "incident.mentioned").is_empty(),
        "{backend:?}: a mention of someone not named tells them nothing: {for_colleague:?}"
    );
    let offered = of_kind(&for_colleague, "incident.support_offered");
    assert_eq!(offered.len(), 1);
    // Told that something happened, not what: no title, no id, no link to the incident.
    assert_eq!(
        offered[0]["title"], "[irnet] Có cập nhật ở một sự cố bạn không mở được",
        "{backend:?}: {offered:?}"
    );
    assert_eq!(offered[0]["link"], "/notifications");
    assert!(!offered[0].to_string().contains(&red), "no id: {offered:?}");
    assert!(!text(&for_colleague).contains(RED), "{for_colleague:?}");
    let for_author = notifications(&app, &bk).await;
    let offered = of_kind(&for_author, "incident.support_offered");
    assert!(
        offered[0]["body"].as_str().unwrap().contains(RED),
        "{backend:?}: the author reads it: {for_author:?}"
    );

    let for_cb = notifications(&app, &cb).await;
    assert_eq!(of_kind(&for_cb, "incident.support_accepted").len(), 1);
    let requested = of_kind(&for_cb, "incident.support_requested");
    assert!(
        requested[0]["body"]
            .as_str()
            .unwrap()
            .ends_with("đề nghị đơn vị hỗ trợ ứng cứu: Đề nghị hỗ trợ điều tra"),
        "a request keeps what was written for the asked: {requested:?}"
    );
    assert!(!text(&for_cb).contains(RED), "{backend:?}: {for_cb:?}");

    // The live streams carried the same.
    // (each incident's notice, then its escalation)
    let live = streamed(&mut coordinator_stream, 4).await;
    assert!(live.contains(RED) && live.contains(AMBER), "{live}");
    let live = streamed(&mut colleague_stream, 1).await;
    assert!(!live.contains(RED), "{live}");
    let live = streamed(&mut cb_stream, 2).await;
    assert!(!live.contains(RED), "{live}");

    // Mail, including the overdue acknowledgement two hours later: never the RED title.
    clock.advance(chrono::Duration::minutes(121));
    run_jobs(&app).await;
    let coordinator_mail = mail_to(&sink, "dieuphoi@demo.irnet.vn");
    assert!(
        coordinator_mail.contains("Quá hạn xác nhận tiếp nhận") && coordinator_mail.contains(AMBER),
        "{backend:?}: {coordinator_mail}"
    );
    assert!(
        !coordinator_mail.contains(RED),
        "{backend:?}: {coordinator_mail}"
    );
    for to in [
        "ungcuu.backan@test.vn",
        "dongnghiep.backan@test.vn",
        "ungcuu.caobang@test.vn",
    ] {
        let mail = mail_to(&sink, to);
        assert!(!mail.is_empty(), "{backend:?}: {to} was mailed");
        assert!(!mail.contains(RED), "{backend:?}: {to}: {mail}");
    }
}

#[both]
async fn statistics_count_what_the_reader_may_read_and_lead_grants_follow_the_lead_year(
    backend: Backend,
) {
    let (app, _db) = irnet_testkit::spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    // March 2025: Cao Bằng leads Cluster 1 (Bắc Kạn led it in 2024), Bắc Kạn still a member.
    app.set_local_time(2025, 3, 10, 9, 0);
    let bac_kan = app.demo_org("Sở KH&CN Bắc Kạn").await;
    let lang_son = app.demo_org("Sở KH&CN Lạng Sơn").await;
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Read).await;
    let (_, clusters) = app
        .bearer(&coordinator)
        .get("/api/v1/clusters")
        .await
        .parts();
    let cluster = clusters
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name_vi"].as_str().unwrap_or_default().contains("số 1"))
        .or_else(|| clusters.as_array().unwrap().first())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let this_years_lead = app.token("cumtruong@demo.irnet.vn", TokenScope::Read).await;
    app.account(
        "cumtruong.backan@test.vn",
        &bac_kan,
        vec![Grant::new(Role::ClusterLead, Scope::Cluster(cluster.parse().unwrap())).unwrap()],
    )
    .await;
    let last_years_lead = app
        .token("cumtruong.backan@test.vn", TokenScope::Read)
        .await;

    // Lạng Sơn's RED incident, with data loss and a damage estimate.
    let ls = app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Write)
        .await;
    let (_, inc) = app
        .bearer(&ls)
        .post_json(
            "/api/v1/incidents",
            &json!({
                "title": format!("Mã độc {RED}"), "detected_at": "2025-03-01T09:00",
                "tlp": "RED", "submit": true, "type_key": "defacement",
            }),
        )
        .await
        .success()
        .parts();
    let id = inc["id"].as_str().unwrap().to_owned();
    let (s, inc) = app
        .bearer(&ls)
        .put_json(
            &format!("/api/v1/incidents/{id}/classification"),
            &json!({
                "type_key": "defacement", "tlp": "RED", "data_loss": "confirmed",
                "data_loss_detail": "hồ sơ", "damage_estimate": format!("Thiệt hại {RED}"),
            }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{inc}");

    let stats = format!("/api/v1/organisations/{lang_son}/incident-statistics?year=2025");
    let year = format!("/api/v1/clusters/{cluster}/incident-year?year=2025");

    // This year's lead reads Lạng Sơn's statistics, but not what it may not read.
    let (s, v) = app.bearer(&this_years_lead).get(&stats).await.parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {v}");
    assert_eq!(
        v["total"]["count"], 0,
        "{backend:?}: the RED incident is not counted: {v}"
    );
    assert!(!v.to_string().contains(RED), "{v}");
    let (s, v) = app.bearer(&this_years_lead).get(&year).await.parts();
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["incidents"], 0, "{backend:?}: {v}");
    assert_eq!(v["data_loss_confirmed"], 0, "{backend:?}: {v}");
    let res = app
        .bearer(&this_years_lead)
        .get(
            &format!("{stats}&format=docx")
                .replace("/incident-statistics?", "/incident-statistics/form?"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let xml = irnet_testkit::docx_xml(res.bytes());
    assert!(!xml.contains(RED), "{backend:?}: the DOCX");

    // Lạng Sơn's own Mẫu 05 counts it, and its author reads the estimate.
    let (_, v) = app.bearer(&ls).get(&stats).await.parts();
    assert_eq!(v["total"]["count"], 1, "{backend:?}: {v}");
    assert!(v.to_string().contains(RED), "{v}");
    // The coordinator, to whom Mẫu 05 is filed, counts it, and reads its estimate: the notice
    // names the people holding the coordinator role even at RED, as escalation does.
    let (_, v) = app.bearer(&coordinator).get(&stats).await.parts();
    assert_eq!(v["total"]["count"], 1, "{backend:?}: {v}");
    assert!(v.to_string().contains(RED), "{backend:?}: {v}");

    // Last year's lead, with its grant left over, reads nothing of the members.
    for path in [
        format!("/api/v1/organisations/{lang_son}/people"),
        format!("/api/v1/organisations/{lang_son}/systems"),
        stats.clone(),
        year.clone(),
    ] {
        let (s, v) = app.bearer(&last_years_lead).get(&path).await.parts();
        assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?} {path}: {v}");
        let (s, v) = app.bearer(&this_years_lead).get(&path).await.parts();
        assert_eq!(s, StatusCode::OK, "{backend:?} {path}: {v}");
    }
}
