//! Serving a stored file (incident evidence, a message's or an alert's attachment): always as a
//! download, with the type sniffed when it was stored, never cached. The use-case has already
//! decided that the reader may have it.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use irnet_app::attachments::AttachmentView;

use super::profile::content_disposition;

/// An upload whose request body is the file.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct UploadQuery {
    /// the file's name
    pub filename: String,
}

pub fn download(meta: &AttachmentView, bytes: Vec<u8>) -> Response {
    let ascii: String = meta
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = HeaderValue::from_str(&content_disposition(&ascii, &meta.filename))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let content_type = HeaderValue::from_str(&meta.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}
