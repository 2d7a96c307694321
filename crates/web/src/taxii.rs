//! The TAXII 2.1 server at `/taxii2/`: discovery, one API root (`/taxii2/api/`), the collections
//! the reader may read (`irnet_app::sharing::taxii`), their objects, manifest and versions, adding
//! objects, and status. Authentication is an API token as Bearer or as the HTTP Basic password
//! (the context layer). Every answer is `application/taxii+json;version=2.1`; every failure a
//! TAXII error resource. TLP:RED is never served: no collection admits it.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{ACCEPT, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use irnet_app::sharing::taxii::{self, CollectionDef, Served};
use irnet_app::{Actor, AppError};
use irnet_interop::taxii::filter::ObjectFilter;
use irnet_interop::taxii::resources::{
    ApiRoot, Collection, Collections, Discovery, Envelope, Error as TaxiiError, Manifest,
    ManifestRecord, Versions,
};
use irnet_interop::taxii::{MEDIA_TYPE_STIX, MEDIA_TYPE_TAXII, accepts_taxii};
use serde::Serialize;

use crate::AppState;
use crate::context::Ctx;
use crate::error::status_of;

pub const ROOT: &str = "/taxii2/api/";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/taxii2/", get(discovery))
        .route("/taxii2/api/", get(api_root))
        .route("/taxii2/api/collections/", get(collections))
        .route("/taxii2/api/collections/{id}/", get(collection))
        .route(
            "/taxii2/api/collections/{id}/objects/",
            get(objects).post(add_objects),
        )
        .route("/taxii2/api/collections/{id}/manifest/", get(manifest))
        .route(
            "/taxii2/api/collections/{id}/objects/{object_id}/",
            get(object),
        )
        .route(
            "/taxii2/api/collections/{id}/objects/{object_id}/versions/",
            get(versions),
        )
        .route("/taxii2/api/status/{id}/", get(status))
}

/// A TAXII error resource with its HTTP status.
fn error(ctx: &Ctx, status: StatusCode, code: &str, description: Option<String>) -> Response {
    let body = TaxiiError {
        title: ctx.tr.t(&format!("problem-{}", code.replace('_', "-"))),
        description,
        error_id: ctx.meta.request_id.clone(),
        error_code: Some(code.to_owned()),
        http_status: Some(status.as_u16().to_string()),
        external_details: None,
        details: None,
    };
    let mut r = taxii_json(status, &body);
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"irnet TAXII\""),
        );
    }
    r
}

fn app_error(ctx: &Ctx, e: &AppError) -> Response {
    if let AppError::Internal(cause) = e {
        let cause = format!("{cause:#}");
        tracing::error!(request_id = ?ctx.meta.request_id, %cause, "TAXII internal error");
    }
    let description = match e {
        AppError::Validation(fields) => Some(
            fields
                .iter()
                .map(|f| format!("{}: {}", f.field, crate::error::field_message(&ctx.tr, f)))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        _ => None,
    };
    let status = match e {
        AppError::Validation(_) => StatusCode::BAD_REQUEST,
        other => status_of(other),
    };
    error(ctx, status, e.code(), description)
}

fn taxii_json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut r = (status, bytes).into_response();
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE_TAXII));
    r
}

/// The signed-in actor, with an `Accept` TAXII 2.1 admits; otherwise the failure to send.
/// (Boxed: a response is large, and the failure is the rare path.)
fn admit(ctx: &Ctx, headers: &HeaderMap) -> Result<Actor, Box<Response>> {
    let actor = ctx.actor().ok_or_else(|| {
        Box::new(error(
            ctx,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            Some("an API token as Bearer or as the HTTP Basic password".into()),
        ))
    })?;
    // As `Authed` does: an account that must enrol a second factor first may do nothing else.
    if ctx.auth.as_ref().is_some_and(|a| a.needs_mfa_enrolment) {
        return Err(Box::new(app_error(ctx, &AppError::MfaEnrolmentRequired)));
    }
    let acceptable = headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|a| accepts_taxii(a) || a.split(',').any(|m| m.trim().starts_with("*/*")));
    if !acceptable {
        return Err(Box::new(error(
            ctx,
            StatusCode::NOT_ACCEPTABLE,
            "not_acceptable",
            Some(format!("Accept: {MEDIA_TYPE_TAXII}")),
        )));
    }
    Ok(actor)
}

