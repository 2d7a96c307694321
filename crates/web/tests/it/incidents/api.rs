//! The incident scenario of the network, through the API, on both databases: Bắc Kạn reports a
//! defacement of its provincial portal, asks for support, Cao Bằng helps, Lạng Sơn sees nothing,
//! the coordinator closes it, and Mẫu 05 counts it. Then bad input, refused with nothing stored.

use irnet_testkit::{Backend, Client, TestApp, both, fields, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Network {
    bac_kan: String,
    cao_bang: String,
    bk: Client,
    cb: Client,
    ls: Client,
    coordinator: Client,
    portal: String,
}

/// The demo network on 20/12/2024 at 10:30 local time, with a responder token per member.
async fn network(app: &TestApp) -> Network {
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2024, 12, 20, 10, 30);
    let bac_kan = app.demo_org("Sở KH&CN Bắc Kạn").await;
    let cao_bang = app.demo_org("Sở KH&CN Cao Bằng").await;
    let bk = app.bearer(&app.responder("ungcuu.backan@test.vn", &bac_kan).await);
    let cb = app.bearer(&app.responder("ungcuu.caobang@test.vn", &cao_bang).await);
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    let coordinator = app.client_of("dieuphoi@demo.irnet.vn").await;
    let (_, systems) = bk
        .get(&format!("/api/v1/organisations/{bac_kan}/systems"))
        .await
        .parts();
    let portal = systems
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Cổng thông tin điện tử tỉnh Bắc Kạn")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    Network {
        bac_kan,
        cao_bang,
        bk,
        cb,
        ls,
        coordinator,
        portal,
    }
}

