//! The member profile (Mẫu 01) and its sections: incident response team, capabilities, staff
//! counts, experts; the whole profile as JSON and as DOCX. All of it is the member's private part:
//! not found for anyone who may not read it.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use irnet_app::directory::profile::{self, MemberProfile, OrgDetails};
use irnet_app::directory::profile_filing;
use irnet_app::directory::staff::{
    self, ByDegree, ByField, CertificateCount, ExpertInput, ExpertView, StaffView,
};
use irnet_app::directory::team::{self, CapabilityInput, CapabilityView, TeamInput, TeamView};
use irnet_app::filing::{FiledReportView, FilingInput};
use irnet_domain::profile::SKILLS;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::directory::AsOf;
use crate::AppState;
use crate::error::WebError;
use crate::extract::{ApiJson, Authed, Path, Query};

type ApiResult<T> = Result<T, WebError>;

pub const DOCX_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillView {
    pub code: &'static str,
    pub label_vi: &'static str,
    pub label_en: &'static str,
}

/// The taxonomy of capabilities and skills members describe themselves with.
#[utoipa::path(get, path = "/api/v1/skills", tag = "directory", responses((status = 200, body = Vec<SkillView>)))]
pub async fn list_skills(_a: Authed) -> Json<Vec<SkillView>> {
    Json(
        SKILLS
            .iter()
            .map(|s| SkillView {
                code: s.code,
                label_vi: s.label_vi,
                label_en: s.label_en,
            })
            .collect(),
    )
}

/// Everything Mẫu 01 asks for. The organisation's names and clusters are those of `as_of`.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/profile", tag = "directory", params(("id" = String, Path), AsOf), responses((status = 200, body = MemberProfile)))]
pub async fn get_profile(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AsOf>,
) -> ApiResult<Json<MemberProfile>> {
    let day = q.as_of.unwrap_or_else(|| s.app.today());
    Ok(Json(profile::get(&s.app, &a.actor, &id, day).await?))
}

/// `attachment` with an ASCII name for old clients and the real one in `filename*` (RFC 6266,
/// RFC 5987).
pub fn content_disposition(ascii_name: &str, name: &str) -> String {
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let ascii: String = ascii_name
        .chars()
        .filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\')
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The profile as a Mẫu 01 document (DOCX, in Vietnamese).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/profile.docx", tag = "directory", params(("id" = String, Path), AsOf), responses((status = 200, description = "the Mẫu 01 document", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = String)))]
pub async fn get_profile_docx(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AsOf>,
) -> ApiResult<Response> {
    let day = q.as_of.unwrap_or_else(|| s.app.today());
    let d = profile::docx(&s.app, &a.actor, &id, day).await?;
    let disposition = HeaderValue::from_str(&content_disposition(&d.ascii_name, &d.name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment; filename=\"mau-01.docx\""));
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(DOCX_TYPE)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        d.bytes,
    )
        .into_response())
}

