//! Records keep their time across the demo's changes of 2025: Bắc Kạn's incident of 15/10/2024
//! keeps the name of that day ("Sở Thông tin và Truyền thông tỉnh Bắc Kạn", now part of Thái
//! Nguyên) in the list, the API and the page; Thái Nguyên's people open and work it, the timeline
//! says it was handed over on 01/07/2025, a TLP:RED one stays with its named people, and an
//! outsider still gets 404. Bắc Kạn is closed from 01/07/2025: no new account, no new incident,
//! each refused naming Thái Nguyên. Mẫu 05 of Bắc Ninh for the second half of 2025 counts Bắc
//! Giang's incidents from the merger on; Bắc Giang's of the first half stay under its own name.

use irnet_domain::TokenScope;
use irnet_testkit::{Backend, both, docx_xml, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

const BK_2024: &str = "Sở Thông tin và Truyền thông tỉnh Bắc Kạn";
const TN_NOW: &str = "Sở Khoa học và Công nghệ tỉnh Thái Nguyên";

fn ids(list: &Value) -> Vec<&str> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect()
}

#[both]
async fn a_merged_provinces_incident_keeps_its_name_and_passes_to_its_successor(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let bac_kan = app.demo_org("Sở KH&CN Bắc Kạn").await;
    let thai_nguyen = app.demo_org("Sở KH&CN Thái Nguyên").await;

    // 15/10/2024: Bắc Kạn files a notice, and a TLP:RED one.
    app.set_local_time(2024, 10, 15, 10, 0);
    let bk = app.bearer(&app.responder("ungcuu.backan@test.vn", &bac_kan).await);
    let notice = |title: &str, tlp: &str| {
        json!({"title": title, "detected_at": "2024-10-15T08:30", "tlp": tlp,
               "type_key": "defacement", "submit": true})
    };
    let (s, inc) = bk
        .post_json(
            "/api/v1/incidents",
            &notice("Thay đổi giao diện cổng", "AMBER"),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {inc}");
    let id = inc["id"].as_str().unwrap().to_owned();
    assert_eq!(
        inc["owner_name"], BK_2024,
        "{backend:?}: in 2024, no successor yet"
    );
    assert!(inc["owner"]["now_vi"].is_null(), "{inc}");
    let (s, red) = bk
        .post_json("/api/v1/incidents", &notice("Lộ dữ liệu mật", "RED"))
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {red}");
    let red = red["id"].as_str().unwrap().to_owned();

    // 2026: Thái Nguyên's people read and work it under the name of 2024.
    app.set_local_time(2026, 3, 2, 9, 0);
    let tn_admin = app.client_of("quantri.thainguyen@demo.irnet.vn").await;
    let tn = app.bearer(
        &app.responder("ungcuu.thainguyen@test.vn", &thai_nguyen)
            .await,
    );
    for (who, c) in [("org admin", &tn_admin), ("responder", &tn)] {
        let (s, v) = c.get(&format!("/api/v1/incidents/{id}")).await.parts();
        assert_eq!(s, StatusCode::OK, "{backend:?}: Thái Nguyên's {who}: {v}");
        assert_eq!(v["owner_name"], BK_2024, "{backend:?}");
        assert_eq!(v["owner"]["now_vi"], TN_NOW, "{backend:?}");
        assert_eq!(
            v["may"]["manage"], true,
            "{backend:?}: {who} works it as Bắc Kạn did"
        );
        let (_, list) = c.get("/api/v1/incidents").await.parts();
        assert!(
            ids(&list).contains(&id.as_str()),
            "{backend:?}: {who}'s list: {list}"
        );
        let row = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id.as_str())
            .unwrap();
        assert_eq!(row["owner_name"], BK_2024);
        assert_eq!(row["owner"]["now_vi"], TN_NOW);
        // TLP:RED stays with its named people.
        let (s, _) = c.get(&format!("/api/v1/incidents/{red}")).await.parts();
        assert_eq!(
            s,
            StatusCode::NOT_FOUND,
            "{backend:?}: RED is not inherited"
        );
        assert!(!ids(&list).contains(&red.as_str()));
    }
    let (s, v) = tn
        .post_json(
            &format!("/api/v1/incidents/{id}/comments"),
            &json!({"text": "Thái Nguyên tiếp nhận xử lý."}),
        )
        .await
        .parts();
    assert!(
        s.is_success(),
        "{backend:?}: the successor works the incident: {s} {v}"
    );

    // An outsider (Lạng Sơn) still sees nothing.
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    let (s, _) = ls.get(&format!("/api/v1/incidents/{id}")).await.parts();
    assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}");
    let (_, list) = ls.get("/api/v1/incidents").await.parts();
    assert!(!ids(&list).contains(&id.as_str()));

    // The page and the list, in both languages.
    let (browser, _) = app
        .sign_in("quantri.thainguyen@demo.irnet.vn", "demo-orgadmin-2024")
        .await;
    let (s, page) = browser.get(&format!("/incidents/{id}")).await.page();
    assert_eq!(s, StatusCode::OK, "{backend:?}");
    assert!(
        page.contains(&format!("{BK_2024} (nay là {TN_NOW})")),
        "{page}"
    );
    assert!(
        page.contains(&format!("Bàn giao cho {TN_NOW} từ ngày 01/07/2025")),
        "{backend:?}: the timeline says it was handed over: {page}"
    );
    let (_, list) = browser.get("/incidents").await.page();
    assert!(
        list.contains(&format!("{BK_2024} (nay là {TN_NOW})")),
        "{list}"
    );
    // The profile's language decides the page's: switch the org admin to English.
    let r = tn_admin
        .patch_json("/api/v1/me", &json!({ "locale": "en" }))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (_, page) = browser.get(&format!("/incidents/{id}")).await.page();
    let tn_en = "Thái Nguyên Department of Science and Technology";
    assert!(
        page.contains(&format!(
            "Bắc Kạn Department of Information and Communications (now {tn_en})"
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!("Handed over to {tn_en} on 01/07/2025")),
        "{page}"
    );

    // Bắc Kạn is closed: no new incident, no new account, each naming Thái Nguyên. (Its
    // responder's account stays, with a token of today.)
    let bk = app.client_of("ungcuu.backan@test.vn").await;
    let (s, p) = bk
        .post_json("/api/v1/incidents", &notice("Sự cố mới", "AMBER"))
        .await
        .parts();
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}: {p}");
    assert_eq!(p["errors"][0]["field"], "org_id");
    let message = p["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains(TN_NOW) && message.contains("01/07/2025"),
        "{message}"
    );
    let admin = app.client_of("admin@demo.irnet.vn").await;
    let (s, p) = admin
        .post_json(
            "/api/v1/users",
            &json!({"email": "moi.backan@test.vn", "display_name": "Người mới",
                    "org_id": bac_kan, "password": "mot-mat-khau-dai-2026"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}: {p}");
    assert!(
        p["errors"][0]["message"].as_str().unwrap().contains(TN_NOW),
        "{p}"
    );
    let (s, p) = admin
        .lang("en")
        .post_json(
            "/api/v1/users",
            &json!({"email": "moi.backan@test.vn", "display_name": "Người mới",
                    "org_id": bac_kan, "password": "mot-mat-khau-dai-2026"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let _ = p;
    // Thái Nguyên itself stays open.
    app.account("moi.thainguyen@test.vn", &thai_nguyen, vec![])
        .await;
}

#[both]
async fn statistics_after_a_merger_count_under_the_successor(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let bac_giang = app.demo_org("Sở KH&CN Bắc Giang").await;
    let bac_ninh = app.demo_org("Sở KH&CN Bắc Ninh").await;
    let incident = |title: &str, at: &str| json!({"title": title, "detected_at": at, "type_key": "defacement", "submit": true});

    // Bắc Giang's incident of the first half-year, then one of 30/06/2025 whose detection a
    // record of the time put on 03/07/2025 (before mergers closed anything).
    app.set_local_time(2025, 3, 10, 10, 0);
    let bg = app.bearer(&app.responder("ungcuu.bacgiang@test.vn", &bac_giang).await);
    let (s, v) = bg
        .post_json(
            "/api/v1/incidents",
            &incident("Mã độc tháng 3", "2025-03-10T08:00"),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{v}");
    app.set_local_time(2025, 6, 30, 10, 0);
    let bg = app.client_of("ungcuu.bacgiang@test.vn").await;
    let (s, late) = bg
        .post_json(
            "/api/v1/incidents",
            &incident("Mã độc tháng 7", "2025-06-30T08:00"),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{late}");
    let late: irnet_domain::ids::IncidentId = late["id"].as_str().unwrap().parse().unwrap();
    app.app
        .store
        .write(move |c| {
            let mut row = irnet_store::incidents::get(c, &late)?.unwrap();
            row.detected_at += chrono::Duration::days(3);
            irnet_store::incidents::save(c, &row)?;
            Ok::<_, irnet_app::AppError>(())
        })
        .await
        .unwrap();
    // Bắc Ninh's own, in August.
    app.set_local_time(2025, 8, 5, 10, 0);
    let bn = app.bearer(&app.responder("ungcuu.bacninh@test.vn", &bac_ninh).await);
    let (s, v) = bn
        .post_json(
            "/api/v1/incidents",
            &incident("Tấn công tháng 8", "2025-08-05T08:00"),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{v}");

    app.set_local_time(2026, 1, 10, 9, 0);
    let viewer = app
        .bearer(&app.token("xem@demo.irnet.vn", TokenScope::Read).await)
        .lang("vi");
    let stats = |org: &str, q: &str| format!("/api/v1/organisations/{org}/incident-statistics?{q}");
    let (s, h2) = viewer
        .get(&stats(&bac_ninh, "year=2025&half=2"))
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {h2}");
    assert_eq!(
        h2["total"]["count"], 2,
        "{backend:?}: Bắc Ninh's own and Bắc Giang's after 01/07/2025: {h2}"
    );
    assert_eq!(h2["org_name"], "Sở Khoa học và Công nghệ tỉnh Bắc Ninh");
    let (_, h1) = viewer
        .get(&stats(&bac_giang, "year=2025&half=1"))
        .await
        .parts();
    assert_eq!(h1["total"]["count"], 1, "{backend:?}: {h1}");
    assert_eq!(
        h1["org_name"], "Sở Khoa học và Công nghệ tỉnh Bắc Giang",
        "{backend:?}: the first half stays under Bắc Giang's name of then"
    );
    let (_, bg_year) = viewer.get(&stats(&bac_giang, "year=2025")).await.parts();
    assert_eq!(
        bg_year["total"]["count"], 1,
        "{backend:?}: nothing after the merger: {bg_year}"
    );
    let (_, bn_h1) = viewer
        .get(&stats(&bac_ninh, "year=2025&half=1"))
        .await
        .parts();
    assert_eq!(bn_h1["total"]["count"], 0, "{backend:?}: {bn_h1}");

    // Mẫu 05 for the second half-year is produced.
    let r = viewer
        .get(&format!(
            "/api/v1/organisations/{bac_ninh}/incident-statistics/form?year=2025&half=2"
        ))
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{backend:?}: {}", r.text());
    let xml = docx_xml(r.bytes());
    assert!(xml.contains("6 tháng cuối năm 2025"), "{backend:?}");
    assert!(
        xml.contains("Sở Khoa học và Công nghệ tỉnh Bắc Ninh"),
        "{backend:?}"
    );

    // Another province's people see none of it.
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    let (s, _) = ls.get(&stats(&bac_ninh, "year=2025&half=2")).await.parts();
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = ls.get(&stats(&bac_giang, "year=2025&half=1")).await.parts();
    assert_eq!(s, StatusCode::NOT_FOUND);
}

/// `directory::names::names_on`, the one answer to "what was X called on day D", on the demo's
/// history: a rename (01/03/2025), a merger (01/07/2025), a day before the directory knew the
/// organisation, and an organisation unchanged since.
#[both]
async fn names_on_answers_renames_mergers_and_days_before_founding(backend: Backend) {
    use irnet_app::directory::names::{OrgName, names_on};
    use irnet_domain::locale::Locale;
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let bac_kan = app.demo_org("Sở KH&CN Bắc Kạn").await;
    let cao_bang = app.demo_org("Sở KH&CN Cao Bằng").await;
    let thai_nguyen = app.demo_org("Sở KH&CN Thái Nguyên").await;
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let today = day(2026, 3, 2);
    let ids = vec![bac_kan.clone(), cao_bang.clone(), thai_nguyen.clone()];
    let on = |d: chrono::NaiveDate| {
        let ids = ids.clone();
        let store = app.app.store.clone();
        async move {
            store
                .read(move |c| names_on(c, &ids, d, today))
                .await
                .unwrap()
        }
    };
    let ict = |p: &str| format!("Sở Thông tin và Truyền thông tỉnh {p}");
    let dost = |p: &str| format!("Sở Khoa học và Công nghệ tỉnh {p}");
    let pick = |m: &std::collections::HashMap<String, OrgName>, id: &str| m[id].clone();

    // 2024: the department of information and communications; today's name beside it.
    let n2024 = on(day(2024, 10, 15)).await;
    let bk = pick(&n2024, &bac_kan);
    assert_eq!(bk.name_vi, ict("Bắc Kạn"), "{backend:?}");
    assert_eq!(
        bk.now_vi.as_deref(),
        Some(dost("Thái Nguyên").as_str()),
        "merged: the successor"
    );
    assert_eq!(
        bk.label(Locale::Vi),
        format!("{} (nay là {})", ict("Bắc Kạn"), dost("Thái Nguyên"))
    );
    assert_eq!(
        bk.label(Locale::En),
        "Bắc Kạn Department of Information and Communications (now Thái Nguyên Department of Science and Technology)"
    );
    let cb = pick(&n2024, &cao_bang);
    assert_eq!(cb.name_vi, ict("Cao Bằng"));
    assert_eq!(
        cb.now_vi.as_deref(),
        Some(dost("Cao Bằng").as_str()),
        "renamed: its own new name"
    );

    // Between the rename and the merger: Bắc Kạn's own new name, still "now" Thái Nguyên.
    let spring = on(day(2025, 5, 20)).await;
    assert_eq!(pick(&spring, &bac_kan).name_vi, dost("Bắc Kạn"));
    assert_eq!(
        pick(&spring, &bac_kan).now_vi.as_deref(),
        Some(dost("Thái Nguyên").as_str())
    );
    // The day of the rename itself takes the new name; the eve the old one.
    assert_eq!(
        pick(&on(day(2025, 3, 1)).await, &cao_bang).name_vi,
        dost("Cao Bằng")
    );
    assert_eq!(
        pick(&on(day(2025, 2, 28)).await, &cao_bang).name_vi,
        ict("Cao Bằng")
    );

    // Today: unchanged names carry no "now".
    let now = on(today).await;
    assert_eq!(pick(&now, &thai_nguyen).name_vi, dost("Thái Nguyên"));
    assert_eq!(pick(&now, &thai_nguyen).now_vi, None);
    assert_eq!(
        pick(&now, &thai_nguyen).label(Locale::Vi),
        dost("Thái Nguyên")
    );
    // A day after Bắc Kạn ceased: its last name, and its successor's beside it.
    assert_eq!(pick(&now, &bac_kan).name_vi, dost("Bắc Kạn"));
    assert_eq!(
        pick(&now, &bac_kan).now_vi.as_deref(),
        Some(dost("Thái Nguyên").as_str())
    );

    // Before the directory knew it (founded 04/05/2020): its earliest name.
    let before = on(day(2019, 1, 1)).await;
    assert_eq!(
        pick(&before, &bac_kan).name_vi,
        ict("Bắc Kạn"),
        "{backend:?}"
    );
    assert_eq!(pick(&before, &cao_bang).name_vi, ict("Cao Bằng"));

    // An unknown id is absent.
    let store = app.app.store.clone();
    let unknown = store
        .read(move |c| names_on(c, &["khong-co".to_owned()], today, today))
        .await
        .unwrap();
    assert!(unknown.is_empty());
}
