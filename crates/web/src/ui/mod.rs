//! Server-rendered pages. Plain HTML forms that post and redirect; every string comes from the
//! locale files; nothing is loaded from outside the binary.

pub mod admin;
pub mod alerts;
pub mod auth;
pub mod channels;
pub mod cluster_timeline;
pub mod clusters;
pub mod directory_files;
pub mod drills;
pub mod home;
pub mod incident_year;
pub mod incidents;
pub mod indicators;
pub mod notifications;
pub mod org_people;
pub mod org_systems;
pub mod orgs;
pub mod profile;
pub mod rules;
pub mod search;
// Training (issue 20).
pub mod training;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use irnet_app::AppError;
use irnet_domain::policy::AuditVisibility;

use crate::context::{Ctx, to_login};
use crate::error::{field_message, status_of};
use crate::i18n::Tr;

/// What the page frame needs: language, the form token, who is signed in, what to link to.
#[derive(Clone)]
pub struct Layout {
    pub tr: Tr,
    pub csrf: String,
    pub path: String,
    pub user_name: Option<String>,
    pub show_admin: bool,
    pub show_audit: bool,
    /// the rule sets page (everyone taking part reads the rules)
    pub show_rules: bool,
    /// a confirmation to show once (message key suffix)
    pub notice: Option<String>,
    /// unread notifications, shown as a badge (kept live by `live.js`)
    pub unread: i64,
}

impl Layout {
    pub fn new(ctx: &Ctx) -> Self {
        let p = ctx.auth.as_ref().map(|a| &a.principal);
        Self {
            tr: ctx.tr,
            csrf: ctx.csrf_token.clone(),
            path: ctx.path.clone(),
            user_name: ctx.auth.as_ref().map(|a| a.user.display_name.clone()),
            show_admin: p.is_some_and(|p| p.may_see_administration()),
            show_audit: p.is_some_and(|p| p.audit_visibility() != AuditVisibility::Nothing),
            show_rules: p.is_some_and(|p| p.may_read_rules()),
            notice: None,
            unread: ctx.unread.unwrap_or(0),
        }
    }

    pub fn with_notice(mut self, notice: Option<&str>) -> Self {
        self.notice = notice
            .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
            .map(str::to_owned);
        self
    }

    pub fn notice_text(&self) -> String {
        self.notice
            .as_ref()
            .map(|n| self.tr.t(&format!("notice-{n}")))
            .unwrap_or_default()
    }

    pub fn nav_class(&self, prefix: &str) -> &'static str {
        let active = if prefix == "/" {
            self.path == "/"
        } else {
            self.path.starts_with(prefix)
        };
        if active { "active" } else { "" }
    }
}

/// Validation messages for a form, by field.
#[derive(Default, Clone)]
pub struct FormErrors {
    pub general: Vec<String>,
    pub fields: Vec<(String, String)>,
}

impl FormErrors {
    pub fn from_error(tr: &Tr, e: &AppError) -> Self {
        match e {
            AppError::Validation(fields) => Self {
                general: vec![],
                fields: fields
                    .iter()
                    .map(|f| (f.field.clone(), field_message(tr, f)))
                    .collect(),
            },
            AppError::Conflict {
                field: Some(field),
                code,
            } => Self {
                general: vec![],
                fields: vec![(
                    (*field).to_owned(),
                    tr.t(&format!("error-{}", code.replace('_', "-"))),
                )],
            },
            AppError::Locked { until } => Self {
                general: vec![tr.t_args("problem-locked-detail", &[("until", tr.datetime(until))])],
                fields: vec![],
            },
            other => Self {
                general: vec![tr.t(&format!("problem-{}", other.code().replace('_', "-")))],
                fields: vec![],
            },
        }
    }

