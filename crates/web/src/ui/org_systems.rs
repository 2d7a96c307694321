//! The information systems an organisation owns or operates, with forms to add, edit and remove
//! them where the reader may edit (`/orgs/{id}/systems`). Not found for whoever may not read the
//! organisation's private part.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use irnet_app::AppError;
use irnet_app::directory::orgs::{self, OrgView};
use irnet_app::directory::systems::{self, NewSystem, SystemView};
use serde::Deserialize;

use super::NoticeParam;
use super::org_people::{may_edit, messages};
use super::{Layout, render_status, see_other};
use crate::AppState;
use crate::extract::{Authed, Form, Path, Query};

#[derive(Template)]
#[template(path = "org_systems.html")]
struct SystemsPage {
    l: Layout,
    org: OrgView,
    systems: Vec<SystemView>,
    may_edit: bool,
    failed: Option<String>,
    errors: Vec<String>,
}

impl SystemsPage {
    fn joined(&self, items: &[String]) -> String {
        items.join("; ")
    }

    fn date(&self, d: &Option<NaiveDate>) -> String {
        d.map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default()
    }

    /// yyyy-mm-dd, what a date input holds.
    fn date_input(&self, d: &Option<NaiveDate>) -> String {
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    }

    fn level(&self, l: &Option<i32>) -> String {
        l.map(|l| l.to_string()).unwrap_or_default()
    }
}

/// The form's fields as the use-case names them, as the import's columns (and headers).
fn column_of(field: &str) -> &str {
    match field {
        "operator_org_id" => "operator",
        other => other,
    }
}

async fn page(
    a: &Authed,
    s: &AppState,
    org_id: &str,
    notice: Option<&str>,
    failed: Option<(String, Vec<String>)>,
    status: StatusCode,
) -> Response {
    let loaded = async {
        let systems = systems::list(&s.app, &a.actor, org_id).await?;
        Ok::<_, AppError>((orgs::get(&s.app, &a.actor, org_id).await?, systems))
    }
    .await;
    match loaded {
        Ok((org, systems)) => {
            let (failed, errors) = failed.map_or((None, vec![]), |(f, e)| (Some(f), e));
            render_status(
                status,
                &SystemsPage {
                    l: Layout::new(&a.ctx).with_notice(notice),
                    may_edit: may_edit(a, &org.id),
                    org,
                    systems,
                    failed,
                    errors,
                },
            )
        }
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

pub async fn show(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<NoticeParam>,
) -> Response {
    page(&a, &s, &id, q.notice.as_deref(), None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct SystemForm {
    name: String,
    operator_org_id: Option<String>,
    purpose: Option<String>,
    #[serde(default)]
    information_classes: String,
    proposed_level: Option<String>,
    approved_level: Option<String>,
    approver: Option<String>,
    approval_decision: Option<String>,
    approval_date: Option<String>,
    #[serde(default)]
    public_urls: String,
    #[serde(default)]
    domains: String,
    #[serde(default)]
    ip_ranges: String,
    internet_facing: Option<String>,
    critical: Option<String>,
    os: Option<String>,
    os_version: Option<String>,
}

fn split(list: &str) -> Vec<String> {
    list.split([';', '\n'])
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The form as the use-case's input; a level or date that is not one is the field's problem.
fn input(f: SystemForm) -> Result<NewSystem, AppError> {
    let mut p = irnet_app::error::Problems::default();
    let mut level = |field: &str, v: Option<String>| {
        let v = v.filter(|v| !v.trim().is_empty())?;
        let parsed = v.trim().parse::<i64>().ok();
        if parsed.is_none() {
            p.add(field, "invalid_number");
        }
        parsed
    };
    let proposed_level = level("proposed_level", f.proposed_level);
    let approved_level = level("approved_level", f.approved_level);
    let approval_date = f
        .approval_date
        .filter(|d| !d.trim().is_empty())
        .and_then(|d| {
            let parsed = NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok();
            if parsed.is_none() {
                p.add("approval_date", "invalid_date");
            }
            parsed
        });
    p.into_result()?;
    Ok(NewSystem {
        operator_org_id: f.operator_org_id.filter(|o| !o.trim().is_empty()),
        name: f.name,
        purpose: f.purpose,
        information_classes: split(&f.information_classes),
        proposed_level,
        approved_level,
        approver: f.approver,
        approval_decision: f.approval_decision,
        approval_date,
        public_urls: split(&f.public_urls),
        domains: split(&f.domains),
        ip_ranges: split(&f.ip_ranges),
        internet_facing: f.internet_facing.is_some(),
        critical: f.critical.is_some(),
        os: f.os,
        os_version: f.os_version,
    })
}

pub async fn create(
    a: Authed,
    State(s): State<AppState>,
    Path(org_id): Path<String>,
    Form(f): Form<SystemForm>,
) -> Response {
    let done = async {
        let input = input(f)?;
        systems::create(&s.app, &a.actor, &org_id, input).await
    }
    .await;
    match done {
        Ok(_) => see_other(&format!("/orgs/{org_id}/systems"), "created"),
        Err(AppError::NotFound) => super::failure_page(&a.ctx, &AppError::NotFound),
        Err(e) => {
            let failed = ("new".to_owned(), messages(&a, &e, column_of));
            page(
                &a,
                &s,
                &org_id,
                None,
                Some(failed),
                crate::error::status_of(&e),
            )
            .await
        }
    }
}

pub async fn update(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<SystemForm>,
) -> Response {
    let system = match systems::get(&s.app, &a.actor, &id).await {
        Ok(v) => v,
        Err(e) => return super::failure_page(&a.ctx, &e),
    };
    let done = async {
        let input = input(f)?;
        systems::update(&s.app, &a.actor, &id, input).await
    }
    .await;
    let back = system.owner_org_id;
    match done {
        Ok(_) => see_other(&format!("/orgs/{back}/systems"), "saved"),
        Err(e) => {
            let failed = (id, messages(&a, &e, column_of));
            page(
                &a,
                &s,
                &back,
                None,
                Some(failed),
                crate::error::status_of(&e),
            )
            .await
        }
    }
}

pub async fn delete(a: Authed, State(s): State<AppState>, Path(id): Path<String>) -> Response {
    let system = match systems::get(&s.app, &a.actor, &id).await {
        Ok(v) => v,
        Err(e) => return super::failure_page(&a.ctx, &e),
    };
    let back = system.owner_org_id;
    match systems::delete(&s.app, &a.actor, &id).await {
        Ok(()) => see_other(&format!("/orgs/{back}/systems"), "deleted"),
        Err(e) => {
            let failed = (id, messages(&a, &e, column_of));
            page(
                &a,
                &s,
                &back,
                None,
                Some(failed),
                crate::error::status_of(&e),
            )
            .await
        }
    }
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/orgs/{id}/systems", axum::routing::get(show).post(create))
        .route("/systems/{id}/edit", axum::routing::post(update))
        .route("/systems/{id}/delete", axum::routing::post(delete))
}
