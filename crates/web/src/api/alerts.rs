//! Alerts: compose and send (the coordinator, or a cluster lead to its cluster), read, acknowledge
//! and report (recipients), follow up (the sender). Every handler calls `irnet_app::alerts`, whose
//! single check makes an alert outside the reader's reach a 404.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use irnet_app::alerts::answer::{self, ActionReport};
use irnet_app::alerts::send;
use irnet_app::alerts::{
    self, AlertCount, AlertInput, AlertSummary, AlertView, ListQuery, RecipientsView,
};
use irnet_app::attachments::Upload;
use irnet_domain::ids::AlertId;

use super::PageOf;
use super::files::UploadQuery;
use crate::AppState;
use crate::error::WebError;
use crate::extract::{ApiJson, Authed, Path, Query, RawBody};

type ApiResult<T> = Result<T, WebError>;

/// Writes a draft alert of the reader's organisation.
#[utoipa::path(post, path = "/api/v1/alerts", tag = "alerts", request_body = AlertInput, responses((status = 201, body = AlertView)))]
pub async fn create(
    a: Authed,
    State(s): State<AppState>,
    ApiJson(b): ApiJson<AlertInput>,
) -> ApiResult<(StatusCode, Json<AlertView>)> {
    Ok((
        StatusCode::CREATED,
        Json(alerts::create(&s.app, &a.actor, b).await?),
    ))
}

/// The alerts the reader may see (sent by or to its organisation; all sent ones for the
/// coordinator, except TLP:RED), newest first.
#[utoipa::path(get, path = "/api/v1/alerts", tag = "alerts", params(ListQuery), responses((status = 200, body = PageOf<AlertSummary>)))]
pub async fn list(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<PageOf<AlertSummary>>> {
    Ok(Json(alerts::list(&s.app, &a.actor, q).await?.into()))
}

/// How many alerts the list would give (same filters).
#[utoipa::path(get, path = "/api/v1/alerts/count", tag = "alerts", params(ListQuery), responses((status = 200, body = AlertCount)))]
pub async fn count(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<AlertCount>> {
    Ok(Json(alerts::count(&s.app, &a.actor, q).await?))
}

#[utoipa::path(get, path = "/api/v1/alerts/{id}", tag = "alerts", params(("id" = String, Path)), responses((status = 200, body = AlertView)))]
pub async fn get(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<AlertId>,
) -> ApiResult<Json<AlertView>> {
    Ok(Json(alerts::get(&s.app, &a.actor, &id).await?))
}

/// Replaces a draft's content (a sent alert is not edited: 409).
#[utoipa::path(put, path = "/api/v1/alerts/{id}", tag = "alerts", params(("id" = String, Path)), request_body = AlertInput, responses((status = 200, body = AlertView)))]
pub async fn update(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<AlertId>,
    ApiJson(b): ApiJson<AlertInput>,
) -> ApiResult<Json<AlertView>> {
    Ok(Json(alerts::update(&s.app, &a.actor, &id, b).await?))
}

/// Sends a draft: recipients are resolved as of today, mailed and told in the app.
#[utoipa::path(post, path = "/api/v1/alerts/{id}/send", tag = "alerts", params(("id" = String, Path)), responses((status = 200, body = AlertView)))]
pub async fn send_alert(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<AlertId>,
) -> ApiResult<Json<AlertView>> {
    Ok(Json(send::send(&s.app, &a.actor, &id).await?))
}

/// Every recipient with its status and the counts (the sender and the coordinator).
#[utoipa::path(get, path = "/api/v1/alerts/{id}/recipients", tag = "alerts", params(("id" = String, Path)), responses((status = 200, body = RecipientsView)))]
pub async fn recipients(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<AlertId>,
) -> ApiResult<Json<RecipientsView>> {
    Ok(Json(alerts::recipients(&s.app, &a.actor, &id).await?))
}

/// Acknowledges receipt for the reader's organisation (the first acknowledgement stands).
#[utoipa::path(post, path = "/api/v1/alerts/{id}/acknowledge", tag = "alerts", params(("id" = String, Path)), responses((status = 200, body = AlertView)))]
pub async fn acknowledge(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<AlertId>,
) -> ApiResult<Json<AlertView>> {
    Ok(Json(answer::acknowledge(&s.app, &a.actor, &id).await?))
}

/// Reports (or updates) what the reader's organisation did about the alert.
#[utoipa::path(put, path = "/api/v1/alerts/{id}/action", tag = "alerts", params(("id" = String, Path)), request_body = ActionReport, responses((status = 200, body = AlertView)))]
pub async fn report_action(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<AlertId>,
    ApiJson(b): ApiJson<ActionReport>,
) -> ApiResult<Json<AlertView>> {
    Ok(Json(answer::report(&s.app, &a.actor, &id, b).await?))
}

/// Attaches a file to a draft (the request body is the file): stored with its SHA-256, its type
/// sniffed. A sent alert takes no more files (409).
#[utoipa::path(post, path = "/api/v1/alerts/{id}/attachments", tag = "alerts", params(("id" = String, Path), UploadQuery), request_body(content = String, content_type = "application/octet-stream"), responses((status = 201, body = AlertView)))]
pub async fn attach(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<AlertId>,
    Query(q): Query<UploadQuery>,
    RawBody(body): RawBody,
) -> ApiResult<(StatusCode, Json<AlertView>)> {
    let upload = Upload {
        filename: q.filename,
        bytes: body.to_vec(),
    };
    Ok((
        StatusCode::CREATED,
        Json(alerts::attach(&s.app, &a.actor, &id, upload).await?),
    ))
}

/// A file of an alert, for the alert's readers.
#[utoipa::path(get, path = "/api/v1/alerts/{id}/attachments/{attachment_id}", tag = "alerts", params(("id" = String, Path), ("attachment_id" = String, Path)), responses((status = 200, description = "the file", content_type = "application/octet-stream", body = String)))]
pub async fn download(
    a: Authed,
    State(s): State<AppState>,
    Path((id, aid)): Path<(AlertId, String)>,
) -> ApiResult<axum::response::Response> {
    let (meta, bytes) = alerts::download(&s.app, &a.actor, &id, &aid).await?;
    Ok(super::files::download(&meta, bytes))
}

/// The OpenAPI tag of this pillar's operations.
pub(super) const ALERTS: super::Tag = super::Tag {
    name: "alerts",
    description: "Alerts to members: compose, send, acknowledge, report what was done, follow up",
};

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(ALERTS)
        .routes(utoipa_axum::routes!(list, create))
        .routes(utoipa_axum::routes!(count))
        .routes(utoipa_axum::routes!(get, update))
        .routes(utoipa_axum::routes!(send_alert))
        .routes(utoipa_axum::routes!(recipients))
        .routes(utoipa_axum::routes!(acknowledge))
        .routes(utoipa_axum::routes!(report_action))
        .routes(utoipa_axum::routes!(attach))
        .routes(utoipa_axum::routes!(download))
}
