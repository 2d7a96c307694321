//! The router and its layers, and serving it until a shutdown signal.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use irnet_app::AppError;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::WebError;
use crate::{AppState, api, assets, context, limits, ops, security, ui};

const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

async fn not_found() -> WebError {
    WebError(AppError::NotFound)
}

async fn method_not_allowed() -> WebError {
    WebError(AppError::MethodNotAllowed)
}

pub fn router(state: AppState) -> Router {
    let app = Router::new()
        // The JSON API and the pages list their pillars (`api::router`, `ui::routes`); TAXII 2.1
        // is a protocol of its own, served by the sharing pillar.
        .merge(api::router())
        .merge(ui::routes())
        .merge(crate::taxii::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // `limits::layer` bounds every body (more for imports); axum's own 2 MB default for
        // extractors would otherwise cap imports below their limit.
        .layer(axum::extract::DefaultBodyLimit::disable())
        // Inside the context layer, so that its refusal is a localised problem document.
        .layer(from_fn(limits::layer))
        .layer(from_fn_with_state(state.clone(), context::layer))
        .layer(from_fn(ops::track));
    let operations = Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/static/{*file}", get(assets::serve));
    app.merge(operations)
        .layer(from_fn_with_state(state.clone(), security::headers))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// The metrics alone, for a listen address only the scraper reaches (`metrics_listen`): no token.
pub async fn serve_metrics(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = Router::new()
        .route("/metrics", get(ops::render_metrics))
        .with_state(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
