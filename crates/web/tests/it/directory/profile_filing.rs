//! Filing the Mẫu 01 confirmation: Thái Nguyên's org admin sets the organisation's address,
//! contacts and head, and files the profile; the filed DOCX carries them with each system's
//! owner, operator and approval, and stays byte-identical after the profile changes; filing again
//! is a new version with a new number; a responder may not file (403), an outsider is told
//! nothing (404), bad fields are refused by name; the page lists the versions.

use irnet_testkit::{Backend, both, docx_xml, fields, form_token, spawn_app};
use reqwest::StatusCode;
use serde_json::json;

#[both]
async fn a_filed_mau_01_keeps_its_bytes_and_each_version_its_number(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2026, 2, 10, 9, 0);
    let thai_nguyen = app.demo_org("Sở KH&CN Thái Nguyên").await;
    let admin = app.client_of("quantri.thainguyen@demo.irnet.vn").await;
    let base = format!("/api/v1/organisations/{thai_nguyen}/profile");

    // The organisation's details, with a bad address refused by name.
    let p = admin
        .put_json(
            &format!("{base}/details"),
            &json!({"email": "khong-phai-thu", "head_title": "Giám đốc"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["email", "head_name"], "{backend:?}: {p:?}");
    let (s, body) = admin
        .put_json(
            &format!("{base}/details"),
            &json!({
                "address": "Số 8 đường Hoàng Văn Thụ, phường Phan Đình Phùng, tỉnh Thái Nguyên",
                "phone": "0208 3855 466", "email": "vanthu@thainguyen.gov.vn",
                "head_name": "Nguyễn Văn Tiến", "head_title": "Giám đốc Sở",
            }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::OK, "{backend:?}: {body}");
    assert_eq!(body["details"]["head_name"], "Nguyễn Văn Tiến");
    let (s, body) = admin
        .post_json(
            &format!("/api/v1/organisations/{thai_nguyen}/systems"),
            &json!({
                "name": "Hệ thống quản lý văn bản và điều hành tỉnh Thái Nguyên",
                "proposed_level": 3, "approved_level": 3,
                "approval_decision": "1234/QĐ-UBND", "approval_date": "2025-09-15",
                "approver": "UBND tỉnh Thái Nguyên",
            }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {body}");

    let p = admin
        .post_json(
            &format!("{base}/filed"),
            &json!({"document_number": "7/TB-STTTT", "signer_title": "Giám đốc"}),
        )
        .await
        .problem(422);
    assert_eq!(fields(&p), ["filing.signer_name"], "{backend:?}: {p:?}");
    let (_, filed) = admin.get(&format!("{base}/filed")).await.parts();
    assert_eq!(filed, json!([]), "{backend:?}: nothing filed");

    let (s, v1) = admin
        .post_json(
            &format!("{base}/filed"),
            &json!({"document_number": "7/TB-STTTT", "place": "Thái Nguyên",
                    "signer_title": "Giám đốc", "signer_name": "Nguyễn Văn Tiến"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {v1}");
    assert_eq!(v1["kind"], "mau_01");
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["filed_by_name"], "Ma Thị Hường");
    let number = v1["number"].as_str().unwrap().to_owned();
    assert!(number.ends_with("/TT01"), "{number}");
    let fid = v1["id"].as_str().unwrap().to_owned();
    let res = admin.get(&format!("{base}/filed/{fid}/docx")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let filed_bytes = res.bytes().to_vec();
    assert_eq!(
        irnet_app::filing::sha256_hex(&filed_bytes),
        v1["sha256"].as_str().unwrap()
    );
    let xml = docx_xml(&filed_bytes);
    for text in [
        "Số 8 đường Hoàng Văn Thụ",
        "0208 3855 466",
        "vanthu@thainguyen.gov.vn",
        "Giám đốc Sở Nguyễn Văn Tiến",
        "Chủ quản: ",
        "1234/QĐ-UBND, 15/09/2025",
        "Số: 7/TB-STTTT",
        "Thái Nguyên, ngày 10 tháng 02 năm 2026",
        number.as_str(),
    ] {
        assert!(
            xml.contains(text),
            "{backend:?}: the filed Mẫu 01 shows {text}"
        );
    }
    assert!(!xml.contains("DỰ THẢO"));

    // The profile changes; the filed document does not, the live one is a draft of today.
    let (s, _) = admin
        .put_json(
            &format!("{base}/details"),
            &json!({"address": "Số 1 đường Mới", "head_name": "Trần Thị Lan"}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::OK);
    let coordinator = app.client_of("dieuphoi@demo.irnet.vn").await;
    let res = coordinator.get(&format!("{base}/filed/{fid}/docx")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.bytes() == filed_bytes.as_slice(),
        "{backend:?}: the bytes filed"
    );
    let draft = docx_xml(admin.get(&format!("{base}.docx")).await.bytes());
    assert!(draft.contains("DỰ THẢO") && draft.contains("Số 1 đường Mới"));

    let (s, v2) = admin
        .post_json(&format!("{base}/filed"), &json!({}))
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {v2}");
    assert_eq!(v2["version"], 2);
    assert_ne!(v2["number"], v1["number"]);

    // A responder of Thái Nguyên reads but may not file; Lạng Sơn is told nothing.
    let tn = app.bearer(
        &app.responder("ungcuu.thainguyen@test.vn", &thai_nguyen)
            .await,
    );
    let (s, list) = tn.get(&format!("{base}/filed")).await.parts();
    assert_eq!(s, StatusCode::OK, "{list}");
    let (s, _) = tn
        .post_json(&format!("{base}/filed"), &json!({}))
        .await
        .parts();
    assert_eq!(s, StatusCode::FORBIDDEN, "{backend:?}");
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    for path in [format!("{base}/filed"), format!("{base}/filed/{fid}/docx")] {
        let (s, _) = ls.get(&path).await.parts();
        assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}: {path}");
    }
    let (s, _) = ls
        .post_json(&format!("{base}/filed"), &json!({}))
        .await
        .parts();
    assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}: outsider filing");

    // The page lists the versions; its form files another and names a bad field.
    let (browser, _) = app
        .sign_in("quantri.thainguyen@demo.irnet.vn", "demo-orgadmin-2024")
        .await;
    let page = browser.get(&format!("/orgs/{thai_nguyen}")).await.text();
    assert!(page.contains("id=\"profile-filed\""), "{page}");
    assert!(page.contains(&number));
    assert!(page.contains("Ma Thị Hường"));
    assert!(page.contains("10/02/2026 09:00"));
    assert!(page.contains("Số 1 đường Mới"));
    let csrf = form_token(&page);
    let r = browser
        .post_form(
            &format!("/orgs/{thai_nguyen}/profile/file"),
            &[
                ("csrf_token", csrf.as_str()),
                ("signer_name", "Trần Thị Lan"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "{backend:?}");
    assert!(r.text().contains("Chức vụ người ký"), "names the field");
    let r = browser
        .post_form(
            &format!("/orgs/{thai_nguyen}/profile/file"),
            &[("csrf_token", csrf.as_str())],
        )
        .await;
    assert_eq!(r.status(), 303, "{backend:?}");
    let page = browser.get(&format!("/orgs/{thai_nguyen}")).await.text();
    assert!(page.contains("/TT01-3"));
    // A responder's page offers no filing form.
    let (browser, _) = app
        .sign_in("ungcuu.thainguyen@test.vn", irnet_testkit::PASSWORD)
        .await;
    let page = browser.get(&format!("/orgs/{thai_nguyen}")).await.text();
    assert!(page.contains("id=\"profile-filed\""));
    assert!(!page.contains("id=\"profile-file-form\""));
}
