//! The notice notifies (issue 16): a notice submitted by Lạng Sơn reaches the coordinator and the
//! cluster lead of the day at once, in the app and by mail to their focal points; each
//! acknowledges, and the sender sees both on the page and in the API; the notice deadline is met.
//! Outsiders still get 404, and a viewer of a receiver cannot acknowledge.

use irnet_domain::Role;
use irnet_testkit::smtp::{PUBLIC_URL, SmtpSink};
use irnet_testkit::{Backend, TestApp, both, org_grant, spawn_with};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::access::read_rule_delivery::subject;

async fn run_jobs(app: &TestApp) {
    irnet_app::jobs::schedule(&app.app).await.unwrap();
    irnet_app::jobs::run_due(&app.app, "test").await.unwrap();
}

fn receiver<'a>(inc: &'a Value, part: &str) -> &'a Value {
    inc["notice"]["receivers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["part"] == part)
        .unwrap_or_else(|| panic!("no {part} receiver in {}", inc["notice"]))
}

fn listed(list: &Value, id: &str) -> bool {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == id)
}

#[both]
async fn a_notice_from_lang_son_reaches_the_coordinator_and_the_cluster_lead_who_acknowledge(
    backend: Backend,
) {
    let sink = SmtpSink::start().await;
    let settings = irnet_app::Settings {
        smtp_url: Some(sink.url()),
        public_url: PUBLIC_URL.to_owned(),
        ..irnet_app::Settings::default()
    };
    let (app, _db) = spawn_with(backend, settings).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    // 2025: Cao Bằng leads Cluster 1 (the demo's lead of 2025).
    app.set_local_time(2025, 10, 15, 10, 30);
    let cao_bang = app.demo_org("Sở KH&CN Cao Bằng").await;
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    let coordinator = app.client_of("dieuphoi@demo.irnet.vn").await;
    let lead = app.client_of("cumtruong@demo.irnet.vn").await;
    let thai_nguyen = app.client_of("quantri.thainguyen@demo.irnet.vn").await;
    let viewer = app.client_of("xem@demo.irnet.vn").await;
    app.account(
        "xem.caobang@test.vn",
        &cao_bang,
        vec![org_grant(Role::Viewer, &cao_bang)],
    )
    .await;
    let cb_viewer = app.client_of("xem.caobang@test.vn").await;

    let (s, inc) = ls
        .post_json(
            "/api/v1/incidents",
            &json!({
                "title": "Mã độc mã hoá máy trạm Sở",
                "detected_at": "2025-10-15T08:00",
                "tlp": "AMBER",
                "submit": true,
            }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {inc}");
    let id = inc["id"].as_str().unwrap().to_owned();
    let receivers = inc["notice"]["receivers"].as_array().unwrap();
    assert_eq!(receivers.len(), 2, "{backend:?}: {}", inc["notice"]);
    assert!(
        receiver(&inc, "coordinator")["org"]["name_vi"]
            .as_str()
            .unwrap()
            .contains("VNCERT/CC")
    );
    assert_eq!(
        receiver(&inc, "cluster_lead")["org"]["name_vi"],
        "Sở Khoa học và Công nghệ tỉnh Cao Bằng"
    );
    assert!(receivers.iter().all(|r| r["acknowledged_at"].is_null()));
    assert_eq!(inc["notice"]["reached_at"], "2025-10-15T10:30:00+07:00");
    let notice = &inc["deadlines"][0];
    assert_eq!(notice["kind"], "notice");
    assert_eq!(
        notice["met_at"], "2025-10-15T10:30:00+07:00",
        "{backend:?}: met when the notice reached its receivers"
    );
    assert_eq!(
        inc["notice"]["may_acknowledge"], false,
        "the sender is no receiver"
    );

    // At once: both receivers see it, in their list and on its page, and may acknowledge.
    for (who, c) in [("coordinator", &coordinator), ("cluster lead", &lead)] {
        let (s, seen) = c.get(&format!("/api/v1/incidents/{id}")).await.parts();
        assert_eq!(s, StatusCode::OK, "{backend:?}: the {who} sees it: {seen}");
        assert_eq!(seen["notice"]["may_acknowledge"], true, "{who}");
        let (_, list) = c.get("/api/v1/incidents").await.parts();
        assert!(listed(&list, &id), "{backend:?}: in the {who}'s list");
        let (_, notes) = c.get("/api/v1/notifications").await.parts();
        assert!(
            notes.to_string().contains("Mã độc mã hoá máy trạm Sở"),
            "{backend:?}: the {who} is told in the app: {notes}"
        );
    }
    // Outsiders still get 404 and do not list it.
    for c in [&thai_nguyen, &viewer] {
        let (s, _) = c.get(&format!("/api/v1/incidents/{id}")).await.parts();
        assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}");
        let (s, _) = c
            .post_json(
                &format!("/api/v1/incidents/{id}/notice/acknowledge"),
                &json!({}),
            )
            .await
            .parts();
        assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}");
        let (_, list) = c.get("/api/v1/incidents").await.parts();
        assert!(!listed(&list, &id));
    }
    // A viewer of the cluster lead reads it but cannot acknowledge; nor can the sender.
    let (s, _) = cb_viewer
        .get(&format!("/api/v1/incidents/{id}"))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}");
    for c in [&cb_viewer, &ls] {
        let (s, _) = c
            .post_json(
                &format!("/api/v1/incidents/{id}/notice/acknowledge"),
                &json!({}),
            )
            .await
            .parts();
        assert_eq!(s, StatusCode::FORBIDDEN, "{backend:?}");
    }

    // Each acknowledges, the coordinator at 10:45, the lead at 11:00 (twice: nothing changes).
    app.set_local_time(2025, 10, 15, 10, 45);
    let (s, after) = coordinator
        .post_json(
            &format!("/api/v1/incidents/{id}/notice/acknowledge"),
            &json!({}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {after}");
    assert_eq!(after["notice"]["may_acknowledge"], false);
    app.set_local_time(2025, 10, 15, 11, 0);
    for _ in 0..2 {
        let (s, _) = lead
            .post_json(
                &format!("/api/v1/incidents/{id}/notice/acknowledge"),
                &json!({}),
            )
            .await
            .parts();
        assert_eq!(s, StatusCode::OK, "{backend:?}");
    }
    // Acknowledging the notice is not the coordinator's acknowledgement of an escalation.
    let (_, inc) = ls.get(&format!("/api/v1/incidents/{id}")).await.parts();
    assert!(inc["acknowledged_at"].is_null());
    assert!(inc["escalated_at"].is_null());
    let c = receiver(&inc, "coordinator");
    assert_eq!(c["acknowledged_at"], "2025-10-15T10:45:00+07:00");
    assert_eq!(c["acknowledged_by"], "Nguyễn Thị Hạnh");
    let l = receiver(&inc, "cluster_lead");
    assert_eq!(l["acknowledged_at"], "2025-10-15T11:00:00+07:00");
    assert_eq!(l["acknowledged_by"], "Nông Văn Dũng");

    // The timeline and the audit log record both.
    let (_, timeline) = ls
        .get(&format!("/api/v1/incidents/{id}/timeline"))
        .await
        .parts();
    let acks = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "notice_acknowledged")
        .count();
    assert_eq!(acks, 2, "{backend:?}: {timeline}");
    let admin = app.client_of("admin@demo.irnet.vn").await;
    let (_, audit) = admin
        .get("/api/v1/audit?action=incident.notice_acknowledged")
        .await
        .parts();
    assert_eq!(audit["items"].as_array().unwrap().len(), 2, "{audit}");

    // The sender's page shows who acknowledged, and when.
    let (page_client, _) = app
        .sign_in("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")
        .await;
    let (s, html) = page_client.get(&format!("/incidents/{id}")).await.page();
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Đơn vị nhận thông báo"), "{html}");
    assert!(
        html.contains("Nguyễn Thị Hạnh đã xác nhận lúc 15/10/2025 10:45"),
        "{html}"
    );
    assert!(
        html.contains("Nông Văn Dũng đã xác nhận lúc 15/10/2025 11:00"),
        "{html}"
    );
    assert!(html.contains("Sở Khoa học và Công nghệ tỉnh Cao Bằng"));
    assert!(!html.contains("id=\"acknowledge-notice\""));

    // The receivers' focal points got a [TBSC] mail.
    run_jobs(&app).await;
    let notices: Vec<(String, Vec<String>)> = sink
        .messages()
        .iter()
        .map(|m| (subject(m), m.to.clone()))
        .filter(|(s, _)| s.contains("Mã độc mã hoá máy trạm Sở"))
        .collect();
    for (s, _) in &notices {
        assert!(s.trim_start().starts_with("[TBSC]"), "{s}");
    }
    let to: Vec<String> = notices.into_iter().flat_map(|(_, to)| to).collect();
    for focal in [
        "hanh.vncert@demo.irnet.vn",
        "viet.vncert@demo.irnet.vn",
        "dung.cao-bang@demo.irnet.vn",
        "anh.cao-bang@demo.irnet.vn",
        "dieuphoi@demo.irnet.vn",
    ] {
        assert!(
            to.iter().any(|t| t == focal),
            "{backend:?}: {focal} in {to:?}"
        );
    }
    assert!(
        !to.iter().any(|t| t.contains("thai-nguyen")),
        "{backend:?}: {to:?}"
    );

    // 2026 has no lead recorded in the demo: the last lead (Cao Bằng) holds until the next
    // hand-over, so the notice still reaches it and its lead acknowledges.
    app.set_local_time(2026, 3, 10, 9, 0);
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    let lead = app.client_of("cumtruong@demo.irnet.vn").await;
    let (_, inc) = ls
        .post_json(
            "/api/v1/incidents",
            &json!({"title": "Dò quét cổng dịch vụ", "detected_at": "2026-03-10T08:00", "submit": true}),
        )
        .await
        .parts();
    let id = inc["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{backend:?}: {inc}"));
    assert_eq!(
        receiver(&inc, "cluster_lead")["org"]["name_vi"],
        "Sở Khoa học và Công nghệ tỉnh Cao Bằng"
    );
    let (s, _) = lead
        .post_json(
            &format!("/api/v1/incidents/{id}/notice/acknowledge"),
            &json!({}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}");
}

