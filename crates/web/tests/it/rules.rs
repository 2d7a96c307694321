//! Rule sets: a new set applies to records of its date on and never to earlier ones; working
//! days skip Tết; only the coordinator sets rules; invalid sets are refused naming the field;
//! an edit through one instance applies on another sharing the database.

use irnet_testkit::{Backend, Client, TestApp, both, fields, form_token, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn coordinator(app: &TestApp) -> Client {
    irnet_app::demo::load(&app.app).await.unwrap();
    app.client_of("dieuphoi@demo.irnet.vn").await
}

/// Lạng Sơn's notice detected at `detected` (local time): its notice deadline as shown.
async fn notice_due(member: &Client, detected: &str) -> (String, String) {
    let (s, inc) = member
        .post_json(
            "/api/v1/incidents",
            &json!({ "title": "Mã độc mã hoá dữ liệu", "detected_at": detected, "type_key": "malware" }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{inc}");
    (inc["id"].as_str().unwrap().to_owned(), due_of(&inc))
}

fn due_of(inc: &Value) -> String {
    let notice = &inc["deadlines"][0];
    assert_eq!(notice["kind"], "notice");
    notice["due"].as_str().unwrap().to_owned()
}

#[both]
async fn a_new_rule_set_applies_from_its_date_and_never_to_the_past(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    app.set_local_time(2026, 6, 20, 10, 0);
    let coord = coordinator(&app).await;
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    let (before, due) = notice_due(&ls, "2026-06-18T09:00").await;
    assert_eq!(due, "2026-06-23T09:00:00+07:00", "5 days today");

    // The new law: notice within 3 days, from 01/07/2026.
    let (s, set) = coord
        .post_json(
            "/api/v1/rule-sets",
            &json!({ "effective_from": "2026-07-01", "rules": { "deadlines": { "notice": { "amount": 3 } } } }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {set}");
    assert_eq!(set["rules"]["deadlines"]["notice"]["amount"], 3);
    assert_eq!(
        set["rules"]["deadlines"]["closing_report"]["amount"], 5,
        "what the set does not say is taken from the set before it"
    );
    assert_eq!(set["upcoming"], true);

    // Once the set is in force, an incident detected the evening before keeps 5 days, even
    // reported later, and so does the one reported before.
    app.set_local_time(2026, 7, 3, 10, 0);
    let (eve, due) = notice_due(&ls, "2026-06-30T23:00").await;
    assert_eq!(due, "2026-07-05T23:00:00+07:00", "{backend:?}");
    for (id, want) in [
        (&before, "2026-06-23T09:00:00+07:00"),
        (&eve, "2026-07-05T23:00:00+07:00"),
    ] {
        let inc = ls.get(&format!("/api/v1/incidents/{id}")).await.value();
        assert_eq!(
            due_of(&inc),
            want,
            "{backend:?}: the past is judged by its own rules"
        );
    }
    // One detected on 01/07 or later is due in 3 days.
    let (_, due) = notice_due(&ls, "2026-07-01T00:30").await;
    assert_eq!(due, "2026-07-04T00:30:00+07:00", "{backend:?}");

    // The set in force is the new one now, and it can no longer change.
    let now: Value = coord.get("/api/v1/rule-sets/in-force").await.ok();
    assert_eq!(now["effective_from"], "2026-07-01");
    assert_eq!(now["in_force"], true);
    let id = now["id"].as_str().unwrap();
    let r = coord
        .put_json(
            &format!("/api/v1/rule-sets/{id}"),
            &json!({ "effective_from": "2026-08-01", "rules": {} }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        coord
            .delete(&format!("/api/v1/rule-sets/{id}"))
            .await
            .status(),
        StatusCode::CONFLICT
    );
    let old: Value = coord
        .get("/api/v1/rule-sets/in-force?on=2026-06-30")
        .await
        .ok();
    assert_eq!(old["rules"]["deadlines"]["notice"]["amount"], 5);
}

#[both]
async fn the_eve_of_tet_is_due_after_the_holiday_in_working_days(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let coord = coordinator(&app).await;
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    app.set_local_time(2026, 1, 10, 10, 0);
    coord
        .post_json(
            "/api/v1/rule-sets",
            &json!({ "effective_from": "2026-02-01",
                     "rules": { "deadlines": { "notice": { "counting": "working" } } } }),
        )
        .await
        .success();
    // Tết Bính Ngọ is 17/02/2026: the holiday runs from the eve (16/02) to 20/02, then a
    // weekend; five working days from the eve end on Friday 27/02.
    app.set_local_time(2026, 2, 16, 11, 0);
    let (_, due) = notice_due(&ls, "2026-02-16T09:00").await;
    assert_eq!(due, "2026-02-27T09:00:00+07:00", "{backend:?}");
    // A year whose days the government fixed otherwise gets its own list.
    app.set_local_time(2026, 3, 1, 10, 0);
    let (s, set) = coord
        .post_json(
            "/api/v1/rule-sets",
            &json!({ "effective_from": "2026-03-02",
                     "rules": { "holidays": { "years": { "2026": ["2026-03-03"] } } } }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{set}");
    app.set_local_time(2026, 3, 2, 10, 0);
    let (_, due) = notice_due(&ls, "2026-03-02T09:00").await;
    assert_eq!(
        due, "2026-03-10T09:00:00+07:00",
        "{backend:?}: 03/03 is off that year"
    );
}

#[both]
async fn only_the_coordinator_sets_rules(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let coord = coordinator(&app).await;
    let lang_son = app.demo_org("Sở KH&CN Lạng Sơn").await;
    app.account("mai@langson.gov.vn", &lang_son, vec![]).await;
    let outsider = app.client_of("mai@langson.gov.vn").await;
    let body = json!({ "effective_from": "2026-07-01", "rules": { "deadlines": { "notice": { "amount": 3 } } } });
    for who in [
        "quantri.thainguyen@demo.irnet.vn",
        "ungcuu.langson@demo.irnet.vn",
        "cumtruong@demo.irnet.vn",
        "xem@demo.irnet.vn",
    ] {
        let c = app.client_of(who).await;
        let r = c.post_json("/api/v1/rule-sets", &body).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{backend:?}: {who}");
        assert_eq!(
            c.get("/api/v1/rule-sets").await.status(),
            StatusCode::OK,
            "{who} reads them"
        );
    }
    let r = outsider.post_json("/api/v1/rule-sets", &body).await;
    assert!(matches!(
        r.status(),
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    ));
    let r = outsider.get("/api/v1/rule-sets").await;
    assert!(
        matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{backend:?}"
    );
    let r = app.client().anonymous().get("/api/v1/rule-sets").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // A read-only token of the coordinator changes nothing.
    let ro = app.bearer(
        &app.token("dieuphoi@demo.irnet.vn", irnet_domain::TokenScope::Read)
            .await,
    );
    assert_eq!(
        ro.post_json("/api/v1/rule-sets", &body).await.status(),
        StatusCode::FORBIDDEN
    );
    let sets: Vec<Value> = coord.get("/api/v1/rule-sets").await.ok();
    assert_eq!(
        sets.len(),
        1,
        "{backend:?}: only the first set, nothing stored"
    );
    coord.post_json("/api/v1/rule-sets", &body).await.success();
    let audit = coord
        .get("/api/v1/audit?action=rule_set.created")
        .await
        .value();
    assert!(audit.to_string().contains("rule_set.created"), "{audit}");
}

#[both]
async fn invalid_sets_are_refused_naming_the_field(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    app.set_local_time(2026, 6, 1, 10, 0);
    let coord = coordinator(&app).await;
    let cases = [
        (
            json!({ "effective_from": "2026-06-01", "rules": {} }),
            "effective_from",
        ),
        (
            json!({ "effective_from": "2026-05-01", "rules": {} }),
            "effective_from",
        ),
        (
            json!({ "effective_from": "2026-07-01", "rules": { "deadlines": { "notice": { "amount": 0 } } } }),
            "rules.deadlines.notice.amount",
        ),
        (
            json!({ "effective_from": "2026-07-01", "rules": { "deadlines": { "notice": { "unit": "weeks" } } } }),
            "rules.deadlines.notice.unit",
        ),
        (
            json!({ "effective_from": "2026-07-01", "rules": { "deadlines": { "acknowledgement": { "counting": "working" } } } }),
            "rules.deadlines.acknowledgement.counting",
        ),
        (
            json!({ "effective_from": "2026-07-01", "rules": { "holidays": { "solar": ["31/02"] } } }),
            "rules.holidays.solar[0]",
        ),
        (
            json!({ "effective_from": "2026-07-01", "rules": { "periodic_reports": { "reports": [{ "period": "half_year", "due": "20-06" }] } } }),
            "rules.periodic_reports.reports[0].due",
        ),
        (
            json!({ "effective_from": "2026-07-01", "rules": { "coordinator_org_id": "no-such-org" } }),
            "rules.coordinator_org_id",
        ),
        (
            json!({ "effective_from": "2026-07-01", "rules": { "deadlines": { "notice": { "amount": 3, "colour": "red" } } } }),
            "rules.deadlines.notice.colour",
        ),
    ];
    for (body, field) in cases {
        let p = coord
            .lang("vi")
            .post_json("/api/v1/rule-sets", &body)
            .await
            .problem(422);
        assert_eq!(fields(&p), vec![field], "{backend:?}: {body}");
        let msg = serde_json::to_value(&p).unwrap()["errors"][0]["message"].clone();
        assert!(
            msg.as_str()
                .is_some_and(|m| !m.is_empty() && !m.starts_with("error-")),
            "{backend:?}: a message in the user's language for {field}: {msg}"
        );
    }
    let sets: Vec<Value> = coord.get("/api/v1/rule-sets").await.ok();
    assert_eq!(sets.len(), 1, "{backend:?}: nothing stored");
}

#[both]
async fn a_change_through_one_instance_applies_on_another(backend: Backend) {
    let (a, db) = spawn_app(backend).await;
    a.set_local_time(2026, 6, 20, 10, 0);
    let coord = coordinator(&a).await;
    let b = irnet_testkit::start(&db, a.clock.clone(), irnet_app::Settings::default()).await;
    let ls = a.client_of("ungcuu.langson@demo.irnet.vn").await.on(&b);
    // Instance b has read (and keeps) the rules before the change.
    let (_, due) = notice_due(&ls, "2026-06-19T09:00").await;
    assert_eq!(due, "2026-06-24T09:00:00+07:00");
    coord
        .post_json(
            "/api/v1/rule-sets",
            &json!({ "effective_from": "2026-06-21", "rules": { "deadlines": { "notice": { "amount": 2 } } } }),
        )
        .await
        .success();
    a.set_local_time(2026, 6, 21, 10, 0);
    let (_, due) = notice_due(&ls, "2026-06-21T09:00").await;
    assert_eq!(
        due, "2026-06-23T09:00:00+07:00",
        "{backend:?}: b reloaded the sets"
    );
}

#[both]
async fn members_are_reminded_of_periodic_reports_before_they_fall_due(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let reminded = |app: &TestApp| {
        let app = app.app.clone();
        async move { irnet_app::rules::reminders::check(&app).await.unwrap() }
    };
    app.set_local_time(2026, 6, 12, 8, 0);
    assert_eq!(
        reminded(&app).await,
        0,
        "{backend:?}: more than a week ahead"
    );
    app.set_local_time(2026, 6, 13, 8, 0);
    let first = reminded(&app).await;
    assert!(first > 0, "{backend:?}: a week before 20/06");
    app.set_local_time(2026, 6, 14, 8, 0);
    assert_eq!(reminded(&app).await, 0, "{backend:?}: once per report");
    let thai_nguyen = app.demo_org("Sở KH&CN Thái Nguyên").await;
    let key = format!(
        "periodic-report:half_year:2026-06-20:{thai_nguyen}:quantri.thainguyen@demo.irnet.vn"
    );
    let found = app
        .app
        .store
        .read(move |c| Ok::<_, irnet_app::AppError>(irnet_store::jobs::last_enqueued(c, &key)?))
        .await
        .unwrap();
    assert!(
        found.is_some(),
        "{backend:?}: Thái Nguyên's org admin is reminded"
    );
}

#[both]
async fn the_coordinator_sets_rules_on_the_rules_page(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2026, 6, 20, 10, 0);
    let (coord, _) = app
        .sign_in("dieuphoi@demo.irnet.vn", "demo-coordinator-2024")
        .await;
    let (page_status, page) = coord.get("/rules").await.page();
    assert_eq!(page_status, StatusCode::OK);
    assert!(page.contains("Quy định quốc gia gốc"), "{page}");
    assert!(!page.contains("1970"), "no made-up date on screen: {page}");
    assert!(
        page.contains("17/02/2026"),
        "{backend:?}: Tết in this year's holidays"
    );
    assert!(page.contains("5 ngày") && page.contains("id=\"new-rule-set\""));
    let csrf = form_token(&page);

    // A past date: the form says which field, in Vietnamese, and nothing is stored.
    let r = coord
        .submit(
            "/rules",
            &csrf,
            &[("effective_from", "2026-06-01"), ("notice_amount", "3")],
        )
        .await;
    let (s, page) = r.page();
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Ngày hiệu lực: Ngày hiệu lực phải sau hôm nay"),
        "{page}"
    );
    let r = coord
        .submit(
            "/rules",
            &csrf,
            &[("effective_from", "2026-07-01"), ("notice_amount", "0")],
        )
        .await;
    let (s, page) = r.page();
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Thông báo sự cố:"), "{page}");

    let r = coord
        .submit(
            "/rules",
            &csrf,
            &[
                ("effective_from", "2026-07-01"),
                ("notice_amount", "3"),
                ("notice_counting", "working"),
                ("year_due", "10/12"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text());
    let page = coord.get("/rules?notice=created").await.text();
    assert!(
        page.contains("Từ ngày 01/07/2026</strong> · sắp có hiệu lực"),
        "{page}"
    );
    assert!(page.contains("3 ngày làm việc"), "{page}");
    let api = app.client_of("dieuphoi@demo.irnet.vn").await;
    let sets: Vec<Value> = api.get("/api/v1/rule-sets").await.ok();
    assert_eq!(
        sets[0]["rules"]["periodic_reports"]["reports"][1]["due"],
        "10/12"
    );
    assert_eq!(
        sets[0]["rules"]["periodic_reports"]["reports"][0]["due"],
        "20/06"
    );

    // A responder reads the rules but gets no form; posting one is refused.
    let (ls, _) = app
        .sign_in("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")
        .await;
    let page = ls.get("/rules").await.text();
    assert!(
        page.contains("Từ ngày 01/07/2026") && !page.contains("new-rule-set"),
        "{page}"
    );
    let csrf = form_token(&page);
    let r = ls
        .submit("/rules", &csrf, &[("effective_from", "2026-08-01")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "{backend:?}");
    // The coordinator withdraws the upcoming set.
    let id = sets[0]["id"].as_str().unwrap();
    let page = coord.get("/rules").await.text();
    let r = coord
        .submit(&format!("/rules/{id}/withdraw"), &form_token(&page), &[])
        .await;
    assert!(r.status().is_redirection(), "{}", r.status());
    let sets: Vec<Value> = api.get("/api/v1/rule-sets").await.ok();
    assert_eq!(sets.len(), 1, "{backend:?}");
}

/// The coordinator's role moves to another organisation with a rule set's date (as it moved to
/// A05 in 2025): before the date the centre coordinates; from it, the named organisation's
/// coordinators do, notices reach it, and the former centre's accounts no longer act as
/// coordinator.
#[both]
async fn the_coordinators_role_moves_to_another_organisation_from_a_date(backend: Backend) {
    use irnet_domain::{Grant, Role, Scope};
    let (app, _db) = spawn_app(backend).await;
    app.set_local_time(2026, 6, 20, 10, 0);
    let centre = coordinator(&app).await;
    let a05 = app
        .org("Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao")
        .await;
    app.account(
        "dieuphoi@a05.test.vn",
        &a05,
        vec![Grant::new(Role::Coordinator, Scope::Network).unwrap()],
    )
    .await;
    let next = app.client_of("dieuphoi@a05.test.vn").await;
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;

    let set = |day: &str| json!({ "effective_from": day, "rules": {} });
    // The centre names A05 on the rules page, choosing it by name.
    let (page_client, _) = app
        .sign_in("dieuphoi@demo.irnet.vn", "demo-coordinator-2024")
        .await;
    let page = page_client.get("/rules").await.text();
    assert!(
        page.contains(&format!(
            "<option value=\"{a05}\" >Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao</option>"
        )),
        "{backend:?}: {page}"
    );
    let r = page_client
        .submit(
            "/rules",
            &form_token(&page),
            &[
                ("effective_from", "2026-07-01"),
                ("coordinator_org_id", &a05),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text());
    let page = page_client.get("/rules").await.text();
    assert!(
        page.contains(
            "Cơ quan điều phối: Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao"
        ),
        "{backend:?}: the set names A05 on the page: {page}"
    );
    // Before the date the grant given ahead of time confers nothing.
    let s = next
        .post_json("/api/v1/rule-sets", &set("2026-08-01"))
        .await
        .status();
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "{backend:?}: not yet the coordinator"
    );

    app.set_local_time(2026, 7, 2, 9, 0);
    let s = centre
        .post_json("/api/v1/rule-sets", &set("2026-08-01"))
        .await
        .status();
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "{backend:?}: the centre no longer coordinates"
    );
    let s = next
        .post_json("/api/v1/rule-sets", &set("2026-08-01"))
        .await
        .status();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: A05 coordinates");

    // A notice submitted now reaches A05 as the coordinator.
    let (s, inc) = ls
        .post_json(
            "/api/v1/incidents",
            &json!({ "title": "Mã độc mã hoá dữ liệu", "detected_at": "2026-07-02T08:00", "submit": true }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {inc}");
    let coordinator = inc["notice"]["receivers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["part"] == "coordinator")
        .unwrap_or_else(|| panic!("no coordinator receiver: {}", inc["notice"]));
    assert_eq!(coordinator["org"]["org_id"], json!(a05), "{backend:?}");
    let id = inc["id"].as_str().unwrap();
    let s = next.get(&format!("/api/v1/incidents/{id}")).await.status();
    assert_eq!(
        s,
        StatusCode::OK,
        "{backend:?}: the new coordinator reads the notice"
    );
}
