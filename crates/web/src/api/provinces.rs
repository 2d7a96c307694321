//! Provinces: reference data everyone in the network reads as of a day; the coordinator and
//! administrators load them from CSV or XLSX (all or nothing, problems by row and column).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use chrono::NaiveDate;
use irnet_app::directory::import::{self, Upload};
use irnet_app::directory::provinces::{self, ProvinceView};
use irnet_app::{AppError, FieldError};
use serde::Deserialize;
use utoipa::IntoParams;

use super::directory_files::ImportParams;
use crate::AppState;
use crate::error::WebError;
use crate::extract::{Authed, Query, RawBody};
use crate::sheets::{self, ImportResult};

type ApiResult<T> = Result<T, WebError>;

#[derive(Debug, Deserialize, IntoParams)]
pub struct OnParams {
    /// the day (yyyy-mm-dd); default: today in the network's time zone
    pub on: Option<NaiveDate>,
}

/// The provinces that existed on a day, by statistics code: 63 on 2025-06-30, 34 on 2025-07-01.
#[utoipa::path(get, path = "/api/v1/provinces", tag = "directory", params(OnParams), responses((status = 200, body = Vec<ProvinceView>)))]
pub async fn list_provinces(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<OnParams>,
) -> ApiResult<Json<Vec<ProvinceView>>> {
    let day = q.on.unwrap_or_else(|| s.app.today());
    Ok(Json(provinces::list_on(&s.app, &a.actor, day).await?))
}

/// Loads provinces (coordinators and administrators) from CSV or XLSX, one row per version:
/// `code`, `name_vi`, `name_en`, `province_kind` (province or city), `valid_from`,
/// `valid_until` (last day), `merged_into` (surviving code), `decision`. The provinces a file
/// names are replaced by what it says; nothing is stored while any problem remains.
#[utoipa::path(post, path = "/api/v1/provinces/import", tag = "directory", params(ImportParams),
    request_body(content((String = "text/csv"), ([u8] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = ImportResult, description = "dry run"), (status = 201, body = ImportResult, description = "loaded")))]
pub async fn import_provinces(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<ImportParams>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<(StatusCode, Json<ImportResult>)> {
    let dry_run = q.dry_run.unwrap_or(false);
    let upload = Upload {
        bytes: body.to_vec(),
        content_type: headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    let spec = &import::provinces::SPEC;
    let names = sheets::spec_column_names(&a.ctx.tr, spec);
    let report = import::provinces::import(&s.app, &a.actor, upload, names, dry_run).await?;
    let result = sheets::localise_spec(&a.ctx.tr, spec, report);
    if !dry_run && !result.problems.is_empty() {
        // As for the directory's imports: a load that stored nothing is a failed request.
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

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(super::directory::DIRECTORY)
        .routes(utoipa_axum::routes!(list_provinces))
        .routes(utoipa_axum::routes!(import_provinces))
}
