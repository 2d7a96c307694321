//! Incidents: report, classify, handle, escalate, support, report on and close. Every handler
//! calls `irnet_app::incidents`, whose single audience check makes any incident outside the
//! reader's audience a 404.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use irnet_app::incidents::handling::{
    self, AttachmentView, EventView, ObservableInput, ObservableView, TaskInput, TaskView,
};
use irnet_app::incidents::report::{self, ReportUpdate};
use irnet_app::incidents::reports::{self, ReportInput, ReportView};
use irnet_app::incidents::statistics::{self, ClusterYear, Statistics};
use irnet_app::incidents::statistics_filing::{self, StatisticsFilingInput};
use irnet_app::incidents::support::{
    self, InstructionInput, InstructionView, SupportAnswer, SupportRequestInput, SupportRequestView,
};
use irnet_app::incidents::types::IncidentType;
use irnet_app::incidents::{
    self, Classification, Counts, IncidentSummary, IncidentView, ListQuery, NewNotice,
};
use irnet_domain::ids::IncidentId;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::PageOf;
use super::files::UploadQuery;
use super::profile::content_disposition;
use crate::AppState;
use crate::error::WebError;
use crate::extract::{ApiJson, Authed, Path, Query};

type ApiResult<T> = Result<T, WebError>;

/// Reports a quick notice (a draft unless `submit` is true).
#[utoipa::path(post, path = "/api/v1/incidents", tag = "incidents", request_body = NewNotice, responses((status = 201, body = IncidentView)))]
pub async fn create(
    a: Authed,
    State(s): State<AppState>,
    ApiJson(b): ApiJson<NewNotice>,
) -> ApiResult<(StatusCode, Json<IncidentView>)> {
    Ok((
        StatusCode::CREATED,
        Json(incidents::create(&s.app, &a.actor, b).await?),
    ))
}

/// The incidents the reader's audience includes, newest first.
#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents", params(ListQuery), responses((status = 200, body = PageOf<IncidentSummary>)))]
pub async fn list(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<PageOf<IncidentSummary>>> {
    Ok(Json(incidents::list(&s.app, &a.actor, q).await?.into()))
}

/// How many incidents the reader may see, by status (same filters as the list).
#[utoipa::path(get, path = "/api/v1/incidents/count", tag = "incidents", params(ListQuery), responses((status = 200, body = Counts)))]
pub async fn count(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Counts>> {
    Ok(Json(incidents::count(&s.app, &a.actor, q).await?))
}

/// The incident types offered (configurable; defaults follow Mẫu 05).
#[utoipa::path(get, path = "/api/v1/incident-types", tag = "incidents", responses((status = 200, body = Vec<IncidentType>)))]
pub async fn types(_a: Authed, State(s): State<AppState>) -> ApiResult<Json<Vec<IncidentType>>> {
    Ok(Json(s.app.settings.incident_types.clone()))
}

#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = IncidentView)))]
pub async fn get(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(incidents::get(&s.app, &a.actor, &id).await?))
}

/// Completes or corrects the initial report's fields (Mẫu 03).
#[utoipa::path(put, path = "/api/v1/incidents/{id}/report", tag = "incidents", params(("id" = String, Path)), request_body = ReportUpdate, responses((status = 200, body = IncidentView)))]
pub async fn update_report(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    ApiJson(b): ApiJson<ReportUpdate>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(report::update(&s.app, &a.actor, &id, b).await?))
}

#[utoipa::path(put, path = "/api/v1/incidents/{id}/classification", tag = "incidents", params(("id" = String, Path)), request_body = Classification, responses((status = 200, body = IncidentView)))]
pub async fn classify(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    ApiJson(b): ApiJson<Classification>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(incidents::classify(&s.app, &a.actor, &id, b).await?))
}

