//! Filing freezes: Bắc Kạn files its incident of 15/10/2024 and its Mẫu 03; in 2026, after a new
//! evidence file, the Mẫu 03 downloaded is byte-identical to the one filed and still says
//! "Sở Thông tin và Truyền thông tỉnh Bắc Kạn"; a draft says it is one; each closing report
//! version has its own number; an outsider gets 404; bad filing fields are refused by name.

use irnet_testkit::{Backend, both, docx_xml, fields, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[both]
async fn a_filed_report_keeps_its_bytes_and_names(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2024, 10, 15, 9, 0);
    let bac_kan = app.demo_org("Sở KH&CN Bắc Kạn").await;
    let bk = app.bearer(&app.responder("ungcuu.backan@test.vn", &bac_kan).await);
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

    let (s, inc) = bk
        .post_json(
            "/api/v1/incidents",
            &json!({
                "title": "Tấn công thay đổi giao diện Cổng thông tin điện tử tỉnh",
                "detected_at": "2024-10-15T08:30",
                "system_id": portal,
                "type_key": "defacement",
                "submit": true,
            }),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {inc}");
    let id = inc["id"].as_str().unwrap().to_owned();
    if inc["status"] == "draft" {
        let (s, inc) = bk
            .post_json(&format!("/api/v1/incidents/{id}/submit"), &json!({}))
            .await
            .parts();
        assert_eq!(s, StatusCode::OK, "{inc}");
    }
    let (_, log) = bk
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/incidents/{id}/attachments?filename=access-2024.log"),
        )
        .body("GET /wp-login.php 404\n")
        .send()
        .await
        .parts();
    assert!(log["id"].is_string(), "{log}");

    // Bad filing fields: refused, naming each field, nothing filed.
    let p = bk
        .post_json(
            &format!("/api/v1/incidents/{id}/reports"),
            &json!({"kind": "initial", "filing": {
                "document_number": "mười lăm", "signer_title": "Giám đốc"
            }}),
        )
        .await
        .problem(422);
    assert_eq!(
        fields(&p),
        ["filing.document_number", "filing.signer_name"],
        "{backend:?}: {p:?}"
    );
    let (_, filed) = bk
        .get(&format!("/api/v1/incidents/{id}/filed"))
        .await
        .parts();
    assert_eq!(filed, json!([]), "{backend:?}: nothing filed");

    let filing = json!({
        "document_number": "15/BC-STTTT",
        "place": "Bắc Kạn",
        "recipients": ["Cục An toàn thông tin"],
        "signer_title": "Giám đốc",
        "signer_name": "Hoàng Văn Thiên",
    });
    let (s, body) = bk
        .post_json(
            &format!("/api/v1/incidents/{id}/reports"),
            &json!({"kind": "initial", "filing": filing}),
        )
        .await
        .parts();
    assert_eq!(s, StatusCode::CREATED, "{backend:?}: {body}");
    let (_, filed) = bk
        .get(&format!("/api/v1/incidents/{id}/filed"))
        .await
        .parts();
    let mau03 = filed[0].clone();
    assert_eq!(mau03["kind"], "mau_03", "{filed}");
    assert_eq!(mau03["version"], 1);
    assert_eq!(mau03["document_number"], "15/BC-STTTT");
    let number = mau03["number"].as_str().unwrap().to_owned();
    assert!(number.ends_with("/BC03"), "{number}");
    let fid = mau03["id"].as_str().unwrap().to_owned();
    let (_, reports) = bk
        .get(&format!("/api/v1/incidents/{id}/reports"))
        .await
        .parts();
    let rid = reports[0]["id"].as_str().unwrap().to_owned();

    let res = bk
        .get(&format!("/api/v1/incidents/{id}/filed/{fid}/docx"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let filed_bytes = res.bytes().to_vec();
    assert_eq!(
        irnet_app::filing::sha256_hex(&filed_bytes),
        mau03["sha256"].as_str().unwrap(),
        "{backend:?}: the listed hash is that of the bytes"
    );
    let xml = docx_xml(&filed_bytes);
    for text in [
        "Sở Thông tin và Truyền thông tỉnh Bắc Kạn",
        "Số: 15/BC-STTTT",
        "Bắc Kạn, ngày 15 tháng 10 năm 2024",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Nơi nhận:",
        "- Cục An toàn thông tin;",
        "GIÁM ĐỐC",
        "Hoàng Văn Thiên",
        "Ubuntu Server",
        "22.04 LTS",
        "access-2024.log",
    ] {
        assert!(xml.contains(text), "{backend:?}: Mẫu 03 shows {text}");
    }
    assert!(!xml.contains("DỰ THẢO"), "a filed report is no draft");

    // 2026: the organisation has been renamed and merged, a new file is uploaded; the filed
    // document does not move.
    app.set_local_time(2026, 3, 2, 9, 0);
    let bk = app.client_of("ungcuu.backan@test.vn").await;
    let ls = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    let (_, log) = bk
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/incidents/{id}/attachments?filename=nhat-ky-2026.log"),
        )
        .body("GET /admin 403\n")
        .send()
        .await
        .parts();
    assert!(log["id"].is_string(), "{log}");
    for path in [
        format!("/api/v1/incidents/{id}/filed/{fid}/docx"),
        format!("/api/v1/incidents/{id}/reports/{rid}/docx"),
    ] {
        let res = bk.get(&path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(
            res.bytes() == filed_bytes.as_slice(),
            "{backend:?}: {path} returns the bytes filed"
        );
    }
    // A draft is rendered from today's data and says so.
    let res = bk
        .get(&format!("/api/v1/incidents/{id}/draft/initial/docx"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let draft = docx_xml(res.bytes());
    assert!(draft.contains("DỰ THẢO"), "{backend:?}: marked as a draft");
    assert!(draft.contains("nhat-ky-2026.log"), "the draft is live");

    // Two closing reports: each its own number and version. Bắc Kạn merged into Thái Nguyên on
    // 01/07/2025, so in 2026 its successor's responder files them.
    let thai_nguyen = app.demo_org("Sở KH&CN Thái Nguyên").await;
    let tn = app.bearer(
        &app.responder("ungcuu.thainguyen@test.vn", &thai_nguyen)
            .await,
    );
    for (n, result) in ["Đã khôi phục", "Đã khôi phục, bổ sung nhật ký"]
        .iter()
        .enumerate()
    {
        let (s, body) = tn
            .post_json(
                &format!("/api/v1/incidents/{id}/reports"),
                &json!({"kind": "closing", "result": result, "filing": {
                    "document_number": format!("{}/BC-STTTT", 20 + n),
                    "place": "Bắc Kạn",
                }}),
            )
            .await
            .parts();
        assert_eq!(s, StatusCode::CREATED, "{backend:?}: {body}");
    }
    let (_, filed) = bk
        .get(&format!("/api/v1/incidents/{id}/filed"))
        .await
        .parts();
    let closing: Vec<&Value> = filed
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "mau_04")
        .collect();
    assert_eq!(closing.len(), 2, "{filed}");
    assert_eq!(closing[0]["version"], 1);
    assert_eq!(closing[1]["version"], 2);
    assert_ne!(
        closing[0]["number"], closing[1]["number"],
        "{backend:?}: each version its own number"
    );
    let second = bk
        .get(&format!(
            "/api/v1/incidents/{id}/filed/{}/docx",
            closing[1]["id"].as_str().unwrap()
        ))
        .await;
    let xml = docx_xml(second.bytes());
    assert!(xml.contains(closing[1]["number"].as_str().unwrap()));
    assert!(
        xml.contains(&number),
        "{backend:?}: cites the initial report"
    );
    assert!(xml.contains("nhat-ky-2026.log"), "lists its attachments");

    // An outsider sees none of it.
    for path in [
        format!("/api/v1/incidents/{id}/filed"),
        format!("/api/v1/incidents/{id}/filed/{fid}/docx"),
        format!("/api/v1/incidents/{id}/reports/{rid}/docx"),
        format!("/api/v1/incidents/{id}/draft/initial/docx"),
    ] {
        let (s, _) = ls.get(&path).await.parts();
        assert_eq!(s, StatusCode::NOT_FOUND, "{backend:?}: {path}");
    }
}
