//! Importing the directory from CSV and XLSX (every problem by row and column, nothing stored
//! while any remains) and exporting it as XLSX (only what the reader may see, re-importable).

use std::io::Cursor;

use super::org_id;
use calamine::{Data, Reader, Xlsx};
use irnet_domain::TokenScope;
use irnet_testkit::{Backend, Client, Reply, TestApp, both, form_token, spawn_app};
use rust_xlsxwriter::Workbook;
use serde_json::Value;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A workbook of string cells, the first row being the header.
fn workbook(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet
                    .write_string(u32::try_from(r).unwrap(), u16::try_from(c).unwrap(), v)
                    .unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// The first sheet of a workbook as text cells.
pub(crate) fn cells(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn problems(report: &Value) -> Vec<(u64, String)> {
    report["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems in {report}"))
        .iter()
        .map(|p| {
            (
                p["row"].as_u64().unwrap(),
                p["column"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn people_count(app: &TestApp, token: &str, org: &str) -> usize {
    let people: Value = app
        .bearer(token)
        .get(&format!("/api/v1/organisations/{org}/people"))
        .await
        .json();
    people.as_array().unwrap().len()
}

#[both]
async fn a_thousand_people_in_xlsx_with_three_bad_rows_import_nothing_and_the_corrected_file_imports_all(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Write).await;
    let cao_bang = org_id(&app, &coordinator, "cao+bang").await;
    let file = |bad: bool| {
        let mut rows = vec![
            [
                "org",
                "family_name",
                "middle_name",
                "given_name",
                "title",
                "phones",
                "emails",
            ]
            .map(str::to_owned)
            .to_vec(),
        ];
        for i in 1..=1000 {
            let mut given = format!("Người {i}");
            let mut email = format!("nguoi{i}@caobang.gov.vn; ca{i}@caobang.gov.vn");
            let mut phone = format!("0206 38{i:05}");
            // Spreadsheet rows: the header is row 1, person i is row i + 1.
            match (bad, i + 1) {
                (true, 18) => given = String::new(),
                (true, 501) => email = format!("nguoi{i}@caobang.gov.vn; ca{i}@"),
                (true, 1000) => phone = "gọi tổng đài".into(),
                _ => {}
            }
            rows.push(vec![
                cao_bang.clone(),
                "Nông".into(),
                "Văn".into(),
                given,
                "Chuyên viên".into(),
                phone,
                email,
            ]);
        }
        workbook(&rows)
    };

    let dry = app
        .bearer(&coordinator)
        .post_body("/api/v1/people/import?dry_run=true", XLSX, file(true))
        .await;
    assert_eq!(dry.status(), 200, "{backend:?}");
    let report: Value = dry.json();
    assert_eq!(report["rows"], 1000);
    assert_eq!(
        problems(&report),
        [
            (18, "given_name".to_owned()),
            (501, "emails".to_owned()),
            (1000, "phones".to_owned())
        ],
        "{backend:?}"
    );
    // The coordinator reads Vietnamese: the column's header and the reason, in Vietnamese.
    assert_eq!(report["problems"][1]["header"], "Email");
    assert_eq!(
        report["problems"][1]["message"],
        "Địa chỉ email không hợp lệ."
    );

    let real = app
        .bearer(&coordinator)
        .post_body("/api/v1/people/import", XLSX, file(true))
        .await;
    assert_eq!(real.status(), 422);
    let p: Value = real.json();
    assert_eq!(p["errors"].as_array().unwrap().len(), 3);
    assert_eq!(p["errors"][2]["field"], "row 1000 / phones");
    assert_eq!(
        people_count(&app, &coordinator, &cao_bang).await,
        2,
        "nothing stored"
    );

    let ok = app
        .bearer(&coordinator)
        .post_body("/api/v1/people/import", XLSX, file(false))
        .await;
    assert_eq!(ok.status(), 201, "{backend:?}");
    assert_eq!(ok.json::<Value>()["imported"], 1000);
    assert_eq!(people_count(&app, &coordinator, &cao_bang).await, 1002);
}

#[both]
async fn a_row_for_an_organisation_the_actor_may_not_edit_is_refused_by_row(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Read).await;
    let thai_nguyen = org_id(&app, &coordinator, "thai+nguyen").await;
    let cao_bang = org_id(&app, &coordinator, "cao+bang").await;
    // Thái Nguyên's org admin may edit Thái Nguyên's directory, not Cao Bằng's.
    let admin = app
        .token("quantri.thainguyen@demo.irnet.vn", TokenScope::Write)
        .await;
    let csv = format!(
        "org,family_name,given_name,phones\n{thai_nguyen},Đỗ,An,0208 3856 603\n{cao_bang},Bế,Lan,0206 3852 409\nKHÔNG-CÓ,Lý,Hoa,\n"
    );
    let r = app
        .bearer(&admin)
        .post_body(
            "/api/v1/people/import?dry_run=true",
            "text/csv",
            csv.clone().into_bytes(),
        )
        .await;
    let report: Value = r.json();
    assert_eq!(
        problems(&report),
        [(3, "org".to_owned()), (4, "org".to_owned())],
        "{backend:?}"
    );
    assert_eq!(report["problems"][0]["code"], "org_not_editable");
    assert_eq!(report["problems"][1]["code"], "unknown_org");
    let r = app
        .bearer(&admin)
        .post_body("/api/v1/people/import", "text/csv", csv.into_bytes())
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        people_count(&app, &coordinator, &thai_nguyen).await,
        2,
        "nothing stored"
    );

    // A responder edits no directory, not even their own organisation's.
    let responder = app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Write)
        .await;
    let lang_son = org_id(&app, &coordinator, "lang+son").await;
    let csv = format!("org,family_name,given_name\n{lang_son},Hoàng,Nam\n");
    let report: Value = app
        .bearer(&responder)
        .post_body(
            "/api/v1/people/import?dry_run=true",
            "text/csv",
            csv.into_bytes(),
        )
        .await
        .json();
    assert_eq!(report["problems"][0]["code"], "org_not_editable");
    // A read-only token imports nothing at all.
    let read_only = app.token("dieuphoi@demo.irnet.vn", TokenScope::Read).await;
    let r = app
        .bearer(&read_only)
        .post_body(
            "/api/v1/people/import?dry_run=true",
            "text/csv",
            b"org\n".to_vec(),
        )
        .await;
    assert_eq!(r.status(), 403);
}

#[both]
async fn systems_import_from_csv_names_every_bad_cell_and_stores_a_clean_file(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Write).await;
    let lang_son = org_id(&app, &coordinator, "lang+son").await;
    let header = "owner,operator,name,approved_level,approval_decision,approval_date,public_urls,domains,ip_ranges,internet_facing,critical";
    let bad = format!(
        "{header}\n{lang_son},,Cổng dịch vụ công,6,12/QĐ-UBND,31/02/2024,ftp://x,dịch vụ công,10.0.0.300,có,không\n{lang_son},nowhere,Thư điện tử,3,,,https://mail.langson.gov.vn,mail.langson.gov.vn,203.113.0.0/24,yes,maybe\n"
    );
    let report: Value = app
        .bearer(&coordinator)
        .post_body(
            "/api/v1/systems/import?dry_run=true",
            "text/csv",
            bad.into_bytes(),
        )
        .await
        .json();
    assert_eq!(
        problems(&report),
        [
            (2, "approval_date".to_owned()),
            (2, "approved_level".to_owned()),
            (2, "public_urls".to_owned()),
            (2, "domains".to_owned()),
            (2, "ip_ranges".to_owned()),
            (3, "operator".to_owned()),
            (3, "critical".to_owned()),
        ],
        "{backend:?} {report}"
    );
    let good = format!(
        "{header}\n{lang_son},,Cổng dịch vụ công,3,12/QĐ-UBND,29/02/2024,https://dichvucong.langson.gov.vn,dichvucong.langson.gov.vn,203.113.1.0/24,có,không\n"
    );
    let r = app
        .bearer(&coordinator)
        .post_body("/api/v1/systems/import", "text/csv", good.into_bytes())
        .await;
    assert_eq!(r.status(), 201);
    let systems: Value = app
        .bearer(&coordinator)
        .get(&format!("/api/v1/organisations/{lang_son}/systems"))
        .await
        .json();
    let portal = systems
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Cổng dịch vụ công")
        .unwrap();
    assert_eq!(portal["approval_date"], "2024-02-29");
    assert_eq!(portal["internet_facing"], true);
    assert_eq!(portal["ip_ranges"][0], "203.113.1.0/24");
}

async fn export(app: &TestApp, token: &str, what: &str) -> Vec<u8> {
    let r = app
        .bearer(token)
        .get(&format!("/api/v1/{what}/export.xlsx"))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], XLSX);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"irnet-{what}-"))
            && disposition.ends_with(".xlsx\""),
        "{disposition}"
    );
    r.bytes().to_vec()
}

