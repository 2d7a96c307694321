//! The composition timeline of the seed's Cluster 1: founded with six members by 38/QĐ-CATTT,
//! renamed on 01/03/2025, two members merged away on 01/07/2025, led by Bắc Kạn in 2024 and Cao
//! Bằng in 2025 — through the API and drawn on the cluster page, in Vietnamese and English.

use irnet_domain::TokenScope;
use irnet_testkit::{Backend, both, spawn_app};
use reqwest::StatusCode;
use serde_json::Value;

fn of_kind<'a>(events: &'a [Value], kind: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["kind"] == kind).collect()
}

#[both]
async fn cluster_one_timeline_through_the_api_and_on_the_page(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    // Public directory data: a responder of any member sees it.
    let token = app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Read)
        .await;
    let (_, clusters) = app.bearer(&token).get("/api/v1/clusters").await.parts();
    let id = clusters[0]["id"].as_str().unwrap().to_owned();

    let (status, t) = app
        .bearer(&token)
        .get(&format!("/api/v1/clusters/{id}/timeline"))
        .await
        .parts();
    assert_eq!(status, StatusCode::OK, "{backend:?}: {t}");
    let events = t["events"].as_array().unwrap();
    assert_eq!(
        events[0]["kind"], "founded",
        "{backend:?}: the founding comes first"
    );
    assert_eq!(events[0]["on"], "2020-05-04");
    assert_eq!(events[0]["detail"], "38/QĐ-CATTT");
    let founders: Vec<&str> = events[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name_vi"].as_str().unwrap())
        .collect();
    assert_eq!(founders.len(), 6, "{backend:?}");
    assert!(
        founders.contains(&"Sở Thông tin và Truyền thông tỉnh Bắc Kạn"),
        "{founders:?}"
    );

    let renamed = of_kind(events, "renamed");
    assert_eq!(
        renamed.len(),
        6,
        "{backend:?}: every member was renamed on 01/03/2025"
    );
    assert!(renamed.iter().all(|e| e["on"] == "2025-03-01"));
    assert!(renamed.iter().any(|e| e["org"]["name_vi"]
        == "Sở Thông tin và Truyền thông tỉnh Cao Bằng"
        && e["other"]["name_vi"] == "Sở Khoa học và Công nghệ tỉnh Cao Bằng"));

    let mut merged: Vec<(String, String)> = of_kind(events, "merged")
        .iter()
        .map(|e| {
            assert_eq!(e["on"], "2025-07-01");
            (
                e["org"]["name_vi"].as_str().unwrap().to_owned(),
                e["other"]["name_vi"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    merged.sort();
    assert_eq!(
        merged,
        [
            (
                "Sở Khoa học và Công nghệ tỉnh Bắc Giang".to_owned(),
                "Sở Khoa học và Công nghệ tỉnh Bắc Ninh".to_owned()
            ),
            (
                "Sở Khoa học và Công nghệ tỉnh Bắc Kạn".to_owned(),
                "Sở Khoa học và Công nghệ tỉnh Thái Nguyên".to_owned()
            ),
        ],
        "{backend:?}"
    );
    assert!(
        of_kind(events, "left").is_empty(),
        "a merger is not a departure"
    );

    let leads = of_kind(events, "lead");
    assert_eq!(leads.len(), 2, "{backend:?}");
    assert_eq!(leads[0]["year"], 2024);
    assert_eq!(
        leads[0]["org"]["name_vi"],
        "Sở Thông tin và Truyền thông tỉnh Bắc Kạn"
    );
    assert_eq!(leads[1]["year"], 2025);
    assert_eq!(
        leads[1]["org"]["name_vi"],
        "Sở Khoa học và Công nghệ tỉnh Cao Bằng"
    );
    assert_eq!(
        leads[1]["other"]["name_vi"],
        "Sở Thông tin và Truyền thông tỉnh Bắc Kạn"
    );
    assert!(leads[1]["by"].as_str().unwrap().contains("Hoàng Văn Thiên"));
    let days: Vec<&str> = events.iter().map(|e| e["on"].as_str().unwrap()).collect();
    assert!(
        days.windows(2).all(|w| w[0] <= w[1]),
        "oldest first: {days:?}"
    );

    // One row per membership, each with the names borne while a member.
    let rows = t["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    let bac_kan = rows
        .iter()
        .find(|r| r["names"][0]["name_vi"] == "Sở Thông tin và Truyền thông tỉnh Bắc Kạn")
        .unwrap();
    assert_eq!(bac_kan["until"], "2025-07-01");
    assert_eq!(bac_kan["names"].as_array().unwrap().len(), 2);
    assert_eq!(bac_kan["names"][1]["to"], "2025-07-01");

    let (status, _) = app
        .bearer(&token)
        .get("/api/v1/clusters/00000000-0000-0000-0000-000000000000/timeline")
        .await
        .parts();
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The page draws the chart and lists the events in the reader's language.
    let (status, vi) = app
        .bearer(&token)
        .lang("vi")
        .get(&format!("/clusters/{id}"))
        .await
        .page();
    assert_eq!(status, StatusCode::OK);
    assert!(vi.contains("<svg id=\"timeline-chart\""), "{backend:?}");
    assert_eq!(vi.matches("class=\"tl-row\"").count(), 6);
    assert!(
        vi.contains("Thành lập cụm theo Quyết định số 38/QĐ-CATTT, gồm 6 thành viên"),
        "{vi}"
    );
    assert!(vi.contains(
        "Sở Khoa học và Công nghệ tỉnh Bắc Kạn hợp nhất vào Sở Khoa học và Công nghệ tỉnh Thái Nguyên"
    ));
    assert!(
        vi.contains("CN Thái Nguyên</text>") && vi.contains("→ Sở KH"),
        "the chart says where Bắc Kạn went"
    );
    // The profile's language wins over the browser's: switch the responder to English.
    let write = app
        .token("ungcuu.langson@demo.irnet.vn", TokenScope::Write)
        .await;
    let res = app
        .bearer(&write)
        .patch_json("/api/v1/me", &serde_json::json!({ "locale": "en" }))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let (_, en) = app
        .bearer(&token)
        .lang("en")
        .get(&format!("/clusters/{id}"))
        .await
        .page();
    assert!(
        en.contains("Cluster founded by Decision No. 38/QĐ-CATTT with 6 members"),
        "{en}"
    );
    assert!(en.contains(
        "Bắc Kạn Department of Science and Technology merged into Thái Nguyên Department of Science and Technology"
    ), "{en}");
}
