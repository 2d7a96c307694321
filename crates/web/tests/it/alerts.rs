//! Alerts through the API and the mail, on both databases, with the demo network: the coordinator
//! warns Cluster 1 in August 2025 (four members since the mergers of 01/07/2025); focal points
//! acknowledge through the signed links the local SMTP sink received; the silent are reminded and
//! escalated to their backup focal point; an outsider sees nothing; bad input stores nothing.

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use irnet_app::alerts::{AlertCount, AlertSummary, AlertView, RecipientView, RecipientsView};
use irnet_app::{Settings, jobs};
use irnet_domain::alert::ChaseDelays;
use irnet_domain::{Role, TokenScope};
use irnet_testkit::smtp::{PUBLIC_URL, Received, SmtpSink};
use irnet_testkit::{
    Backend, Client, Problem, TestApp, TestDb, both, fields, form_token, org_grant, spawn_with,
};
use irnet_web::api::PageOf;
use reqwest::StatusCode;
use serde_json::{Value, json};

const PUBLIC: &str = PUBLIC_URL;

fn local(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    FixedOffset::east_opt(7 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

struct Net {
    app: TestApp,
    sink: SmtpSink,
    _db: TestDb,
    coordinator: Client,
    cluster: String,
}

/// The demo network with mail to a local sink, on 05/08/2025 at 09:00 Vietnam time.
async fn network(backend: irnet_testkit::Backend, chase: ChaseDelays) -> Net {
    let sink = SmtpSink::start().await;
    let settings = Settings {
        alert_chase: chase,
        ..sink.settings()
    };
    let (app, db) = spawn_with(backend, settings).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    app.clock.set(local(2025, 8, 5, 9));
    let coordinator = app.client_of("dieuphoi@demo.irnet.vn").await;
    let (status, clusters) = coordinator.get("/api/v1/clusters").await.parts();
    assert_eq!(status, 200);
    let cluster = clusters[0]["id"].as_str().unwrap().to_owned();
    Net {
        app,
        sink,
        _db: db,
        coordinator,
        cluster,
    }
}

fn alert(cluster: &str) -> Value {
    json!({
        "title": "Lỗ hổng nghiêm trọng trong PAN-OS GlobalProtect",
        "description": "Lỗ hổng cho phép thực thi mã từ xa không cần xác thực.",
        "severity": "critical",
        "affected_products": ["Palo Alto Networks PAN-OS 10.2", "PAN-OS 11.0"],
        "cves": ["CVE-2024-3400"],
        "required_actions": "Cập nhật bản vá; rà soát nhật ký truy cập.",
        "action_deadline": "2025-08-08T17:00",
        "audience": { "clusters": [cluster] }
    })
}

/// Drafts and sends an alert to Cluster 1; returns its id.
async fn send_alert(n: &Net, body: Value) -> String {
    let draft: AlertView = n
        .coordinator
        .post_json("/api/v1/alerts", &body)
        .await
        .created();
    assert_eq!(draft.status, "draft");
    assert_eq!(draft.tlp, "AMBER", "AMBER by default");
    let id = draft.id;
    let sent: AlertView = n
        .coordinator
        .post_json(&format!("/api/v1/alerts/{id}/send"), &json!({}))
        .await
        .ok();
    assert_eq!(sent.status, "sent");
    id
}

/// Runs the periodic checks and every due job; returns the mail the sink got meanwhile.
async fn run(n: &Net) -> Vec<Received> {
    let before = n.sink.messages().len();
    jobs::schedule(&n.app.app).await.unwrap();
    jobs::run_due(&n.app.app, "test").await.unwrap();
    n.sink.messages().split_off(before)
}

fn to<'a>(mail: &'a [Received], address: &str) -> Vec<&'a Received> {
    mail.iter().filter(|m| m.to == [address]).collect()
}

/// The acknowledgement link in a mail, as a path.
fn ack_path(m: &Received) -> String {
    let text = m.text();
    let at = text
        .find(&format!("{PUBLIC}/alerts/ack/"))
        .unwrap_or_else(|| panic!("no link in {text}"));
    let link = text[at..].split_whitespace().next().unwrap();
    link.trim_start_matches(PUBLIC).to_owned()
}

