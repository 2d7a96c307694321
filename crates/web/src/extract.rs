//! Extractors. `Authed` is the authenticated principal: a handler that takes it cannot forget to
//! authenticate, and passes `authed.actor` first to every use-case. The input extractors turn
//! axum's plain-text rejections into localised problem documents.

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::Method;
use axum::http::request::Parts;
use irnet_app::identity::auth::Authenticated;
use irnet_app::{Actor, AppError};
use serde::de::DeserializeOwned;

use crate::context::Ctx;
use crate::error::WebError;
use crate::text;

/// Paths a person who must still enrol a second factor may use.
fn enrolment_path(path: &str) -> bool {
    path == "/api/v1/me"
        || path.starts_with("/api/v1/me/mfa")
        || path.starts_with("/profile/mfa")
        || path == "/profile/confirm-password"
        || path == "/logout"
        || path == "/lang"
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| WebError(AppError::internal("request context missing")))
    }
}

pub struct Authed {
    pub ctx: Ctx,
    pub actor: Actor,
    pub auth: Arc<Authenticated>,
}

impl<S: Send + Sync> FromRequestParts<S> for Authed {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let auth = ctx
            .auth
            .clone()
            .ok_or(WebError(AppError::Unauthenticated))?;
        if auth.needs_mfa_enrolment && !enrolment_path(parts.uri.path()) {
            return Err(WebError(AppError::MfaEnrolmentRequired));
        }
        let actor = auth.actor(ctx.meta.clone());
        Ok(Authed { ctx, actor, auth })
    }
}

macro_rules! wrap_extractor {
    ($name:ident, $inner:ty, $trait:ident, $method:ident, $arg:ty) => {
        pub struct $name<T>(pub T);

        impl<S: Send + Sync, T: DeserializeOwned + Send> $trait<S> for $name<T> {
            type Rejection = WebError;

            async fn $method(req: $arg, state: &S) -> Result<Self, Self::Rejection> {
                let inner = <$inner>::$method(req, state).await?;
                Ok($name(inner.0))
            }
        }
    };
}

/// A JSON body: the text it holds is checked before it is deserialised (`text::json`).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequest<S> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let req = checked_body(req, state, text::json).await?;
        let inner = axum::Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(inner.0))
    }
}

/// A form, from the body (or the query string of a GET, which the context layer checked).
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequest<S> for Form<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let req = if req.method() == Method::GET || req.method() == Method::HEAD {
            req
        } else {
            checked_body(req, state, text::urlencoded).await?
        };
        let inner = axum::Form::<T>::from_request(req, state).await?;
        Ok(Form(inner.0))
    }
}

/// Reads the body, refuses text the databases cannot store, and hands the same bytes on.
async fn checked_body<S: Send + Sync>(
    req: Request,
    _: &S,
    check: fn(&[u8]) -> Result<(), AppError>,
) -> Result<Request, WebError> {
    let (parts, body) = req.into_parts();
    // The limits layer bounds the body (and answers 413 when it was reached).
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|e| WebError(AppError::invalid("body", &e.to_string())))?;
    check(&bytes)?;
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

// Path parameters and query strings are checked for every route by the context layer
// (`text::pairs`, `text::urlencoded`), so these only translate axum's rejections.
wrap_extractor!(
    Query,
    axum::extract::Query<T>,
    FromRequestParts,
    from_request_parts,
    &mut Parts
);
wrap_extractor!(
    Path,
    axum::extract::Path<T>,
    FromRequestParts,
    from_request_parts,
    &mut Parts
);

/// A raw request body (uploads such as CSV files); a body over the limit is a problem document,
/// not axum's plain-text rejection.
pub struct RawBody(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let limit = crate::limits::limit_for(req.uri().path());
        axum::body::Bytes::from_request(req, state)
            .await
            .map(RawBody)
            .map_err(|e| match e {
                axum::extract::rejection::BytesRejection::FailedToBufferBody(_) => {
                    WebError(AppError::PayloadTooLarge { limit })
                }
                other => WebError(AppError::invalid("body", &other.body_text())),
            })
    }
}
