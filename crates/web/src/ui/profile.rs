//! The profile: name and language, password, second factor, sessions, API tokens.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use irnet_app::AppError;
use irnet_app::identity::mfa::{self, Enrolment};
use irnet_app::identity::recheck;
use irnet_app::identity::sessions::{self, SessionView};
use irnet_app::identity::tokens::{self, CreatedToken, NewToken, TokenView};
use irnet_app::identity::users::{self, UserView};
use irnet_domain::TokenScope;
use serde::Deserialize;

use super::NoticeParam;
use super::{FormErrors, Layout, render_status, see_other};
use crate::AppState;
use crate::extract::{Authed, Form, Path, Query};

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    l: Layout,
    me: UserView,
    sessions: Vec<SessionView>,
    tokens: Vec<TokenView>,
    new_token: Option<CreatedToken>,
    errors: FormErrors,
    /// the session's password check is too old to manage credentials: ask for it again
    reauth: bool,
}

async fn profile_page(
    a: &Authed,
    s: &AppState,
    notice: Option<&str>,
    new_token: Option<CreatedToken>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let loaded = async {
        Ok::<_, AppError>((
            users::me(&s.app, &a.actor).await?,
            sessions::list_mine(&s.app, &a.actor).await?,
            tokens::list_mine(&s.app, &a.actor).await?,
            recheck::is_recent(&s.app, &a.actor).await?,
        ))
    }
    .await;
    match loaded {
        Ok((me, sessions, tokens, recent)) => {
            let l = Layout::new(&a.ctx).with_notice(notice);
            render_status(
                status,
                &ProfilePage {
                    l,
                    me,
                    sessions,
                    tokens,
                    new_token,
                    errors,
                    reauth: !recent,
                },
            )
        }
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

pub async fn show(a: Authed, State(s): State<AppState>, Query(q): Query<NoticeParam>) -> Response {
    profile_page(
        &a,
        &s,
        q.notice.as_deref(),
        None,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct ProfileForm {
    display_name: String,
    locale: String,
}

pub async fn update(a: Authed, State(s): State<AppState>, Form(f): Form<ProfileForm>) -> Response {
    match users::update_me(
        &s.app,
        &a.actor,
        Some(f.display_name),
        Some(f.locale.clone()),
    )
    .await
    {
        Ok(_) => {
            let cookie = crate::cookies::set(
                crate::cookies::LANG,
                &f.locale,
                365 * 86_400,
                a.ctx.secure_cookies,
            );
            let mut r = see_other("/profile", "saved");
            if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
                r.headers_mut().append(axum::http::header::SET_COOKIE, v);
            }
            r
        }
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            profile_page(&a, &s, None, None, errors, crate::error::status_of(&e)).await
        }
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    a: Authed,
    State(s): State<AppState>,
    Form(f): Form<PasswordForm>,
) -> Response {
    match users::change_my_password(&s.app, &a.actor, &f.current_password, &f.new_password).await {
        Ok(()) => see_other("/profile", "password-changed"),
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            profile_page(&a, &s, None, None, errors, crate::error::status_of(&e)).await
        }
    }
}

pub async fn revoke_session(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    match sessions::revoke_mine(&s.app, &a.actor, &id).await {
        Ok(()) if a.actor.session_id.as_deref() == Some(id.as_str()) => {
            Redirect::to("/login").into_response()
        }
        Ok(()) => see_other("/profile", "session-ended"),
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

pub async fn revoke_all_sessions(a: Authed, State(s): State<AppState>) -> Response {
    match sessions::revoke_all_mine(&s.app, &a.actor, false).await {
        Ok(_) => Redirect::to("/login").into_response(),
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
    scope: String,
    days: Option<String>,
}

pub async fn create_token(
    a: Authed,
    State(s): State<AppState>,
    Form(f): Form<TokenForm>,
) -> Response {
    let scope = TokenScope::parse(&f.scope).unwrap_or(TokenScope::Read);
    let days = f.days.as_deref().map(str::trim).filter(|d| !d.is_empty());
    let expires_at = match days.map(str::parse::<i64>) {
        None => Ok(None),
        Some(Ok(d)) if (1..=366).contains(&d) => Ok(Some(s.app.now() + chrono::Duration::days(d))),
        Some(_) => Err(AppError::invalid("days", "out_of_range")),
    };
    let result = match expires_at {
        Ok(expires_at) => {
            tokens::create_mine(
                &s.app,
                &a.actor,
                NewToken {
                    name: f.name,
                    scope,
                    expires_at,
                },
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        // Shown on this response only: the token is not stored in clear anywhere.
        Ok(created) => {
            profile_page(
                &a,
                &s,
                None,
                Some(created),
                FormErrors::default(),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            profile_page(&a, &s, None, None, errors, crate::error::status_of(&e)).await
        }
    }
}

pub async fn revoke_token(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    match tokens::revoke_mine(&s.app, &a.actor, &id).await {
        Ok(()) => see_other("/profile", "token-revoked"),
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

#[derive(Template)]
#[template(path = "mfa.html")]
struct MfaPage {
    l: Layout,
    enabled: bool,
    enrolment: Option<Enrolment>,
    qr_data_uri: String,
    recovery_codes: Vec<String>,
    errors: FormErrors,
    reauth: bool,
}

fn qr_svg_data_uri(text: &str) -> String {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    )
}

async fn mfa_page(
    a: &Authed,
    s: &AppState,
    recovery_codes: Vec<String>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let me = match users::me(&s.app, &a.actor).await {
        Ok(me) => me,
        Err(e) => return super::failure_page(&a.ctx, &e),
    };
    let reauth = match recheck::is_recent(&s.app, &a.actor).await {
        Ok(recent) => !recent,
        Err(e) => return super::failure_page(&a.ctx, &e),
    };
    let enrolment = if me.mfa_enabled || !recovery_codes.is_empty() || reauth {
        None
    } else {
        // Opening the page prepares a secret; it only takes effect once a code confirms it.
        match mfa::pending_enrolment(&s.app, &a.actor).await {
            Ok(Some(e)) => Some(e),
            Ok(None) => match mfa::start_enrolment(&s.app, &a.actor).await {
                Ok(e) => Some(e),
                Err(e) => return super::failure_page(&a.ctx, &e),
            },
            Err(e) => return super::failure_page(&a.ctx, &e),
        }
    };
    let qr_data_uri = enrolment
        .as_ref()
        .map(|e| qr_svg_data_uri(&e.otpauth_url))
        .unwrap_or_default();
    let page = MfaPage {
        l: Layout::new(&a.ctx),
        enabled: me.mfa_enabled,
        enrolment,
        qr_data_uri,
        recovery_codes,
        errors,
        reauth,
    };
    render_status(status, &page)
}

pub async fn mfa_show(a: Authed, State(s): State<AppState>) -> Response {
    mfa_page(&a, &s, vec![], FormErrors::default(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

pub async fn mfa_confirm(
    a: Authed,
    State(s): State<AppState>,
    Form(f): Form<CodeForm>,
) -> Response {
    match mfa::confirm_enrolment(&s.app, &a.actor, &f.code).await {
        Ok(codes) => mfa_page(&a, &s, codes, FormErrors::default(), StatusCode::OK).await,
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            mfa_page(&a, &s, vec![], errors, crate::error::status_of(&e)).await
        }
    }
}

#[derive(Deserialize)]
pub struct DisableForm {
    password: String,
}

pub async fn mfa_disable(
    a: Authed,
    State(s): State<AppState>,
    Form(f): Form<DisableForm>,
) -> Response {
    match mfa::disable(&s.app, &a.actor, &f.password).await {
        Ok(()) => see_other("/profile", "mfa-disabled"),
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            mfa_page(&a, &s, vec![], errors, crate::error::status_of(&e)).await
        }
    }
}

#[derive(Deserialize)]
pub struct ConfirmPasswordForm {
    password: String,
    next: Option<String>,
}

/// The re-authentication prompt's answer: back to the page that asked (the profile or its
/// second-factor page; nothing else, so the form cannot be made to redirect elsewhere).
pub async fn confirm_password(
    a: Authed,
    State(s): State<AppState>,
    Form(f): Form<ConfirmPasswordForm>,
) -> Response {
    let next = match f.next.as_deref() {
        Some("/profile/mfa") => "/profile/mfa",
        _ => "/profile",
    };
    match recheck::confirm_password(&s.app, &a.actor, &f.password).await {
        Ok(()) => see_other(next, "password-confirmed"),
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            let status = crate::error::status_of(&e);
            if next == "/profile/mfa" {
                mfa_page(&a, &s, vec![], errors, status).await
            } else {
                profile_page(&a, &s, None, None, errors, status).await
            }
        }
    }
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/profile", axum::routing::get(show).post(update))
        .route("/profile/password", axum::routing::post(change_password))
        .route(
            "/profile/confirm-password",
            axum::routing::post(confirm_password),
        )
        .route(
            "/profile/sessions/revoke-all",
            axum::routing::post(revoke_all_sessions),
        )
        .route(
            "/profile/sessions/{id}/revoke",
            axum::routing::post(revoke_session),
        )
        .route("/profile/tokens", axum::routing::post(create_token))
        .route(
            "/profile/tokens/{id}/revoke",
            axum::routing::post(revoke_token),
        )
        .route(
            "/profile/mfa",
            axum::routing::get(mfa_show).post(mfa_confirm),
        )
        .route("/profile/mfa/disable", axum::routing::post(mfa_disable))
}
