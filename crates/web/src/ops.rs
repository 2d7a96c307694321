//! Liveness, readiness and metrics for operators and load balancers.

use std::time::Instant;

use axum::Json;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Alive: the process answers.
pub async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Ready: the database answers and its schema is current.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.app.store.has_pending_migrations().await {
        Ok(false) => Json(serde_json::json!({ "status": "ready", "database": state.app.store.backend().as_str() }))
            .into_response(),
        Ok(true) => (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "migrations pending" })))
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "database unreachable" })))
                .into_response()
        }
    }
}

/// The metrics on the main listener: only to a scraper with the configured bearer token. Without
/// a token configured there are none here (they may be on `metrics_listen`): request counts,
/// routes and pool sizes describe the deployment to whoever asks.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = &state.config.metrics_token else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let offered = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if offered.is_some_and(|t| expected.matches(t)) {
        render_metrics(State(state)).await
    } else {
        (
            StatusCode::UNAUTHORIZED,
            [(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"irnet metrics\""),
            )],
        )
            .into_response()
    }
}

/// The Prometheus text, with the database pool's current sizes.
pub async fn render_metrics(State(state): State<AppState>) -> Response {
    let pool = state.app.store.pool_status();
    metrics::gauge!("irnet_db_pool_size").set(pool.size as f64);
    metrics::gauge!("irnet_db_pool_available").set(pool.available as f64);
    metrics::gauge!("irnet_db_pool_max").set(pool.max_size as f64);
    match &state.metrics {
        Some(handle) => handle.render().into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Counts requests and their latency by route template (not raw path, to bound cardinality).
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().to_string();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("irnet_http_requests_total", &labels).increment(1);
    metrics::histogram!("irnet_http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    resp
}
