//! MISP in and out: import of MISP events, export as MISP events, and a MISP feed that a member's
//! MISP subscribes to with its API token in a custom `Authorization: Bearer irnet_…` header.
//! Every handler calls `irnet_app::sharing::misp`, which reads through the one read rule.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use irnet_app::AppError;
use irnet_app::sharing::misp::{self, MispImportSummary};
use irnet_interop::misp::feed::FeedFile;

use crate::AppState;
use crate::error::WebError;
use crate::extract::{Authed, Path, RawBody};

type ApiResult<T> = Result<T, WebError>;

/// Imports MISP events for your organisation: `{"Event": …}`, a bare event or MISP's API answer
/// `{"response": [...]}`; all or nothing. Attributes that are observables become indicators
/// (`to_ids` kept); `tlp:` tags give the TLP (an unknown one refuses the event) and the
/// distribution caps it (0: your organisation only, AMBER+STRICT; 1–3: the network; 4: the
/// sharing group's organisations that the directory knows, AMBER). Problems name the attribute
/// (`Attribute[<uuid>].Tag[0]`).
#[utoipa::path(post, path = "/api/v1/misp/import", tag = "sharing", request_body(content = String, content_type = "application/json"), responses((status = 200, body = MispImportSummary)))]
pub async fn import(
    a: Authed,
    State(s): State<AppState>,
    RawBody(body): RawBody,
) -> ApiResult<Json<MispImportSummary>> {
    crate::text::exchange(&body)?;
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| AppError::invalid("body", "invalid_text_body"))?;
    Ok(Json(misp::import(&s.app, &a.actor, text).await?))
}

/// What you may see as MISP events (`{"response": [{"Event": …}]}`), never TLP:RED: one event
/// per source organisation, linked alert and TLP, with stable uuids.
#[utoipa::path(get, path = "/api/v1/misp/events", tag = "sharing", responses((status = 200, body = serde_json::Value)))]
pub async fn events(a: Authed, State(s): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(misp::export(&s.app, &a.actor).await?))
}

fn file_response(f: FeedFile) -> Response {
    let mut r = f.content.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(if f.media_type == "text/csv" {
            "text/csv; charset=utf-8"
        } else {
            "application/json"
        }),
    );
    r
}

/// The MISP feed's manifest: each event's uuid with its summary.
#[utoipa::path(get, path = "/api/v1/misp/feed/manifest.json", tag = "sharing", responses((status = 200, body = serde_json::Value)))]
pub async fn feed_manifest(a: Authed, State(s): State<AppState>) -> ApiResult<Response> {
    Ok(file_response(
        misp::feed_file(&s.app, &a.actor, "manifest.json").await?,
    ))
}

/// The MISP feed's `hashes.csv`: the MD5 of each attribute value, with its event's uuid.
#[utoipa::path(get, path = "/api/v1/misp/feed/hashes.csv", tag = "sharing", responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn feed_hashes(a: Authed, State(s): State<AppState>) -> ApiResult<Response> {
    Ok(file_response(
        misp::feed_file(&s.app, &a.actor, "hashes.csv").await?,
    ))
}

/// One event of the MISP feed (`<uuid>.json`); an event you may not see is not found.
#[utoipa::path(get, path = "/api/v1/misp/feed/{file}", tag = "sharing", params(("file" = String, Path, description = "<event uuid>.json")), responses((status = 200, body = serde_json::Value)))]
pub async fn feed_event(
    a: Authed,
    State(s): State<AppState>,
    Path(file): Path<String>,
) -> ApiResult<Response> {
    // Only event files here: the manifest and hashes have their own routes.
    let is_event = file
        .strip_suffix(".json")
        .is_some_and(|u| uuid::Uuid::try_parse(u).is_ok());
    if !is_event {
        return Err(AppError::NotFound.into());
    }
    Ok(file_response(
        misp::feed_file(&s.app, &a.actor, &file).await?,
    ))
}

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(super::sharing::SHARING)
        .routes(utoipa_axum::routes!(import))
        .routes(utoipa_axum::routes!(events))
        .routes(utoipa_axum::routes!(feed_manifest))
        .routes(utoipa_axum::routes!(feed_hashes))
        .routes(utoipa_axum::routes!(feed_event))
}