#[both]
async fn bac_kan_defacement_from_notice_to_statistics(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let n = network(&app).await;

    // The quick notice, then the completed initial report.
    let (s, inc) =
        n.bk.post_json(
            "/api/v1/incidents",
            &json!({
                "title": "Tấn công thay đổi giao diện Cổng thông tin điện tử tỉnh",
                "detected_at": "2024-12-20T09:00",
                "system_id": n.portal,
                "type_key": "defacement",
            }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {inc}");
    let id = inc["id"].as_str().unwrap().to_owned();
    assert_eq!(inc["status"], "draft");
    assert_eq!(inc["system_level"], 3, "the system's level comes with it");
    assert_eq!(inc["detected_at"], "2024-12-20T09:00:00+07:00");
    let notice = &inc["deadlines"][0];
    assert_eq!(notice["kind"], "notice");
    assert_eq!(
        notice["due"], "2024-12-25T09:00:00+07:00",
        "{backend:?}: 5 days from local detection"
    );
    assert_eq!(notice["overdue"], false);

    let (s, inc) = n.bk.put_json(&format!("/api/v1/incidents/{id}/report"), &json!({
        "summary": "Trang chủ bị thay bằng nội dung lạ lúc 08:50",
        "fields": {
            "reporter": {"name": "Hoàng Văn Thiên", "title": "Giám đốc Sở", "phone": "0209 3870 001", "email": "thien@backan.gov.vn"},
            "public_ips": ["203.113.131.5"],
            "domains": ["backan.gov.vn"],
            "detection_methods": ["user_report"],
            "notified": ["owner"],
            "os": "Ubuntu 20.04",
            "actions_taken": "Tạm dừng cổng, chuyển trang bảo trì"
        }
    })).await.parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {inc}");
    assert_eq!(inc["report"]["public_ips"][0], "203.113.131.5");
    let (s, inc) =
        n.bk.post_json(&format!("/api/v1/incidents/{id}/submit"), &json!({}))
            .await
            .parts();
    assert_eq!(s, StatusCode::OK, "{inc}");
    assert_eq!(inc["status"], "new");
    assert_eq!(inc["number"], "BK-2024-0001");
    assert!(
        inc["deadlines"][0]["met_at"].is_string(),
        "the notice deadline is met: {inc}"
    );
    let (s, _) =
        n.bk.post_json(
            &format!("/api/v1/incidents/{id}/reports"),
            &json!({"kind": "initial"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED);

    // The notice reached the coordinator at once; escalation asks it to act, and it acknowledges.
    let (s, seen) = n
        .coordinator
        .get(&format!("/api/v1/incidents/{id}"))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: the notice reached it");
    assert_eq!(
        seen["may"]["coordinate"], false,
        "{backend:?}: not asked to act yet"
    );
    let (s, inc) =
        n.bk.post_json(&format!("/api/v1/incidents/{id}/escalate"), &json!({}))
            .await
            .parts();
    assert_eq!(s, StatusCode::OK, "{inc}");
    assert!(
        inc["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["kind"] == "acknowledgement")
    );
    let (s, inc) = n
        .coordinator
        .post_json(&format!("/api/v1/incidents/{id}/acknowledge"), &json!({}))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{inc}");
    assert_eq!(inc["status"], "acknowledged");

    // Support: Cao Bằng and the coordinator are asked and offer; Bắc Kạn accepts Cao Bằng.
    let (s, r) =
        n.bk.post_json(
            &format!("/api/v1/incidents/{id}/support-requests"),
            &json!({
                "skills": ["web_security", "forensics"],
                "effort": "2 người trong 3 ngày",
                "deadline": "2024-12-23",
                "message": "Đề nghị hỗ trợ điều tra và khôi phục cổng thông tin",
                "orgs": [n.cao_bang],
                "coordinator": true,
            }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let (_, inbox) = n.cb.get("/api/v1/support-requests").await.parts();
    let request = inbox[0]["id"].as_str().unwrap().to_owned();
    assert!(
        inbox[0]["incident_id"].is_null(),
        "the incident stays closed until accepted: {inbox}"
    );
    let (s, _) = n.cb.get(&format!("/api/v1/incidents/{id}")).await.parts();
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "{backend:?}: asked is not admitted"
    );
    for member in [&n.cb, &n.coordinator] {
        let (s, a) = member
            .post_json(
                &format!("/api/v1/support-requests/{request}/answer"),
                &json!({"offer": true}),
            )
            .await
            .parts();
        assert_eq!(s, StatusCode::OK, "{a}");
    }
    let (s, inc) =
        n.bk.post_json(
            &format!("/api/v1/support-requests/{request}/accept"),
            &json!({"org_id": n.cao_bang}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{inc}");

    // Who was told: the coordinator of the escalation, Cao Bằng of the request and of its
    // acceptance, Bắc Kạn of the offers; Lạng Sơn of nothing.
    let kinds = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, told) = n.coordinator.get("/api/v1/notifications").await.parts();
    assert!(
        kinds(&told).contains(&"incident.escalated".to_owned()),
        "{backend:?}: {told}"
    );
    let escalated = told["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "incident.escalated")
        .unwrap();
    assert!(
        escalated["title"]
            .as_str()
            .unwrap()
            .contains("BK-2024-0001"),
        "{escalated}"
    );
    let (_, told) = n.cb.get("/api/v1/notifications").await.parts();
    let mut k = kinds(&told);
    k.sort();
    assert_eq!(
        k,
        ["incident.support_accepted", "incident.support_requested"],
        "{backend:?}: {told}"
    );
    let (_, told) = n.bk.get("/api/v1/notifications").await.parts();
    assert_eq!(
        kinds(&told)
            .iter()
            .filter(|k| *k == "incident.support_offered")
            .count(),
        2,
        "{told}"
    );
    let (_, told) = n.ls.get("/api/v1/notifications").await.parts();
    assert_eq!(
        told["items"],
        json!([]),
        "{backend:?}: nothing reaches an outsider"
    );

    // A Cao Bằng responder works in it.
    let (s, inc) = n.cb.get(&format!("/api/v1/incidents/{id}")).await.parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {inc}");
    assert_eq!(inc["may"]["work"], true);
    assert_eq!(
        inc["may"]["manage"], false,
        "a supporter does not manage the owner's report"
    );
    let (s, _) =
        n.cb.post_json(
            &format!("/api/v1/incidents/{id}/tasks"),
            &json!({"title": "Thu thập nhật ký máy chủ web", "due_on": "2024-12-21"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = n.cb.post_json(&format!("/api/v1/incidents/{id}/observables"), &json!({"kind": "ip", "value": "185.220.101.4", "is_indicator": true, "note": "nguồn tải webshell"})).await.parts();
    assert_eq!(s, StatusCode::CREATED);
    let (_, tasks) =
        n.bk.get(&format!("/api/v1/incidents/{id}/tasks"))
            .await
            .parts();
    assert_eq!(
        tasks.as_array().unwrap().len(),
        12,
        "11 handling steps and the supporter's task"
    );
    let (_, found) = n.cb.get("/api/v1/incidents?q=185.220.101.4").await.parts();
    assert_eq!(
        found["items"].as_array().unwrap().len(),
        1,
        "{backend:?}: found by its observable"
    );
    let (_, found) =
        n.bk.get("/api/v1/incidents?q=thay doi giao dien")
            .await
            .parts();
    assert_eq!(
        found["items"].as_array().unwrap().len(),
        1,
        "{backend:?}: accents optional"
    );

    // Lạng Sơn, in the same cluster, finds nothing.
    let (_, list) = n.ls.get("/api/v1/incidents").await.parts();
    assert_eq!(list["items"], json!([]), "{backend:?}");
    let (_, found) = n.ls.get("/api/v1/incidents?q=giao%20dien").await.parts();
    assert_eq!(found["items"], json!([]));
    let (_, count) = n.ls.get("/api/v1/incidents/count").await.parts();
    assert_eq!(count["total"], 0);
    for path in [
        "",
        "/tasks",
        "/observables",
        "/timeline",
        "/reports",
        "/attachments",
        "/support-requests",
    ] {
        let (s, body) =
            n.ls.get(&format!("/api/v1/incidents/{id}{path}"))
                .await
                .parts();
        assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?} {path}: {body}");
    }
    let (s, _) =
        n.ls.post_json(
            &format!("/api/v1/incidents/{id}/comments"),
            &json!({"text": "?"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) =
        n.ls.get(&format!(
            "/api/v1/organisations/{}/incident-statistics?year=2024",
            n.bac_kan
        ))
        .await
        .parts();
    assert_eq!(s, StatusCode::NOT_FOUND, "a peer's statistics are its own");

    // Recovery, the closing report, and the coordinator closes.
    let (s, _) = n
        .coordinator
        .post_json(&format!("/api/v1/incidents/{id}/close"), &json!({}))
        .await
        .parts();
    assert_eq!(s, StatusCode::CONFLICT, "not before the closing report");
    let (s, inc) =
        n.bk.post_json(
            &format!("/api/v1/incidents/{id}/status"),
            &json!({"status": "recovered"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{inc}");
    let (s, inc) =
        n.bk.post_json(
            &format!("/api/v1/incidents/{id}/reports"),
            &json!({
                "kind": "closing", "result": "Đã khôi phục cổng", "lessons": "Cập nhật CMS định kỳ",
            }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{inc}");
    let (_, reports) = n
        .coordinator
        .get(&format!("/api/v1/incidents/{id}/reports"))
        .await
        .parts();
    let closing = reports
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "closing")
        .unwrap();
    assert_eq!(
        closing["body"]["initial_report_number"],
        "BK-2024-0001/BC03"
    );
    assert_eq!(closing["number"], "BK-2024-0001/BC04");
    // The closing report as Mẫu 04 cites the initial report's number and date.
    let res = n
        .coordinator
        .get(&format!(
            "/api/v1/incidents/{id}/reports/{}/docx",
            closing["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let xml = irnet_testkit::docx_xml(res.bytes());
    assert!(
        xml.contains("BK-2024-0001/BC03"),
        "{backend:?}: cites the initial report"
    );
    assert!(
        xml.contains("ngày 20 tháng 12 năm 2024"),
        "{backend:?}: and its date"
    );
    let (s, _) =
        n.ls.get(&format!(
            "/api/v1/incidents/{id}/reports/{}/docx",
            closing["id"].as_str().unwrap()
        ))
        .await
        .parts();
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) =
        n.bk.post_json(&format!("/api/v1/incidents/{id}/close"), &json!({}))
            .await
            .parts();
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "once reported, the coordinator closes"
    );
    let (s, inc) = n
        .coordinator
        .post_json(&format!("/api/v1/incidents/{id}/close"), &json!({}))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{inc}");
    assert_eq!(inc["status"], "closed");

    // Mẫu 05 for Bắc Kạn, 2024.
    let (s, st) =
        n.bk.get(&format!(
            "/api/v1/organisations/{}/incident-statistics?year=2024",
            n.bac_kan
        ))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{st}");
    let rows = st["rows"].as_array().unwrap();
    let deface = rows.iter().find(|r| r["type_key"] == "defacement").unwrap();
    assert_eq!(deface["count"], 1, "{backend:?}: {st}");
    assert_eq!(deface["helped_domestic"], 1);
    assert_eq!(deface["handled_alone"], 0);
    assert_eq!(deface["requested_coordinator"], 1);
    assert_eq!(st["total"]["count"], 1);
    assert!(
        rows.iter()
            .filter(|r| r["type_key"] != "defacement")
            .all(|r| r["count"] == 0)
    );

    // The same numbers in the Mẫu 05 workbook, read back as a spreadsheet program would.
    let res =
        n.bk.get(&format!(
            "/api/v1/organisations/{}/incident-statistics/form?year=2024&format=xlsx",
            n.bac_kan
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().to_vec();
    use calamine::Reader as _;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let deface_row = sheet
        .rows()
        .find(|r| {
            r.iter()
                .any(|c| calamine::DataType::get_string(c) == Some("Thay đổi giao diện"))
        })
        .expect("a row for defacement");
    let numbers: Vec<f64> = deface_row
        .iter()
        .skip(2) // the serial number and the type's label
        .filter_map(calamine::DataType::get_float)
        .collect();
    assert_eq!(
        &numbers[..5],
        [1.0, 0.0, 1.0, 0.0, 1.0],
        "{backend:?}: count, alone, domestic, foreign, coordinator: {deface_row:?}"
    );
    let res =
        n.ls.get(&format!(
            "/api/v1/organisations/{}/incident-statistics/form?year=2024",
            n.bac_kan
        ))
        .await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "not the peer's to read"
    );
}

#[both]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_stored(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let n = network(&app).await;
    let notice =
        |detected: &str, tlp: &str| json!({"title": "Mã độc", "detected_at": detected, "tlp": tlp});

    let p =
        n.bk.post_json("/api/v1/incidents", &notice("2024-12-21T09:00", "AMBER"))
            .await
            .problem(422);
    assert_eq!(fields(&p), ["detected_at"], "{p:?}");
    let p =
        n.bk.post_json("/api/v1/incidents", &notice("2024-12-20T08:00", "ORANGE"))
            .await
            .problem(422);
    assert_eq!(fields(&p), ["tlp"], "{p:?}");
    let (_, count) = n.bk.get("/api/v1/incidents/count").await.parts();
    assert_eq!(count["total"], 0, "{backend:?}: nothing stored");

    let (_, inc) =
        n.bk.post_json(
            "/api/v1/incidents",
            &json!({"title": "Mã độc", "detected_at": "2024-12-20T08:00", "submit": true}),
        )
        .await
        .parts();
    let id = inc["id"].as_str().unwrap().to_owned();
    let p =
        n.bk.put_json(
            &format!("/api/v1/incidents/{id}/report"),
            &json!({"fields": {"public_ips": ["203.113.131.999"]}}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["fields.public_ips[0]"], "{p:?}");
    let p =
        n.bk.post_json(
            &format!("/api/v1/incidents/{id}/observables"),
            &json!({"kind": "ip", "value": "10.0.0.256"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["value"], "{p:?}");
    let p =
        n.bk.post_json(
            &format!("/api/v1/incidents/{id}/reports"),
            &json!({"kind": "closing", "result": "xong"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["kind"], "{p:?}");
    assert!(
        p.errors[0].message.contains("ban đầu"),
        "said in Vietnamese: {p:?}"
    );

    let big = vec![b'x'; app.app.settings.attachment_max_bytes + 1];
    let res =
        n.bk.request(
            reqwest::Method::POST,
            &format!("/api/v1/incidents/{id}/attachments?filename=log.txt"),
        )
        .body(big)
        .send()
        .await;
    let p = res.problem(422);
    assert_eq!(fields(&p), ["file"], "{p:?}");

    let (_, inc) = n.bk.get(&format!("/api/v1/incidents/{id}")).await.parts();
    assert_eq!(inc["report"]["public_ips"], json!([]), "{backend:?}");
    for part in ["observables", "reports", "attachments"] {
        let (_, list) =
            n.bk.get(&format!("/api/v1/incidents/{id}/{part}"))
                .await
                .parts();
        assert_eq!(list, json!([]), "{backend:?}: no {part} stored");
    }
    // A good attachment is stored with its hash and sniffed type, for the audience only.
    let res =
        n.bk.request(
            reqwest::Method::POST,
            &format!("/api/v1/incidents/{id}/attachments?filename=access.log"),
        )
        .header("content-type", "image/png")
        .body("GET /wp-login.php 404\n")
        .send()
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let a: Value = res.json();
    assert_eq!(
        a["content_type"], "text/plain; charset=utf-8",
        "the claimed type is not trusted"
    );
    assert_eq!(a["sha256"].as_str().unwrap().len(), 64);
    let aid = a["id"].as_str().unwrap();
    let (s, _) =
        n.ls.get(&format!("/api/v1/incidents/{id}/attachments/{aid}"))
            .await
            .parts();
    assert_eq!(s, StatusCode::NOT_FOUND);
    let res =
        n.bk.get(&format!("/api/v1/incidents/{id}/attachments/{aid}"))
            .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(res.text(), "GET /wp-login.php 404\n");
}

#[both]
async fn an_unacknowledged_escalation_is_mailed_to_the_coordinator_in_vietnamese(backend: Backend) {
    let sink = irnet_testkit::smtp::SmtpSink::start().await;
    let settings = irnet_app::Settings {
        smtp_url: Some(sink.url()),
        public_url: irnet_testkit::smtp::PUBLIC_URL.to_owned(),
        ..irnet_app::Settings::default()
    };
    let (app, _db) = irnet_testkit::spawn_with(backend, settings).await;
    let n = network(&app).await;
    let (_, inc) = n.bk.post_json("/api/v1/incidents", &json!({
        "title": "Tấn công thay đổi giao diện", "detected_at": "2024-12-20T09:00", "submit": true,
    })).await.parts();
    let id = inc["id"].as_str().unwrap().to_owned();
    let (s, _) =
        n.bk.post_json(&format!("/api/v1/incidents/{id}/escalate"), &json!({}))
            .await
            .parts();
    assert_eq!(s, StatusCode::OK);
    let run = |app: &TestApp| {
        let app = app.app.clone();
        async move {
            irnet_app::jobs::schedule(&app).await.unwrap();
            irnet_app::jobs::run_due(&app, "test").await.unwrap();
        }
    };
    // (The demo's members also get their focal-point reminders: those are not counted here.)
    let overdue = |sink: &irnet_testkit::smtp::SmtpSink| -> Vec<irnet_testkit::smtp::Received> {
        sink.messages()
            .into_iter()
            .filter(|m| m.text().contains("đã quá hạn"))
            .collect()
    };
    run(&app).await;
    assert!(overdue(&sink).is_empty(), "{backend:?}: nothing is due yet");

    // Two hours pass without acknowledgement.
    app.clock.advance(chrono::Duration::minutes(121));
    run(&app).await;
    let mail = overdue(&sink);
    assert_eq!(mail.len(), 1, "{backend:?}: {mail:?}");
    assert_eq!(
        mail[0].to,
        ["dieuphoi@demo.irnet.vn"],
        "the coordinator must acknowledge"
    );
    let body = mail[0].text();
    assert!(
        body.contains("đã quá hạn xác nhận tiếp nhận (hạn 12:30 20/12/2024, giờ Việt Nam)"),
        "{body}"
    );
    assert!(
        body.contains(&format!("https://irnet.example.vn/incidents/{id}")),
        "{body}"
    );

    // Reminded once per deadline, however often the check runs.
    app.clock.advance(chrono::Duration::minutes(30));
    run(&app).await;
    assert_eq!(overdue(&sink).len(), 1);
}

/// The id of the seed's Cluster 1.
async fn cluster_1(reader: &Client) -> String {
    let (_, clusters) = reader.get("/api/v1/clusters").await.parts();
    clusters
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name_vi"].as_str().unwrap_or_default().contains("1"))
        .unwrap_or_else(|| panic!("no Cluster 1 in {clusters}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[both]
async fn a_confirmed_serious_incident_gets_the_emergency_steps_and_instructions_reach_their_members(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    let n = network(&app).await;
    let (_, inc) =
        n.bk.post_json(
            "/api/v1/incidents",
            &json!({
                "title": "Mã hoá dữ liệu máy chủ Cổng thông tin", "detected_at": "2024-12-20T09:00",
                "system_id": n.portal, "submit": true,
            }),
        )
        .await
        .parts();
    let id = inc["id"].as_str().unwrap().to_owned();
    n.bk.post_json(&format!("/api/v1/incidents/{id}/escalate"), &json!({}))
        .await
        .parts();

    // Seriousness: confirming adds the emergency process, once.
    for _ in 0..2 {
        let (s, inc) = n
            .coordinator
            .post_json(
                &format!("/api/v1/incidents/{id}/serious"),
                &json!({"serious": true}),
            )
            .await
            .parts();
        assert_eq!(s, StatusCode::OK, "{backend:?}: {inc}");
        assert_eq!(inc["serious_confirmed"], true);
    }
    let (_, tasks) =
        n.bk.get(&format!("/api/v1/incidents/{id}/tasks"))
            .await
            .parts();
    let steps: Vec<i64> = tasks
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["step"].as_i64())
        .collect();
    assert_eq!(
        steps,
        (1..=18).collect::<Vec<_>>(),
        "{backend:?}: the 11 normal steps, then the 7 emergency steps once: {tasks}"
    );
    assert_eq!(
        tasks[11]["title"],
        "Phát hiện hoặc tiếp nhận thông báo sự cố"
    );

    // An instruction to Cao Bằng: in its inbox (without opening the incident), not Lạng Sơn's.
    let problem = n
        .coordinator
        .post_json(
            &format!("/api/v1/incidents/{id}/instructions"),
            &json!({"text": "Hỗ trợ Bắc Kạn rà soát mã độc", "orgs": ["không-có"]}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&problem), ["orgs[0]"]);
    let (s, _) = n.coordinator.post_json(&format!("/api/v1/incidents/{id}/instructions"), &json!({"text": "Hỗ trợ Bắc Kạn rà soát mã độc", "due_at": "2024-12-21T17:00", "orgs": [n.cao_bang]})).await.parts();
    assert_eq!(s, StatusCode::CREATED);
    let (s, inbox) = n.cb.get("/api/v1/instructions").await.parts();
    assert_eq!(s, StatusCode::OK);
    assert_eq!(inbox.as_array().unwrap().len(), 1, "{backend:?}: {inbox}");
    assert_eq!(inbox[0]["text"], "Hỗ trợ Bắc Kạn rà soát mã độc");
    assert_eq!(inbox[0]["due_at"], "2024-12-21T17:00:00+07:00");
    assert!(
        inbox[0]["incident_id"].is_null(),
        "an instruction opens no incident"
    );
    let (_, none) = n.ls.get("/api/v1/instructions").await.parts();
    assert_eq!(none, json!([]), "{backend:?}: Lạng Sơn was not instructed");
    let (_, notes) = n.cb.get("/api/v1/notifications").await.parts();
    assert!(
        notes["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["kind"] == "incident.instructed" && x["link"] == "/support-requests"),
        "{backend:?}: Cao Bằng is told: {notes}"
    );
    let (_, notes) = n.ls.get("/api/v1/notifications").await.parts();
    assert!(
        !notes.to_string().contains("incident.instructed"),
        "{notes}"
    );

    // Only the instructed member answers; the coordinator sees the answer.
    let iid = inbox[0]["id"].as_str().unwrap().to_owned();
    let (s, _) =
        n.ls.post_json(
            &format!("/api/v1/instructions/{iid}/answer"),
            &json!({"report": "x"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) =
        n.cb.post_json(
            &format!("/api/v1/instructions/{iid}/answer"),
            &json!({"report": "Đã cử 2 cán bộ rà soát"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, list) = n
        .coordinator
        .get(&format!("/api/v1/incidents/{id}/instructions"))
        .await
        .parts();
    let target = &list[0]["targets"][0];
    assert_eq!(target["org_id"], n.cao_bang.as_str());
    assert_eq!(target["report"], "Đã cử 2 cán bộ rà soát");
    assert!(target["acknowledged_at"].is_string(), "{list}");
}

#[both]
async fn the_cluster_year_counts_members_while_they_belonged_and_answers_data_loss(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    let n = network(&app).await;
    app.set_local_time(2025, 9, 1, 8, 0);
    // Tokens made in December 2024 have expired by September 2025.
    let fresh = |email: &'static str| app.client_of(email);
    let n = Network {
        bk: fresh("ungcuu.backan@test.vn").await,
        cb: fresh("ungcuu.caobang@test.vn").await,
        ls: fresh("ungcuu.langson@demo.irnet.vn").await,
        coordinator: fresh("dieuphoi@demo.irnet.vn").await,
        ..n
    };
    let report = |member: Client, title: &'static str, at: &'static str| {
        async move {
            let (s, inc) = member
                .post_json(
                    "/api/v1/incidents",
                    &json!({
                        "title": title, "detected_at": at, "submit": true,
                    }),
                )
                .await
                .parts();
            assert_eq!(s, StatusCode::CREATED, "{inc}");
            let id = inc["id"].as_str().unwrap().to_owned();
            // Reported to the coordinator, who counts only what it may read.
            let (s, inc) = member
                .post_json(&format!("/api/v1/incidents/{id}/escalate"), &json!({}))
                .await
                .parts();
            assert_eq!(s, StatusCode::OK, "{inc}");
            id
        }
    };
    // Bắc Kạn belonged to the cluster until its merger on 01/07/2025 (its incident of March
    // was made then), and files nothing after it: Thái Nguyên does.
    app.on_day(
        2025,
        3,
        10,
        report(
            app.client_of("ungcuu.backan@test.vn").await,
            "Dò quét cổng dịch vụ",
            "2025-03-10T08:00",
        ),
    )
    .await;
    let (s, p) =
        n.bk.post_json(
            "/api/v1/incidents",
            &json!({"title": "Sự cố sau sáp nhập", "detected_at": "2025-08-05T08:00", "submit": true}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}: {p}");
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Thái Nguyên"),
        "{p}"
    );
    let leak = report(n.cb.clone(), "Lộ lọt dữ liệu hồ sơ", "2025-08-06T08:00").await;
    let (s, inc) =
        n.cb.put_json(
            &format!("/api/v1/incidents/{leak}/classification"),
            &json!({"data_loss": "confirmed", "data_loss_detail": "1.200 hồ sơ"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{inc}");

    let cluster = cluster_1(&n.coordinator).await;
    let path = format!("/api/v1/clusters/{cluster}/incident-year?year=2025");
    let (s, year) = n.coordinator.get(&path).await.parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {year}");
    assert_eq!(year["members"], 6, "{year}");
    assert_eq!(
        year["incidents"], 2,
        "{backend:?}: Bắc Kạn's of March and Cao Bằng's of August: {year}"
    );
    let per_month: Vec<i64> = year["per_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_i64().unwrap())
        .collect();
    assert_eq!(per_month, [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    assert_eq!(year["data_loss_confirmed"], 1, "any data loss in 2025? yes");
    let (_, year) = n
        .coordinator
        .get(&format!(
            "/api/v1/clusters/{cluster}/incident-year?year=2024"
        ))
        .await
        .parts();
    assert_eq!(year["data_loss_confirmed"], 0, "none in 2024: {year}");

    let (s, _) = n.ls.get(&path).await.parts();
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "a member that does not lead sees nothing"
    );
}
