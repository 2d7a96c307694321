//! Failures as users see them. Handlers return `WebError`; its response carries the `AppError` in
//! an extension, and the context layer, which knows the request's language and id, renders it as an
//! RFC 9457 problem document (API) or a page (UI). Internal causes are logged, never shown.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use irnet_app::{AppError, FieldError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::Tr;

#[derive(Debug)]
pub struct WebError(pub AppError);

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        WebError(e)
    }
}

fn bad_input(field: &str, code: &str, detail: String) -> WebError {
    WebError(AppError::Validation(vec![FieldError {
        field: field.to_owned(),
        code: code.to_owned(),
        params: vec![("detail".to_owned(), detail)],
    }]))
}

impl From<JsonRejection> for WebError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::MissingJsonContentType(_) => bad_input(
                "content-type",
                "json_content_type",
                "application/json".into(),
            ),
            other => bad_input("body", "invalid_body", other.body_text()),
        }
    }
}

impl From<QueryRejection> for WebError {
    fn from(r: QueryRejection) -> Self {
        bad_input("query", "invalid_query", r.body_text())
    }
}

impl From<PathRejection> for WebError {
    fn from(r: PathRejection) -> Self {
        bad_input("path", "invalid_path", r.body_text())
    }
}

impl From<FormRejection> for WebError {
    fn from(r: FormRejection) -> Self {
        bad_input("body", "invalid_body", r.body_text())
    }
}

/// The failure travelling from a handler to the context layer.
#[derive(Clone, Debug)]
pub struct Failure(pub Arc<AppError>);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut r = status_of(&self.0).into_response();
        r.extensions_mut().insert(Failure(Arc::new(self.0)));
        r
    }
}

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Unauthenticated | AppError::InvalidCredentials | AppError::InvalidCode => {
            StatusCode::UNAUTHORIZED
        }
        AppError::Locked { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::MfaEnrolmentRequired
        | AppError::Forbidden
        | AppError::ReadOnly
        | AppError::SessionRequired
        | AppError::ReauthRequired => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        AppError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// One invalid input in a problem document.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct ProblemField {
    /// the input field, e.g. `email`
    pub field: String,
    /// machine-readable reason, e.g. `invalid_email`
    pub code: String,
    /// the reason in the user's language
    pub message: String,
}

/// RFC 9457 problem document.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// machine-readable error code
    pub code: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

pub fn field_message(tr: &Tr, f: &FieldError) -> String {
    let args: Vec<(&str, String)> = f
        .params
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    tr.t_args(&format!("error-{}", f.code.replace('_', "-")), &args)
}

pub fn problem_of(e: &AppError, tr: &Tr, request_id: Option<String>) -> Problem {
    let code = e.code();
    let status = status_of(e);
    let errors = match e {
        AppError::Validation(fields) => fields
            .iter()
            .map(|f| ProblemField {
                field: f.field.clone(),
                code: f.code.clone(),
                message: field_message(tr, f),
            })
            .collect(),
        AppError::Conflict {
            field: Some(field),
            code,
        } => {
            let f = FieldError {
                field: (*field).to_owned(),
                code: (*code).to_owned(),
                params: vec![],
            };
            vec![ProblemField {
                field: f.field.clone(),
                code: f.code.clone(),
                message: field_message(tr, &f),
            }]
        }
        _ => vec![],
    };
    let detail = match e {
        AppError::Locked { until } => {
            Some(tr.t_args("problem-locked-detail", &[("until", tr.datetime(until))]))
        }
        AppError::PayloadTooLarge { limit } => Some(tr.t_args(
            "problem-payload-too-large-detail",
            &[("limit", crate::limits::in_mib(*limit))],
        )),
        _ => None,
    };
    let title_key = format!("problem-{}", code.replace('_', "-"));
    Problem {
        type_: format!("urn:irnet:problem:{code}"),
        title: tr.t(&title_key),
        status: status.as_u16(),
        detail,
        code: code.to_owned(),
        errors,
        request_id,
    }
}

pub fn problem_response(e: &AppError, tr: &Tr, request_id: Option<String>) -> Response {
    let p = problem_of(e, tr, request_id);
    let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = (status, Json(p)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    r
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::FixedOffset;
    use irnet_app::AppError;
    use irnet_domain::Locale;

    use super::problem_of;
    use crate::i18n::Tr;

    #[test]
    fn an_internal_error_shows_only_its_code_and_the_request_id() {
        let tr = Tr::new(Locale::En, FixedOffset::east_opt(7 * 3600).unwrap());
        let e = AppError::internal_in("reading secret.key", std::io::Error::other("disk full"));
        let p = problem_of(&e, &tr, Some("req-1".into()));
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(p.status, 500);
        assert_eq!(p.code, "internal");
        assert_eq!(p.request_id.as_deref(), Some("req-1"));
        assert!(
            !json.contains("secret.key") && !json.contains("disk full"),
            "{json}"
        );
    }
}
