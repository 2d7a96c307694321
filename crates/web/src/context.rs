//! The per-request context layer: who is asking (session cookie or API token), in which language,
//! whether a state-changing browser request passes CSRF, and how a failure is shown.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, RawPathParams, Request, State};
use axum::http::header::{
    ACCEPT, ACCEPT_LANGUAGE, AUTHORIZATION, RETRY_AFTER, SET_COOKIE, USER_AGENT,
};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use irnet_app::identity::auth::{self, Authenticated};
use irnet_app::identity::secrets;
use irnet_app::{Actor, AppError, RequestMeta};
use irnet_domain::Locale;

use crate::error::{Failure, WebError, problem_response};
use crate::i18n::Tr;
use crate::{AppState, cookies, csrf, ui};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    None,
    Session,
    Token,
}

/// What every handler knows about its request.
#[derive(Clone)]
pub struct Ctx {
    pub auth: Option<Arc<Authenticated>>,
    pub credential: Credential,
    pub tr: Tr,
    pub meta: RequestMeta,
    /// the token forms must echo back
    pub csrf_token: String,
    pub path: String,
    pub secure_cookies: bool,
    /// the signed-in person's unread notifications, for the page header (pages only)
    pub unread: Option<i64>,
}

impl Ctx {
    pub fn actor(&self) -> Option<Actor> {
        self.auth.as_ref().map(|a| a.actor(self.meta.clone()))
    }
}

fn wants_json(req: &Request) -> bool {
    let path = req.uri().path();
    path.starts_with("/api/")
        || req
            .headers()
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("json") && !a.contains("text/html"))
}

/// TAXII clients authenticate with HTTP Basic: any user name, an API token as the password. Only
/// under `/taxii2/`, so that nowhere else does a password-shaped credential get accepted.
fn taxii_basic_token(headers: &axum::http::HeaderMap, path: &str) -> Option<String> {
    use base64::Engine as _;
    if !path.starts_with("/taxii2/") {
        return None;
    }
    let encoded = headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (_, password) = text.split_once(':')?;
    Some(password.to_owned()).filter(|p| !p.is_empty())
}

/// The request's language. A program calling with a token states the language it wants with
/// `Accept-Language`, and that wins over its owner's profile (every account has one, Vietnamese by
/// default, so the header was never heard); a browser sends its own default with every request,
/// so for a session the person's chosen language wins, then the language cookie, then the header.
fn choose_locale(auth: Option<&Authenticated>, credential: Credential, req: &Request) -> Locale {
    let asked = || {
        req.headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Locale::from_accept_language)
    };
    if credential == Credential::Token
        && let Some(l) = asked()
    {
        return l;
    }
    if let Some(l) = auth.and_then(|a| Locale::parse(&a.user.locale).ok()) {
        return l;
    }
    if let Some(l) = cookies::get(req.headers(), cookies::LANG).and_then(|v| Locale::parse(&v).ok())
    {
        return l;
    }
    asked().unwrap_or_default()
}

/// Tells a client when to send the same request again after a busy database (the failure is
/// momentary and nothing was written); any other failure is left as it is.
fn retry_when_busy(resp: &mut Response, e: &AppError) {
    if matches!(e, AppError::Busy(_)) {
        resp.headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("2"));
    }
}

