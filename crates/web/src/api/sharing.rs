//! Indicators, lookup and STIX. Every handler calls `irnet_app::sharing`, whose reads all go
//! through the one read rule: an indicator the reader may not see is a 404, and lists, counts,
//! lookups and exports leave it out.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use irnet_app::AppError;
use irnet_app::sharing::lookup::{self, LookupItem, LookupResult};
use irnet_app::sharing::stix::{self, ImportSummary};
use irnet_app::sharing::{
    self, Count, IndicatorView, ListQuery, NewIndicator, ShareInput, SightingInput,
};
use irnet_domain::ids::IndicatorId;

use super::PageOf;
use crate::AppState;
use crate::error::WebError;
use crate::extract::{ApiJson, Authed, Path, Query, RawBody};

type ApiResult<T> = Result<T, WebError>;

/// Records an indicator of your organisation. The same value again (normalised) makes a new
/// version of the indicator your organisation holds (200) rather than a duplicate (201 when new).
#[utoipa::path(post, path = "/api/v1/indicators", tag = "sharing", request_body = NewIndicator, responses((status = 201, body = IndicatorView), (status = 200, body = IndicatorView)))]
pub async fn create(
    a: Authed,
    State(s): State<AppState>,
    ApiJson(b): ApiJson<NewIndicator>,
) -> ApiResult<(StatusCode, Json<IndicatorView>)> {
    let (view, created) = sharing::create(&s.app, &a.actor, b).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(view)))
}

/// The indicators you may see, newest first.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "sharing", params(ListQuery), responses((status = 200, body = PageOf<IndicatorView>)))]
pub async fn list(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<PageOf<IndicatorView>>> {
    Ok(Json(sharing::list(&s.app, &a.actor, q).await?.into()))
}

/// How many indicators you may see (same filters as the list).
#[utoipa::path(get, path = "/api/v1/indicators/count", tag = "sharing", params(ListQuery), responses((status = 200, body = Count)))]
pub async fn count(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Count>> {
    Ok(Json(sharing::count(&s.app, &a.actor, q).await?))
}

#[utoipa::path(get, path = "/api/v1/indicators/{id}", tag = "sharing", params(("id" = String, Path)), responses((status = 200, body = IndicatorView)))]
pub async fn get(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IndicatorId>,
) -> ApiResult<Json<IndicatorView>> {
    Ok(Json(sharing::get(&s.app, &a.actor, &id).await?))
}

/// Withdraws an indicator of your organisation (a new version, marked revoked).
#[utoipa::path(post, path = "/api/v1/indicators/{id}/revoke", tag = "sharing", params(("id" = String, Path)), responses((status = 200, body = IndicatorView)))]
pub async fn revoke(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IndicatorId>,
) -> ApiResult<Json<IndicatorView>> {
    Ok(Json(sharing::revoke(&s.app, &a.actor, &id).await?))
}

/// Adds an organisation or a named person to the audience of your organisation's indicator.
#[utoipa::path(post, path = "/api/v1/indicators/{id}/shares", tag = "sharing", params(("id" = String, Path)), request_body = ShareInput, responses((status = 200, body = IndicatorView)))]
pub async fn share(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IndicatorId>,
    ApiJson(b): ApiJson<ShareInput>,
) -> ApiResult<Json<IndicatorView>> {
    Ok(Json(sharing::share(&s.app, &a.actor, &id, b).await?))
}

/// Reports that your organisation saw the indicator, or found it a false positive.
#[utoipa::path(post, path = "/api/v1/indicators/{id}/sightings", tag = "sharing", params(("id" = String, Path)), request_body = SightingInput, responses((status = 200, body = IndicatorView)))]
pub async fn sight(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IndicatorId>,
    ApiJson(b): ApiJson<SightingInput>,
) -> ApiResult<Json<IndicatorView>> {
    Ok(Json(sharing::sight(&s.app, &a.actor, &id, b).await?))
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.contains("json"))
}

/// Looks up to 100,000 observables at once: a JSON list of `{kind?, value}`, or plain text with
/// one value per line. Only matches you may see are returned; unreadable values are named by
/// their line (`lines[N]`, 1-based).
#[utoipa::path(post, path = "/api/v1/indicators/lookup", tag = "sharing", request_body(content = Vec<LookupItem>, content_type = "application/json"), responses((status = 200, body = LookupResult)))]
pub async fn lookup(
    a: Authed,
    State(s): State<AppState>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<Json<LookupResult>> {
    let items = if is_json(&headers) {
        crate::text::json(&body)?;
        let list: Vec<LookupItem> = serde_json::from_slice(&body)
            .map_err(|_| AppError::invalid("body", "invalid_lookup_body"))?;
        list.into_iter()
            .enumerate()
            .map(|(i, x)| (i + 1, x))
            .collect()
    } else {
        let text = std::str::from_utf8(&body)
            .map_err(|_| AppError::invalid("body", "invalid_lookup_body"))?;
        crate::text::field("body", text)?;
        lookup::from_text(text)
    };
    Ok(Json(lookup::lookup(&s.app, &a.actor, items).await?))
}

/// Imports a STIX 2.1 bundle for your organisation: all or nothing. Each problem names the object
/// and property (`objects[<id>].<property>`). Every object is stored as its producer made it,
/// versioned by `modified` (one object per STIX id across the network; a new version only from
/// its creator); the summary gives each object's outcome (`created`, `new_version`, `unchanged`,
/// `audience_added`) and TLP. Objects without a TLP marking get TLP:AMBER.
#[utoipa::path(post, path = "/api/v1/stix/import", tag = "sharing", request_body(content = String, content_type = "application/stix+json"), responses((status = 200, body = ImportSummary)))]
pub async fn stix_import(
    a: Authed,
    State(s): State<AppState>,
    RawBody(body): RawBody,
) -> ApiResult<Json<ImportSummary>> {
    crate::text::exchange(&body)?;
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| AppError::invalid("body", "invalid_text_body"))?;
    Ok(Json(stix::import(&s.app, &a.actor, text).await?))
}

/// A STIX 2.1 bundle of every indicator you may see, except TLP:RED (never sent by an automated
/// channel).
#[utoipa::path(get, path = "/api/v1/stix/export", tag = "sharing", responses((status = 200, content_type = "application/stix+json;version=2.1", body = serde_json::Value)))]
pub async fn stix_export(a: Authed, State(s): State<AppState>) -> ApiResult<Response> {
    let bundle = stix::export(&s.app, &a.actor).await?;
    let mut r = Json(bundle).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(irnet_interop::stix::MEDIA_TYPE),
    );
    Ok(r)
}

/// The OpenAPI tag of this pillar's operations.
pub(super) const SHARING: super::Tag = super::Tag {
    name: "sharing",
    description: "Indicators: sharing under TLP, lookup, sightings, STIX and MISP import and export, a MISP feed (TAXII 2.1 is served at /taxii2/)",
};

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(SHARING)
        .routes(utoipa_axum::routes!(list, create))
        .routes(utoipa_axum::routes!(count))
        .routes(utoipa_axum::routes!(lookup))
        .routes(utoipa_axum::routes!(get))
        .routes(utoipa_axum::routes!(revoke))
        .routes(utoipa_axum::routes!(share))
        .routes(utoipa_axum::routes!(sight))
        .routes(utoipa_axum::routes!(stix_import))
        .routes(utoipa_axum::routes!(stix_export))
}