    pub fn for_field(&self, field: &str) -> String {
        self.fields
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn has(&self, field: &str) -> bool {
        self.fields.iter().any(|(f, _)| f == field)
    }

    pub fn is_empty(&self) -> bool {
        self.general.is_empty() && self.fields.is_empty()
    }

    /// The status of a form page shown with these errors: 422 when there are some.
    pub fn status(&self) -> StatusCode {
        if self.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    /// Messages for fields the form does not show next to an input.
    pub fn all(&self) -> Vec<String> {
        self.general
            .iter()
            .cloned()
            .chain(self.fields.iter().map(|(_, m)| m.clone()))
            .collect()
    }
}

/// `?notice=…` after a post that redirected: the confirmation to show once.
#[derive(serde::Deserialize)]
pub struct NoticeParam {
    pub notice: Option<String>,
}

/// The first value of a field in a form read as pairs (forms with repeated names: checkboxes).
pub fn value<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Every value sent under a name (a group of checkboxes).
pub fn values(f: &[(String, String)], name: &str) -> Vec<String> {
    f.iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// A text field, trimmed; `None` when left empty.
pub fn opt(v: &str) -> Option<String> {
    Some(v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// A one-file upload form (evidence, an alert's file): the part named `file`. Its form token
/// travels as a field, checked by the context layer.
pub async fn read_file(
    mut form: axum::extract::Multipart,
) -> Result<irnet_app::attachments::Upload, AppError> {
    let bad = |_| AppError::invalid("file", "upload_unreadable");
    while let Some(field) = form.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let filename = field.file_name().unwrap_or_default().to_owned();
            crate::text::field("file", &filename)?;
            let bytes = field.bytes().await.map_err(bad)?.to_vec();
            return Ok(irnet_app::attachments::Upload { filename, bytes });
        }
    }
    Err(AppError::invalid("file", "required"))
}

pub fn render<T: Template>(t: &T) -> Response {
    render_status(StatusCode::OK, t)
}

pub fn render_status<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// After a successful post: back to a page, with a notice.
pub fn see_other(path: &str, notice: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}notice={notice}")).into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    status: u16,
    title: String,
    /// the refused fields and why
    errors: Vec<(String, String)>,
}

/// How a failure looks in the browser.
pub fn failure_page(ctx: &Ctx, e: &AppError) -> Response {
    match e {
        AppError::Unauthenticated => return to_login(&ctx.path),
        AppError::MfaEnrolmentRequired => return Redirect::to("/profile/mfa").into_response(),
        _ => {}
    }
    let status = status_of(e);
    let mut title = ctx.tr.t(&format!("problem-{}", e.code().replace('_', "-")));
    // The limits differ by address: the page says which one applied.
    if let AppError::PayloadTooLarge { limit } = e {
        let detail = ctx.tr.t_args(
            "problem-payload-too-large-detail",
            &[("limit", crate::limits::in_mib(*limit))],
        );
        title = format!("{title}. {detail}");
    }
    // Input refused before any page could show it beside its field (e.g. a NUL character): the
    // fields and reasons are listed here instead.
    let errors = match e {
        AppError::Validation(fields) => fields
            .iter()
            .map(|f| (f.field.clone(), crate::error::field_message(&ctx.tr, f)))
            .collect(),
        _ => vec![],
    };
    render_status(
        status,
        &ErrorPage {
            l: Layout::new(ctx),
            status: status.as_u16(),
            title,
            errors,
        },
    )
}

/// Every page: one line per pillar module.
pub fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .merge(home::routes())
        .merge(auth::routes())
        .merge(clusters::routes())
        .merge(search::routes())
        .merge(notifications::routes())
        .merge(channels::routes())
        .merge(alerts::routes())
        .merge(indicators::routes())
        .merge(orgs::routes())
        .merge(directory_files::routes())
        .merge(org_people::routes())
        .merge(org_systems::routes())
        .merge(profile::routes())
        .merge(admin::routes())
        .merge(incidents::routes())
        .merge(rules::routes())
        .merge(training::routes())
        .merge(drills::routes())
}