/// Opens a link like a person would: GET shows the confirmation, POST (with the page's form
/// token) acknowledges. Returns the POST's status and page.
async fn click(app: &TestApp, path: &str) -> (StatusCode, String, StatusCode, String) {
    let browser = app.browser().lang("vi");
    let (get_status, html) = browser.get(path).await.page();
    let csrf = form_token(&html);
    let (status, done) = browser.submit(path, &csrf, &[]).await.page();
    (get_status, html, status, done)
}

async fn recipients(n: &Net, id: &str) -> RecipientsView {
    n.coordinator
        .get(&format!("/api/v1/alerts/{id}/recipients"))
        .await
        .ok()
}

fn row<'a>(r: &'a RecipientsView, name_part: &str) -> &'a RecipientView {
    r.items
        .iter()
        .find(|x| x.org_name_vi.contains(name_part))
        .unwrap_or_else(|| panic!("no recipient {name_part} in {r:?}"))
}

/// The reader's own place as a recipient, from an alert's view.
fn my_state(v: &AlertView) -> &str {
    v.mine.as_ref().map_or("", |m| m.state.as_str())
}

#[both]
async fn an_august_2025_alert_reaches_four_members_and_their_links_acknowledge_once(
    backend: Backend,
) {
    let n = network(backend, ChaseDelays::default()).await;
    let id = send_alert(&n, alert(&n.cluster)).await;

    // Resolved as of the send day: Bắc Kạn and Bắc Giang were merged away on 01/07/2025.
    let r = recipients(&n, &id).await;
    assert_eq!(r.counts.total, 4, "{backend:?}: {r:?}");
    assert_eq!(r.counts.pending, 4);
    assert_eq!(r.counts.acknowledged, 0);
    let names: Vec<&str> = r.items.iter().map(|x| x.org_name_vi.as_str()).collect();
    for member in ["Bắc Ninh", "Cao Bằng", "Lạng Sơn", "Thái Nguyên"] {
        assert!(
            names.iter().any(|x| x.contains(member)),
            "{member}: {names:?}"
        );
    }
    assert!(
        names
            .iter()
            .all(|x| !x.contains("Bắc Kạn") && !x.contains("Bắc Giang"))
    );
    assert!(
        names
            .iter()
            .all(|x| x.starts_with("Sở Khoa học và Công nghệ")),
        "named as of the send day: {names:?}"
    );

    // Mail to each member's main and backup focal points, in Vietnamese, with a link each.
    let mail = run(&n).await;
    let mai = to(&mail, "mai.lang-son@demo.irnet.vn");
    assert_eq!(
        mai.len(),
        1,
        "{backend:?}: {:?}",
        mail.iter().map(|m| &m.to).collect::<Vec<_>>()
    );
    let body = mai[0].text();
    assert!(
        body.contains("Lỗ hổng nghiêm trọng trong PAN-OS GlobalProtect"),
        "{body}"
    );
    assert!(body.contains("CVE-2024-3400"), "{body}");
    assert!(body.contains("Xác nhận đã nhận cảnh báo"), "{body}");
    assert_eq!(
        mai[0].header("Content-Transfer-Encoding").as_deref(),
        Some("8bit"),
        "readable as sent"
    );
    assert_eq!(
        to(&mail, "binh.lang-son@demo.irnet.vn").len(),
        1,
        "the backup too"
    );
    assert!(
        to(&mail, "loan.bac-kan@demo.irnet.vn").is_empty(),
        "merged away: not a recipient"
    );
    assert!(to(&mail, "tuan.bac-giang@demo.irnet.vn").is_empty());

    // Lạng Sơn's main focal point clicks: the GET only asks, the POST acknowledges as her.
    let link = ack_path(mai[0]);
    let (get_status, page, status, done) = click(&n.app, &link).await;
    assert_eq!(get_status, 200, "{page}");
    assert!(page.contains("Lương Thị Mai"), "{page}");
    assert_eq!(status, 200, "{done}");
    assert!(done.contains("Đã ghi nhận"), "{done}");
    let r = recipients(&n, &id).await;
    assert_eq!(r.counts.pending, 3, "{r:?}");
    assert_eq!(r.counts.acknowledged, 1);
    let ls = row(&r, "Lạng Sơn");
    assert_eq!(ls.state, "acknowledged");
    assert_eq!(ls.acknowledged_by.as_deref(), Some("Lương Thị Mai"));

    // A second use of the same link is refused clearly, and changes nothing.
    let browser = n.app.browser().lang("vi");
    let again = browser.get(&link).await;
    assert_eq!(again.status(), 410);
    assert!(again.text().contains("Liên kết này đã được sử dụng"));
    // A link with one character changed is not a link irnet made.
    let mut forged = link.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    let bad = browser.get(&forged).await;
    assert_eq!(bad.status(), 404);

    // Thái Nguyên's backup acknowledges through its own link; then the member reports.
    let khoi = to(&mail, "khoi.thai-nguyen@demo.irnet.vn");
    let (_, _, status, _) = click(&n.app, &ack_path(khoi[0])).await;
    assert_eq!(status, 200);
    let ls_responder = n
        .app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Write)
        .await;
    let v: AlertView = n
        .app
        .bearer(&ls_responder)
        .put_json(
            &format!("/api/v1/alerts/{id}/action"),
            &json!({"status": "patched", "note": "Đã cập nhật PAN-OS 11.0.4-h1"}),
        )
        .await
        .ok();
    assert_eq!(my_state(&v), "reported");
    let r = recipients(&n, &id).await;
    assert_eq!(r.counts.pending, 2, "{r:?}");
    assert_eq!(r.counts.acknowledged, 1);
    assert_eq!(r.counts.reported, 1);
    assert_eq!(
        row(&r, "Thái Nguyên").acknowledged_by.as_deref(),
        Some("Đỗ Minh Khôi")
    );
    let ls = row(&r, "Lạng Sơn");
    assert_eq!(ls.action_status.as_deref(), Some("patched"));
    assert_eq!(
        ls.action_note.as_deref(),
        Some("Đã cập nhật PAN-OS 11.0.4-h1")
    );
    // Pending first.
    assert_eq!(r.items[0].state, "pending");

    // Past the deadline, the silent and the unfinished are overdue; the patched are not.
    n.app.clock.set(local(2025, 8, 9, 9));
    let r = recipients(&n, &id).await;
    assert_eq!(r.counts.overdue, 3, "{r:?}");
    assert!(!row(&r, "Lạng Sơn").overdue);

    // A link used after its lifetime (7 days by default) is refused as expired.
    let minh = to(&mail, "minh.bac-ninh@demo.irnet.vn");
    n.app.clock.set(local(2025, 8, 12, 10));
    let expired = n.app.browser().lang("vi").get(&ack_path(minh[0])).await;
    assert_eq!(expired.status(), 410);
    assert!(expired.text().contains("Liên kết này đã hết hạn"));
    let r = recipients(&n, &id).await;
    assert_eq!(row(&r, "Bắc Ninh").state, "pending");
}

