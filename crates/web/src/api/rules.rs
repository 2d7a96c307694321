//! The network's rule sets: everyone taking part reads them; the coordinator creates, changes
//! and withdraws sets whose effective date lies ahead (a set in force never changes: 409).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use irnet_app::rules::{self, RuleSetInput, RuleSetView};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::WebError;
use crate::extract::{ApiJson, Authed, Path, Query};

type ApiResult<T> = Result<T, WebError>;

pub(super) const RULES: super::Tag = super::Tag {
    name: "rules",
    description: "Rule sets: deadlines, holidays, handling steps, serious-incident criteria, report kinds and periodic reports, each in force from its date",
};

/// Every rule set, the latest date first.
#[utoipa::path(get, path = "/api/v1/rule-sets", tag = "rules", responses((status = 200, body = Vec<RuleSetView>)))]
pub async fn list_rule_sets(
    a: Authed,
    State(s): State<AppState>,
) -> ApiResult<Json<Vec<RuleSetView>>> {
    Ok(Json(rules::list(&s.app, &a.actor).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct OnParams {
    /// the day (yyyy-mm-dd); default: today in the network's time zone
    pub on: Option<NaiveDate>,
}

/// The rule set in force on a day: the one records of that day are judged by.
#[utoipa::path(get, path = "/api/v1/rule-sets/in-force", tag = "rules", params(OnParams), responses((status = 200, body = RuleSetView)))]
pub async fn rule_set_in_force(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<OnParams>,
) -> ApiResult<Json<RuleSetView>> {
    Ok(Json(rules::in_force(&s.app, &a.actor, q.on).await?))
}

/// A new rule set (coordinator), in force from `effective_from` (after today). `rules` holds
/// only what differs from the set in force the day before; 422 names each invalid field
/// (`rules.deadlines.notice.amount`).
#[utoipa::path(post, path = "/api/v1/rule-sets", tag = "rules", request_body = RuleSetInput, responses((status = 201, body = RuleSetView)))]
pub async fn create_rule_set(
    a: Authed,
    State(s): State<AppState>,
    ApiJson(b): ApiJson<RuleSetInput>,
) -> ApiResult<(StatusCode, Json<RuleSetView>)> {
    let v = rules::create(&s.app, &a.actor, b).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Changes a rule set whose date still lies ahead (coordinator); 409 `rule_set_in_force` once
/// it is in force.
#[utoipa::path(put, path = "/api/v1/rule-sets/{id}", tag = "rules", params(("id" = String, Path)), request_body = RuleSetInput, responses((status = 200, body = RuleSetView)))]
pub async fn update_rule_set(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RuleSetInput>,
) -> ApiResult<Json<RuleSetView>> {
    Ok(Json(rules::update(&s.app, &a.actor, &id, b).await?))
}

/// Withdraws a rule set whose date still lies ahead (coordinator).
#[utoipa::path(delete, path = "/api/v1/rule-sets/{id}", tag = "rules", params(("id" = String, Path)), responses((status = 204, description = "withdrawn")))]
pub async fn withdraw_rule_set(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    rules::withdraw(&s.app, &a.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(RULES)
        .routes(utoipa_axum::routes!(list_rule_sets, create_rule_set))
        .routes(utoipa_axum::routes!(rule_set_in_force))
        .routes(utoipa_axum::routes!(update_rule_set, withdraw_rule_set))
}
