//! Provinces as reference data: the demo's own list (63 until 30/06/2025, 34 from 01/07/2025),
//! organisations keeping the province they had then, and loading a file (coordinator only, dry
//! run, all or nothing, problems by row and column).

use irnet_domain::TokenScope;
use irnet_testkit::{Backend, Reply, TestApp, both, spawn_app};
use serde_json::Value;

fn by_code<'a>(list: &'a Value, code: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code)
        .unwrap_or(&Value::Null)
}

async fn provinces_on(app: &TestApp, token: &str, day: &str) -> Value {
    let (status, list) = app
        .bearer(token)
        .get(&format!("/api/v1/provinces?on={day}"))
        .await
        .parts();
    assert_eq!(status, 200);
    list
}

async fn post_csv(app: &TestApp, token: &str, dry_run: bool, csv: &str) -> Reply {
    app.bearer(token)
        .post_body(
            &format!("/api/v1/provinces/import?dry_run={dry_run}"),
            "text/csv",
            csv.to_owned(),
        )
        .await
}

#[both]
async fn sixty_three_provinces_until_the_merger_and_thirty_four_after(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let token = app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Read)
        .await;

    let before = provinces_on(&app, &token, "2025-06-30").await;
    assert_eq!(before.as_array().unwrap().len(), 63, "{backend:?}");
    let bac_kan = by_code(&before, "06");
    assert_eq!(bac_kan["name_vi"], "Bắc Kạn");
    assert_eq!(bac_kan["valid_until"], "2025-06-30");
    assert_eq!(bac_kan["merged_into"], "19");
    assert_eq!(bac_kan["decision"], "202/2025/QH15");
    assert_eq!(by_code(&before, "46")["name_vi"], "Huế");

    let after = provinces_on(&app, &token, "2025-07-01").await;
    let after = after.as_array().unwrap();
    assert_eq!(after.len(), 34, "{backend:?}");
    assert!(after.iter().all(|p| p["code"] != "06" && p["code"] != "24"));
    let cities: Vec<&str> = after
        .iter()
        .filter(|p| p["kind"] == "city")
        .map(|p| p["name_vi"].as_str().unwrap())
        .collect();
    assert_eq!(
        cities,
        [
            "Hà Nội",
            "Hải Phòng",
            "Huế",
            "Đà Nẵng",
            "Hồ Chí Minh",
            "Cần Thơ"
        ]
    );
    let thai_nguyen = after.iter().find(|p| p["code"] == "19").unwrap();
    assert_eq!(thai_nguyen["valid_from"], "2025-07-01");
    assert_eq!(thai_nguyen["merged_into"], Value::Null);

    // Thừa Thiên Huế became the centrally-run city of Huế on 01/01/2025.
    let y2024 = provinces_on(&app, &token, "2024-12-31").await;
    assert_eq!(by_code(&y2024, "46")["name_vi"], "Thừa Thiên Huế");
    assert_eq!(by_code(&y2024, "46")["kind"], "province");

    // Signed-out requests do not read it.
    let anonymous = app.client().get("/api/v1/provinces").await;
    assert_eq!(anonymous.status(), 401);
}

#[both]
async fn a_department_keeps_the_province_it_had_then(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let token = app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Read)
        .await;
    let (_, clusters) = app.bearer(&token).get("/api/v1/clusters").await.parts();
    let id = clusters[0]["id"].as_str().unwrap();
    let member = |members: &Value, name: &str| {
        members
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name_vi"] == name)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let (_, y2024) = app
        .bearer(&token)
        .get(&format!("/api/v1/clusters/{id}/members?as_of=2024-06-01"))
        .await
        .parts();
    let bac_kan = member(&y2024, "Sở Thông tin và Truyền thông tỉnh Bắc Kạn");
    assert_eq!(bac_kan["province_code"], "06", "{backend:?}");
    assert_eq!(bac_kan["province_vi"], "Bắc Kạn");

    let (_, y2025) = app
        .bearer(&token)
        .get(&format!("/api/v1/clusters/{id}/members?as_of=2025-08-01"))
        .await
        .parts();
    let thai_nguyen = member(&y2025, "Sở Khoa học và Công nghệ tỉnh Thái Nguyên");
    assert_eq!(thai_nguyen["province_code"], "19", "{backend:?}");
    assert_eq!(thai_nguyen["province_vi"], "Thái Nguyên");
    assert_eq!(y2025.as_array().unwrap().len(), 4);
}

