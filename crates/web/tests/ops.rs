//! What operators and API clients rely on: health, readiness, metrics, the OpenAPI document.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed unwrap in a test is a failed assertion

use irnet_testkit::{Backend, spawn_app};
use serde_json::Value;

#[tokio::test]
async fn health_readiness_metrics_and_the_api_description_answer() {
    let (app, _db) = spawn_app(Backend::Sqlite).await;
    assert_eq!(
        reqwest::get(app.api("/healthz")).await.unwrap().status(),
        200
    );
    let ready: Value = reqwest::get(app.api("/readyz"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["status"], "ready");

    let doc: Value = reqwest::get(app.api("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/me",
        "/api/v1/users",
        "/api/v1/me/tokens",
        "/api/v1/audit",
        "/api/v1/organisations",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    let unauthorised = &doc["paths"]["/api/v1/me"]["get"]["responses"]["401"]["content"]["application/problem+json"]
        ["schema"];
    assert!(
        unauthorised.is_object(),
        "401 is not documented as a problem document"
    );
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let docs = reqwest::get(app.api("/api/docs/")).await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"));
}
