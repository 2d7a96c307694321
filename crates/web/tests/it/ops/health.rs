//! What operators and API clients rely on: health, readiness, metrics, the OpenAPI document.

use irnet_testkit::{Backend, both, spawn_app};
use serde_json::Value;

#[both]
async fn health_readiness_metrics_and_the_api_description_answer(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
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

/// `/metrics` describes the deployment (routes, request counts, pool sizes): on the main listener
/// only for a scraper with the configured token, otherwise only on its own listen address.
#[both]
async fn metrics_need_the_token_or_their_own_address(backend: Backend) {
    use std::sync::Arc;

    use irnet_domain::FixedClock;
    use irnet_testkit::{TestDb, metrics_handle, start_with, test_epoch};
    use irnet_web::{AppState, MetricsToken, WebConfig};

    let client = reqwest::Client::new();
    let status = |req: reqwest::RequestBuilder| async move { req.send().await.unwrap().status() };

    // Neither a token nor an address: nobody gets metrics from the main listener.
    let (plain, _db) = spawn_app(backend).await;
    assert_eq!(status(client.get(plain.api("/metrics"))).await, 404);
    assert_eq!(
        status(client.get(plain.api("/metrics")).bearer_auth("anything")).await,
        404
    );

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
    let guarded = start_with(
        &db,
        Arc::new(FixedClock::new(test_epoch())),
        irnet_app::Settings::default(),
        config,
    )
    .await;
    let url = guarded.api("/metrics");
    let anonymous = client.get(&url).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    assert!(
        anonymous.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    assert_eq!(status(client.get(&url).bearer_auth("wrong")).await, 401);
    assert_eq!(
        status(client.get(&url).bearer_auth("s3cret-scrape-token-and-more")).await,
        401
    );
    let scraped = client
        .get(&url)
        .bearer_auth("s3cret-scrape-token")
        .send()
        .await
        .unwrap();
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
        status(client.get(format!("http://{addr}/metrics"))).await,
        200
    );
}