#[both]
async fn a_red_notice_reaches_named_people_only_and_the_page_acknowledges(backend: Backend) {
    let (app, _db) = spawn_with(backend, irnet_app::Settings::default()).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2025, 10, 15, 10, 30);
    let cao_bang = app.demo_org("Sở KH&CN Cao Bằng").await;
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    let lead = app.client_of("cumtruong@demo.irnet.vn").await;
    let cb_responder = app.bearer(&app.responder("ungcuu.caobang@test.vn", &cao_bang).await);
    let (_, inc) = ls
        .post_json(
            "/api/v1/incidents",
            &json!({"title": "Lộ tài khoản quản trị", "detected_at": "2025-10-15T08:00", "tlp": "RED", "submit": true}),
        )
        .await
        .parts();
    let id = inc["id"].as_str().unwrap().to_owned();
    // The coordinators are named; the lead's focal points have no account in the demo, so
    // nobody of Cao Bằng can be named and its organisation does not join a RED audience.
    let receivers = inc["notice"]["receivers"].as_array().unwrap();
    assert_eq!(receivers.len(), 1, "{backend:?}: {}", inc["notice"]);
    assert_eq!(receivers[0]["part"], "coordinator");
    assert!(
        inc["deadlines"][0]["met_at"].is_string(),
        "{backend:?}: {inc}"
    );
    for c in [&lead, &cb_responder] {
        let (s, _) = c.get(&format!("/api/v1/incidents/{id}")).await.parts();
        assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}");
    }
    // The named coordinator acknowledges on the page.
    let (coordinator, _) = app
        .sign_in("dieuphoi@demo.irnet.vn", "demo-coordinator-2024")
        .await;
    let (s, html) = coordinator.get(&format!("/incidents/{id}")).await.page();
    assert_eq!(s, StatusCode::OK, "{backend:?}");
    assert!(html.contains("id=\"acknowledge-notice\""), "{html}");
    let csrf = coordinator.form_token(&format!("/incidents/{id}")).await;
    let r = coordinator
        .submit(&format!("/incidents/{id}/notice/acknowledge"), &csrf, &[])
        .await;
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    let (_, html) = coordinator.get(&format!("/incidents/{id}")).await.page();
    assert!(
        html.contains("Nguyễn Thị Hạnh đã xác nhận lúc 15/10/2025 10:30"),
        "{html}"
    );
    assert!(!html.contains("id=\"acknowledge-notice\""));
}