#[both]
async fn the_silent_are_reminded_then_escalated_to_their_backup_focal_point(backend: Backend) {
    let chase = ChaseDelays {
        remind_main: Duration::hours(2),
        escalate_backup: Duration::hours(6),
        escalate_lead: Duration::hours(12),
    };
    let n = network(backend, chase).await;
    let id = send_alert(&n, alert(&n.cluster)).await;
    run(&n).await;
    // Lạng Sơn acknowledges at once, signed in.
    let ls = n
        .app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Write)
        .await;
    let v: AlertView = n
        .app
        .bearer(&ls)
        .post_json(&format!("/api/v1/alerts/{id}/acknowledge"), &json!({}))
        .await
        .ok();
    assert_eq!(my_state(&v), "acknowledged");

    // Before the first delay: nothing.
    n.app.clock.set(local(2025, 8, 5, 10));
    assert!(run(&n).await.is_empty());

    // After two hours: a reminder to the main focal points of the three silent members.
    n.app.clock.set(local(2025, 8, 5, 11));
    let mail = run(&n).await;
    assert_eq!(
        to(&mail, "minh.bac-ninh@demo.irnet.vn").len(),
        1,
        "{backend:?}"
    );
    assert!(
        to(&mail, "mai.lang-son@demo.irnet.vn").is_empty(),
        "Lạng Sơn acknowledged"
    );
    assert!(
        to(&mail, "ha.bac-ninh@demo.irnet.vn").is_empty(),
        "not the backup yet"
    );
    assert_eq!(
        mail.len(),
        3,
        "{:?}",
        mail.iter().map(|m| &m.to).collect::<Vec<_>>()
    );

    // Cao Bằng acknowledges through the reminder's link.
    let dung = to(&mail, "dung.cao-bang@demo.irnet.vn");
    let (_, _, status, _) = click(&n.app, &ack_path(dung[0])).await;
    assert_eq!(status, 200);

    // After six hours: escalation to the backup focal points of the two still silent.
    n.app.clock.set(local(2025, 8, 5, 15));
    let mail = run(&n).await;
    let ha = to(&mail, "ha.bac-ninh@demo.irnet.vn");
    assert_eq!(
        ha.len(),
        1,
        "{backend:?}: {:?}",
        mail.iter().map(|m| &m.to).collect::<Vec<_>>()
    );
    let subject = ha[0].header("Subject").unwrap();
    let body = ha[0].text();
    assert!(
        body.contains("Thư này được chuyển tới đầu mối dự phòng"),
        "in Vietnamese: {body}"
    );
    assert!(body.contains("/alerts/ack/"), "with her own link: {body}");
    assert!(!subject.is_empty());
    assert_eq!(to(&mail, "khoi.thai-nguyen@demo.irnet.vn").len(), 1);
    assert!(
        to(&mail, "anh.cao-bang@demo.irnet.vn").is_empty(),
        "Cao Bằng acknowledged"
    );
    assert!(
        to(&mail, "binh.lang-son@demo.irnet.vn").is_empty(),
        "Lạng Sơn acknowledged"
    );
    assert_eq!(mail.len(), 2);
    // Each step once.
    assert!(run(&n).await.is_empty());

    // After twelve hours: the lead of the cluster in 2025 (Cao Bằng) hears of the two.
    n.app.clock.set(local(2025, 8, 5, 21));
    let mail = run(&n).await;
    let lead = to(&mail, "cumtruong@demo.irnet.vn");
    assert_eq!(
        lead.len(),
        2,
        "{backend:?}: {:?}",
        mail.iter().map(|m| &m.to).collect::<Vec<_>>()
    );
    assert!(lead.iter().any(|m| m.text().contains("Bắc Ninh")));
    assert!(lead.iter().any(|m| m.text().contains("Thái Nguyên")));
    // Cao Bằng is a recipient of the cluster's alert, so its lead reads the title.
    assert!(
        lead.iter()
            .all(|m| m.text().contains("PAN-OS GlobalProtect"))
    );
    assert!(run(&n).await.is_empty());

    // An AMBER alert to Bắc Ninh alone: the lead, outside its audience, is told which member
    // is silent and the alert's marking, never its title.
    let bac_ninh = n.app.demo_org("Sở KH&CN Bắc Ninh").await;
    let mut only = alert(&n.cluster);
    only["title"] = json!("Chiến dịch lừa đảo nhắm vào Bắc Ninh");
    only["audience"] = json!({ "orgs": [bac_ninh] });
    send_alert(&n, only).await;
    let mut mail = run(&n).await;
    for (day, hour) in [(6, 0), (6, 4), (6, 10)] {
        n.app.clock.set(local(2025, 8, day, hour));
        mail.extend(run(&n).await);
    }
    let lead = to(&mail, "cumtruong@demo.irnet.vn");
    assert_eq!(lead.len(), 1, "{backend:?}");
    let text = lead[0].text();
    assert!(
        text.contains("Bắc Ninh") && text.contains("TLP:AMBER"),
        "{text}"
    );
    assert!(!text.contains("Chiến dịch lừa đảo"), "{backend:?}: {text}");
}