#[both]
async fn exports_hold_only_what_the_reader_may_see_and_import_unchanged(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let lang_son = app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Read)
        .await;
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Write).await;

    // The Lạng Sơn responder's export has Lạng Sơn's people and none of Cao Bằng's.
    let theirs = cells(&export(&app, &lang_son, "people").await);
    assert_eq!(theirs[0][2], "Họ", "Vietnamese headers: {:?}", theirs[0]);
    let given: Vec<&str> = theirs[1..].iter().map(|r| r[4].as_str()).collect();
    assert_eq!(given, ["Bình", "Mai"], "{backend:?}");
    let all_text = format!("{theirs:?}");
    assert!(
        !all_text.contains("Dũng") && !all_text.contains("0206"),
        "{all_text}"
    );
    let systems = cells(&export(&app, &lang_son, "systems").await);
    assert!(
        systems[1..].iter().all(|r| r[1].contains("Lạng Sơn")),
        "{systems:?}"
    );

    // The coordinator's has everyone's; it checks clean when imported again.
    let people = export(&app, &coordinator, "people").await;
    let rows = cells(&people);
    assert_eq!(rows.len(), 14, "13 demo people and the header");
    assert!(format!("{rows:?}").contains("Dũng"));
    let report: Value = app
        .bearer(&coordinator)
        .post_body("/api/v1/people/import?dry_run=true", XLSX, people)
        .await
        .json();
    assert_eq!(report["problems"], serde_json::json!([]), "{backend:?}");
    assert_eq!(report["rows"], 13);

    let systems = export(&app, &coordinator, "systems").await;
    let rows = cells(&systems);
    let portal = rows
        .iter()
        .find(|r| r[4].contains("Cổng thông tin"))
        .unwrap();
    assert_eq!(
        portal[15], "true",
        "internet-facing as a boolean cell: {portal:?}"
    );
    let report: Value = app
        .bearer(&coordinator)
        .post_body("/api/v1/systems/import?dry_run=true", XLSX, systems)
        .await
        .json();
    assert_eq!(report["problems"], serde_json::json!([]), "{backend:?}");
    assert_eq!(report["rows"].as_u64().unwrap() as usize, rows.len() - 1);

    let orgs = export(&app, &lang_son, "organisations").await;
    assert!(format!("{:?}", cells(&orgs)).contains("Sở Khoa học và Công nghệ tỉnh Cao Bằng"));
    let report: Value = app
        .bearer(&coordinator)
        .post_body("/api/v1/organisations/import?dry_run=true", XLSX, orgs)
        .await
        .json();
    // An import adds organisations: the unchanged export names members that exist already,
    // so each row with a member code is refused for it, and nothing else is wrong.
    let problems = report["problems"].as_array().unwrap();
    assert!(!problems.is_empty(), "{backend:?}");
    assert!(
        problems
            .iter()
            .all(|p| p["code"] == "member_code_taken" && p["column"] == "member_code"),
        "{backend:?}: {problems:?}"
    );
}