macro_rules! admit {
    ($ctx:expr, $headers:expr) => {
        match admit(&$ctx, &$headers) {
            Ok(a) => a,
            Err(r) => return *r,
        }
    };
}

macro_rules! attempt {
    ($ctx:expr, $e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return app_error(&$ctx, &e),
        }
    };
}

async fn discovery(ctx: Ctx, headers: HeaderMap) -> Response {
    admit!(ctx, headers);
    taxii_json(
        StatusCode::OK,
        &Discovery {
            title: "irnet TAXII 2.1".to_owned(),
            description: Some(
                "Indicators shared across the network, by TLP audience (never TLP:RED)".to_owned(),
            ),
            contact: None,
            default: Some(ROOT.to_owned()),
            api_roots: vec![ROOT.to_owned()],
        },
    )
}

async fn api_root(ctx: Ctx, headers: HeaderMap) -> Response {
    admit!(ctx, headers);
    taxii_json(
        StatusCode::OK,
        &ApiRoot {
            title: "irnet".to_owned(),
            description: None,
            versions: vec![MEDIA_TYPE_TAXII.to_owned()],
            max_content_length: crate::limits::IMPORT_LIMIT as u64,
        },
    )
}

fn resource(c: CollectionDef) -> Collection {
    Collection {
        id: c.id,
        title: c.title,
        description: Some(c.description),
        alias: None,
        can_read: true,
        can_write: c.can_write,
        media_types: vec![MEDIA_TYPE_STIX.to_owned()],
    }
}

async fn collections(ctx: Ctx, headers: HeaderMap, State(s): State<AppState>) -> Response {
    let actor = admit!(ctx, headers);
    let list = attempt!(ctx, taxii::collections(&s.app, &actor).await);
    taxii_json(
        StatusCode::OK,
        &Collections {
            collections: list.into_iter().map(resource).collect(),
        },
    )
}

async fn collection(
    ctx: Ctx,
    headers: HeaderMap,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    let actor = admit!(ctx, headers);
    let c = attempt!(ctx, taxii::collection(&s.app, &actor, &id).await);
    taxii_json(StatusCode::OK, &resource(c))
}

fn filter_of(ctx: &Ctx, query: Option<&str>) -> Result<ObjectFilter, Box<Response>> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or_default())
        .map_err(|_| error(ctx, StatusCode::BAD_REQUEST, "invalid_query", None))?;
    ObjectFilter::parse(&pairs).map_err(|errors| {
        let text = errors
            .iter()
            .map(|e| format!("{}: {}", e.parameter, e.message_key))
            .collect::<Vec<_>>()
            .join("; ");
        Box::new(error(
            ctx,
            StatusCode::BAD_REQUEST,
            "invalid_query",
            Some(text),
        ))
    })
}

macro_rules! filter {
    ($ctx:expr, $q:expr) => {
        match filter_of(&$ctx, $q.as_deref()) {
            Ok(f) => f,
            Err(r) => return *r,
        }
    };
}

/// The date-added headers of a page (TAXII 2.1, 3.3.1): its first and last date added.
fn date_headers(served: &[Served]) -> Vec<(&'static str, HeaderValue)> {
    let first = served.iter().map(|s| s.date_added).min();
    let last = served.iter().map(|s| s.date_added).max();
    [
        ("x-taxii-date-added-first", first),
        ("x-taxii-date-added-last", last),
    ]
    .into_iter()
    .filter_map(|(name, t)| Some((name, HeaderValue::from_str(&t?.to_stix_exact()).ok()?)))
    .collect()
}

/// How a page of a collection's objects is answered.
#[derive(Clone, Copy)]
enum Shape {
    /// an envelope of the objects (`objects/`, `objects/{id}/`)
    Envelope,
    /// their manifest records (`manifest/`)
    Manifest,
    /// one object's versions (`objects/{id}/versions/`): every version held of a stored
    /// object; an indicator irnet built has one
    Versions,
}

