//! Accounts and role grants, for administrators and org admins.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use irnet_app::AppError;
use irnet_app::error::Problems;
use irnet_app::identity::users::{self, GrantView, NewUser, UserUpdate, UserView};
use irnet_domain::{Grant, Role, Scope};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::PageOf;
use crate::AppState;
use crate::error::WebError;
use crate::extract::{ApiJson, Authed, Path, Query};

type ApiResult<T> = Result<T, WebError>;

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageParams {
    /// from the previous page's `next_cursor`
    pub cursor: Option<String>,
    /// 1 to 500, default 50
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantRequest {
    /// admin, coordinator, cluster_lead, org_admin, responder or viewer
    pub role: String,
    /// network, cluster or org
    pub scope: String,
    /// the cluster's or organisation's id (none for the network)
    pub scope_id: Option<String>,
}

pub fn parse_grant(g: &GrantRequest, problems: &mut Problems, prefix: &str) -> Option<Grant> {
    let role = problems.check(&format!("{prefix}role"), Role::parse(&g.role));
    let scope = problems.check(
        &format!("{prefix}scope"),
        Scope::from_parts(&g.scope, g.scope_id.as_deref().filter(|s| !s.is_empty())),
    );
    match (role, scope) {
        (Some(r), Some(s)) => problems.check(&format!("{prefix}role"), Grant::new(r, s)),
        _ => None,
    }
}

#[utoipa::path(get, path = "/api/v1/users", tag = "administration", params(PageParams), responses((status = 200, body = PageOf<UserView>)))]
pub async fn list_users(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<PageParams>,
) -> ApiResult<Json<PageOf<UserView>>> {
    Ok(Json(
        users::list(&s.app, &a.actor, q.cursor, q.limit)
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub email: String,
    pub display_name: String,
    pub org_id: String,
    /// `vi` (default) or `en`
    pub locale: Option<String>,
    /// the initial password, at least 12 characters
    pub password: String,
    #[serde(default)]
    pub roles: Vec<GrantRequest>,
}

#[utoipa::path(post, path = "/api/v1/users", tag = "administration", request_body = CreateUser, responses((status = 201, body = UserView)))]
pub async fn create_user(
    a: Authed,
    State(s): State<AppState>,
    ApiJson(b): ApiJson<CreateUser>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    let mut problems = Problems::default();
    let grants: Vec<Grant> = b
        .roles
        .iter()
        .enumerate()
        .filter_map(|(i, g)| parse_grant(g, &mut problems, &format!("roles[{i}].")))
        .collect();
    problems.into_result()?;
    let input = NewUser {
        email: b.email,
        display_name: b.display_name,
        org_id: b.org_id,
        locale: b.locale,
        password: b.password,
        grants,
    };
    Ok((
        StatusCode::CREATED,
        Json(users::create(&s.app, &a.actor, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "administration", params(("id" = String, Path)), responses((status = 200, body = UserView)))]
pub async fn get_user(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(users::get(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    pub display_name: Option<String>,
    pub locale: Option<String>,
    /// false disables the account and ends its sessions
    pub active: Option<bool>,
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "administration", params(("id" = String, Path)), request_body = UpdateUser, responses((status = 200, body = UserView)))]
pub async fn update_user(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<UpdateUser>,
) -> ApiResult<Json<UserView>> {
    let input = UserUpdate {
        display_name: b.display_name,
        locale: b.locale,
        active: b.active,
    };
    Ok(Json(users::update(&s.app, &a.actor, &id, input).await?))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/roles", tag = "administration", params(("id" = String, Path)), request_body = GrantRequest, responses((status = 201, body = GrantView)))]
pub async fn grant_role(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<GrantRequest>,
) -> ApiResult<(StatusCode, Json<GrantView>)> {
    let mut problems = Problems::default();
    let grant = parse_grant(&b, &mut problems, "");
    problems.into_result()?;
    let grant = grant.ok_or_else(|| AppError::invalid("role", "invalid_grant"))?;
    Ok((
        StatusCode::CREATED,
        Json(users::grant(&s.app, &a.actor, &id, grant).await?),
    ))
}

#[utoipa::path(delete, path = "/api/v1/users/{id}/roles/{grant_id}", tag = "administration", params(("id" = String, Path), ("grant_id" = String, Path)), responses((status = 204, description = "Revoked")))]
pub async fn revoke_role(
    a: Authed,
    State(s): State<AppState>,
    Path((id, grant_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    users::revoke_grant(&s.app, &a.actor, &id, &grant_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lifts a sign-in lockout.
#[utoipa::path(post, path = "/api/v1/users/{id}/unlock", tag = "administration", params(("id" = String, Path)), responses((status = 204, description = "Unlocked")))]
pub async fn unlock_user(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    users::unlock(&s.app, &a.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes the second factor of someone who lost their authenticator.
#[utoipa::path(post, path = "/api/v1/users/{id}/mfa/reset", tag = "administration", params(("id" = String, Path)), responses((status = 204, description = "Second factor removed")))]
pub async fn reset_user_mfa(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    users::reset_mfa(&s.app, &a.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The OpenAPI tag of this pillar's operations.
pub(super) const ADMINISTRATION: super::Tag = super::Tag {
    name: "administration",
    description: "Accounts and roles",
};

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(ADMINISTRATION)
        .routes(utoipa_axum::routes!(list_users, create_user))
        .routes(utoipa_axum::routes!(get_user, update_user))
        .routes(utoipa_axum::routes!(grant_role))
        .routes(utoipa_axum::routes!(revoke_role))
        .routes(utoipa_axum::routes!(unlock_user))
        .routes(utoipa_axum::routes!(reset_user_mfa))
}
