//! An organisation's webhooks and their delivery log, for its org admins and administrators.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use irnet_app::notify::webhooks::{self, CreatedWebhook, DeliveryView, NewWebhook, WebhookView};
use serde::Deserialize;
use utoipa::ToSchema;

use super::PageOf;
use super::users::PageParams;
use crate::AppState;
use crate::error::WebError;
use crate::extract::{ApiJson, Authed, Path, Query};

type ApiResult<T> = Result<T, WebError>;

#[utoipa::path(get, path = "/api/v1/organisations/{id}/webhooks", tag = "notifications", params(("id" = String, Path)), responses((status = 200, body = Vec<WebhookView>)))]
pub async fn list_webhooks(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<WebhookView>>> {
    Ok(Json(webhooks::list(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookRequest {
    /// an `http` or `https` URL
    pub url: String,
    /// notice kinds to receive (e.g. `incident.reported`); empty or absent for all
    #[serde(default)]
    pub kinds: Vec<String>,
    /// default true
    pub active: Option<bool>,
}

/// Registers a webhook. The secret that signs its deliveries is in this response only.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/webhooks", tag = "notifications", params(("id" = String, Path)), request_body = WebhookRequest, responses((status = 201, body = CreatedWebhook)))]
pub async fn create_webhook(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<WebhookRequest>,
) -> ApiResult<(StatusCode, Json<CreatedWebhook>)> {
    let created = webhooks::create(
        &s.app,
        &a.actor,
        &id,
        NewWebhook {
            url: b.url,
            kinds: b.kinds,
            active: b.active,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "notifications", params(("id" = String, Path)), responses((status = 204, description = "Removed with its delivery log")))]
pub async fn delete_webhook(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    webhooks::delete(&s.app, &a.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The delivery log, newest first. A target that is not a public address is only said to be
/// refused (in your language), never how it answered.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "notifications", params(("id" = String, Path), PageParams), responses((status = 200, body = PageOf<DeliveryView>)))]
pub async fn list_deliveries(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PageParams>,
) -> ApiResult<Json<PageOf<DeliveryView>>> {
    let mut page = webhooks::deliveries(&s.app, &a.actor, &id, q.cursor, q.limit).await?;
    for d in &mut page.items {
        if d.last_error.as_deref() == Some(webhooks::REFUSED) {
            d.last_error = Some(a.ctx.tr.t("webhook-delivery-refused"));
        }
    }
    Ok(Json(page.into()))
}

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(super::notifications::NOTIFICATIONS)
        .routes(utoipa_axum::routes!(list_webhooks, create_webhook))
        .routes(utoipa_axum::routes!(delete_webhook))
        .routes(utoipa_axum::routes!(list_deliveries))
}
