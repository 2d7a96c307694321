//! Importing the directory from CSV or XLSX, and exporting it as XLSX. Imports are all or
//! nothing: while any problem remains nothing is stored, and each is named by row (as a
//! spreadsheet shows it: the header is row 1), column and reason in the reader's language.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use irnet_app::directory::import::Upload;
use irnet_app::{AppError, FieldError};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::WebError;
use crate::extract::{Authed, Query, RawBody};
use crate::sheets::{self, ImportResult, Kind};

type ApiResult<T> = Result<T, WebError>;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ImportParams {
    /// check the file and report every problem without storing anything
    pub dry_run: Option<bool>,
}

async fn import(
    a: Authed,
    s: AppState,
    kind: Kind,
    q: ImportParams,
    headers: &HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<ImportResult>)> {
    let dry_run = q.dry_run.unwrap_or(false);
    let upload = Upload {
        bytes: body.to_vec(),
        content_type: headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    let result = sheets::import(&s.app, &a.actor, &a.ctx.tr, kind, upload, dry_run).await?;
    if !dry_run && !result.problems.is_empty() {
        // A real import that stored nothing is a failed request: the problems as a problem
        // document, each named "row N / column".
        let fields = result
            .problems
            .iter()
            .map(|p| FieldError {
                field: format!("row {} / {}", p.row, p.column),
                code: p.code.clone(),
                params: vec![],
            })
            .collect();
        return Err(AppError::Validation(fields).into());
    }
    let status = if dry_run {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(result)))
}

/// Imports organisations (coordinators and administrators) from CSV or XLSX: columns
/// `name_vi` (required), `name_en`, `short_name`, `kind`, `member_code`, by key or by their
/// header in Vietnamese or English.
#[utoipa::path(post, path = "/api/v1/organisations/import", tag = "directory", params(ImportParams),
    request_body(content((String = "text/csv"), ([u8] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = ImportResult, description = "dry run"), (status = 201, body = ImportResult, description = "imported")))]
pub async fn import_orgs(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<ImportParams>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<(StatusCode, Json<ImportResult>)> {
    import(a, s, Kind::Organisations, q, &headers, body).await
}

/// Imports people into organisations you may edit, from CSV or XLSX: `org` (member code or id),
/// `family_name`, `middle_name`, `given_name`, `title`, `phones`, `emails` (several separated by
/// `;`). A row for an organisation you may not edit is refused by row.
#[utoipa::path(post, path = "/api/v1/people/import", tag = "directory", params(ImportParams),
    request_body(content((String = "text/csv"), ([u8] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = ImportResult, description = "dry run"), (status = 201, body = ImportResult, description = "imported")))]
pub async fn import_people(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<ImportParams>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<(StatusCode, Json<ImportResult>)> {
    import(a, s, Kind::People, q, &headers, body).await
}

/// Imports information systems owned by organisations you may edit, from CSV or XLSX: `owner`,
/// `operator` (member code or id), `name`, `purpose`, `information_classes`, `proposed_level`,
/// `approved_level`, `approver`, `approval_decision`, `approval_date`, `public_urls`, `domains`,
/// `ip_ranges` (lists separated by `;`), `internet_facing`, `critical`.
#[utoipa::path(post, path = "/api/v1/systems/import", tag = "directory", params(ImportParams),
    request_body(content((String = "text/csv"), ([u8] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = ImportResult, description = "dry run"), (status = 201, body = ImportResult, description = "imported")))]
pub async fn import_systems(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<ImportParams>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<(StatusCode, Json<ImportResult>)> {
    import(a, s, Kind::Systems, q, &headers, body).await
}

/// Every organisation as XLSX, headed in your language; the file imports unchanged.
#[utoipa::path(get, path = "/api/v1/organisations/export.xlsx", tag = "directory",
    responses((status = 200, description = "the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = [u8])))]
pub async fn export_orgs(a: Authed, State(s): State<AppState>) -> ApiResult<Response> {
    Ok(sheets::export(&s.app, &a.actor, &a.ctx.tr, Kind::Organisations).await?)
}

/// The people of the organisations whose private part you may read, as XLSX.
#[utoipa::path(get, path = "/api/v1/people/export.xlsx", tag = "directory",
    responses((status = 200, description = "the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = [u8])))]
pub async fn export_people(a: Authed, State(s): State<AppState>) -> ApiResult<Response> {
    Ok(sheets::export(&s.app, &a.actor, &a.ctx.tr, Kind::People).await?)
}

/// The systems owned or operated by organisations whose private part you may read, as XLSX.
#[utoipa::path(get, path = "/api/v1/systems/export.xlsx", tag = "directory",
    responses((status = 200, description = "the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = [u8])))]
pub async fn export_systems(a: Authed, State(s): State<AppState>) -> ApiResult<Response> {
    Ok(sheets::export(&s.app, &a.actor, &a.ctx.tr, Kind::Systems).await?)
}

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(super::directory::DIRECTORY)
        .routes(utoipa_axum::routes!(import_orgs))
        .routes(utoipa_axum::routes!(import_people))
        .routes(utoipa_axum::routes!(import_systems))
        .routes(utoipa_axum::routes!(export_orgs))
        .routes(utoipa_axum::routes!(export_people))
        .routes(utoipa_axum::routes!(export_systems))
}
