//! The router and its layers, and serving it until a shutdown signal.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use irnet_app::AppError;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::WebError;
use crate::ui::{
    auth, clusters, directory_files, home, notifications, org_people, org_systems, orgs, profile,
    search,
};
use crate::{AppState, api, assets, context, limits, ops, security, ui};

const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub listen: SocketAddr,
}

async fn not_found() -> WebError {
    WebError(AppError::NotFound)
}

async fn method_not_allowed() -> WebError {
    WebError(AppError::MethodNotAllowed)
}

fn ui_routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/login/mfa", get(auth::mfa_page).post(auth::mfa))
        .route("/logout", post(auth::logout))
        .route("/lang", post(auth::set_lang))
        .route("/clusters", get(clusters::list))
        .route("/search", get(search::search))
        .route("/notifications", get(notifications::show))
        .route(
            "/notifications/read-all",
            post(notifications::mark_all_read),
        )
        .route("/notifications/{id}/read", post(notifications::mark_read))
        .route("/channels", get(ui::channels::list))
        .route("/channels/{id}", get(ui::channels::show))
        .route("/channels/{id}/messages", post(ui::channels::post))
        .route("/channels/{id}/read", post(ui::channels::mark_read))
        .route("/alerts/{id}/attachments", post(ui::alerts::attach))
        .route("/indicators", get(ui::indicators::list))
        .route(
            "/indicators/lookup",
            get(ui::indicators::lookup_page).post(ui::indicators::lookup),
        )
        .route(
            "/indicators/import",
            get(ui::indicators::import_form).post(ui::indicators::import),
        )
        .route("/indicators/{id}", get(ui::indicators::show))
        .route("/indicators/{id}/sightings", post(ui::indicators::sight))
        .route("/indicators/{id}/revoke", post(ui::indicators::revoke))
        .route("/alerts", get(ui::alerts::list))
        .route(
            "/alerts/new",
            get(ui::alerts::compose).post(ui::alerts::create),
        )
        .route("/alerts/{id}", get(ui::alerts::show))
        .route("/alerts/{id}/send", post(ui::alerts::send_draft))
        .route("/alerts/{id}/acknowledge", post(ui::alerts::acknowledge))
        .route("/alerts/{id}/action", post(ui::alerts::report))
        .route(
            "/alerts/ack/{token}",
            get(ui::alerts::ack_link_page).post(ui::alerts::ack_link),
        )
        .route("/clusters/{id}", get(clusters::show))
        .route("/orgs/{id}", get(orgs::show))
        .route("/orgs/{id}/team", post(orgs::save_team))
        .route("/orgs/{id}/capabilities", post(orgs::save_capabilities))
        .route("/orgs/{id}/staff", post(orgs::save_staff))
        .route("/orgs/{id}/experts", post(orgs::add_expert))
        .route(
            "/orgs/{id}/experts/{expert_id}/remove",
            post(orgs::remove_expert),
        )
        .route("/orgs/{id}/confirm", post(orgs::confirm))
        .route(
            "/directory/import",
            get(directory_files::show).post(directory_files::import),
        )
        .route(
            "/orgs/{id}/people",
            get(org_people::show).post(org_people::create),
        )
        .route("/people/{id}/edit", post(org_people::update))
        .route("/people/{id}/delete", post(org_people::delete))
        .route(
            "/orgs/{id}/systems",
            get(org_systems::show).post(org_systems::create),
        )
        .route("/systems/{id}/edit", post(org_systems::update))
        .route("/systems/{id}/delete", post(org_systems::delete))
        .route("/profile", get(profile::show).post(profile::update))
        .route("/profile/password", post(profile::change_password))
        .route("/profile/confirm-password", post(profile::confirm_password))
        .route(
            "/profile/sessions/revoke-all",
            post(profile::revoke_all_sessions),
        )
        .route(
            "/profile/sessions/{id}/revoke",
            post(profile::revoke_session),
        )
        .route("/profile/tokens", post(profile::create_token))
        .route("/profile/tokens/{id}/revoke", post(profile::revoke_token))
        .route(
            "/profile/mfa",
            get(profile::mfa_show).post(profile::mfa_confirm),
        )
        .route("/profile/mfa/disable", post(profile::mfa_disable))
        .merge(ui::admin::routes())
        .merge(ui::incidents::routes())
}

pub fn router(state: AppState) -> Router {
    let app = Router::new()
        .merge(api::router())
        .merge(ui_routes())
        // Sharing (issue 5): the TAXII 2.1 server
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
