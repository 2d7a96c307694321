//! Request body limits. Everything is capped at 2 MiB, except imports at 16 MiB (the directory's
//! files and sharing's bulk inputs: lookup, STIX, MISP, TAXII) and file uploads at 32 MiB; a 413
//! names the limit of the address it answers for (`limit_for`, `in_mib`). A directory import
//! may hold up to `import::MAX_ROWS` (20,000) rows, and a fully filled row of an information system
//! (owner and operator with their names, purpose, URLs, domains, IP ranges) takes about 620 bytes
//! as CSV, so a full file is about 12 MiB (the same rows as XLSX are several times smaller).
//! Raising the limit only on the import routes keeps every other endpoint's exposure as it was; an
//! XLSX is further bounded by what it may inflate to (`sheet::read`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt as _;
use http_body_util::LengthLimitError;
use irnet_app::AppError;

use crate::error::WebError;

pub const BODY_LIMIT: usize = 2 * 1024 * 1024;
pub const IMPORT_LIMIT: usize = 16 * 1024 * 1024;

/// The import endpoints of the API and the import page's form.
pub fn is_import(path: &str) -> bool {
    matches!(
        path,
        "/api/v1/organisations/import"
            | "/api/v1/people/import"
            | "/api/v1/systems/import"
            | "/directory/import"
    )
}

/// Evidence uploads: above the application's own per-file limit (10 MiB by default), so that a
/// file just over it gets the field error that names the limit rather than a bare 413.
pub const ATTACHMENT_LIMIT: usize = 32 * 1024 * 1024;

/// Uploads of files: incident evidence and alert files (API and pages), and channel messages,
/// which may carry files (API and the channel page's form).
fn is_attachment_upload(path: &str) -> bool {
    let evidence = (path.starts_with("/api/v1/incidents/")
        || path.starts_with("/incidents/")
        || path.starts_with("/api/v1/alerts/")
        || path.starts_with("/alerts/"))
        && path.ends_with("/attachments");
    let message = (path.starts_with("/api/v1/channels/") || path.starts_with("/channels/"))
        && path.ends_with("/messages");
    evidence || message
}

/// Sharing's bulk inputs: a lookup of up to 100,000 values, STIX bundles, MISP events and TAXII
/// envelopes, by the API and by the pages.
fn is_sharing_upload(path: &str) -> bool {
    path == "/api/v1/indicators/lookup"
        || path == "/api/v1/stix/import"
        || path == "/api/v1/misp/import"
        || path == "/indicators/lookup"
        || path == "/indicators/import"
        || path.starts_with("/taxii2/")
}

/// A limit as the 413 names it: `16 MiB` (every limit here is a whole number of mebibytes).
pub fn in_mib(limit: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if limit.is_multiple_of(MIB) {
        format!("{} MiB", limit / MIB)
    } else {
        format!("{limit} bytes")
    }
}

/// The limit of the route at `path`, the one a 413 from it names.
pub fn limit_for(path: &str) -> usize {
    if is_sharing_upload(path) {
        IMPORT_LIMIT
    } else if is_attachment_upload(path) {
        ATTACHMENT_LIMIT
    } else if is_import(path) {
        IMPORT_LIMIT
    } else {
        BODY_LIMIT
    }
}

/// Refuses a declared length over the limit at once, and stops reading any body at the limit. A
/// body sent without a length (chunked) is only found too large while a handler reads it, and the
/// extractor reading it would call that a malformed body: the limit notes that it was reached, and
/// the answer is a 413 whatever the handler made of it.
pub async fn layer(req: Request, next: Next) -> Response {
    let limit = limit_for(req.uri().path());
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return WebError(AppError::PayloadTooLarge { limit }).into_response();
    }
    let reached = Arc::new(AtomicBool::new(false));
    let noted = reached.clone();
    let (parts, body) = req.into_parts();
    let body = http_body_util::Limited::new(body, limit).map_err(move |e| {
        if e.is::<LengthLimitError>() {
            noted.store(true, Ordering::Relaxed);
        }
        e
    });
    let resp = next.run(Request::from_parts(parts, Body::new(body))).await;
    if reached.load(Ordering::Relaxed) && resp.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return WebError(AppError::PayloadTooLarge { limit }).into_response();
    }
    resp
}
