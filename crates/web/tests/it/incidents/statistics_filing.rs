//! Filing Mẫu 05: Lạng Sơn files its statistics of the second half of 2025; an incident added
//! later changes the live (draft) form but not the filed DOCX and XLSX; filing the period again
//! is a new version with a new number; the help asked of the coordinator is counted from the
//! incident's own reports; the coordinator reads what was filed, an outsider gets 404, a viewer
//! and the coordinator may not file (403), bad fields are refused by name; the page lists the
//! versions with who filed them and when.

use irnet_domain::Role;
use irnet_testkit::{Backend, both, docx_xml, fields, form_token, org_grant, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[both]
async fn a_filed_mau_05_keeps_its_bytes_and_each_version_its_number(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2025, 12, 20, 9, 0);
    let lang_son = app.demo_org("Sở KH&CN Lạng Sơn").await;
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    let coordinator = app.client_of("dieuphoi@demo.irnet.vn").await;
    let base = format!("/api/v1/organisations/{lang_son}/incident-statistics");

    let incident = |title: &'static str, day: &'static str| {
        let ls = &ls;
        async move {
            let (s, inc) = ls
                .post_json(
                    "/api/v1/incidents",
                    &json!({"title": title, "detected_at": day, "type_key": "malware", "submit": true}),
                )
                .await
                .parts();
            assert_eq!(s, StatusCode::CREATED, "{inc}");
            inc["id"].as_str().unwrap().to_owned()
        }
    };
    let first = incident("Mã độc trên máy chủ thư điện tử", "2025-08-10T08:30").await;
    // Its own reports say the coordinator was asked for help: a request for support filed
    // among them.
    let (s, body) = ls
        .post_json(
            &format!("/api/v1/incidents/{first}/reports"),
            &json!({"kind": "support_request", "text": "Đề nghị hỗ trợ phân tích mẫu mã độc"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {body}");
    let (_, live) = ls.get(&format!("{base}?year=2025&half=2")).await.parts();
    assert_eq!(live["total"]["count"], 1, "{live}");
    assert_eq!(
        live["total"]["requested_coordinator"], 1,
        "{backend:?}: counted from the incident's own reports"
    );

    // Bad input: refused by name, nothing filed.
    let p = ls
        .post_json(&format!("{base}/filed"), &json!({"year": 2025, "half": 3}))
        .await
        .problem(422);
    assert_eq!(fields(&p), ["half"], "{backend:?}: {p:?}");
    let p = ls
        .post_json(
            &format!("{base}/filed"),
            &json!({"year": 2025, "half": 2, "filing": {"document_number": "mười lăm"}}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["filing.document_number"], "{backend:?}: {p:?}");
    let (_, filed) = ls.get(&format!("{base}/filed")).await.parts();
    assert_eq!(filed, json!([]), "{backend:?}: nothing filed");

    let (s, v1) = ls
        .post_json(
            &format!("{base}/filed"),
            &json!({"year": 2025, "half": 2, "filing": {
                "document_number": "20/BC-STTTT", "place": "Lạng Sơn",
                "recipients": ["Cục An toàn thông tin"],
                "signer_title": "Giám đốc", "signer_name": "Hoàng Văn Nam",
            }}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {v1}");
    assert_eq!(v1["kind"], "mau_05");
    assert_eq!(v1["period"], "2025-H2");
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["filed_by_name"], "Lương Thị Mai");
    let number = v1["number"].as_str().unwrap().to_owned();
    assert!(number.contains("/BC05-2025-H2"), "{number}");
    let fid = v1["id"].as_str().unwrap().to_owned();

    let docx = ls.get(&format!("{base}/filed/{fid}/docx")).await;
    assert_eq!(docx.status(), StatusCode::OK);
    let docx = docx.bytes().to_vec();
    assert_eq!(
        irnet_app::filing::sha256_hex(&docx),
        v1["sha256"].as_str().unwrap()
    );
    let xml = docx_xml(&docx);
    for text in [
        "Số: 20/BC-STTTT",
        "Lạng Sơn, ngày 20 tháng 12 năm 2025",
        "6 tháng cuối năm 2025",
        "Đề nghị Cơ quan điều phối quốc gia hỗ trợ",
        "GIÁM ĐỐC",
        "Hoàng Văn Nam",
        number.as_str(),
    ] {
        assert!(
            xml.contains(text),
            "{backend:?}: the filed Mẫu 05 shows {text}"
        );
    }
    assert!(!xml.contains("DỰ THẢO"), "a filed report is no draft");
    let xlsx = ls.get(&format!("{base}/filed/{fid}/xlsx")).await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    let xlsx = xlsx.bytes().to_vec();
    assert!(xlsx.starts_with(b"PK"), "an XLSX");

    // Later data: another incident of the period. The live form counts it and says it is a
    // draft; the filed documents do not move.
    app.set_local_time(2026, 1, 5, 9, 0);
    incident("Tấn công dò quét mật khẩu", "2025-11-02T10:00").await;
    let (_, live) = ls.get(&format!("{base}?year=2025&half=2")).await.parts();
    assert_eq!(live["total"]["count"], 2, "{live}");
    let draft = ls
        .get(&format!("{base}/form?year=2025&half=2&format=docx"))
        .await;
    assert_eq!(draft.status(), StatusCode::OK);
    assert!(
        docx_xml(draft.bytes()).contains("DỰ THẢO"),
        "{backend:?}: the live form is a draft"
    );
    for (path, bytes) in [
        (format!("{base}/filed/{fid}/docx"), &docx),
        (format!("{base}/filed/{fid}/xlsx"), &xlsx),
    ] {
        let res = coordinator.get(&path).await;
        assert_eq!(res.status(), StatusCode::OK, "{backend:?}: {path}");
        assert!(
            res.bytes() == bytes.as_slice(),
            "{backend:?}: {path} returns the bytes filed"
        );
    }

    // Filing the period again: a new version with a new number.
    let (s, v2) = ls
        .post_json(&format!("{base}/filed"), &json!({"year": 2025, "half": 2}))
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {v2}");
    assert_eq!(v2["version"], 2);
    assert_ne!(
        v2["number"], v1["number"],
        "{backend:?}: each version its own number"
    );
    let (_, filed) = coordinator.get(&format!("{base}/filed")).await.parts();
    let versions: Vec<&Value> = filed.as_array().unwrap().iter().collect();
    assert_eq!(versions.len(), 2, "{filed}");
    assert_eq!(versions[0]["version"], 2, "newest first");

    // Who may not: an outsider is told nothing, a viewer of Lạng Sơn and the coordinator
    // (who receives it) may not file it.
    let thai_nguyen = app.client_of("quantri.thainguyen@demo.irnet.vn").await;
    for path in [
        format!("{base}/filed"),
        format!("{base}/filed/{fid}/docx"),
        format!("{base}/filed/{fid}/xlsx"),
    ] {
        let (s, _) = thai_nguyen.get(&path).await.parts();
        assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}: {path}");
    }
    let (s, _) = thai_nguyen
        .post_json(&format!("{base}/filed"), &json!({"year": 2025, "half": 2}))
        .await
        .parts();
    assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}: outsider filing");
    app.account(
        "xem.langson@test.vn",
        &lang_son,
        vec![org_grant(Role::Viewer, &lang_son)],
    )
    .await;
    let viewer = app.client_of("xem.langson@test.vn").await;
    for who in [&viewer, &coordinator] {
        let (s, _) = who
            .post_json(&format!("{base}/filed"), &json!({"year": 2025, "half": 2}))
            .await
            .parts();
        assert_eq!(s, StatusCode::FORBIDDEN, "{backend:?}");
    }

    // The page: each version with its number, when and by whom; the form files another and
    // names a bad field.
    let (browser, _) = app
        .sign_in("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")
        .await;
    let page = browser.get(&format!("/orgs/{lang_son}")).await.text();
    assert!(page.contains("id=\"statistics-filed\""), "{page}");
    assert!(page.contains(&number));
    assert!(page.contains("Lương Thị Mai"));
    assert!(
        page.contains("20/12/2025 09:00"),
        "filed on, dd/mm/yyyy hh:mm"
    );
    assert!(page.contains("6 tháng cuối năm 2025"));
    let csrf = form_token(&page);
    let r = browser
        .post_form(
            &format!("/orgs/{lang_son}/statistics/file"),
            &[
                ("csrf_token", csrf.as_str()),
                ("year", "2025"),
                ("half", "2"),
                ("document_number", "BC-STTTT"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "{backend:?}");
    assert!(r.text().contains("Số văn bản"), "names the field");
    let r = browser
        .post_form(
            &format!("/orgs/{lang_son}/statistics/file"),
            &[
                ("csrf_token", csrf.as_str()),
                ("year", "2025"),
                ("half", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{backend:?}");
    let page = browser.get(&format!("/orgs/{lang_son}")).await.text();
    assert!(
        page.contains("/BC05-2025-Y"),
        "the year filed from the page"
    );
    assert!(page.contains("Năm 2025"));
}