#[both]
async fn files_that_are_not_sheets_are_named_as_such_and_the_import_limit_is_16_mib(
    backend: Backend,
) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let coordinator = app.token("dieuphoi@demo.irnet.vn", TokenScope::Write).await;
    for (body, code) in [
        (vec![0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0], "legacy_excel"),
        (b"PK\x03\x04not a workbook".to_vec(), "xlsx_unreadable"),
        (vec![b'a', 0xFF, 0xFE, b'\n'], "not_utf8"),
    ] {
        let report: Value = app
            .bearer(&coordinator)
            .post_body(
                "/api/v1/systems/import?dry_run=true",
                "application/octet-stream",
                body,
            )
            .await
            .json();
        assert_eq!(report["problems"][0]["code"], code, "{backend:?}");
        assert_eq!(report["problems"][0]["row"], 1);
    }
    // 3 MiB is over the general limit but within the import's.
    let big = "owner,name\n".to_owned() + &"x,y\n".repeat(800_000);
    let r = app
        .bearer(&coordinator)
        .post_body(
            "/api/v1/systems/import?dry_run=true",
            "text/csv",
            big.into_bytes(),
        )
        .await;
    let report: Value = r.json();
    assert_eq!(report["problems"][0]["code"], "too_many_rows");
    let huge = "owner,name\n".to_owned() + &"x,y\n".repeat(4_500_000);
    let r = app
        .bearer(&coordinator)
        .post_body("/api/v1/systems/import", "text/csv", huge.into_bytes())
        .await;
    assert_eq!(r.status(), 413);
    assert_eq!(r.json::<Value>()["code"], "payload_too_large");
    // Elsewhere, the general 2 MiB limit holds.
    let r = app
        .bearer(&coordinator)
        .post_body(
            "/api/v1/organisations",
            "application/json",
            vec![b' '; 3 * 1024 * 1024],
        )
        .await;
    assert_eq!(r.status(), 413);
}

