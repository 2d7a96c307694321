//! Training: a member's org admin runs a programme with sessions and attendance; invited members
//! see it, others do not know it exists; attendance and certificates are the member's private
//! part; yearly totals (people trained, hours) show on the member's page and in the API; a
//! certificate about to expire is reminded once; bad input is refused naming the field.

use irnet_domain::Role;
use irnet_testkit::{Backend, Client, TestApp, both, fields, form_token, org_grant, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

const TN_ADMIN: &str = "quantri.thainguyen@demo.irnet.vn";
const LS_RESPONDER: &str = "ungcuu.langson@demo.irnet.vn";
const BN_VIEWER: &str = "xem@demo.irnet.vn";

async fn demo(app: &TestApp) {
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2026, 6, 20, 10, 0);
}

/// The first person of an organisation, as its own org admin sees them: (id, full name).
async fn first_person(client: &Client, org: &str) -> (String, String) {
    let people: Value = client
        .get(&format!("/api/v1/organisations/{org}/people"))
        .await
        .ok();
    let p = &people[0];
    (
        p["id"].as_str().unwrap().to_owned(),
        p["full_name"].as_str().unwrap().to_owned(),
    )
}

/// Thái Nguyên's 2026 programme inviting Lạng Sơn, with one 3.5-hour session: (programme, session).
async fn programme(app: &TestApp, tn: &Client) -> (String, String) {
    let ls = app.demo_org("Sở KH&CN Lạng Sơn").await;
    let (s, p) = tn
        .post_json(
            "/api/v1/training/programmes",
            &json!({
                "title": "Ứng cứu sự cố mã độc tống tiền",
                "topic": "Điều tra số",
                "audience": "Đội ứng cứu sự cố",
                "year": 2026,
                "invited": [ls],
            }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let id = p["id"].as_str().unwrap().to_owned();
    let (s, session) = tn
        .post_json(
            &format!("/api/v1/training/programmes/{id}/sessions"),
            &json!({ "held_on": "2026-06-10", "place": "Thái Nguyên", "hours": "3,5", "topic": "Phân tích mã độc", "trainer": "Đỗ Minh Khoa" }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{session}");
    (id, session["id"].as_str().unwrap().to_owned())
}

#[both]
async fn a_programme_counts_its_attendees_hours_for_their_member(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    demo(&app).await;
    let tn_org = app.demo_org("Sở KH&CN Thái Nguyên").await;
    let tn = app.client_of(TN_ADMIN).await;
    let (id, session) = programme(&app, &tn).await;
    let (person, name) = first_person(&tn, &tn_org).await;
    let r = tn
        .post_json(
            &format!("/api/v1/training/programmes/{id}/sessions/{session}/attendance"),
            &json!({ "person_id": person }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT, "{}", r.text());
    // Marking twice counts once.
    tn.post_json(
        &format!("/api/v1/training/programmes/{id}/sessions/{session}/attendance"),
        &json!({ "person_id": person }),
    )
    .await
    .success();

    let v: Value = tn
        .get(&format!("/api/v1/training/programmes/{id}"))
        .await
        .ok();
    assert_eq!(v["sessions"][0]["hours"], "3.5");
    assert_eq!(v["sessions"][0]["attendees"][0]["full_name"], name.as_str());
    assert_eq!(v["may_manage"], true);
    let years: Value = tn
        .get(&format!("/api/v1/organisations/{tn_org}/training"))
        .await
        .ok();
    assert_eq!(
        // the newest year first; the demo's 2024 hours follow
        years[0],
        json!({ "year": 2026, "people_trained": 1, "minutes": 210, "hours": "3.5" }),
        "{backend:?}"
    );

    // The member's page shows the year, in both languages.
    let (browser, _) = app.sign_in(TN_ADMIN, "demo-orgadmin-2024").await;
    let (s, page) = browser.get(&format!("/orgs/{tn_org}")).await.page();
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("Số người được đào tạo và số giờ theo năm"),
        "{page}"
    );
    assert!(page.contains("<td>2026</td><td>1</td><td>3.5</td>"));
    let (_, page) = tn.get(&format!("/training/{id}")).await.page();
    assert!(page.contains("10/06/2026"), "dates as dd/mm/yyyy: {page}");
    assert!(page.contains("3.5 giờ"), "{page}");
    assert!(page.contains(&name));
    assert!(
        page.contains("Thêm buổi đào tạo"),
        "the organiser's admin adds sessions"
    );

    // Invited Lạng Sơn sees the programme, but not Thái Nguyên's attendee (its private part),
    // and may not run it.
    let ls = app.client_of(LS_RESPONDER).await;
    let list: Value = ls.get("/api/v1/training/programmes").await.ok();
    assert_eq!(
        list[0]["id"],
        id.as_str(),
        "this one, then the demo's 2024 one: {list}"
    );
    let v: Value = ls
        .get(&format!("/api/v1/training/programmes/{id}"))
        .await
        .ok();
    assert_eq!(v["sessions"][0]["attendees"], json!([]), "{backend:?}");
    assert_eq!(v["may_manage"], false);
    let r = ls
        .post_json(
            &format!("/api/v1/training/programmes/{id}/sessions"),
            &json!({ "held_on": "2026-06-11", "place": "x", "hours": "1" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A member not invited does not know it exists.
    let bn = app.client_of(BN_VIEWER).await;
    let list: Value = bn.get("/api/v1/training/programmes").await.ok();
    assert!(!list.to_string().contains(&id), "{list}");
    assert_eq!(
        bn.get(&format!("/api/v1/training/programmes/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        bn.get(&format!("/api/v1/organisations/{tn_org}/training"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Taking the mark back removes the hours.
    tn.post_json(
        &format!("/api/v1/training/programmes/{id}/sessions/{session}/attendance"),
        &json!({ "person_id": person, "attended": false }),
    )
    .await
    .success();
    let years: Value = tn
        .get(&format!("/api/v1/organisations/{tn_org}/training"))
        .await
        .ok();
    assert_eq!(years[0]["year"], 2024, "no 2026 hours left: {years}");
}

#[both]
async fn an_outsider_is_refused_every_training_endpoint(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    demo(&app).await;
    let tn_org = app.demo_org("Sở KH&CN Thái Nguyên").await;
    let tn = app.client_of(TN_ADMIN).await;
    let (id, session) = programme(&app, &tn).await;
    let (person, _) = first_person(&tn, &tn_org).await;
    let before: Value = tn
        .get(&format!("/api/v1/organisations/{tn_org}/certificates"))
        .await
        .ok();
    let before = before["certificates"].as_array().unwrap().len();
    let cert: Value = tn
        .post_json(
            &format!("/api/v1/organisations/{tn_org}/certificates"),
            &json!({ "person_id": person, "name": "GIAC GCIH", "issuer": "GIAC", "issued_on": "2025-01-10", "valid_until": "2029-01-10" }),
        )
        .await
        .created();
    let cert = cert["id"].as_str().unwrap();

    let outside = app.org("Công ty Ngoài Mạng lưới").await;
    app.account(
        "ngoai@example.vn",
        &outside,
        vec![org_grant(Role::OrgAdmin, &outside)],
    )
    .await;
    let out = app.client_of("ngoai@example.vn").await;
    let list: Value = out.get("/api/v1/training/programmes").await.ok();
    assert_eq!(list, json!([]));
    let not_found = [
        out.get(&format!("/api/v1/training/programmes/{id}")).await,
        out.put_json(
            &format!("/api/v1/training/programmes/{id}"),
            &json!({ "title": "x", "year": 2026 }),
        )
        .await,
        out.post_json(
            &format!("/api/v1/training/programmes/{id}/sessions"),
            &json!({ "held_on": "2026-06-11", "place": "x", "hours": "1" }),
        )
        .await,
        out.post_json(
            &format!("/api/v1/training/programmes/{id}/sessions/{session}/attendance"),
            &json!({ "person_id": person }),
        )
        .await,
        out.get(&format!("/api/v1/organisations/{tn_org}/training"))
            .await,
        out.get(&format!("/api/v1/organisations/{tn_org}/certificates"))
            .await,
        out.post_json(
            &format!("/api/v1/organisations/{tn_org}/certificates"),
            &json!({ "person_id": person, "name": "x", "issuer": "y", "issued_on": "2025-01-10" }),
        )
        .await,
        out.delete(&format!(
            "/api/v1/organisations/{tn_org}/certificates/{cert}"
        ))
        .await,
    ];
    for (i, r) in not_found.iter().enumerate() {
        assert_eq!(
            r.status(),
            StatusCode::NOT_FOUND,
            "{backend:?} #{i}: {}",
            r.text()
        );
    }
    // Creating a programme for another organisation is refused.
    let r = out
        .post_json(
            "/api/v1/training/programmes",
            &json!({ "organiser_org_id": tn_org, "title": "x", "year": 2026 }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The pages say the same.
    for path in [
        format!("/training/{id}"),
        format!("/orgs/{tn_org}/training"),
    ] {
        assert_eq!(
            out.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // Nothing changed for Thái Nguyên.
    let certs: Value = tn
        .get(&format!("/api/v1/organisations/{tn_org}/certificates"))
        .await
        .ok();
    assert_eq!(certs["certificates"].as_array().unwrap().len(), before + 1);
    let v: Value = tn
        .get(&format!("/api/v1/training/programmes/{id}"))
        .await
        .ok();
    assert_eq!(v["sessions"].as_array().unwrap().len(), 1);
}

#[both]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_stored(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    demo(&app).await;
    let tn_org = app.demo_org("Sở KH&CN Thái Nguyên").await;
    let tn = app.client_of(TN_ADMIN).await;
    let p = tn
        .post_json(
            "/api/v1/training/programmes",
            &json!({ "title": " ", "year": 1900, "invited": ["no-such-org"] }),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["title", "year", "invited[0]"], "{backend:?}");
    let list: Value = tn.get("/api/v1/training/programmes").await.ok();
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "only the demo's: nothing stored"
    );

    let (id, _) = programme(&app, &tn).await;
    let p = tn
        .post_json(
            &format!("/api/v1/training/programmes/{id}/sessions"),
            &json!({ "held_on": "10/06/2026", "place": "", "hours": "0" }),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["held_on", "hours", "place"]);
    let p = tn
        .post_json(
            &format!("/api/v1/training/programmes/{id}/sessions"),
            &json!({ "held_on": "2026-06-11", "place": "x", "hours": "25" }),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["hours"]);
    let v: Value = tn
        .get(&format!("/api/v1/training/programmes/{id}"))
        .await
        .ok();
    assert_eq!(v["sessions"].as_array().unwrap().len(), 1, "nothing stored");

    let (person, _) = first_person(&tn, &tn_org).await;
    let before: Value = tn
        .get(&format!("/api/v1/organisations/{tn_org}/certificates"))
        .await
        .ok();
    let p = tn
        .post_json(
            &format!("/api/v1/organisations/{tn_org}/certificates"),
            &json!({ "person_id": person, "name": "CEH", "issuer": "EC-Council", "issued_on": "2025-05-01", "valid_until": "2025-04-30" }),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["valid_until"]);
    let p = tn
        .post_json(
            &format!("/api/v1/organisations/{tn_org}/certificates"),
            &json!({ "person_id": "nobody", "name": "", "issuer": "EC-Council", "issued_on": "2025-13-01" }),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["name", "issued_on", "person_id"]);
    let certs: Value = tn
        .get(&format!("/api/v1/organisations/{tn_org}/certificates"))
        .await
        .ok();
    assert_eq!(
        certs["certificates"], before["certificates"],
        "nothing stored"
    );

    // The page form says which field, in Vietnamese, with 422.
    let (browser, _) = app.sign_in(TN_ADMIN, "demo-orgadmin-2024").await;
    let (_, page) = browser.get(&format!("/training/{id}")).await.page();
    let r = browser
        .submit(
            &format!("/training/{id}/sessions"),
            &form_token(&page),
            &[
                ("held_on", "2026-06-12"),
                ("place", "Thái Nguyên"),
                ("hours", "ba giờ"),
            ],
        )
        .await;
    let (s, page) = r.page();
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Số giờ: Số giờ phải lớn hơn 0 và không quá 24"),
        "{page}"
    );
}

#[both]
async fn a_certificate_about_to_expire_is_reminded_once(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    demo(&app).await;
    let tn_org = app.demo_org("Sở KH&CN Thái Nguyên").await;
    let tn = app.client_of(TN_ADMIN).await;
    let (person, name) = first_person(&tn, &tn_org).await;
    tn.post_json(
        &format!("/api/v1/organisations/{tn_org}/certificates"),
        &json!({ "person_id": person, "name": "CompTIA Security+", "issuer": "CompTIA", "number": "COMP-001", "issued_on": "2023-07-01", "valid_until": "2026-07-10" }),
    )
    .await
    .success();
    let certs: Value = tn
        .get(&format!("/api/v1/organisations/{tn_org}/certificates"))
        .await
        .ok();
    let states: Vec<&str> = certs["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["state"].as_str().unwrap())
        .collect();
    assert!(states.contains(&"expires_soon"), "{certs}");

    assert!(
        irnet_app::training::reminders::check(&app.app)
            .await
            .unwrap()
            >= 1
    );
    assert_eq!(
        irnet_app::training::reminders::check(&app.app)
            .await
            .unwrap(),
        0,
        "{backend:?}: once per expiry day"
    );
    let notes: Value = tn.get("/api/v1/notifications").await.ok();
    let text = notes.to_string();
    assert!(text.contains("CompTIA Security+"), "{text}");
    assert!(text.contains(&name));
    assert!(text.contains("10/07/2026"));

    // The page shows the state and the day.
    let (browser, _) = app.sign_in(TN_ADMIN, "demo-orgadmin-2024").await;
    let (_, page) = browser
        .get(&format!("/orgs/{tn_org}/training"))
        .await
        .page();
    assert!(page.contains("Sắp hết hạn"), "{page}");
    assert!(page.contains("10/07/2026"));
}

#[both]
async fn the_demo_programme_names_its_organiser_as_it_was_in_2024(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    demo(&app).await;
    let tn_org = app.demo_org("Sở KH&CN Thái Nguyên").await;
    // Thái Nguyên was invited, and succeeded the organiser (Bắc Kạn).
    let tn = app.client_of(TN_ADMIN).await;
    let list: Value = tn.get("/api/v1/training/programmes").await.ok();
    let p = &list[0];
    assert_eq!(p["year"], 2024);
    assert_eq!(p["organiser_kind"], "cluster_lead");
    assert_eq!(
        p["organiser"]["name_vi"], "Sở Thông tin và Truyền thông tỉnh Bắc Kạn",
        "{backend:?}: {p}"
    );
    let years: Value = tn
        .get(&format!("/api/v1/organisations/{tn_org}/training"))
        .await
        .ok();
    assert_eq!(years[0]["year"], 2024, "{years}");
}
