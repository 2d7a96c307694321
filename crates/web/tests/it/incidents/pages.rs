//! The incident pages as a browser sees them, on both databases: a Bắc Kạn responder reports a
//! notice through the form and finds it in the list; Lạng Sơn, outside the audience, finds
//! nothing (list, search, the page itself is "not found"); a detection time in the future and a
//! bad public IP are refused next to their fields, in Vietnamese, with nothing stored.

use irnet_domain::Role;
use irnet_testkit::{Backend, Client, Reply, TestApp, both, form_token, org_grant, spawn_app};
use reqwest::StatusCode;

const TITLE: &str = "Thay đổi giao diện Cổng thông tin điện tử tỉnh";

/// The demo network on 20/12/2024 at 10:30 local time; a Bắc Kạn responder signed in (with the
/// notice form's token) and Lạng Sơn's demo responder signed in.
async fn setup(app: &TestApp) -> (Client, String, Client) {
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2024, 12, 20, 10, 30);
    let bac_kan = app.demo_org("Sở KH&CN Bắc Kạn").await;
    let owner = app
        .account(
            "ungcuu.backan@test.vn",
            &bac_kan,
            vec![org_grant(Role::Responder, &bac_kan)],
        )
        .await;
    let (client, resp) = app.sign_in(&owner.email, &owner.password).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (status, form) = client.get("/incidents/new").await.page();
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("type=\"datetime-local\""), "{form}");
    let token = form_token(&form);
    let (outsider, resp) = app
        .sign_in("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    (client, token, outsider)
}

/// A form refused as invalid: its page, shown again.
fn refused(resp: Reply) -> String {
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    resp.text()
}

fn incident_rows(html: &str) -> usize {
    html.matches("<tr id=\"incident-").count()
}