/// Makes an account of `org` its backup focal point, as a directory editor would link them: a
/// person with that account, named backup in place of whoever was.
async fn backup_focal_point_with_account(app: &TestApp, org: &str, email: &str) {
    app.account(email, org, vec![org_grant(Role::Responder, org)])
        .await;
    let (org, email) = (org.to_owned(), email.to_owned());
    let now = irnet_store::time::to_db(app.app.now());
    app.app
        .store
        .write(move |c| {
            let user =
                irnet_store::identity::users::by_email(c, &email)?.expect("the account just made");
            let person = irnet_store::directory::people::PersonRow {
                id: uuid::Uuid::now_v7().to_string(),
                org_id: org.clone(),
                family_name: "Lục".to_owned(),
                middle_name: Some("Thị".to_owned()),
                given_name: "Vân".to_owned(),
                title: None,
                phones: "[]".to_owned(),
                emails: serde_json::to_string(&[&email]).unwrap(),
                user_id: Some(user.id),
                created_at: now,
                updated_at: now,
            };
            irnet_store::directory::people::insert(c, &person)?;
            irnet_store::directory::people::set_focal_point(
                c,
                &irnet_store::directory::people::FocalPointRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    org_id: org,
                    kind: "backup".to_owned(),
                    person_id: person.id,
                    since: now,
                    confirmed_at: now,
                },
            )?;
            Ok::<_, irnet_app::AppError>(())
        })
        .await
        .unwrap();
}