/// Sends the import form as a browser does.
async fn import(browser: &Client, token: &str, dry_run: bool, file: &str) -> Reply {
    let mut fields = vec![("csrf_token", token), ("kind", "people")];
    if dry_run {
        fields.push(("dry_run", "1"));
    }
    browser
        .multipart(
            "/directory/import",
            &fields,
            "people.csv",
            "text/csv",
            file.as_bytes(),
        )
        .await
}

#[both]
async fn the_import_page_shows_every_problem_and_imports_a_clean_file(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    let token = app.token("dieuphoi@demo.irnet.vn", TokenScope::Read).await;
    let cao_bang = org_id(&app, &token, "cao+bang").await;
    let (browser, _) = app
        .sign_in("quantri.thainguyen@demo.irnet.vn", "demo-orgadmin-2024")
        .await;
    let page = browser.get("/directory/import").await.text();
    assert!(page.contains("Nhập và xuất danh bạ") && page.contains("/api/v1/people/export.xlsx"));
    let csrf = form_token(&page);
    let thai_nguyen = org_id(&app, &token, "thai+nguyen").await;
    let file = format!(
        "Tổ chức (mã thành viên hoặc mã định danh),Họ,Tên,Email\n{thai_nguyen},Đỗ,An,an@\n{cao_bang},Bế,Lan,\n"
    );
    let r = import(&browser, &csrf, true, &file).await;
    assert_eq!(r.status(), 422, "{backend:?}");
    let html = r.text();
    assert!(
        html.contains("<td>2</td><td>Email</td><td>Địa chỉ email không hợp lệ.</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td>3</td>")
            && html.contains("Bạn không có quyền sửa danh bạ của tổ chức này.")
    );

    let file = format!("org,family_name,given_name\n{thai_nguyen},Đỗ,An\n");
    let r = import(&browser, &csrf, false, &file).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().contains("Đã nhập 1 dòng."));
    assert_eq!(people_count(&app, &token, &thai_nguyen).await, 3);

    // Without the form token the upload is refused and nothing is stored.
    let r = import(&browser, "forged", false, &file).await;
    assert_eq!(r.status(), 403);
    assert_eq!(people_count(&app, &token, &thai_nguyen).await, 3);
}