/// Reports the notice through the form; returns where it redirects (the incident's page with its
/// notice).
async fn report(client: &Client, token: &str) -> String {
    let resp = client
        .submit(
            "/incidents/new",
            token,
            &[
                ("title", TITLE),
                ("detected_at", "2024-12-20T09:00"),
                ("system_id", ""),
                ("type_key", "defacement"),
                ("severity", "high"),
                ("tlp", "AMBER"),
                ("summary", "Trang chủ bị thay bằng nội dung lạ"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.starts_with("/incidents/"), "{to}");
    to
}

fn without_query(to: &str) -> String {
    to.split('?').next().unwrap().to_owned()
}

#[both]
async fn the_list_shows_an_incident_to_its_owner_and_nothing_to_an_outsider(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let (owner, token, outsider) = setup(&app).await;
    let to = report(&owner, &token).await;
    let path = without_query(&to);

    let (status, html) = owner.get(&to).await.page();
    assert_eq!(status, StatusCode::OK, "{backend:?}");
    assert!(html.contains("BK-2024-0001"), "{backend:?}: the number");
    assert!(html.contains(TITLE));
    assert!(html.contains("Đã gửi thông báo sự cố."), "the notice");
    // The notice deadline, 5 days from the local detection time, met on submission.
    assert!(html.contains("25/12/2024 09:00"), "{backend:?}: {html}");
    assert!(html.contains("đã đáp ứng 20/12/2024 10:30"), "{html}");

    let (_, list) = owner.get("/incidents").await.page();
    assert_eq!(incident_rows(&list), 1, "{backend:?}");
    assert!(list.contains(TITLE) && list.contains("20/12/2024 09:00"));
    assert!(list.contains("Bắc Kạn"), "the owner");
    // Accents are optional in the search box.
    let (_, found) = owner.get("/incidents?q=giao+dien").await.page();
    assert_eq!(incident_rows(&found), 1, "{backend:?}: {found}");
    let (_, none) = owner.get("/incidents?status=closed").await.page();
    assert_eq!(incident_rows(&none), 0);

    // Lạng Sơn is not in the audience: no line, no hit, and the page does not exist.
    let (status, list) = outsider.get("/incidents").await.page();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(incident_rows(&list), 0, "{backend:?}");
    assert!(!list.contains(TITLE) && list.contains("id=\"no-incidents\""));
    let (_, search) = outsider.get("/incidents?q=giao+dien").await.page();
    assert_eq!(incident_rows(&search), 0);
    let (status, html) = outsider.get(&path).await.page();
    assert_eq!(status, StatusCode::NOT_FOUND, "{backend:?}");
    assert!(!html.contains(TITLE));
    let (status, _) = outsider.get(&format!("{path}/report")).await.page();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let outsider_token = form_token(&outsider.get("/incidents").await.page().1);
    let resp = outsider
        .submit(
            &format!("{path}/comments"),
            &outsider_token,
            &[("text", "xin chào")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{backend:?}");
}

#[both]
async fn the_notice_form_refuses_a_future_detection_time_next_to_the_field(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let (owner, token, _) = setup(&app).await;
    let resp = owner
        .submit(
            "/incidents/new",
            &token,
            &[
                ("title", TITLE),
                ("detected_at", "2024-12-21T09:00"),
                ("tlp", "AMBER"),
                ("action", "submit"),
            ],
        )
        .await;
    let html = refused(resp);
    assert!(
        html.contains(
            "<p class=\"error\" id=\"n-detected-error\">Thời điểm này còn ở tương lai.</p>"
        ),
        "{backend:?}: {html}"
    );
    // The form comes back as typed.
    assert!(html.contains(&format!("value=\"{TITLE}\"")));
    assert!(html.contains("value=\"2024-12-21T09:00\""));
    let (_, list) = owner.get("/incidents").await.page();
    assert_eq!(incident_rows(&list), 0, "{backend:?}: nothing stored");
}

#[both]
async fn the_report_form_names_the_line_of_a_bad_ip_and_keeps_nothing(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let (owner, token, _) = setup(&app).await;
    let path = without_query(&report(&owner, &token).await);
    let (status, form) = owner.get(&format!("{path}/report")).await.page();
    assert_eq!(status, StatusCode::OK, "{backend:?}");
    assert!(form.contains("name=\"detection_methods\" value=\"monitoring\""));

    let bad = [
        ("title", TITLE),
        ("reporter.name", "Hoàng Văn Thiên"),
        ("os", "Ubuntu 22.04"),
        ("status_checklist", "ongoing"),
        ("detection_methods", "monitoring"),
        ("detection_methods", "user_report"),
        ("public_ips", "203.113.131.5\n\n203.113.300.1"),
        ("domains", "backan.gov.vn"),
    ];
    let resp = owner.submit(&format!("{path}/report"), &token, &bad).await;
    let html = refused(resp);
    assert!(
        html.contains(
            "<p class=\"error\" id=\"rf-ips-error\">Dòng 3: Địa chỉ IP hoặc dải IP không hợp lệ.</p>"
        ),
        "{backend:?}: {html}"
    );
    // What was typed is still there, checkboxes included.
    assert!(html.contains("203.113.300.1"));
    assert!(html.contains("name=\"detection_methods\" value=\"user_report\" checked"));
    let (_, shown) = owner.get(&path).await.page();
    assert!(
        !shown.contains("Ubuntu 22.04"),
        "{backend:?}: nothing stored"
    );

    let mut good = bad.to_vec();
    good.retain(|(k, _)| *k != "public_ips");
    good.push(("public_ips", "203.113.131.5"));
    let resp = owner.submit(&format!("{path}/report"), &token, &good).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{backend:?}");
    let (_, shown) = owner.get(&path).await.page();
    assert!(shown.contains("Ubuntu 22.04") && shown.contains("203.113.131.5"));
    assert!(
        shown.contains("Hệ thống giám sát, Người dùng thông báo"),
        "{shown}"
    );
}

#[both]
async fn the_cluster_page_draws_incidents_per_month_only_for_those_the_statistics_admit(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    let (owner, token, outsider) = setup(&app).await;
    let to = report(&owner, &token).await;
    // Reported to the coordinator, so that it is one the coordinator may read and count.
    let id = without_query(&to)
        .trim_start_matches("/incidents/")
        .to_owned();
    let api = app
        .token("ungcuu.backan@test.vn", irnet_domain::TokenScope::Write)
        .await;
    let res = app
        .bearer(&api)
        .post_json(
            &format!("/api/v1/incidents/{id}/escalate"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let (_, clusters) = outsider.get("/clusters").await.page();
    let at = clusters.find("href=\"/clusters/").unwrap() + "href=\"".len();
    let cluster = &clusters[at..at + clusters[at..].find('"').unwrap()];
    let cluster = format!("{cluster}?as_of=2024-12-31");

    // The coordinator reads every member's aggregate of what it may read: December 2024 has
    // the one incident reported to it.
    let (coordinator, _) = app
        .sign_in("dieuphoi@demo.irnet.vn", "demo-coordinator-2024")
        .await;
    let (status, html) = coordinator.get(&cluster).await.page();
    assert_eq!(status, StatusCode::OK, "{backend:?}");
    assert!(html.contains("id=\"incident-year-chart\""), "{backend:?}");
    assert!(html.contains("12/2024: 1 sự cố"), "{backend:?}: {html}");
    assert_eq!(html.matches("<rect class=\"iy-bar\"").count(), 12);

    // A member's responder is not the cluster's lead: the page has no chart.
    let (status, html) = outsider.get(&cluster).await.page();
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("incident-year"), "{backend:?}");
}

#[both]
async fn evidence_and_support_through_the_pages_open_the_incident_to_an_accepted_peer(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    let (owner, token, peer) = setup(&app).await;
    let path = without_query(&report(&owner, &token).await);

    // Evidence: a file form, its token a field of the multipart body.
    let resp = owner
        .multipart(
            &format!("{path}/attachments"),
            &[("csrf_token", &token)],
            "nhật-ký.txt",
            "text/plain",
            b"GET /index.php 200\n",
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{backend:?}");
    let (_, html) = owner.get(&path).await.page();
    assert!(
        html.contains("nhật-ký.txt") && html.contains("19 B"),
        "{html}"
    );
    // SHA-256 of the 19 bytes above.
    assert!(
        html.contains("SHA-256 8ebdda7b6ce163370ce96303fe174d8ba41af14433e9d93fd630520fd646c46e"),
        "{html}"
    );

    // Ask the cluster's peers; Lạng Sơn reads only the message, then offers.
    let resp = owner
        .submit(
            &format!("{path}/support"),
            &token,
            &[
                ("message", "Cần phân tích mã độc trên máy chủ web"),
                ("skills", "malware_analysis"),
                ("cluster_peers", "1"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{backend:?}");
    let (_, inbox) = peer.get("/support-requests").await.page();
    assert!(
        inbox.contains("Cần phân tích mã độc trên máy chủ web"),
        "{inbox}"
    );
    assert!(
        !inbox.contains(TITLE),
        "the incident stays closed to a recipient"
    );
    let at = inbox.find("id=\"request-").unwrap() + "id=\"request-".len();
    let request = &inbox[at..at + inbox[at..].find('"').unwrap()];
    let peer_token = form_token(&inbox);
    let resp = peer
        .submit(
            &format!("/support-requests/{request}/answer"),
            &peer_token,
            &[("offer", "true"), ("note", "Có 2 người")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{backend:?}");
    let (status, _) = peer.get(&path).await.page();
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "not before the offer is accepted"
    );

    // The owner accepts: Lạng Sơn joins the audience.
    let lang_son = app.demo_org("Sở KH&CN Lạng Sơn").await;
    let incident = path.trim_start_matches("/incidents/");
    let resp = owner
        .submit(
            &format!("/support-requests/{request}/accept"),
            &token,
            &[("org_id", &lang_son), ("incident_id", incident)],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{backend:?}");
    let (status, html) = peer.get(&path).await.page();
    assert_eq!(status, StatusCode::OK, "{backend:?}");
    assert!(html.contains(TITLE));
    let (_, list) = peer.get("/incidents").await.page();
    assert_eq!(incident_rows(&list), 1, "{backend:?}");
}

#[both]
async fn the_actions_follow_may_escalate_acknowledge_and_move_forward(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let (owner, token, _) = setup(&app).await;
    let path = without_query(&report(&owner, &token).await);
    let (_, html) = owner.get(&path).await.page();
    assert!(html.contains("id=\"escalate\"") && !html.contains("id=\"acknowledge\""));

    let resp = owner.submit(&format!("{path}/escalate"), &token, &[]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{backend:?}");
    let (coordinator, _) = app
        .sign_in("dieuphoi@demo.irnet.vn", "demo-coordinator-2024")
        .await;
    let (status, html) = coordinator.get(&path).await.page();
    assert_eq!(
        status,
        StatusCode::OK,
        "{backend:?}: reported, so in its audience"
    );
    assert!(html.contains("id=\"acknowledge\"") && !html.contains("id=\"escalate\""));
    assert!(
        html.contains("<tr id=\"deadline-acknowledgement\">"),
        "{html}"
    );
    let ctoken = form_token(&html);
    let resp = coordinator
        .submit(&format!("{path}/acknowledge"), &ctoken, &[])
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);

    // The owner moves it on; a move backwards is refused next to the actions, not a 500.
    let resp = owner
        .submit(
            &format!("{path}/status"),
            &token,
            &[("status", "contained"), ("note", "Đã cô lập máy chủ")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{backend:?}");
    let resp = owner
        .submit(
            &format!("{path}/status"),
            &token,
            &[("status", "in_progress")],
        )
        .await;
    let html = refused(resp);
    assert!(
        html.contains("Không thể chuyển sự cố sang trạng thái này từ trạng thái hiện tại."),
        "{backend:?}: {html}"
    );
    let (_, html) = owner.get(&path).await.page();
    assert!(html.contains("<span class=\"tag\" id=\"incident-status\">Đã ngăn chặn</span>"));
    assert!(html.contains("Cơ quan điều phối đã xác nhận") && html.contains("Đã cô lập máy chủ"));
}

#[both]
async fn an_instructed_member_answers_from_its_inbox_without_seeing_the_incident(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let (owner, token, outsider) = setup(&app).await;
    let path = without_query(&report(&owner, &token).await);
    let id = path.trim_start_matches("/incidents/").to_owned();
    let resp = owner.submit(&format!("{path}/escalate"), &token, &[]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let lang_son = app.demo_org("Sở KH&CN Lạng Sơn").await;
    let coordinator = app.client_of("dieuphoi@demo.irnet.vn").await;
    let res = coordinator
        .post_json(
            &format!("/api/v1/incidents/{id}/instructions"),
            &serde_json::json!({
                "text": "Rà soát các cổng thông tin của tỉnh", "orgs": [lang_son],
            }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "{backend:?}");

    let (status, html) = outsider.get("/support-requests").await.page();
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Rà soát các cổng thông tin của tỉnh"),
        "{html}"
    );
    assert!(
        !html.contains(&path),
        "{backend:?}: an instruction opens no incident"
    );
    let iid = html
        .split("id=\"instruction-")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let resp = outsider
        .submit(
            &format!("/instructions/{iid}/answer"),
            &form_token(&html),
            &[("report", "Đã rà soát 12 cổng, không phát hiện bất thường")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{backend:?}");
    let (_, html) = outsider
        .get("/support-requests?notice=instruction-answered")
        .await
        .page();
    assert!(html.contains("Đã xác nhận chỉ đạo."), "{html}");
    assert!(html.contains("Đã rà soát 12 cổng, không phát hiện bất thường"));

    let (_, html) = owner.get("/support-requests").await.page();
    assert!(
        html.contains("Không có chỉ đạo nào gửi đơn vị."),
        "{backend:?}: Bắc Kạn was not instructed"
    );
}

/// A notice submitted twelve days after detection met its deadline late: the page says so, with
/// the delay, in both languages, never "met" in green.
#[both]
async fn a_late_notice_is_shown_late_with_its_delay(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let (owner, _, _) = setup(&app).await;
    // Detected 08/12/2024 09:00; the notice was due 13/12/2024 09:00; submitted 20/12/2024 10:30.
    let (_, form) = owner.get("/incidents/new").await.page();
    let resp = owner
        .submit(
            "/incidents/new",
            &form_token(&form),
            &[
                ("title", TITLE),
                ("detected_at", "2024-12-08T09:00"),
                ("system_id", ""),
                ("type_key", "defacement"),
                ("severity", "high"),
                ("tlp", "AMBER"),
                ("summary", "Trang chủ bị thay bằng nội dung lạ"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = without_query(resp.headers()["location"].to_str().unwrap());
    let (_, html) = owner.get(&to).await.page();
    assert!(
        html.contains("trễ 7 ngày (đáp ứng 20/12/2024 10:30)"),
        "{backend:?}: {html}"
    );
    assert!(!html.contains("đã đáp ứng 20/12/2024"), "{backend:?}");
    // A colleague whose profile speaks English reads the same page.
    let bac_kan = app.demo_org("Sở KH&CN Bắc Kạn").await;
    let colleague = app
        .person(
            "en.backan@test.vn",
            &bac_kan,
            "en",
            vec![org_grant(Role::Responder, &bac_kan)],
        )
        .await;
    let (english_reader, _) = app.sign_in(&colleague.email, &colleague.password).await;
    let (_, english) = english_reader.get(&to).await.page();
    assert!(
        english.contains("late by 7 days (met 20/12/2024 10:30)"),
        "{backend:?}: {english}"
    );
}

/// An empty title is "required" and an overlong one names its limit, next to the field, in the
/// reader's language — not "invalid length".
#[both]
async fn the_notice_form_says_what_a_title_needs(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let (owner, token, _) = setup(&app).await;
    let long = "a".repeat(301);
    for (title, message) in [
        ("", "Trường này là bắt buộc."),
        (long.as_str(), "Không được dài quá 300 ký tự."),
    ] {
        let html = refused(
            owner
                .submit(
                    "/incidents/new",
                    &token,
                    &[
                        ("title", title),
                        ("detected_at", "2024-12-20T09:00"),
                        ("system_id", ""),
                        ("type_key", "defacement"),
                        ("severity", "high"),
                        ("tlp", "AMBER"),
                        ("summary", "x"),
                        ("action", "submit"),
                    ],
                )
                .await,
        );
        assert!(html.contains(message), "{backend:?}: {html}");
        assert!(!html.contains("Độ dài không hợp lệ"), "{backend:?}");
    }
}