/// The four reads of a collection's objects: one query for the page (the collection's filter,
/// the reader's read rule, the TAXII filters), answered in `shape`. With `object_id`, only that
/// object, and "not found" when the reader has no version of it.
async fn page(
    ctx: Ctx,
    headers: HeaderMap,
    s: AppState,
    id: String,
    object_id: Option<String>,
    q: Option<String>,
    shape: Shape,
) -> Response {
    let actor = admit!(ctx, headers);
    let mut f = filter!(ctx, q);
    let single = object_id.is_some();
    if let Some(o) = object_id {
        f.ids = vec![o];
    }
    if let Shape::Versions = shape {
        f.versions = irnet_interop::taxii::filter::VersionFilter {
            all: true,
            ..Default::default()
        };
    }
    let page = attempt!(ctx, taxii::objects(&s.app, &actor, &id, f).await);
    if single && page.objects.is_empty() {
        return error(&ctx, StatusCode::NOT_FOUND, "not_found", None);
    }
    let dates = date_headers(&page.objects);
    let manifest = |objects: &[Served]| -> Vec<ManifestRecord> {
        objects
            .iter()
            .filter_map(|o| ManifestRecord::for_object(&o.object, o.date_added))
            .collect()
    };
    let body = match shape {
        Shape::Envelope => taxii_json(
            StatusCode::OK,
            &Envelope {
                more: Some(page.more),
                next: page.next,
                objects: page.objects.into_iter().map(|o| o.object).collect(),
            },
        ),
        Shape::Manifest => taxii_json(
            StatusCode::OK,
            &Manifest {
                more: Some(page.more),
                objects: manifest(&page.objects),
            },
        ),
        Shape::Versions => taxii_json(
            StatusCode::OK,
            &Versions {
                more: Some(false),
                versions: {
                    let mut v: Vec<String> = manifest(&page.objects)
                        .into_iter()
                        .map(|m| m.version)
                        .collect();
                    v.sort();
                    v.dedup();
                    v
                },
            },
        ),
    };
    let mut body = body;
    for (name, value) in dates {
        body.headers_mut().insert(name, value);
    }
    body
}

async fn objects(
    ctx: Ctx,
    headers: HeaderMap,
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    page(ctx, headers, s, id, None, q, Shape::Envelope).await
}

async fn object(
    ctx: Ctx,
    headers: HeaderMap,
    State(s): State<AppState>,
    Path((id, object_id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    page(ctx, headers, s, id, Some(object_id), q, Shape::Envelope).await
}

async fn manifest(
    ctx: Ctx,
    headers: HeaderMap,
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    page(ctx, headers, s, id, None, q, Shape::Manifest).await
}

async fn versions(
    ctx: Ctx,
    headers: HeaderMap,
    State(s): State<AppState>,
    Path((id, object_id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    page(ctx, headers, s, id, Some(object_id), q, Shape::Versions).await
}

async fn add_objects(
    ctx: Ctx,
    headers: HeaderMap,
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let actor = admit!(ctx, headers);
    let content_ok = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(accepts_taxii);
    if !content_ok {
        return error(
            &ctx,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            Some(format!("Content-Type: {MEDIA_TYPE_TAXII}")),
        );
    }
    // Not JSON: where it stops being JSON (a byte order mark before it is skipped).
    let envelope = match std::str::from_utf8(&body) {
        Err(_) => return error(&ctx, StatusCode::BAD_REQUEST, "invalid_body", None),
        Ok(text) => match irnet_interop::json_text::parse(text) {
            Ok(v) => v,
            Err(e) => return app_error(&ctx, &AppError::from(e)),
        },
    };
    // A NUL cannot be stored (see `text`): refused as TAXII refuses invalid objects, naming the
    // object by its id.
    if let Err(e) = crate::text::exchange(&body) {
        return app_error(&ctx, &e);
    }
    let status = attempt!(ctx, taxii::add_objects(&s.app, &actor, &id, envelope).await);
    taxii_json(StatusCode::ACCEPTED, &status)
}

async fn status(
    ctx: Ctx,
    headers: HeaderMap,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    let actor = admit!(ctx, headers);
    let st = attempt!(ctx, taxii::status(&s.app, &actor, &id).await);
    taxii_json(StatusCode::OK, &st)
}
