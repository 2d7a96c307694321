use std::sync::Arc;

use irnet_app::App;
use metrics_exporter_prometheus::PrometheusHandle;

/// How the web layer is deployed.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` and send HSTS: on when irnet is reached over TLS (directly or behind a
    /// proxy that terminates it).
    pub secure_cookies: bool,
    /// The bearer token a scraper sends for `/metrics` on the main listener; without it the main
    /// listener has no metrics (404), and only `metrics_listen` (if set) serves them.
    pub metrics_token: Option<MetricsToken>,
}

/// The metrics scraper's token: a secret, never shown in logs or debug output.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct MetricsToken(String);

impl MetricsToken {
    pub fn new(token: &str) -> Option<Self> {
        Some(Self(token.trim().to_owned())).filter(|t| !t.0.is_empty())
    }

    /// Whether `offered` is this token, in time independent of where they differ.
    pub fn matches(&self, offered: &str) -> bool {
        use sha2::{Digest as _, Sha256};
        use subtle::ConstantTimeEq as _;
        // Hashing first makes the comparison independent of the lengths too.
        Sha256::digest(self.0.as_bytes())
            .ct_eq(&Sha256::digest(offered.as_bytes()))
            .into()
    }
}

impl std::str::FromStr for MetricsToken {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s).ok_or_else(|| "the metrics token is empty".to_owned())
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(<redacted>)")
    }
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<WebConfig>,
    pub metrics: Option<PrometheusHandle>,
}
