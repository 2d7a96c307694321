//! Signing in and out, the second-factor step, and the language switch.

use askama::Template;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use irnet_app::identity::auth::{self, NewSession, STAGE_MFA};
use irnet_app::identity::users;
use irnet_domain::Locale;
use serde::Deserialize;

use super::{FormErrors, Layout, render_status};
use crate::context::Ctx;
use crate::extract::{Form, Query};
use crate::{AppState, cookies};

/// Only same-site paths are followed after sign-in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

fn with_cookies(mut resp: Response, set: &[String]) -> Response {
    for c in set {
        if let Ok(v) = HeaderValue::from_str(c) {
            resp.headers_mut().append(SET_COOKIE, v);
        }
    }
    resp
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    email: String,
    next: String,
    errors: FormErrors,
    first_run: bool,
}

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

pub async fn login_page(
    ctx: Ctx,
    State(s): State<AppState>,
    Query(q): Query<NextParam>,
) -> Response {
    if ctx.auth.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    let first_run = !users::has_admin(&s.app).await.unwrap_or(true);
    let page = LoginPage {
        l: Layout::new(&ctx),
        email: String::new(),
        next: safe_next(q.next.as_deref()),
        errors: FormErrors::default(),
        first_run,
    };
    render_status(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

fn session_cookies(ctx: &Ctx, s: &NewSession, now: chrono::DateTime<chrono::Utc>) -> Vec<String> {
    let max_age = (s.expires_at - now).num_seconds().max(60);
    if s.stage == STAGE_MFA {
        vec![cookies::set(
            cookies::MFA_PENDING,
            &s.token,
            max_age,
            ctx.secure_cookies,
        )]
    } else {
        vec![
            cookies::set(cookies::SESSION, &s.token, max_age, ctx.secure_cookies),
            cookies::clear(cookies::MFA_PENDING, ctx.secure_cookies),
        ]
    }
}

pub async fn login(ctx: Ctx, State(s): State<AppState>, Form(f): Form<LoginForm>) -> Response {
    let next = safe_next(f.next.as_deref());
    match auth::sign_in(&s.app, ctx.meta.clone(), &f.email, &f.password).await {
        Ok(session) => {
            let to = if session.stage == STAGE_MFA {
                format!(
                    "/login/mfa?{}",
                    serde_urlencoded::to_string([("next", &next)]).unwrap_or_default()
                )
            } else {
                next
            };
            with_cookies(
                Redirect::to(&to).into_response(),
                &session_cookies(&ctx, &session, s.app.now()),
            )
        }
        Err(e) => {
            let status = crate::error::status_of(&e);
            let errors = FormErrors::from_error(&ctx.tr, &e);
            render_status(
                status,
                &LoginPage {
                    l: Layout::new(&ctx),
                    email: f.email,
                    next,
                    errors,
                    first_run: false,
                },
            )
        }
    }
}

#[derive(Template)]
#[template(path = "login_mfa.html")]
struct MfaPage {
    l: Layout,
    next: String,
    errors: FormErrors,
}

pub async fn mfa_page(
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Query(q): Query<NextParam>,
) -> Response {
    if cookies::get(&headers, cookies::MFA_PENDING).is_none() {
        return Redirect::to("/login").into_response();
    }
    render_status(
        StatusCode::OK,
        &MfaPage {
            l: Layout::new(&ctx),
            next: safe_next(q.next.as_deref()),
            errors: FormErrors::default(),
        },
    )
}

#[derive(Deserialize)]
pub struct MfaForm {
    code: String,
    next: Option<String>,
}

pub async fn mfa(
    ctx: Ctx,
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
    Form(f): Form<MfaForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    let Some(pending) = cookies::get(&headers, cookies::MFA_PENDING) else {
        return Redirect::to("/login").into_response();
    };
    match auth::complete_mfa(&s.app, ctx.meta.clone(), &pending, &f.code).await {
        Ok(session) => with_cookies(
            Redirect::to(&next).into_response(),
            &session_cookies(&ctx, &session, s.app.now()),
        ),
        Err(irnet_app::AppError::Unauthenticated) => Redirect::to("/login").into_response(),
        Err(e) => {
            let status = crate::error::status_of(&e);
            render_status(
                status,
                &MfaPage {
                    l: Layout::new(&ctx),
                    next,
                    errors: FormErrors::from_error(&ctx.tr, &e),
                },
            )
        }
    }
}

pub async fn logout(
    ctx: Ctx,
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Response {
    for name in [cookies::SESSION, cookies::MFA_PENDING] {
        if let Some(c) = cookies::get(&headers, name)
            && let Err(e) = auth::sign_out(&s.app, &c, ctx.meta.clone()).await
        {
            tracing::warn!(error = %e, "sign-out failed");
        }
    }
    let clear = [
        cookies::clear(cookies::SESSION, ctx.secure_cookies),
        cookies::clear(cookies::MFA_PENDING, ctx.secure_cookies),
    ];
    with_cookies(Redirect::to("/login").into_response(), &clear)
}

#[derive(Deserialize)]
pub struct LangForm {
    lang: String,
    next: Option<String>,
}

/// Switches the language: remembered in a cookie, and in the profile of a signed-in person.
pub async fn set_lang(ctx: Ctx, State(s): State<AppState>, Form(f): Form<LangForm>) -> Response {
    let locale = Locale::parse(&f.lang).unwrap_or_default();
    if let Some(actor) = ctx.actor()
        && let Err(e) =
            users::update_me(&s.app, &actor, None, Some(locale.as_str().to_owned())).await
    {
        tracing::warn!(error = %e, "could not save the language preference");
    }
    let cookie = cookies::set(
        cookies::LANG,
        locale.as_str(),
        365 * 86_400,
        ctx.secure_cookies,
    );
    with_cookies(
        Redirect::to(&safe_next(f.next.as_deref())).into_response(),
        &[cookie],
    )
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/login", axum::routing::get(login_page).post(login))
        .route("/login/mfa", axum::routing::get(mfa_page).post(mfa))
        .route("/logout", axum::routing::post(logout))
        .route("/lang", axum::routing::post(set_lang))
}
