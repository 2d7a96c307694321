use std::sync::Arc;

use irnet_app::App;
use metrics_exporter_prometheus::PrometheusHandle;

/// How the web layer is deployed.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` and send HSTS: on when irnet is reached over TLS (directly or behind a
    /// proxy that terminates it).
    pub secure_cookies: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<WebConfig>,
    pub metrics: Option<PrometheusHandle>,
}