pub async fn layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let app = &state.app;
    let headers = req.headers();
    let meta = RequestMeta {
        request_id: headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        client_addr: req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string()),
        user_agent: headers
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    let json = wants_json(&req);
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
        .or_else(|| taxii_basic_token(headers, req.uri().path()));
    let session_cookie = cookies::get(headers, cookies::SESSION);
    let resolved = match (&bearer, &session_cookie) {
        (Some(token), _) => auth::resolve_token(app, token)
            .await
            .map(|a| (a, Credential::Token)),
        (None, Some(cookie)) => auth::resolve_session(app, cookie)
            .await
            .map(|a| (a, Credential::Session)),
        (None, None) => Ok((None, Credential::None)),
    };
    let (auth, credential) = match resolved {
        Ok((Some(a), c)) => (Some(Arc::new(a)), c),
        Ok((None, _)) => (None, Credential::None),
        Err(e) => {
            let e = match e {
                AppError::Busy(_) => {
                    tracing::warn!(error = %e, request_id = ?meta.request_id, "could not resolve credentials: database busy");
                    e
                }
                other => {
                    tracing::error!(error = %other, request_id = ?meta.request_id, "could not resolve credentials");
                    AppError::internal(other)
                }
            };
            let tr = Tr::new(
                choose_locale(None, Credential::None, &req),
                app.settings.local_offset,
            );
            let mut r = problem_response(&e, &tr, meta.request_id);
            retry_when_busy(&mut r, &e);
            return r;
        }
    };
    let tr = Tr::new(
        choose_locale(auth.as_deref(), credential, &req),
        app.settings.local_offset,
    );

    // The form token: the session's own, or a double-submit cookie before sign-in.
    let anon_cookie = cookies::get(req.headers(), cookies::ANON_CSRF);
    let mut new_anon = None;
    let csrf_token = match (&auth, credential) {
        (Some(a), Credential::Session) => a
            .session
            .as_ref()
            .map(|s| s.csrf_token.clone())
            .unwrap_or_default(),
        // Only pages need a pre-sign-in form token; API calls never get one minted.
        _ if json || credential == Credential::Token => anon_cookie.clone().unwrap_or_default(),
        _ => anon_cookie.clone().unwrap_or_else(|| {
            let t = secrets::random_secret();
            new_anon = Some(t.clone());
            t
        }),
    };

    if csrf::is_unsafe(req.method()) && credential != Credential::Token {
        let expected = match credential {
            Credential::Session => csrf_token.clone(),
            _ => anon_cookie.clone().unwrap_or_default(),
        };
        let mut provided = csrf::header_token(req.headers());
        if provided.is_none() && csrf::is_form(req.headers()) {
            let (parts, body) = req.into_parts();
            let Ok(bytes) = to_bytes(body, csrf::FORM_LIMIT).await else {
                let e = AppError::PayloadTooLarge {
                    limit: csrf::FORM_LIMIT,
                };
                return problem_response(&e, &tr, meta.request_id);
            };
            provided = csrf::form_token(&bytes);
            req = Request::from_parts(parts, Body::from(bytes));
        } else if provided.is_none()
            && let Some(boundary) = csrf::multipart_boundary(req.headers())
        {
            // A file upload from a page: the token is a field of the multipart body.
            let (parts, body) = req.into_parts();
            let limit = crate::limits::limit_for(parts.uri.path());
            let Ok(bytes) = to_bytes(body, limit).await else {
                return problem_response(
                    &AppError::PayloadTooLarge { limit },
                    &tr,
                    meta.request_id,
                );
            };
            provided = csrf::multipart_token(bytes.clone(), boundary).await;
            req = Request::from_parts(parts, Body::from(bytes));
        }
        // Anonymous API calls need no CSRF check: they carry no credential to abuse.
        let browser_anonymous_api = credential == Credential::None && json && anon_cookie.is_none();
        let ok = csrf::same_origin(req.headers()) && csrf::matches(&expected, provided.as_deref());
        if !ok && !browser_anonymous_api {
            tracing::warn!(request_id = ?meta.request_id, path = %req.uri().path(), "CSRF check failed");
            return csrf_refusal(json, &tr, meta.request_id.clone());
        }
    }

    // The header's unread badge: one indexed count, for pages only.
    let unread = match &auth {
        Some(a) if !json && req.method() == axum::http::Method::GET => {
            irnet_app::notify::inbox::unread_count(app, &a.actor(meta.clone()))
                .await
                .inspect_err(|e| tracing::warn!(error = %e, "unread count failed"))
                .ok()
        }
        _ => None,
    };
    let ctx = Ctx {
        auth,
        credential,
        tr,
        meta,
        csrf_token,
        path: req.uri().path().to_owned(),
        secure_cookies: state.config.secure_cookies,
        unread,
    };
    req.extensions_mut().insert(ctx.clone());
    let (req, checked) = storable_path_and_query(req).await;
    let mut resp = match checked {
        Ok(()) => next.run(req).await,
        Err(e) => WebError(e).into_response(),
    };

    // The body limit answers a bare 413 before any handler runs; render it like any failure.
    if resp.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE
        && resp.extensions().get::<Failure>().is_none()
    {
        resp.extensions_mut()
            .insert(Failure(Arc::new(AppError::PayloadTooLarge {
                limit: crate::limits::limit_for(&ctx.path),
            })));
    }
    if let Some(Failure(e)) = resp.extensions().get::<Failure>().cloned() {
        match e.as_ref() {
            AppError::Internal(cause) => {
                // The cause with its sources: the user sees only "internal error" and the id.
                let cause = format!("{cause:#}");
                tracing::error!(request_id = ?ctx.meta.request_id, path = %ctx.path, %cause, "internal error");
            }
            AppError::Busy(cause) => {
                tracing::warn!(request_id = ?ctx.meta.request_id, path = %ctx.path, %cause, "database busy");
            }
            _ => {}
        }
        let cookies: Vec<HeaderValue> =
            resp.headers().get_all(SET_COOKIE).iter().cloned().collect();
        resp = if json {
            problem_response(&e, &ctx.tr, ctx.meta.request_id.clone())
        } else {
            ui::failure_page(&ctx, &e)
        };
        for c in cookies {
            resp.headers_mut().append(SET_COOKIE, c);
        }
        retry_when_busy(&mut resp, &e);
    }
    // Only pages need the pre-sign-in form token; API clients never see the cookie.
    if let Some(token) = new_anon.filter(|_| !json)
        && let Ok(v) = HeaderValue::from_str(&cookies::set(
            cookies::ANON_CSRF,
            &token,
            86_400,
            ctx.secure_cookies,
        ))
    {
        resp.headers_mut().append(SET_COOKIE, v);
    }
    resp
}

/// Refuses a path parameter or query string the databases cannot store (`text`), for every route
/// whatever extractor its handler uses; the path parameter is named as the route names it.
async fn storable_path_and_query(req: Request) -> (Request, Result<(), AppError>) {
    let (mut parts, body) = req.into_parts();
    let mut checked = crate::text::urlencoded(parts.uri.query().unwrap_or_default().as_bytes());
    if checked.is_ok()
        && let Ok(params) = RawPathParams::from_request_parts(&mut parts, &()).await
    {
        checked = crate::text::pairs(params.iter());
    }
    (Request::from_parts(parts, body), checked)
}

fn csrf_refusal(json: bool, tr: &Tr, request_id: Option<String>) -> Response {
    let e = AppError::Conflict {
        code: "csrf",
        field: None,
    };
    let mut r = if json {
        problem_response(&e, tr, request_id)
    } else {
        (
            StatusCode::FORBIDDEN,
            axum::response::Html(tr.t("problem-csrf")),
        )
            .into_response()
    };
    *r.status_mut() = StatusCode::FORBIDDEN;
    r
}

/// Where an unauthenticated browser is sent: the sign-in page, coming back here afterwards.
pub fn to_login(path: &str) -> Response {
    let next = if path.starts_with('/') && !path.starts_with("//") {
        path
    } else {
        "/"
    };
    let q = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
    Redirect::to(&format!("/login?{q}")).into_response()
}