#[both]
async fn a_receiver_not_reached_is_listed_with_why_and_a_resend_reaches_it(backend: Backend) {
    let (app, _db) = spawn_with(backend, irnet_app::Settings::default()).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2025, 10, 15, 10, 30);
    let cao_bang = app.demo_org("Sở KH&CN Cao Bằng").await;
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    let coordinator = app.client_of("dieuphoi@demo.irnet.vn").await;
    let (_, inc) = ls
        .post_json(
            "/api/v1/incidents",
            &json!({"title": "Lộ khoá ký số của Sở", "detected_at": "2025-10-15T08:00", "tlp": "RED", "submit": true}),
        )
        .await
        .parts();
    let id = inc["id"].as_str().unwrap().to_owned();
    // Cao Bằng leads the cluster, but no focal point of it has an account: a RED notice names
    // nobody there. It is listed as not reached, with why, beside the coordinator it reached.
    assert_eq!(
        inc["notice"]["receivers"].as_array().unwrap().len(),
        1,
        "{backend:?}: {}",
        inc["notice"]
    );
    let missed = &inc["notice"]["not_reached"][0];
    assert_eq!(
        missed["part"], "cluster_lead",
        "{backend:?}: {}",
        inc["notice"]
    );
    assert_eq!(missed["not_reached"], "red_nobody_named");
    assert_eq!(
        missed["org"]["name_vi"],
        "Sở Khoa học và Công nghệ tỉnh Cao Bằng"
    );
    assert_eq!(inc["notice"]["may_resend"], true, "the sender may resend");
    let (page_client, _) = app
        .sign_in("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")
        .await;
    let (_, html) = page_client.get(&format!("/incidents/{id}")).await.page();
    assert!(html.contains("Chưa đến được"), "{html}");
    assert!(
        html.contains(
            "Thông báo TLP:RED chỉ gửi người được nêu tên, mà đầu mối của đơn vị chưa có tài khoản."
        ),
        "{html}"
    );
    assert!(html.contains("id=\"resend-notice\""), "{html}");

    // Outsiders are refused without learning it exists; a reader who is neither the sender
    // nor a coordinator is refused.
    let thai_nguyen = app.client_of("quantri.thainguyen@demo.irnet.vn").await;
    let lead = app.client_of("cumtruong@demo.irnet.vn").await;
    for c in [&thai_nguyen, &lead] {
        let (s, _) = c
            .post_json(&format!("/api/v1/incidents/{id}/notice/resend"), &json!({}))
            .await
            .parts();
        assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}");
    }
    let (_, seen) = coordinator
        .get(&format!("/api/v1/incidents/{id}"))
        .await
        .parts();
    assert_eq!(
        seen["notice"]["may_resend"], true,
        "{backend:?}: the coordinator may"
    );

    // Cao Bằng's backup focal point gets an account; the sender resends (on the page).
    app.set_local_time(2025, 10, 16, 9, 0);
    let vcb = "van.caobang@test.vn";
    backup_focal_point_with_account(&app, &cao_bang, vcb).await;
    let (page_client, _) = app
        .sign_in("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")
        .await;
    let csrf = page_client.form_token(&format!("/incidents/{id}")).await;
    let r = page_client
        .submit(&format!("/incidents/{id}/notice/resend"), &csrf, &[])
        .await;
    assert!(r.status().is_redirection(), "{backend:?}: {}", r.status());
    let (_, inc) = ls.get(&format!("/api/v1/incidents/{id}")).await.parts();
    assert!(
        inc["notice"]["not_reached"].as_array().unwrap().is_empty(),
        "{backend:?}: {}",
        inc["notice"]
    );
    let reached = receiver(&inc, "cluster_lead");
    assert_eq!(reached["reached_at"], "2025-10-16T09:00:00+07:00");
    assert_eq!(
        receiver(&inc, "coordinator")["reached_at"],
        "2025-10-15T10:30:00+07:00",
        "a receiver reached before keeps its first time"
    );
    // The focal point is now named: told in the app, reads it, and acknowledges.
    let van = app.client_of(vcb).await;
    let (s, seen) = van.get(&format!("/api/v1/incidents/{id}")).await.parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {seen}");
    let (_, notes) = van.get("/api/v1/notifications").await.parts();
    assert!(
        notes.to_string().contains(&id),
        "{backend:?}: told in the app: {notes}"
    );
    // The coordinator, not acknowledged yet, was told again.
    let (_, notes) = coordinator.get("/api/v1/notifications").await.parts();
    let told = notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["object_id"] == id.as_str() && n["kind"] == "incident.notice")
        .count();
    assert_eq!(told, 2, "{backend:?}: {notes}");
    for c in [&van, &coordinator] {
        let (s, _) = c
            .post_json(
                &format!("/api/v1/incidents/{id}/notice/acknowledge"),
                &json!({}),
            )
            .await
            .parts();
        assert_eq!(s, StatusCode::OK, "{backend:?}");
    }

    // Everyone acknowledged: nothing to resend (409), and the page offers no button.
    let (s, body) = ls
        .post_json(&format!("/api/v1/incidents/{id}/notice/resend"), &json!({}))
        .await
        .parts();
    assert_eq!(s, StatusCode::CONFLICT, "{backend:?}: {body}");
    let (_, html) = page_client.get(&format!("/incidents/{id}")).await.page();
    assert!(!html.contains("id=\"resend-notice\""), "{html}");

    // The timeline and the audit log record the resend.
    let (_, timeline) = ls
        .get(&format!("/api/v1/incidents/{id}/timeline"))
        .await
        .parts();
    assert!(
        timeline
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "notice_resent"),
        "{backend:?}: {timeline}"
    );
    let admin = app.client_of("admin@demo.irnet.vn").await;
    let (_, audit) = admin
        .get("/api/v1/audit?action=incident.notice_resent")
        .await
        .parts();
    assert_eq!(audit["items"].as_array().unwrap().len(), 1, "{audit}");
}

