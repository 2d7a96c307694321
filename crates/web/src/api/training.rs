//! Training: programmes (read by their organiser and invited members), their sessions and
//! attendance, and each member's certificates and yearly totals (its private part).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use irnet_app::training::attend::{self, AttendanceInput};
use irnet_app::training::certificates::{self, CertificateInput, CertificateList};
use irnet_app::training::create::{self, ProgrammeInput};
use irnet_app::training::get::{self, ProgrammeView};
use irnet_app::training::session::{self, SessionInput};
use irnet_app::training::totals::{self, YearTotalsView};
use irnet_app::training::{ProgrammeSummary, list};
use irnet_domain::ids::{CertificateId, ProgrammeId, TrainingSessionId};
use serde::Serialize;

use crate::AppState;
use crate::error::WebError;
use crate::extract::{ApiJson, Authed, Path};

type ApiResult<T> = Result<T, WebError>;

pub(super) const TRAINING: super::Tag = super::Tag {
    name: "training",
    description: "Training programmes, sessions and attendance; members' certificates and yearly totals of people trained and hours",
};

/// A record just created: its id.
#[derive(Debug, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Created {
    pub id: String,
}

/// The programmes the caller's organisation organises or is invited to, newest year first.
#[utoipa::path(get, path = "/api/v1/training/programmes", tag = "training", responses((status = 200, body = Vec<ProgrammeSummary>)))]
pub async fn list_programmes(
    a: Authed,
    State(s): State<AppState>,
) -> ApiResult<Json<Vec<ProgrammeSummary>>> {
    Ok(Json(list::list(&s.app, &a.actor).await?))
}

/// A new programme (the organiser's org admins, the coordinator). A cluster lead gives the
/// cluster it leads in the programme's year (`cluster_id`).
#[utoipa::path(post, path = "/api/v1/training/programmes", tag = "training", request_body = ProgrammeInput, responses((status = 201, body = ProgrammeSummary)))]
pub async fn create_programme(
    a: Authed,
    State(s): State<AppState>,
    ApiJson(b): ApiJson<ProgrammeInput>,
) -> ApiResult<(StatusCode, Json<ProgrammeSummary>)> {
    Ok((
        StatusCode::CREATED,
        Json(create::create(&s.app, &a.actor, b).await?),
    ))
}

/// A programme with its sessions and the attendees the caller may know of.
#[utoipa::path(get, path = "/api/v1/training/programmes/{id}", tag = "training", params(("id" = String, Path)), responses((status = 200, body = ProgrammeView)))]
pub async fn get_programme(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<ProgrammeId>,
) -> ApiResult<Json<ProgrammeView>> {
    Ok(Json(get::get(&s.app, &a.actor, &id).await?))
}

/// Changes a programme's title, topic, audience and invited members.
#[utoipa::path(put, path = "/api/v1/training/programmes/{id}", tag = "training", params(("id" = String, Path)), request_body = ProgrammeInput, responses((status = 200, body = ProgrammeSummary)))]
pub async fn update_programme(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<ProgrammeId>,
    ApiJson(b): ApiJson<ProgrammeInput>,
) -> ApiResult<Json<ProgrammeSummary>> {
    Ok(Json(create::update(&s.app, &a.actor, &id, b).await?))
}

/// Adds a session: `held_on` as yyyy-mm-dd, `hours` as a decimal ("3.5").
#[utoipa::path(post, path = "/api/v1/training/programmes/{id}/sessions", tag = "training", params(("id" = String, Path)), request_body = SessionInput, responses((status = 201, body = Created)))]
pub async fn add_session(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<ProgrammeId>,
    ApiJson(b): ApiJson<SessionInput>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = session::add(&s.app, &a.actor, &id, b).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// Marks a person present at a session (or, with `attended: false`, takes the mark back).
#[utoipa::path(post, path = "/api/v1/training/programmes/{id}/sessions/{session_id}/attendance", tag = "training", params(("id" = String, Path), ("session_id" = String, Path)), request_body = AttendanceInput, responses((status = 204, description = "recorded")))]
pub async fn mark_attendance(
    a: Authed,
    State(s): State<AppState>,
    Path((id, session_id)): Path<(ProgrammeId, TrainingSessionId)>,
    ApiJson(b): ApiJson<AttendanceInput>,
) -> ApiResult<StatusCode> {
    attend::mark(&s.app, &a.actor, &id, &session_id, b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A member's people trained and hours per year, newest first (its private part).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/training", tag = "training", params(("id" = String, Path)), responses((status = 200, body = Vec<YearTotalsView>)))]
pub async fn org_totals(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<YearTotalsView>>> {
    Ok(Json(totals::totals(&s.app, &a.actor, &id).await?))
}

/// A member's certificates with their expiry state (its private part).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/certificates", tag = "training", params(("id" = String, Path)), responses((status = 200, body = CertificateList)))]
pub async fn list_certificates(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<CertificateList>> {
    Ok(Json(certificates::list(&s.app, &a.actor, &id).await?))
}

/// Records a certificate of one of the member's people (its org admins, the coordinator).
#[utoipa::path(post, path = "/api/v1/organisations/{id}/certificates", tag = "training", params(("id" = String, Path)), request_body = CertificateInput, responses((status = 201, body = Created)))]
pub async fn add_certificate(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CertificateInput>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = certificates::add(&s.app, &a.actor, &id, b).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// Removes a certificate.
#[utoipa::path(delete, path = "/api/v1/organisations/{id}/certificates/{certificate_id}", tag = "training", params(("id" = String, Path), ("certificate_id" = String, Path)), responses((status = 204, description = "removed")))]
pub async fn remove_certificate(
    a: Authed,
    State(s): State<AppState>,
    Path((id, certificate_id)): Path<(String, CertificateId)>,
) -> ApiResult<StatusCode> {
    certificates::remove(&s.app, &a.actor, &id, &certificate_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(TRAINING)
        .routes(utoipa_axum::routes!(list_programmes, create_programme))
        .routes(utoipa_axum::routes!(get_programme, update_programme))
        .routes(utoipa_axum::routes!(add_session))
        .routes(utoipa_axum::routes!(mark_attendance))
        .routes(utoipa_axum::routes!(org_totals))
        .routes(utoipa_axum::routes!(list_certificates, add_certificate))
        .routes(utoipa_axum::routes!(remove_certificate))
}
