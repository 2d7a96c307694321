//! What operators and API clients rely on: health, readiness, metrics, the OpenAPI document.

use irnet_testkit::{Backend, both, spawn_app};
use serde_json::Value;

#[both]
async fn health_readiness_metrics_and_the_api_description_answer(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    let client = app.client();
    assert_eq!(client.get("/healthz").await.status(), 200);
    let ready: Value = client.get("/readyz").await.json();
    assert_eq!(ready["status"], "ready");

    let doc: Value = client.get("/api/openapi.json").await.json();
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
    let docs = client.get("/api/docs/").await;
    assert_eq!(docs.status(), 200);
    assert!(docs.text().contains("swagger"));
}

/// `/metrics` describes the deployment (routes, request counts, pool sizes): on the main listener
/// only for a scraper with the configured token, otherwise only on its own listen address.
#[both]
async fn metrics_need_the_token_or_their_own_address(backend: Backend) {
    use std::sync::Arc;

    use irnet_testkit::{Client, TestDb, metrics_handle, start_with, test_clock};
    use irnet_web::{AppState, MetricsToken, WebConfig};

    // Neither a token nor an address: nobody gets metrics from the main listener.
    let (plain, _db) = spawn_app(backend).await;
    assert_eq!(plain.client().get("/metrics").await.status(), 404);
    assert_eq!(plain.bearer("anything").get("/metrics").await.status(), 404);

    // A token: anonymous and wrong tokens are refused, the right one scrapes.
    let db = TestDb::new(backend);
    let config = WebConfig {
        metrics_token: MetricsToken::new("s3cret-scrape-token"),
        ..WebConfig::default()
    };
    assert!(
        !format!("{config:?}").contains("s3cret"),
        "the token is redacted in debug output"
    );
    let guarded = start_with(&db, test_clock(), irnet_app::Settings::default(), config).await;
    let anonymous = guarded.client().get("/metrics").await;
    assert_eq!(anonymous.status(), 401);
    assert!(
        anonymous.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    assert_eq!(guarded.bearer("wrong").get("/metrics").await.status(), 401);
    assert_eq!(
        guarded
            .bearer("s3cret-scrape-token-and-more")
            .get("/metrics")
            .await
            .status(),
        401
    );
    let scraped = guarded.bearer("s3cret-scrape-token").get("/metrics").await;
    assert_eq!(scraped.status(), 200);

    // A separate address serves them without a token.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState {
        app: plain.app.clone(),
        config: Arc::new(WebConfig::default()),
        metrics: Some(metrics_handle()),
    };
    tokio::spawn(irnet_web::serve_metrics(
        state,
        listener,
        std::future::pending(),
    ));
    assert_eq!(
        Client::at(&format!("http://{addr}"))
            .get("/metrics")
            .await
            .status(),
        200
    );
}
