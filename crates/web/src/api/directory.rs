//! Organisations and clusters (the directory pillar extends these).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use irnet_app::directory::clusters::{self, ClusterView, LeadView, MemberView};
use irnet_app::directory::orgs::{self, OrgHistory, OrgHit, OrgInput, OrgView};
use irnet_app::directory::people::{self, FocalPointView, NewPerson, PersonView};
use irnet_app::directory::systems::{self, NewSystem, SystemView};
use irnet_app::directory::timeline::{self, Timeline};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::PageOf;
use super::users::PageParams;
use crate::AppState;
use crate::error::WebError;
use crate::extract::{ApiJson, Authed, Path, Query};

type ApiResult<T> = Result<T, WebError>;

#[utoipa::path(get, path = "/api/v1/organisations", tag = "directory", params(PageParams), responses((status = 200, body = PageOf<OrgView>)))]
pub async fn list_orgs(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<PageParams>,
) -> ApiResult<Json<PageOf<OrgView>>> {
    Ok(Json(
        orgs::list(&s.app, &a.actor, q.cursor, q.limit)
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgRequest {
    pub name_vi: Option<String>,
    pub name_en: Option<String>,
    pub short_name: Option<String>,
    /// national_coordinator, state_authority, ministry_unit, provincial_department, enterprise or other
    pub kind: Option<String>,
}

impl From<OrgRequest> for OrgInput {
    fn from(b: OrgRequest) -> Self {
        OrgInput {
            name_vi: b.name_vi,
            name_en: b.name_en,
            short_name: b.short_name,
            kind: b.kind,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/organisations", tag = "directory", request_body = OrgRequest, responses((status = 201, body = OrgView)))]
pub async fn create_org(
    a: Authed,
    State(s): State<AppState>,
    ApiJson(b): ApiJson<OrgRequest>,
) -> ApiResult<(StatusCode, Json<OrgView>)> {
    Ok((
        StatusCode::CREATED,
        Json(orgs::create(&s.app, &a.actor, b.into()).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = OrgView)))]
pub async fn get_org(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<OrgView>> {
    Ok(Json(orgs::get(&s.app, &a.actor, &id).await?))
}

#[utoipa::path(patch, path = "/api/v1/organisations/{id}", tag = "directory", params(("id" = String, Path)), request_body = OrgRequest, responses((status = 200, body = OrgView)))]
pub async fn update_org(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<OrgRequest>,
) -> ApiResult<Json<OrgView>> {
    Ok(Json(orgs::update(&s.app, &a.actor, &id, b.into()).await?))
}

#[utoipa::path(get, path = "/api/v1/clusters", tag = "directory", responses((status = 200, body = Vec<ClusterView>)))]
pub async fn list_clusters(
    a: Authed,
    State(s): State<AppState>,
) -> ApiResult<Json<Vec<ClusterView>>> {
    Ok(Json(clusters::list(&s.app, &a.actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClusterRequest {
    pub number: i32,
    pub name_vi: String,
    pub name_en: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/clusters", tag = "directory", request_body = ClusterRequest, responses((status = 201, body = ClusterView)))]
pub async fn create_cluster(
    a: Authed,
    State(s): State<AppState>,
    ApiJson(b): ApiJson<ClusterRequest>,
) -> ApiResult<(StatusCode, Json<ClusterView>)> {
    let c = clusters::create(&s.app, &a.actor, b.number, &b.name_vi, b.name_en.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}/history", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = OrgHistory)))]
pub async fn org_history(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<OrgHistory>> {
    Ok(Json(orgs::history(&s.app, &a.actor, &id).await?))
}

#[utoipa::path(get, path = "/api/v1/clusters/{id}", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = ClusterView)))]
pub async fn get_cluster(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<ClusterView>> {
    Ok(Json(clusters::get(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AsOf {
    /// the day to read the directory as of (yyyy-mm-dd); default: today in the network's time zone
    pub as_of: Option<NaiveDate>,
}

/// The members of a cluster on a day, under the names they had then.
#[utoipa::path(get, path = "/api/v1/clusters/{id}/members", tag = "directory", params(("id" = String, Path), AsOf), responses((status = 200, body = Vec<MemberView>)))]
pub async fn cluster_members(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AsOf>,
) -> ApiResult<Json<Vec<MemberView>>> {
    let day = q.as_of.unwrap_or_else(|| s.app.today());
    Ok(Json(
        clusters::members_on(&s.app, &a.actor, &id, day).await?,
    ))
}

/// Who led the cluster each year, and the handovers.
#[utoipa::path(get, path = "/api/v1/clusters/{id}/leads", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = Vec<LeadView>)))]
pub async fn cluster_leads(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<LeadView>>> {
    Ok(Json(clusters::leads(&s.app, &a.actor, &id).await?))
}

/// The cluster's composition over time: memberships with the names borne during them, how each
/// ended (merged into …, left), renamings and the yearly leads.
#[utoipa::path(get, path = "/api/v1/clusters/{id}/timeline", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = Timeline)))]
pub async fn cluster_timeline(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Timeline>> {
    Ok(Json(timeline::timeline(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// part of any name the organisation has or had; accents, case and Unicode form are ignored
    pub q: String,
}

/// Finds organisations by current or past names ("bac kan" finds Bắc Kạn), with their successor.
#[utoipa::path(get, path = "/api/v1/organisations/search", tag = "directory", params(SearchParams), responses((status = 200, body = Vec<OrgHit>)))]
pub async fn search_orgs(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<SearchParams>,
) -> ApiResult<Json<Vec<OrgHit>>> {
    Ok(Json(orgs::search(&s.app, &a.actor, &q.q).await?))
}

/// The organisation's people: for the organisation itself, its cluster lead and the coordinator;
/// not found for anyone else.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/people", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = Vec<PersonView>)))]
pub async fn list_people(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<PersonView>>> {
    Ok(Json(people::list(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonRequest {
    pub family_name: String,
    pub middle_name: Option<String>,
    pub given_name: String,
    pub title: Option<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/organisations/{id}/people", tag = "directory", params(("id" = String, Path)), request_body = PersonRequest, responses((status = 201, body = PersonView)))]
pub async fn create_person(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PersonRequest>,
) -> ApiResult<(StatusCode, Json<PersonView>)> {
    Ok((
        StatusCode::CREATED,
        Json(people::create(&s.app, &a.actor, &id, b.into()).await?),
    ))
}

impl From<PersonRequest> for NewPerson {
    fn from(b: PersonRequest) -> Self {
        NewPerson {
            family_name: b.family_name,
            middle_name: b.middle_name,
            given_name: b.given_name,
            title: b.title,
            phones: b.phones,
            emails: b.emails,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = PersonView)))]
pub async fn get_person(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonView>> {
    Ok(Json(people::get(&s.app, &a.actor, &id).await?))
}

/// Replaces a person's names, title, phones and emails (the organisation stays). Org admins of
/// the person's organisation, the coordinator and administrators may.
#[utoipa::path(put, path = "/api/v1/people/{id}", tag = "directory", params(("id" = String, Path)), request_body = PersonRequest, responses((status = 200, body = PersonView)))]
pub async fn update_person(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PersonRequest>,
) -> ApiResult<Json<PersonView>> {
    Ok(Json(people::update(&s.app, &a.actor, &id, b.into()).await?))
}

/// Removes a person; a main or backup focal point must be replaced first (409
/// `person_is_focal_point`).
#[utoipa::path(delete, path = "/api/v1/people/{id}", tag = "directory", params(("id" = String, Path)), responses((status = 204, description = "removed")))]
pub async fn delete_person(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    people::delete(&s.app, &a.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The main and backup 24/7 focal points.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/focal-points", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = Vec<FocalPointView>)))]
pub async fn list_focal_points(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<FocalPointView>>> {
    Ok(Json(people::focal_points(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FocalPointRequest {
    pub person_id: String,
}

/// Names a person of the organisation as its `main` or `backup` focal point.
#[utoipa::path(put, path = "/api/v1/organisations/{id}/focal-points/{kind}", tag = "directory", params(("id" = String, Path), ("kind" = String, Path, description = "main or backup")), request_body = FocalPointRequest, responses((status = 200, body = Vec<FocalPointView>)))]
pub async fn set_focal_point(
    a: Authed,
    State(s): State<AppState>,
    Path((id, kind)): Path<(String, String)>,
    ApiJson(b): ApiJson<FocalPointRequest>,
) -> ApiResult<Json<Vec<FocalPointView>>> {
    Ok(Json(
        people::set_focal_point(&s.app, &a.actor, &id, &kind, &b.person_id).await?,
    ))
}

/// Confirms the focal points are current.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/focal-points/confirm", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = Vec<FocalPointView>)))]
pub async fn confirm_focal_points(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<FocalPointView>>> {
    Ok(Json(
        people::confirm_focal_points(&s.app, &a.actor, &id).await?,
    ))
}

/// Information systems the organisation owns or operates (its private part).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/systems", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = Vec<SystemView>)))]
pub async fn list_systems(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<SystemView>>> {
    Ok(Json(systems::list(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SystemRequest {
    pub operator_org_id: Option<String>,
    pub name: String,
    pub purpose: Option<String>,
    #[serde(default)]
    pub information_classes: Vec<String>,
    /// 1 to 5
    pub proposed_level: Option<i64>,
    /// 1 to 5
    pub approved_level: Option<i64>,
    pub approver: Option<String>,
    /// as written, e.g. `123/QĐ-UBND`
    pub approval_decision: Option<String>,
    pub approval_date: Option<NaiveDate>,
    #[serde(default)]
    pub public_urls: Vec<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    /// addresses or CIDR ranges, IPv4 or IPv6
    #[serde(default)]
    pub ip_ranges: Vec<String>,
    #[serde(default)]
    pub internet_facing: bool,
    #[serde(default)]
    pub critical: bool,
    /// operating system and its version (Mẫu 03 item 11)
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub os_version: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/organisations/{id}/systems", tag = "directory", params(("id" = String, Path)), request_body = SystemRequest, responses((status = 201, body = SystemView)))]
pub async fn create_system(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SystemRequest>,
) -> ApiResult<(StatusCode, Json<SystemView>)> {
    Ok((
        StatusCode::CREATED,
        Json(systems::create(&s.app, &a.actor, &id, b.into()).await?),
    ))
}

impl From<SystemRequest> for NewSystem {
    fn from(b: SystemRequest) -> Self {
        NewSystem {
            operator_org_id: b.operator_org_id,
            name: b.name,
            purpose: b.purpose,
            information_classes: b.information_classes,
            proposed_level: b.proposed_level,
            approved_level: b.approved_level,
            approver: b.approver,
            approval_decision: b.approval_decision,
            approval_date: b.approval_date,
            public_urls: b.public_urls,
            domains: b.domains,
            ip_ranges: b.ip_ranges,
            internet_facing: b.internet_facing,
            critical: b.critical,
            os: b.os,
            os_version: b.os_version,
        }
    }
}

/// Replaces a system's fields (the owner stays), checked as on creation.
#[utoipa::path(put, path = "/api/v1/systems/{id}", tag = "directory", params(("id" = String, Path)), request_body = SystemRequest, responses((status = 200, body = SystemView)))]
pub async fn update_system(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SystemRequest>,
) -> ApiResult<Json<SystemView>> {
    Ok(Json(
        systems::update(&s.app, &a.actor, &id, b.into()).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/systems/{id}", tag = "directory", params(("id" = String, Path)), responses((status = 204, description = "removed")))]
pub async fn delete_system(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    systems::delete(&s.app, &a.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/systems/{id}", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = SystemView)))]
pub async fn get_system(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<SystemView>> {
    Ok(Json(systems::get(&s.app, &a.actor, &id).await?))
}

/// The OpenAPI tag of this pillar's operations.
pub(super) const DIRECTORY: super::Tag = super::Tag {
    name: "directory",
    description: "Organisations, clusters, people, information systems and search",
};

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(DIRECTORY)
        .routes(utoipa_axum::routes!(list_orgs, create_org))
        .routes(utoipa_axum::routes!(get_org, update_org))
        .routes(utoipa_axum::routes!(list_clusters, create_cluster))
        .routes(utoipa_axum::routes!(get_cluster))
        .routes(utoipa_axum::routes!(cluster_members))
        .routes(utoipa_axum::routes!(cluster_leads))
        .routes(utoipa_axum::routes!(cluster_timeline))
        .routes(utoipa_axum::routes!(org_history))
        .routes(utoipa_axum::routes!(search_orgs))
        .routes(utoipa_axum::routes!(list_people, create_person))
        .routes(utoipa_axum::routes!(
            get_person,
            update_person,
            delete_person
        ))
        .routes(utoipa_axum::routes!(list_focal_points))
        .routes(utoipa_axum::routes!(set_focal_point))
        .routes(utoipa_axum::routes!(confirm_focal_points))
        .routes(utoipa_axum::routes!(list_systems, create_system))
        .routes(utoipa_axum::routes!(
            get_system,
            update_system,
            delete_system
        ))
}