/// Records that the member confirmed today that its profile is current (done yearly).
#[utoipa::path(post, path = "/api/v1/organisations/{id}/profile/confirm", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = MemberProfile)))]
pub async fn confirm_profile(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<MemberProfile>> {
    Ok(Json(profile::confirm(&s.app, &a.actor, &id).await?))
}

/// Sets the organisation's address, phone, e-mail and head (Mẫu 01's first section).
#[utoipa::path(put, path = "/api/v1/organisations/{id}/profile/details", tag = "directory", params(("id" = String, Path)), request_body = OrgDetails, responses((status = 200, body = MemberProfile)))]
pub async fn set_profile_details(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<OrgDetails>,
) -> ApiResult<Json<MemberProfile>> {
    Ok(Json(profile::set_details(&s.app, &a.actor, &id, b).await?))
}

/// Files the member's Mẫu 01 confirmation: the profile as it stands, frozen with its DOCX and
/// numbered per version (the org admin of the member files it).
#[utoipa::path(post, path = "/api/v1/organisations/{id}/profile/filed", tag = "directory", params(("id" = String, Path)), request_body = FilingInput, responses((status = 201, body = FiledReportView)))]
pub async fn file_profile(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<FilingInput>,
) -> ApiResult<(StatusCode, Json<FiledReportView>)> {
    Ok((
        StatusCode::CREATED,
        Json(profile_filing::file(&s.app, &a.actor, &id, b).await?),
    ))
}

/// Every Mẫu 01 the member filed, newest first.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/profile/filed", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = Vec<FiledReportView>)))]
pub async fn list_filed_profiles(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<FiledReportView>>> {
    Ok(Json(profile_filing::filed(&s.app, &a.actor, &id).await?))
}

/// A filed Mẫu 01 exactly as filed.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/profile/filed/{filed_id}/docx", tag = "directory", params(("id" = String, Path), ("filed_id" = String, Path)), responses((status = 200, description = "the form as filed", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = String)))]
pub async fn filed_profile_docx(
    a: Authed,
    State(s): State<AppState>,
    Path((id, fid)): Path<(String, String)>,
) -> ApiResult<Response> {
    Ok(super::incidents::docx_response(
        profile_filing::download(&s.app, &a.actor, &id, &fid).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}/team", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = TeamView)))]
pub async fn get_team(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<TeamView>> {
    Ok(Json(team::get_team(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamMemberRequest {
    /// a person of the organisation
    pub person_id: String,
    /// leader, deputy, member or expert
    pub role: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamRequest {
    /// as written, e.g. `125/QĐ-SKHCN`
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub decision_issuer: Option<String>,
    #[serde(default)]
    pub members: Vec<TeamMemberRequest>,
}

/// Records the incident response team: its establishing decision and its members, replacing what
/// was recorded.
#[utoipa::path(put, path = "/api/v1/organisations/{id}/team", tag = "directory", params(("id" = String, Path)), request_body = TeamRequest, responses((status = 200, body = TeamView)))]
pub async fn set_team(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TeamRequest>,
) -> ApiResult<Json<TeamView>> {
    let input = TeamInput {
        decision_number: b.decision_number,
        decision_date: b.decision_date,
        decision_issuer: b.decision_issuer,
        members: b
            .members
            .into_iter()
            .map(|m| (m.person_id, m.role))
            .collect(),
    };
    Ok(Json(team::set_team(&s.app, &a.actor, &id, input).await?))
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}/capabilities", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = Vec<CapabilityView>)))]
pub async fn get_capabilities(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<CapabilityView>>> {
    Ok(Json(team::get_capabilities(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapabilityRequest {
    /// a code of `GET /api/v1/skills`
    pub skill: String,
    /// basic, intermediate or advanced
    pub level: String,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapabilitiesRequest {
    pub capabilities: Vec<CapabilityRequest>,
}

/// Records the member's capabilities and skills, replacing what was recorded.
#[utoipa::path(put, path = "/api/v1/organisations/{id}/capabilities", tag = "directory", params(("id" = String, Path)), request_body = CapabilitiesRequest, responses((status = 200, body = Vec<CapabilityView>)))]
pub async fn set_capabilities(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CapabilitiesRequest>,
) -> ApiResult<Json<Vec<CapabilityView>>> {
    let input = b
        .capabilities
        .into_iter()
        .map(|c| CapabilityInput {
            skill: c.skill,
            level: c.level,
            note: c.note,
        })
        .collect();
    Ok(Json(
        team::set_capabilities(&s.app, &a.actor, &id, input).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}/staff", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = StaffView)))]
pub async fn get_staff(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<StaffView>> {
    Ok(Json(staff::get_staff(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffRequest {
    #[serde(default)]
    pub by_field: ByField,
    #[serde(default)]
    pub by_degree: ByDegree,
    #[serde(default)]
    pub certificates: Vec<CertificateCount>,
}

/// Records the staff counts by field, degree and certificate, replacing what was recorded.
#[utoipa::path(put, path = "/api/v1/organisations/{id}/staff", tag = "directory", params(("id" = String, Path)), request_body = StaffRequest, responses((status = 200, body = StaffView)))]
pub async fn set_staff(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StaffRequest>,
) -> ApiResult<Json<StaffView>> {
    let input = StaffView {
        by_field: b.by_field,
        by_degree: b.by_degree,
        certificates: b.certificates,
    };
    Ok(Json(staff::set_staff(&s.app, &a.actor, &id, input).await?))
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}/experts", tag = "directory", params(("id" = String, Path)), responses((status = 200, body = Vec<ExpertView>)))]
pub async fn list_experts(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ExpertView>>> {
    Ok(Json(staff::list_experts(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpertRequest {
    /// a person of the organisation
    pub person_id: String,
    /// field of expertise
    pub expertise: String,
    #[serde(default)]
    pub certificates: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/organisations/{id}/experts", tag = "directory", params(("id" = String, Path)), request_body = ExpertRequest, responses((status = 201, body = ExpertView)))]
pub async fn add_expert(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ExpertRequest>,
) -> ApiResult<(StatusCode, Json<ExpertView>)> {
    let input = ExpertInput {
        person_id: b.person_id,
        expertise: b.expertise,
        certificates: b.certificates,
    };
    Ok((
        StatusCode::CREATED,
        Json(staff::add_expert(&s.app, &a.actor, &id, input).await?),
    ))
}

#[utoipa::path(delete, path = "/api/v1/organisations/{id}/experts/{expert_id}", tag = "directory", params(("id" = String, Path), ("expert_id" = String, Path)), responses((status = 204, description = "removed")))]
pub async fn remove_expert(
    a: Authed,
    State(s): State<AppState>,
    Path((id, expert_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    staff::remove_expert(&s.app, &a.actor, &id, &expert_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(super::directory::DIRECTORY)
        .routes(utoipa_axum::routes!(list_skills))
        .routes(utoipa_axum::routes!(get_profile))
        .routes(utoipa_axum::routes!(get_profile_docx))
        .routes(utoipa_axum::routes!(confirm_profile))
        .routes(utoipa_axum::routes!(set_profile_details))
        .routes(utoipa_axum::routes!(list_filed_profiles, file_profile))
        .routes(utoipa_axum::routes!(filed_profile_docx))
        .routes(utoipa_axum::routes!(get_team, set_team))
        .routes(utoipa_axum::routes!(get_capabilities, set_capabilities))
        .routes(utoipa_axum::routes!(get_staff, set_staff))
        .routes(utoipa_axum::routes!(list_experts, add_expert))
        .routes(utoipa_axum::routes!(remove_expert))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_has_an_ascii_fallback_and_the_vietnamese_name_encoded() {
        let h = content_disposition("mau-01-cao-bang.docx", "Mẫu 01 - Cao Bằng.docx");
        assert_eq!(
            h,
            "attachment; filename=\"mau-01-cao-bang.docx\"; filename*=UTF-8''M%E1%BA%ABu%2001%20-%20Cao%20B%E1%BA%B1ng.docx"
        );
    }
}
