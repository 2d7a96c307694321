//! Webhook targets and the notice kinds a webhook asks for, parsed or refused.

use std::net::IpAddr;

use crate::DomainError;
use crate::ip_scope::{IpScope, scope};
use crate::net::WebUrl;

/// Where a webhook posts: an `http`/`https` URL (see `WebUrl`) whose host can be a receiver.
/// Addresses that reach nothing (`0.0.0.0/8`, multicast, broadcast) are always refused; addresses
/// that are not the public internet (`ip_scope`: loopback, private, link-local, unique-local,
/// CGNAT, NAT64, `*.localhost`, …) only pass when the operator allows them, since a webhook there
/// would make irnet post into its own network. A name is only refused here when it is obviously
/// local; every name is resolved, and each of its addresses checked, again at each delivery.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct WebhookUrl(String);

impl WebhookUrl {
    pub fn parse(s: &str, allow_local: bool) -> Result<Self, DomainError> {
        let url = WebUrl::parse(s)?;
        let bad = || DomainError::InvalidWebhookUrl(s.to_owned());
        let host = host_of(url.as_str());
        match host.parse::<IpAddr>().map(scope) {
            Ok(IpScope::Nowhere) => Err(bad()),
            Ok(IpScope::Internal) if !allow_local => Err(bad()),
            Err(_) if (host == "localhost" || host.ends_with(".localhost")) && !allow_local => {
                Err(bad())
            }
            _ => Ok(Self(url.as_str().to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The host of a URL that `WebUrl` accepted, lowercase, without brackets or port.
fn host_of(url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    let rest = lower.split_once("://").map_or("", |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default().to_owned(),
        None => authority
            .rsplit_once(':')
            .map_or(authority, |(h, _)| h)
            .trim_end_matches('.')
            .to_owned(),
    }
}

/// A notice kind a webhook subscribes to, such as `incident.reported`: lowercase ASCII letters,
/// digits, `.`, `_` and `-`, 1 to 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct NoticeKind(String);

impl NoticeKind {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let k = s.trim();
        let ok = !k.is_empty()
            && k.len() <= 64
            && k.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            });
        if ok {
            Ok(Self(k.to_owned()))
        } else {
            Err(DomainError::InvalidNoticeKind(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls_must_reach_a_receiver() {
        for ok in [
            "https://siem.caobang.gov.vn/hooks/irnet",
            "http://203.113.131.5:8080/in",
            "https://[2400:cb00::1]/hook",
        ] {
            assert!(WebhookUrl::parse(ok, false).is_ok(), "{ok}");
        }
        for bad in [
            "ftp://siem.caobang.gov.vn/",
            "https://",
            "https://user:pw@siem.caobang.gov.vn/",
            "http://0.0.0.0/",
            "http://224.0.0.1/",
            "http://255.255.255.255/",
            "http://[::]/",
            "http://[ff02::1]/",
            "http://0.1.2.3/",
            "javascript:alert(1)",
        ] {
            assert!(WebhookUrl::parse(bad, true).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_servers_own_networks_need_the_operators_consent() {
        for local in [
            "http://127.0.0.1:9000/",
            "http://10.1.2.3/",
            "http://192.168.1.10/",
            "http://172.16.0.1/",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/",
            "http://[fd00::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::127.0.0.1]/",
            "http://[64:ff9b::7f00:1]/",
            "http://100.64.0.1/",
            "http://198.18.0.1/",
            "http://app.localhost/",
        ] {
            assert!(WebhookUrl::parse(local, false).is_err(), "{local}");
            assert!(WebhookUrl::parse(local, true).is_ok(), "{local}");
        }
    }

    #[test]
    fn notice_kinds() {
        assert!(NoticeKind::parse("incident.reported").is_ok());
        assert!(NoticeKind::parse("webhook.created").is_ok());
        for bad in ["", "Incident", "a b", "x".repeat(65).as_str(), "sự-cố"] {
            assert!(NoticeKind::parse(bad).is_err(), "{bad}");
        }
    }
}