#[both]
async fn a_reader_who_is_neither_sender_nor_coordinator_may_not_resend(backend: Backend) {
    let sink = SmtpSink::start().await;
    let settings = irnet_app::Settings {
        smtp_url: Some(sink.url()),
        public_url: PUBLIC_URL.to_owned(),
        ..irnet_app::Settings::default()
    };
    let (app, _db) = spawn_with(backend, settings).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2025, 10, 15, 10, 30);
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    let (_, inc) = ls
        .post_json(
            "/api/v1/incidents",
            &json!({"title": "Dò quét máy chủ thư", "detected_at": "2025-10-15T08:00", "submit": true}),
        )
        .await
        .parts();
    let id = inc["id"].as_str().unwrap().to_owned();
    // The cluster lead reads an AMBER notice and acknowledges it, but resends nothing.
    let lead = app.client_of("cumtruong@demo.irnet.vn").await;
    let (s, seen) = lead.get(&format!("/api/v1/incidents/{id}")).await.parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}");
    assert_eq!(seen["notice"]["may_resend"], false);
    let (s, _) = lead
        .post_json(&format!("/api/v1/incidents/{id}/notice/resend"), &json!({}))
        .await
        .parts();
    assert_eq!(s, StatusCode::FORBIDDEN, "{backend:?}");
    let (s, _) = app
        .client_of("quantri.thainguyen@demo.irnet.vn")
        .await
        .post_json(&format!("/api/v1/incidents/{id}/notice/resend"), &json!({}))
        .await
        .parts();
    assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}: an outsider");
    // The coordinator resends: the lead's focal points are mailed again.
    let coordinator = app.client_of("dieuphoi@demo.irnet.vn").await;
    let (s, v) = coordinator
        .post_json(&format!("/api/v1/incidents/{id}/notice/resend"), &json!({}))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {v}");
    run_jobs(&app).await;
    let mails = sink
        .messages()
        .iter()
        .filter(|m| subject(m).contains("Dò quét máy chủ thư"))
        .filter(|m| m.to.iter().any(|t| t == "dung.cao-bang@demo.irnet.vn"))
        .count();
    assert_eq!(mails, 2, "{backend:?}: the notice and its resend");
}