/// Submits a draft: it is numbered and timestamped.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/submit", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = IncidentView)))]
pub async fn submit(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(incidents::submit(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusRequest {
    /// acknowledged, in_progress, contained, recovered
    pub status: String,
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/status", tag = "incidents", params(("id" = String, Path)), request_body = StatusRequest, responses((status = 200, body = IncidentView)))]
pub async fn set_status(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    ApiJson(b): ApiJson<StatusRequest>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(
        incidents::set_status(&s.app, &a.actor, &id, &b.status, b.note).await?,
    ))
}

/// Reports the incident to the coordinator, which joins the audience and must acknowledge.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/escalate", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = IncidentView)))]
pub async fn escalate(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(incidents::escalate(&s.app, &a.actor, &id).await?))
}

/// A receiver of the notice (the coordinator, the department in charge, the cluster lead of the
/// day) acknowledges it for its organisation; who and when are shown to the sender (`notice`).
/// 403 for anyone who may not acknowledge for a receiver; 404 outside the audience.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/notice/acknowledge", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = IncidentView), (status = 403), (status = 404)))]
pub async fn acknowledge_notice(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(
        incidents::acknowledge_notice(&s.app, &a.actor, &id).await?,
    ))
}

/// The notice's sender (or a coordinator it was sent to) sends it again to every receiver that
/// has not acknowledged it, in the app and by mail; a receiver not reached before is reached
/// when someone there can now be told. 409 when every receiver acknowledged; 403 for other
/// readers; 404 outside the audience.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/notice/resend", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = IncidentView), (status = 403), (status = 404), (status = 409)))]
pub async fn resend_notice(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(incidents::resend_notice(&s.app, &a.actor, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/acknowledge", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = IncidentView)))]
pub async fn acknowledge(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(incidents::acknowledge(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SeriousRequest {
    pub serious: bool,
}

/// The coordinator confirms (or rejects) the serious-incident proposal.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/serious", tag = "incidents", params(("id" = String, Path)), request_body = SeriousRequest, responses((status = 200, body = IncidentView)))]
pub async fn serious(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    ApiJson(b): ApiJson<SeriousRequest>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(
        incidents::decide_serious(&s.app, &a.actor, &id, b.serious).await?,
    ))
}

/// Closes the incident once its closing report is in.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/close", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = IncidentView)))]
pub async fn close(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(incidents::close(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ShareRequest {
    pub org_id: Option<String>,
    pub user_id: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/shares", tag = "incidents", params(("id" = String, Path)), request_body = ShareRequest, responses((status = 200, body = IncidentView)))]
pub async fn share(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    ApiJson(b): ApiJson<ShareRequest>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(
        incidents::share(&s.app, &a.actor, &id, b.org_id, b.user_id).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/incidents/{id}/tasks", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = Vec<TaskView>)))]
pub async fn list_tasks(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<Vec<TaskView>>> {
    Ok(Json(handling::tasks(&s.app, &a.actor, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/tasks", tag = "incidents", params(("id" = String, Path)), request_body = TaskInput, responses((status = 201, body = IncidentView)))]
pub async fn add_task(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    ApiJson(b): ApiJson<TaskInput>,
) -> ApiResult<(StatusCode, Json<IncidentView>)> {
    Ok((
        StatusCode::CREATED,
        Json(handling::add_task(&s.app, &a.actor, &id, b).await?),
    ))
}

#[utoipa::path(put, path = "/api/v1/incidents/{id}/tasks/{task_id}", tag = "incidents", params(("id" = String, Path), ("task_id" = String, Path)), request_body = TaskInput, responses((status = 200, body = IncidentView)))]
pub async fn update_task(
    a: Authed,
    State(s): State<AppState>,
    Path((id, task_id)): Path<(IncidentId, String)>,
    ApiJson(b): ApiJson<TaskInput>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(
        handling::update_task(&s.app, &a.actor, &id, &task_id, b).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/incidents/{id}/observables", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = Vec<ObservableView>)))]
pub async fn list_observables(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<Vec<ObservableView>>> {
    Ok(Json(handling::observables(&s.app, &a.actor, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/observables", tag = "incidents", params(("id" = String, Path)), request_body = ObservableInput, responses((status = 201, body = IncidentView)))]
pub async fn add_observable(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    ApiJson(b): ApiJson<ObservableInput>,
) -> ApiResult<(StatusCode, Json<IncidentView>)> {
    Ok((
        StatusCode::CREATED,
        Json(handling::add_observable(&s.app, &a.actor, &id, b).await?),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentRequest {
    /// `@email` mentions a person of the audience
    pub text: String,
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/comments", tag = "incidents", params(("id" = String, Path)), request_body = CommentRequest, responses((status = 201, body = IncidentView)))]
pub async fn comment(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    ApiJson(b): ApiJson<CommentRequest>,
) -> ApiResult<(StatusCode, Json<IncidentView>)> {
    Ok((
        StatusCode::CREATED,
        Json(handling::comment(&s.app, &a.actor, &id, &b.text).await?),
    ))
}

/// Every event, comment, status change and report, oldest first.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/timeline", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = Vec<EventView>)))]
pub async fn timeline(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<Vec<EventView>>> {
    Ok(Json(handling::timeline(&s.app, &a.actor, &id).await?))
}

/// Uploads evidence: the request body is the file. Stored with its SHA-256; its type is sniffed.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/attachments", tag = "incidents", params(("id" = String, Path), UploadQuery), request_body(content = String, content_type = "application/octet-stream"), responses((status = 201, body = AttachmentView)))]
pub async fn attach(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    Query(q): Query<UploadQuery>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<AttachmentView>)> {
    Ok((
        StatusCode::CREATED,
        Json(handling::attach(&s.app, &a.actor, &id, &q.filename, body.to_vec()).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/incidents/{id}/attachments", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = Vec<AttachmentView>)))]
pub async fn list_attachments(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<Vec<AttachmentView>>> {
    Ok(Json(handling::attachments(&s.app, &a.actor, &id).await?))
}

/// Downloads evidence (always as an attachment, with the sniffed type).
#[utoipa::path(get, path = "/api/v1/incidents/{id}/attachments/{attachment_id}", tag = "incidents", params(("id" = String, Path), ("attachment_id" = String, Path)), responses((status = 200, description = "the file", content_type = "application/octet-stream", body = String)))]
pub async fn download(
    a: Authed,
    State(s): State<AppState>,
    Path((id, aid)): Path<(IncidentId, String)>,
) -> ApiResult<Response> {
    let (meta, bytes) = handling::download(&s.app, &a.actor, &id, &aid).await?;
    Ok(super::files::download(&meta, bytes))
}

#[utoipa::path(get, path = "/api/v1/incidents/{id}/reports", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = Vec<ReportView>)))]
pub async fn list_reports(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<Vec<ReportView>>> {
    Ok(Json(reports::list(&s.app, &a.actor, &id).await?))
}

/// Files a report (a new version of its kind). The closing report needs an initial report.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/reports", tag = "incidents", params(("id" = String, Path)), request_body = ReportInput, responses((status = 201, body = IncidentView)))]
pub async fn file_report(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    ApiJson(b): ApiJson<ReportInput>,
) -> ApiResult<(StatusCode, Json<IncidentView>)> {
    Ok((
        StatusCode::CREATED,
        Json(reports::file(&s.app, &a.actor, &id, b).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/incidents/{id}/support-requests", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = Vec<SupportRequestView>)))]
pub async fn list_support(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<Vec<SupportRequestView>>> {
    Ok(Json(support::of_incident(&s.app, &a.actor, &id).await?))
}

/// Asks cluster peers, the coordinator and/or named members for support.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/support-requests", tag = "incidents", params(("id" = String, Path)), request_body = SupportRequestInput, responses((status = 201, body = IncidentView)))]
pub async fn request_support(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    ApiJson(b): ApiJson<SupportRequestInput>,
) -> ApiResult<(StatusCode, Json<IncidentView>)> {
    Ok((
        StatusCode::CREATED,
        Json(support::request(&s.app, &a.actor, &id, b).await?),
    ))
}

/// Support requests addressed to the reader's organisation.
#[utoipa::path(get, path = "/api/v1/support-requests", tag = "incidents", responses((status = 200, body = Vec<SupportRequestView>)))]
pub async fn support_inbox(
    a: Authed,
    State(s): State<AppState>,
) -> ApiResult<Json<Vec<SupportRequestView>>> {
    Ok(Json(support::inbox(&s.app, &a.actor).await?))
}

/// A recipient offers or declines.
#[utoipa::path(post, path = "/api/v1/support-requests/{id}/answer", tag = "incidents", params(("id" = String, Path)), request_body = SupportAnswer, responses((status = 200, body = SupportRequestView)))]
pub async fn answer_support(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SupportAnswer>,
) -> ApiResult<Json<SupportRequestView>> {
    Ok(Json(support::answer(&s.app, &a.actor, &id, b).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DecideRequest {
    pub org_id: String,
}

/// The requester accepts an offer: the supporter joins the incident's audience.
#[utoipa::path(post, path = "/api/v1/support-requests/{id}/accept", tag = "incidents", params(("id" = String, Path)), request_body = DecideRequest, responses((status = 200, body = IncidentView)))]
pub async fn accept_support(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DecideRequest>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(
        support::decide(&s.app, &a.actor, &id, &b.org_id, true).await?,
    ))
}

/// The requester revokes an accepted supporter's access.
#[utoipa::path(post, path = "/api/v1/support-requests/{id}/revoke", tag = "incidents", params(("id" = String, Path)), request_body = DecideRequest, responses((status = 200, body = IncidentView)))]
pub async fn revoke_support(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DecideRequest>,
) -> ApiResult<Json<IncidentView>> {
    Ok(Json(
        support::decide(&s.app, &a.actor, &id, &b.org_id, false).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/incidents/{id}/instructions", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = Vec<InstructionView>)))]
pub async fn list_instructions(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<Vec<InstructionView>>> {
    Ok(Json(support::instructions(&s.app, &a.actor, &id).await?))
}

/// The coordinator instructs named members, with a deadline.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/instructions", tag = "incidents", params(("id" = String, Path)), request_body = InstructionInput, responses((status = 201, body = IncidentView)))]
pub async fn instruct(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    ApiJson(b): ApiJson<InstructionInput>,
) -> ApiResult<(StatusCode, Json<IncidentView>)> {
    Ok((
        StatusCode::CREATED,
        Json(support::instruct(&s.app, &a.actor, &id, b).await?),
    ))
}

/// Coordination instructions addressed to the reader's organisation, each with its own answer.
#[utoipa::path(get, path = "/api/v1/instructions", tag = "incidents", responses((status = 200, body = Vec<InstructionView>)))]
pub async fn instruction_inbox(
    a: Authed,
    State(s): State<AppState>,
) -> ApiResult<Json<Vec<InstructionView>>> {
    Ok(Json(support::instruction_inbox(&s.app, &a.actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InstructionAnswer {
    /// what was done; without it, the instruction is only acknowledged
    pub report: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/instructions/{id}/answer", tag = "incidents", params(("id" = String, Path)), request_body = InstructionAnswer, responses((status = 204, description = "recorded")))]
pub async fn answer_instruction(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<InstructionAnswer>,
) -> ApiResult<StatusCode> {
    support::answer_instruction(&s.app, &a.actor, &id, b.report).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PeriodQuery {
    pub year: i32,
    /// 1 or 2 for a half-year; absent for the whole year
    pub half: Option<u8>,
}

/// Mẫu 05: the member's incident statistics for a half-year or a year.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/incident-statistics", tag = "incidents", params(("id" = String, Path), PeriodQuery), responses((status = 200, body = Statistics)))]
pub async fn member_statistics(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<Statistics>> {
    Ok(Json(
        statistics::member(&s.app, &a.actor, &id, q.year, q.half).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct YearQuery {
    pub year: i32,
}

/// A cluster's year: incidents per month and whether any lost data.
#[utoipa::path(get, path = "/api/v1/clusters/{id}/incident-year", tag = "incidents", params(("id" = String, Path), YearQuery), responses((status = 200, body = ClusterYear)))]
pub async fn cluster_year(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> ApiResult<Json<ClusterYear>> {
    Ok(Json(
        statistics::cluster_year(&s.app, &a.actor, &id, q.year).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct FormQuery {
    pub year: i32,
    /// 1 or 2 for a half-year; absent for the whole year
    pub half: Option<u8>,
    /// `docx` (default) or `xlsx`
    pub format: Option<String>,
}

/// Mẫu 05 as a document (DOCX or XLSX, in Vietnamese).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/incident-statistics/form", tag = "incidents", params(("id" = String, Path), FormQuery), responses((status = 200, description = "the Mẫu 05 document", content_type = "application/octet-stream", body = String)))]
pub async fn member_statistics_form(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<FormQuery>,
) -> ApiResult<Response> {
    let xlsx = match q.format.as_deref() {
        None | Some("docx") => false,
        Some("xlsx") => true,
        Some(_) => return Err(irnet_app::AppError::invalid("format", "invalid_value").into()),
    };
    let d = statistics::form(&s.app, &a.actor, &id, q.year, q.half, xlsx).await?;
    let disposition = HeaderValue::from_str(&content_disposition(&d.ascii_name, &d.name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let content_type = if xlsx {
        crate::sheets::XLSX
    } else {
        super::profile::DOCX_TYPE
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        d.bytes,
    )
        .into_response())
}

/// Files the member's Mẫu 05 of a period: frozen with its DOCX and XLSX, numbered per version
/// (a later filing of the same period is a new version with a new number).
#[utoipa::path(post, path = "/api/v1/organisations/{id}/incident-statistics/filed", tag = "incidents", params(("id" = String, Path)), request_body = StatisticsFilingInput, responses((status = 201, body = irnet_app::filing::FiledReportView)))]
pub async fn file_statistics(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StatisticsFilingInput>,
) -> ApiResult<(StatusCode, Json<irnet_app::filing::FiledReportView>)> {
    Ok((
        StatusCode::CREATED,
        Json(statistics_filing::file(&s.app, &a.actor, &id, b).await?),
    ))
}

/// Every Mẫu 05 the member filed (each version of each period), newest first.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/incident-statistics/filed", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = Vec<irnet_app::filing::FiledReportView>)))]
pub async fn list_filed_statistics(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<irnet_app::filing::FiledReportView>>> {
    Ok(Json(statistics_filing::filed(&s.app, &a.actor, &id).await?))
}

/// A filed Mẫu 05's DOCX exactly as filed.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/incident-statistics/filed/{filed_id}/docx", tag = "incidents", params(("id" = String, Path), ("filed_id" = String, Path)), responses((status = 200, description = "the form as filed", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = String)))]
pub async fn filed_statistics_docx(
    a: Authed,
    State(s): State<AppState>,
    Path((id, fid)): Path<(String, String)>,
) -> ApiResult<Response> {
    Ok(docx_response(
        statistics_filing::download(&s.app, &a.actor, &id, &fid, false).await?,
    ))
}

/// A filed Mẫu 05's XLSX exactly as filed.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/incident-statistics/filed/{filed_id}/xlsx", tag = "incidents", params(("id" = String, Path), ("filed_id" = String, Path)), responses((status = 200, description = "the sheet as filed", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = String)))]
pub async fn filed_statistics_xlsx(
    a: Authed,
    State(s): State<AppState>,
    Path((id, fid)): Path<(String, String)>,
) -> ApiResult<Response> {
    let d = statistics_filing::download(&s.app, &a.actor, &id, &fid, true).await?;
    let disposition = HeaderValue::from_str(&content_disposition(&d.ascii_name, &d.name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(crate::sheets::XLSX),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        d.bytes,
    )
        .into_response())
}

/// A filed initial (Mẫu 03) or closing (Mẫu 04) report as a DOCX in the official layout.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/reports/{report_id}/docx", tag = "incidents", params(("id" = String, Path), ("report_id" = String, Path)), responses((status = 200, description = "the form", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = String)))]
pub async fn report_docx(
    a: Authed,
    State(s): State<AppState>,
    Path((id, rid)): Path<(IncidentId, String)>,
) -> ApiResult<Response> {
    let d = reports::docx(&s.app, &a.actor, &id, &rid).await?;
    let disposition = HeaderValue::from_str(&content_disposition(&d.ascii_name, &d.name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(super::profile::DOCX_TYPE),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        d.bytes,
    )
        .into_response())
}

pub(super) fn docx_response(d: irnet_app::directory::profile::Download) -> Response {
    let disposition = HeaderValue::from_str(&content_disposition(&d.ascii_name, &d.name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(super::profile::DOCX_TYPE),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        d.bytes,
    )
        .into_response()
}

/// Every document filed about the incident (each version of Mẫu 03 and Mẫu 04, frozen when
/// filed, with the SHA-256 of its bytes), oldest first.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/filed", tag = "incidents", params(("id" = String, Path)), responses((status = 200, body = Vec<irnet_app::filing::FiledReportView>)))]
pub async fn list_filed(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> ApiResult<Json<Vec<irnet_app::filing::FiledReportView>>> {
    Ok(Json(reports::filed(&s.app, &a.actor, &id).await?))
}

/// A filed document exactly as filed (the same bytes on every download).
#[utoipa::path(get, path = "/api/v1/incidents/{id}/filed/{filed_id}/docx", tag = "incidents", params(("id" = String, Path), ("filed_id" = String, Path)), responses((status = 200, description = "the form as filed", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = String)))]
pub async fn filed_docx(
    a: Authed,
    State(s): State<AppState>,
    Path((id, fid)): Path<(IncidentId, String)>,
) -> ApiResult<Response> {
    Ok(docx_response(
        reports::filed_docx(&s.app, &a.actor, &id, &fid).await?,
    ))
}

/// What Mẫu 03 (`initial`) or Mẫu 04 (`closing`) would say if filed now: rendered from today's
/// data, its first line "DỰ THẢO (DRAFT)".
#[utoipa::path(get, path = "/api/v1/incidents/{id}/draft/{kind}/docx", tag = "incidents", params(("id" = String, Path), ("kind" = String, Path)), responses((status = 200, description = "the draft form", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = String)))]
pub async fn draft_docx(
    a: Authed,
    State(s): State<AppState>,
    Path((id, kind)): Path<(IncidentId, String)>,
) -> ApiResult<Response> {
    Ok(docx_response(
        reports::draft_docx(
            &s.app,
            &a.actor,
            &id,
            &kind,
            &irnet_app::filing::FilingInput::default(),
        )
        .await?,
    ))
}

/// The OpenAPI tag of this pillar's operations.
pub(super) const INCIDENTS: super::Tag = super::Tag {
    name: "incidents",
    description: "Incidents: reporting, handling, deadlines, support, reports and statistics",
};

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(INCIDENTS)
        .routes(utoipa_axum::routes!(list, create))
        .routes(utoipa_axum::routes!(count))
        .routes(utoipa_axum::routes!(types))
        .routes(utoipa_axum::routes!(get))
        .routes(utoipa_axum::routes!(update_report))
        .routes(utoipa_axum::routes!(classify))
        .routes(utoipa_axum::routes!(submit))
        .routes(utoipa_axum::routes!(set_status))
        .routes(utoipa_axum::routes!(escalate))
        .routes(utoipa_axum::routes!(acknowledge))
        .routes(utoipa_axum::routes!(acknowledge_notice))
        .routes(utoipa_axum::routes!(resend_notice))
        .routes(utoipa_axum::routes!(serious))
        .routes(utoipa_axum::routes!(close))
        .routes(utoipa_axum::routes!(share))
        .routes(utoipa_axum::routes!(list_tasks, add_task))
        .routes(utoipa_axum::routes!(update_task))
        .routes(utoipa_axum::routes!(list_observables, add_observable))
        .routes(utoipa_axum::routes!(comment))
        .routes(utoipa_axum::routes!(timeline))
        .routes(utoipa_axum::routes!(list_attachments, attach))
        .routes(utoipa_axum::routes!(download))
        .routes(utoipa_axum::routes!(list_reports, file_report))
        .routes(utoipa_axum::routes!(report_docx))
        .routes(utoipa_axum::routes!(list_filed))
        .routes(utoipa_axum::routes!(filed_docx))
        .routes(utoipa_axum::routes!(draft_docx))
        .routes(utoipa_axum::routes!(list_support, request_support))
        .routes(utoipa_axum::routes!(support_inbox))
        .routes(utoipa_axum::routes!(answer_support))
        .routes(utoipa_axum::routes!(accept_support))
        .routes(utoipa_axum::routes!(revoke_support))
        .routes(utoipa_axum::routes!(list_instructions, instruct))
        .routes(utoipa_axum::routes!(instruction_inbox))
        .routes(utoipa_axum::routes!(answer_instruction))
        .routes(utoipa_axum::routes!(member_statistics))
        .routes(utoipa_axum::routes!(member_statistics_form))
        .routes(utoipa_axum::routes!(list_filed_statistics, file_statistics))
        .routes(utoipa_axum::routes!(filed_statistics_docx))
        .routes(utoipa_axum::routes!(filed_statistics_xlsx))
        .routes(utoipa_axum::routes!(cluster_year))
}