#[both]
async fn only_the_coordinator_loads_and_a_bad_file_stores_nothing(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let outsider = app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Write)
        .await;
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Write).await;
    let read_only = app.token("dieuphoi@demo.irnet.vn", TokenScope::Read).await;
    let good = "code,name_vi,province_kind,valid_from\n04,Tỉnh Cao Bằng,tỉnh,2008-08-01\n";

    let refused = post_csv(&app, &outsider, false, good).await;
    assert_eq!(refused.status(), 403, "{backend:?}");
    let refused = post_csv(&app, &read_only, false, good).await;
    assert_eq!(refused.status(), 403, "{backend:?}");

    // Every problem, by row and column, in the reader's language; the header in English too.
    let bad = "Province code,name_vi,province_kind,valid_from,valid_until,merged_into,decision\n\
               04,Tỉnh Cao Bằng,tỉnh,2008-08-01,,,\n\
               99,Tỉnh Thử,quận,2008-08-01,2025-06-30,98,202/2025/QH15\n\
               04,Cao Bằng,tỉnh,2020-01-01,,,\n\
               05,,tỉnh,31/02/2020,,,\n";
    let dry = post_csv(&app, &coordinator, true, bad).await;
    assert_eq!(dry.status(), 200, "{backend:?}");
    let report: Value = dry.json();
    let found: Vec<(u64, &str, &str)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_u64().unwrap(),
                p["column"].as_str().unwrap(),
                p["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (3, "province_kind", "invalid_province_kind"),
            (4, "valid_from", "overlapping_period"),
            (5, "name_vi", "required"),
            (5, "valid_from", "invalid_date"),
        ],
        "{backend:?}"
    );
    assert_eq!(
        report["problems"][0]["message"],
        "Loại đơn vị phải là tỉnh (province) hoặc thành phố trực thuộc trung ương (city)."
    );

    let real = post_csv(&app, &coordinator, false, bad).await;
    assert_eq!(real.status(), 422);
    let p: Value = real.json();
    assert_eq!(p["errors"][0]["field"], "row 3 / province_kind");
    let today = provinces_on(&app, &coordinator, "2025-07-01").await;
    assert_eq!(
        by_code(&today, "04")["name_vi"],
        "Cao Bằng",
        "nothing stored"
    );

    // A merger into a code that exists nowhere is named at its column.
    let orphan = "code,name_vi,province_kind,valid_from,valid_until,merged_into\n\
                  98,Tỉnh Thử,tỉnh,2008-08-01,2025-06-30,97\n";
    let r: Value = post_csv(&app, &coordinator, true, orphan).await.json();
    assert_eq!(r["problems"][0]["column"], "merged_into");
    assert_eq!(r["problems"][0]["code"], "unknown_province");

    // A clean file replaces what was known of the provinces it names.
    let ok = post_csv(&app, &coordinator, false, good).await;
    assert_eq!(ok.status(), 201, "{backend:?}");
    let today = provinces_on(&app, &coordinator, "2025-07-01").await;
    assert_eq!(by_code(&today, "04")["name_vi"], "Tỉnh Cao Bằng");
    assert_eq!(today.as_array().unwrap().len(), 34);

    // Loading our own file again restores it, and changes nothing else.
    let again = post_csv(
        &app,
        &coordinator,
        false,
        irnet_app::directory::import::provinces::BUNDLED,
    )
    .await;
    assert_eq!(again.status(), 201, "{backend:?}");
    let today = provinces_on(&app, &coordinator, "2025-07-01").await;
    assert_eq!(by_code(&today, "04")["name_vi"], "Cao Bằng");
    assert_eq!(
        provinces_on(&app, &coordinator, "2025-06-30")
            .await
            .as_array()
            .unwrap()
            .len(),
        63
    );
}
