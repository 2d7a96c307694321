//! The few cookies irnet sets, read and written by hand (no cookie jar needed).

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

pub const SESSION: &str = "irnet_session";
/// The session waiting for its second factor.
pub const MFA_PENDING: &str = "irnet_mfa";
/// CSRF token for forms posted before signing in (double-submit).
pub const ANON_CSRF: &str = "irnet_csrf";
pub const LANG: &str = "irnet_lang";

pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path /, Secure behind TLS. `max_age` 0 deletes.
pub fn set(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_a_cookie_among_several_headers() {
        let mut h = HeaderMap::new();
        h.append(COOKIE, HeaderValue::from_static("a=1; irnet_session=abc"));
        h.append(COOKIE, HeaderValue::from_static("irnet_lang=en"));
        assert_eq!(get(&h, SESSION).as_deref(), Some("abc"));
        assert_eq!(get(&h, LANG).as_deref(), Some("en"));
        assert_eq!(get(&h, "missing"), None);
    }

    #[test]
    fn cookies_are_http_only_and_secure_behind_tls() {
        let c = set(SESSION, "v", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
        assert!(!set(SESSION, "v", 60, false).contains("Secure"));
    }
}