#[both]
async fn an_outsider_sees_nothing_and_hears_nothing(backend: Backend) {
    let n = network(backend, ChaseDelays::default()).await;
    // An organisation outside Cluster 1, with a responder and focal points of its own.
    let outsider_org = n.app.org("Sở Khoa học và Công nghệ tỉnh Hà Giang").await;
    n.app
        .account(
            "ungcuu.hagiang@test.vn",
            &outsider_org,
            vec![org_grant(Role::Responder, &outsider_org)],
        )
        .await;
    let outsider = n
        .app
        .token("ungcuu.hagiang@test.vn", TokenScope::Write)
        .await;
    let (status, person) = n.coordinator.post_json(&format!("/api/v1/organisations/{outsider_org}/people"), &json!({"family_name": "Hoàng", "given_name": "Giang", "emails": ["giang@hagiang.test.vn"]})).await.parts();
    assert_eq!(status, 201, "{person}");
    let (status, _) = n
        .coordinator
        .put_json(
            &format!("/api/v1/organisations/{outsider_org}/focal-points/main"),
            &json!({"person_id": person["id"]}),
        )
        .await
        .parts();
    assert_eq!(status, 200);

    let id = send_alert(&n, alert(&n.cluster)).await;
    let mail = run(&n).await;
    assert!(!mail.is_empty());

    for path in [
        format!("/api/v1/alerts/{id}"),
        format!("/api/v1/alerts/{id}/recipients"),
    ] {
        let (status, _) = n.app.bearer(&outsider).get(&path).await.parts();
        assert_eq!(status, 404, "{backend:?} {path}");
    }
    let (status, _) = n
        .app
        .bearer(&outsider)
        .post_json(&format!("/api/v1/alerts/{id}/acknowledge"), &json!({}))
        .await
        .parts();
    assert_eq!(status, 404);
    let list: PageOf<AlertSummary> = n.app.bearer(&outsider).get("/api/v1/alerts").await.ok();
    assert!(list.items.is_empty(), "{:?}", list.items);
    let count: AlertCount = n
        .app
        .bearer(&outsider)
        .get("/api/v1/alerts/count")
        .await
        .ok();
    assert_eq!(count.count, 0);
    let (status, page) = n
        .app
        .bearer(&outsider)
        .lang("vi")
        .get(&format!("/alerts/{id}"))
        .await
        .page();
    assert_eq!(status, 404, "{page}");
    let (_, notes) = n
        .app
        .bearer(&outsider)
        .get("/api/v1/notifications")
        .await
        .parts();
    assert_eq!(notes["items"], json!([]), "{notes}");
    // (Its focal-point check may write to it; nothing about the alert does.)
    let about_alert: Vec<&Received> = mail
        .iter()
        .filter(|m| m.text().contains("/alerts/"))
        .collect();
    assert!(!about_alert.is_empty());
    assert!(
        about_alert
            .iter()
            .all(|m| !m.to.iter().any(|t| t.ends_with("test.vn"))),
        "{:?}",
        about_alert.iter().map(|m| &m.to).collect::<Vec<_>>()
    );

    // A recipient's responder sees it, in the list and the count, and was told in the app.
    let ls = n
        .app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Write)
        .await;
    let v: AlertView = n
        .app
        .bearer(&ls)
        .get(&format!("/api/v1/alerts/{id}"))
        .await
        .ok();
    assert_eq!(my_state(&v), "pending");
    assert!(
        v.may.answer && !v.may.see_recipients && !v.may.edit,
        "{:?}",
        v.may
    );
    let list: PageOf<AlertSummary> = n
        .app
        .bearer(&ls)
        .get("/api/v1/alerts?pending=true")
        .await
        .ok();
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.items[0].id, id);
    assert_eq!(list.items[0].my_state.as_deref(), Some("pending"));
    let count: AlertCount = n
        .app
        .bearer(&ls)
        .get("/api/v1/alerts/count?pending=true")
        .await
        .ok();
    assert_eq!(count.count, 1);
    let (_, notes) = n.app.bearer(&ls).get("/api/v1/notifications").await.parts();
    assert_eq!(
        notes["items"][0]["link"],
        format!("/alerts/{id}"),
        "{notes}"
    );
    // …but not how the other members answered.
    let (status, _) = n
        .app
        .bearer(&ls)
        .get(&format!("/api/v1/alerts/{id}/recipients"))
        .await
        .parts();
    assert_eq!(status, 403);
    let (status, page) = n
        .app
        .bearer(&ls)
        .lang("vi")
        .get(&format!("/alerts/{id}"))
        .await
        .page();
    assert_eq!(status, 200);
    assert!(page.contains("Xác nhận đã nhận"), "the answer forms");
    let (status, page) = n.app.bearer(&ls).lang("vi").get("/alerts").await.page();
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("/alerts/{id}")),
        "listed as received"
    );
    assert!(page.contains("Chưa xác nhận"), "pending");
    let (status, page) = n
        .app
        .bearer(&outsider)
        .lang("en")
        .get("/alerts")
        .await
        .page();
    assert_eq!(status, 200);
    assert!(!page.contains(&format!("/alerts/{id}")));
    // The sender's page shows the table with its counts; the compose page is the coordinator's.
    let (status, page) = n
        .coordinator
        .lang("vi")
        .get(&format!("/alerts/{id}"))
        .await
        .page();
    assert_eq!(status, 200);
    assert!(page.contains("4 đơn vị nhận: 4 chưa xác nhận"), "{page}");
    let (status, _) = n.coordinator.lang("vi").get("/alerts/new").await.page();
    assert_eq!(status, 200);
    let (status, _) = n.app.bearer(&ls).lang("vi").get("/alerts/new").await.page();
    assert_eq!(status, 403);
}

