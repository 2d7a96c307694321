//! CSRF defence for requests that a browser sends with its cookies: the request must come from our
//! own origin (Sec-Fetch-Site / Origin) and carry the session's form token (`csrf_token` form
//! field or `X-CSRF-Token` header). Before sign-in, the token is a double-submit cookie. Requests
//! authenticated by an API token carry no ambient credential and are exempt.

use axum::http::{HeaderMap, Method, header};
use subtle::ConstantTimeEq;

pub const HEADER: &str = "x-csrf-token";
pub const FIELD: &str = "csrf_token";
/// Forms larger than this are not buffered to look for the token.
pub const FORM_LIMIT: usize = 2 * 1024 * 1024;

pub fn is_unsafe(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// False when the browser says the request comes from another site.
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let origin_host = origin.split_once("://").map_or("", |(_, h)| h);
        return !host.is_empty() && origin_host == host;
    }
    // Neither header: not a modern browser; the token still has to match.
    true
}

pub fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The boundary of a `multipart/form-data` body (a page's file upload).
pub fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if !ct.starts_with("multipart/form-data") {
        return None;
    }
    multer::parse_boundary(ct).ok()
}

/// The `csrf_token` field of a multipart body (forms put it first, before the file).
pub async fn multipart_token(body: axum::body::Bytes, boundary: String) -> Option<String> {
    let stream = axum::body::Body::from(body).into_data_stream();
    let mut parts = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = parts.next_field().await {
        if field.name() == Some(FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

pub fn header_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

pub fn form_token(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v)
}

pub fn matches(expected: &str, provided: Option<&str>) -> bool {
    provided.is_some_and(|p| {
        !expected.is_empty() && bool::from(p.as_bytes().ct_eq(expected.as_bytes()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cross_site_requests_are_refused() {
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h));
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("irnet.local:8080"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://irnet.local:8080"),
        );
        assert!(same_origin(&h));
    }

    #[test]
    fn the_form_token_must_match_exactly() {
        assert_eq!(
            form_token(b"a=1&csrf_token=abc%3D").as_deref(),
            Some("abc=")
        );
        assert!(matches("abc", Some("abc")));
        assert!(!matches("abc", Some("abd")));
        assert!(!matches("abc", None));
        assert!(!matches("", Some("")));
    }
}
