//! The signed-in person's own account: profile, password, sessions, API tokens, second factor.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use irnet_app::AppError;
use irnet_app::identity::mfa::{self, Enrolment};
use irnet_app::identity::sessions::{self, SessionView};
use irnet_app::identity::tokens::{self, CreatedToken, NewToken, TokenView};
use irnet_app::identity::users::{self, UserView};
use irnet_domain::TokenScope;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::WebError;
use crate::extract::{ApiJson, Authed, Path, Query};

type ApiResult<T> = Result<T, WebError>;

/// Who you are: your account, your organisation and your roles.
#[utoipa::path(get, path = "/api/v1/me", tag = "identity", responses((status = 200, body = UserView)))]
pub async fn get_me(a: Authed) -> ApiResult<Json<UserView>> {
    // The context layer loaded the account and its grants for this request already.
    Ok(Json(users::view(&a.auth.user, &a.auth.grants)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdate {
    pub display_name: Option<String>,
    /// `vi` or `en`
    pub locale: Option<String>,
}

#[utoipa::path(patch, path = "/api/v1/me", tag = "identity", request_body = ProfileUpdate, responses((status = 200, body = UserView)))]
pub async fn patch_me(
    a: Authed,
    State(s): State<AppState>,
    ApiJson(b): ApiJson<ProfileUpdate>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(
        users::update_me(&s.app, &a.actor, b.display_name, b.locale).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Changes your password; your other sessions end.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "identity", request_body = PasswordChange, responses((status = 204, description = "Changed")))]
pub async fn change_password(
    a: Authed,
    State(s): State<AppState>,
    ApiJson(b): ApiJson<PasswordChange>,
) -> ApiResult<StatusCode> {
    users::change_my_password(&s.app, &a.actor, &b.current_password, &b.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "identity", responses((status = 200, body = Vec<SessionView>)))]
pub async fn list_sessions(
    a: Authed,
    State(s): State<AppState>,
) -> ApiResult<Json<Vec<SessionView>>> {
    Ok(Json(sessions::list_mine(&s.app, &a.actor).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RevokeAllParams {
    /// keep the session making this request
    pub keep_current: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Revoked {
    pub revoked: usize,
}

/// Signs you out everywhere.
#[utoipa::path(delete, path = "/api/v1/me/sessions", tag = "identity", params(RevokeAllParams), responses((status = 200, body = Revoked)))]
pub async fn revoke_all_sessions(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<RevokeAllParams>,
) -> ApiResult<Json<Revoked>> {
    let revoked =
        sessions::revoke_all_mine(&s.app, &a.actor, q.keep_current.unwrap_or(false)).await?;
    Ok(Json(Revoked { revoked }))
}

#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "identity", params(("id" = String, Path)), responses((status = 204, description = "Signed out")))]
pub async fn revoke_session(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    sessions::revoke_mine(&s.app, &a.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "identity", responses((status = 200, body = Vec<TokenView>)))]
pub async fn list_tokens(a: Authed, State(s): State<AppState>) -> ApiResult<Json<Vec<TokenView>>> {
    Ok(Json(tokens::list_mine(&s.app, &a.actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub name: String,
    /// `read` (default) or `write`
    pub scope: Option<String>,
    /// default: 90 days from now; at most a year
    pub expires_at: Option<DateTime<Utc>>,
}

pub fn token_scope(scope: Option<&str>, default: TokenScope) -> Result<TokenScope, AppError> {
    match scope {
        None => Ok(default),
        Some(s) => {
            TokenScope::parse(s).map_err(|_| AppError::invalid("scope", "invalid_token_scope"))
        }
    }
}

/// Creates an API token. The token is in this response only.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "identity", request_body = TokenRequest, responses((status = 201, body = CreatedToken)))]
pub async fn create_token(
    a: Authed,
    State(s): State<AppState>,
    ApiJson(b): ApiJson<TokenRequest>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    let scope = token_scope(b.scope.as_deref(), TokenScope::Read)?;
    let created = tokens::create_mine(
        &s.app,
        &a.actor,
        NewToken {
            name: b.name,
            scope,
            expires_at: b.expires_at,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "identity", params(("id" = String, Path)), responses((status = 204, description = "Revoked")))]
pub async fn revoke_token(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    tokens::revoke_mine(&s.app, &a.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Starts enrolling an authenticator app: returns the secret and its `otpauth://` URL.
#[utoipa::path(post, path = "/api/v1/me/mfa", tag = "identity", responses((status = 200, body = Enrolment)))]
pub async fn start_mfa(a: Authed, State(s): State<AppState>) -> ApiResult<Json<Enrolment>> {
    Ok(Json(mfa::start_enrolment(&s.app, &a.actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaCode {
    /// six digits from the authenticator app
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// each works once, in place of a code, if the authenticator is lost; shown only now
    pub recovery_codes: Vec<String>,
}

/// Confirms enrolment with a current code; returns the recovery codes.
#[utoipa::path(post, path = "/api/v1/me/mfa/confirm", tag = "identity", request_body = MfaCode, responses((status = 200, body = RecoveryCodes)))]
pub async fn confirm_mfa(
    a: Authed,
    State(s): State<AppState>,
    ApiJson(b): ApiJson<MfaCode>,
) -> ApiResult<Json<RecoveryCodes>> {
    let recovery_codes = mfa::confirm_enrolment(&s.app, &a.actor, &b.code).await?;
    Ok(Json(RecoveryCodes { recovery_codes }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordConfirmation {
    pub password: String,
}

/// Turns off the second factor (your password confirms it is you).
#[utoipa::path(post, path = "/api/v1/me/mfa/disable", tag = "identity", request_body = PasswordConfirmation, responses((status = 204, description = "Disabled")))]
pub async fn disable_mfa(
    a: Authed,
    State(s): State<AppState>,
    ApiJson(b): ApiJson<PasswordConfirmation>,
) -> ApiResult<StatusCode> {
    mfa::disable(&s.app, &a.actor, &b.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The OpenAPI tag of this pillar's operations.
pub(super) const IDENTITY: super::Tag = super::Tag {
    name: "identity",
    description: "Your account, sessions, API tokens and second factor",
};

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(IDENTITY)
        .routes(utoipa_axum::routes!(get_me, patch_me))
        .routes(utoipa_axum::routes!(change_password))
        .routes(utoipa_axum::routes!(list_sessions, revoke_all_sessions))
        .routes(utoipa_axum::routes!(revoke_session))
        .routes(utoipa_axum::routes!(list_tokens, create_token))
        .routes(utoipa_axum::routes!(revoke_token))
        .routes(utoipa_axum::routes!(start_mfa))
        .routes(utoipa_axum::routes!(confirm_mfa))
        .routes(utoipa_axum::routes!(disable_mfa))
}