#[both]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_stored(backend: Backend) {
    let n = network(backend, ChaseDelays::default()).await;
    let cases = [
        ("tlp", json!({"tlp": "ORANGE"})),
        ("cves", json!({"cves": ["CVE-2024-3400", "CVE-24-1"]})),
        ("title", json!({"title": "   "})),
        (
            "action_deadline",
            json!({"action_deadline": "2025-08-01T09:00"}),
        ),
        ("audience", json!({"audience": {}})),
    ];
    for (field, patch) in cases {
        let mut body = alert(&n.cluster);
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let problem = n
            .coordinator
            .post_json("/api/v1/alerts", &body)
            .await
            .problem(422);
        assert_eq!(
            fields(&problem),
            vec![field],
            "{backend:?} {field}: {problem:?}"
        );
        assert!(!problem.errors[0].message.is_empty(), "{problem:?}");
    }
    let count: AlertCount = n.coordinator.get("/api/v1/alerts/count").await.ok();
    assert_eq!(count.count, 0, "nothing stored");

    // Messages in the reader's language.
    let problem: Problem = n
        .coordinator
        .lang("vi")
        .post_json("/api/v1/alerts", &{
            let mut b = alert(&n.cluster);
            b["tlp"] = json!("ORANGE");
            b
        })
        .await
        .json();
    assert!(problem.errors[0].message.contains("TLP"), "{problem:?}");

    // Malformed JSON and wrong types are 4xx problems, never 500.
    let res = n
        .coordinator
        .request(reqwest::Method::POST, "/api/v1/alerts")
        .header("Content-Type", "application/json")
        .body("{\"title\": 5")
        .send()
        .await;
    assert!(res.status().is_client_error());
    let (status, _) = n
        .coordinator
        .get("/api/v1/alerts?status=bogus")
        .await
        .parts();
    assert_eq!(status, 422);

    // The 2025 lead (Cao Bằng) writes to its own cluster, never to the whole network.
    let lead = n
        .app
        .token("cumtruong@demo.irnet.vn", TokenScope::Write)
        .await;
    let mut network_wide = alert(&n.cluster);
    network_wide["audience"] = json!({"network": true});
    let problem = n
        .app
        .bearer(&lead)
        .post_json("/api/v1/alerts", &network_wide)
        .await
        .problem(422);
    assert_eq!(fields(&problem), vec!["audience"]);
    let v: AlertView = n
        .app
        .bearer(&lead)
        .post_json("/api/v1/alerts", &alert(&n.cluster))
        .await
        .created();
    assert_eq!(v.status, "draft");
    // A member's responder writes no alert at all.
    let ls = n
        .app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Write)
        .await;
    let (status, _) = n
        .app
        .bearer(&ls)
        .post_json("/api/v1/alerts", &alert(&n.cluster))
        .await
        .parts();
    assert_eq!(status, 403);
}
