//! The incident pages: the list, the quick notice (made for a phone), the incident page with
//! every action the reader may take, the Mẫu 03 form, and the support-request inbox. Every read
//! and change goes through `irnet_app::incidents`, whose one audience check makes an incident
//! outside the reader's audience "not found" here as in the API; what a page offers follows the
//! incident's `may` abilities, and the use-case decides again on every post.

pub mod list;
pub mod notice;
pub mod page;
pub mod report_form;
pub mod support;

use axum::Router;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use irnet_app::App;
use irnet_app::directory::systems::{self, SystemView};
use irnet_app::incidents::types;

use crate::AppState;
use crate::extract::Authed;
use crate::i18n::Tr;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/incidents", get(list::show))
        .route("/incidents/new", get(notice::show).post(notice::create))
        .route("/incidents/{id}", get(page::show))
        .route(
            "/incidents/{id}/report",
            get(report_form::show).post(report_form::save),
        )
        .route("/incidents/{id}/submit", post(page::submit))
        .route("/incidents/{id}/status", post(page::set_status))
        .route("/incidents/{id}/escalate", post(page::escalate))
        .route("/incidents/{id}/acknowledge", post(page::acknowledge))
        .route(
            "/incidents/{id}/notice/acknowledge",
            post(page::acknowledge_notice),
        )
        .route("/incidents/{id}/notice/resend", post(page::resend_notice))
        .route("/incidents/{id}/serious", post(page::serious))
        .route("/incidents/{id}/close", post(page::close))
        .route("/incidents/{id}/tasks", post(page::add_task))
        .route(
            "/incidents/{id}/tasks/{task_id}/done",
            post(page::task_done),
        )
        .route("/incidents/{id}/observables", post(page::add_observable))
        .route("/incidents/{id}/comments", post(page::comment))
        .route("/incidents/{id}/attachments", post(page::attach))
        .route("/incidents/{id}/reports", post(page::file_report))
        .route("/incidents/{id}/support", post(support::request))
        .route("/support-requests", get(support::inbox))
        .route("/support-requests/{id}/answer", post(support::answer))
        .route(
            "/instructions/{id}/answer",
            post(support::answer_instruction),
        )
        .route("/support-requests/{id}/accept", post(support::accept))
        .route("/support-requests/{id}/revoke", post(support::revoke))
}

/// An instant the app gives as RFC 3339, shown as dd/mm/yyyy HH:MM in the network's time zone.
pub fn when(tr: &Tr, rfc3339: &str) -> String {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| tr.datetime(&t.with_timezone(&Utc)))
        .unwrap_or_else(|_| rfc3339.to_owned())
}

pub fn when_opt(tr: &Tr, rfc3339: &Option<String>) -> String {
    rfc3339
        .as_deref()
        .map_or_else(|| "—".to_owned(), |t| when(tr, t))
}

/// A workflow status in the reader's language.
pub fn status_label(tr: &Tr, status: &str) -> String {
    tr.t(&format!("incident-status-{}", status.replace('_', "-")))
}

/// The class of a TLP badge (`tlp-amber-strict` for AMBER+STRICT).
pub fn tlp_class(tlp: &str) -> String {
    format!("tlp tlp-{}", tlp.to_ascii_lowercase().replace('+', "-"))
}

/// An incident type by its key, in the reader's language.
pub fn type_label(tr: &Tr, app: &App, key: &Option<String>) -> String {
    match key {
        None => "—".to_owned(),
        Some(k) => types::find(&app.settings, k).map_or_else(
            || k.clone(),
            |t| tr.localised(&t.name_vi, Some(&t.name_en)).to_owned(),
        ),
    }
}

/// The incident types offered by the forms: (key, label in the reader's language).
pub fn type_options(tr: &Tr, app: &App) -> Vec<(String, String)> {
    app.settings
        .incident_types
        .iter()
        .map(|t| {
            (
                t.key.clone(),
                tr.localised(&t.name_vi, Some(&t.name_en)).to_owned(),
            )
        })
        .collect()
}

pub const SEVERITIES: [&str; 4] = ["low", "medium", "high", "critical"];
pub const TLPS: [&str; 5] = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"];

/// The information systems the reader's organisation owns or operates, through the directory's
/// own read check (a member always reads its own systems; anyone else gets none offered).
async fn own_systems(a: &Authed, app: &App) -> Vec<SystemView> {
    let org = a.auth.principal.org_id.as_str().to_owned();
    systems::list(app, &a.actor, &org).await.unwrap_or_default()
}

/// The select of the reader's own systems: (id, name with its security level).
pub async fn system_options(a: &Authed, app: &App) -> Vec<(String, String)> {
    own_systems(a, app)
        .await
        .iter()
        .map(|s| (s.id.clone(), system_label(&a.ctx.tr, s)))
        .collect()
}

/// A system as the select shows it: its name and security level.
fn system_label(tr: &Tr, s: &SystemView) -> String {
    match s.approved_level.or(s.proposed_level) {
        Some(level) => tr.t_args(
            "incident-system-with-level",
            &[("name", s.name.clone()), ("level", level.to_string())],
        ),
        None => s.name.clone(),
    }
}
