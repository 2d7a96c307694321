//! An organisation's people, with forms to add, edit and remove them where the reader may edit
//! (`/orgs/{id}/people`). To whoever may not read the organisation's private part, the page does
//! not exist. The organisation's profile (`/orgs/{id}`) is another page.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use irnet_app::AppError;
use irnet_app::directory::orgs::{self, OrgView};
use irnet_app::directory::people::{self, NewPerson, PersonView};
use irnet_domain::OrgRef;
use irnet_domain::ids::OrgId;
use serde::Deserialize;

use super::NoticeParam;
use super::{Layout, render_status, see_other};
use crate::AppState;
use crate::extract::{Authed, Form, Path, Query};
use crate::sheets::column_label;

#[derive(Template)]
#[template(path = "org_people.html")]
struct PeoplePage {
    l: Layout,
    org: OrgView,
    people: Vec<PersonView>,
    may_edit: bool,
    /// the person whose form failed ("new" for the add form), and what to tell
    failed: Option<String>,
    errors: Vec<String>,
}

impl PeoplePage {
    fn joined(&self, items: &[String]) -> String {
        items.join("; ")
    }
}

/// Whether the reader may edit this organisation (the use-cases decide again on every change).
pub fn may_edit(a: &Authed, org_id: &str) -> bool {
    a.auth.principal.may_edit_org(&OrgRef {
        org_id: OrgId::from_trusted(org_id.to_owned()),
        clusters: vec![],
    })
}

/// Problems of a form, each naming its field in the reader's language.
pub fn messages(a: &Authed, e: &AppError, column_of: fn(&str) -> &str) -> Vec<String> {
    let tr = &a.ctx.tr;
    match e {
        AppError::Validation(fields) => fields
            .iter()
            .map(|f| {
                let key = f.field.split('[').next().unwrap_or(&f.field);
                let label = column_label(tr, column_of(key));
                format!("{label}: {}", crate::error::field_message(tr, f))
            })
            .collect(),
        other => vec![tr.t(&format!("problem-{}", other.code().replace('_', "-")))],
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
        let people = people::list(&s.app, &a.actor, org_id).await?;
        Ok::<_, AppError>((orgs::get(&s.app, &a.actor, org_id).await?, people))
    }
    .await;
    match loaded {
        Ok((org, people)) => {
            let (failed, errors) = failed.map_or((None, vec![]), |(f, e)| (Some(f), e));
            render_status(
                status,
                &PeoplePage {
                    l: Layout::new(&a.ctx).with_notice(notice),
                    may_edit: may_edit(a, &org.id),
                    org,
                    people,
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
pub struct PersonForm {
    family_name: String,
    middle_name: Option<String>,
    given_name: String,
    title: Option<String>,
    #[serde(default)]
    phones: String,
    #[serde(default)]
    emails: String,
}

fn split(list: &str) -> Vec<String> {
    list.split([';', '\n'])
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

impl From<PersonForm> for NewPerson {
    fn from(f: PersonForm) -> Self {
        NewPerson {
            family_name: f.family_name,
            middle_name: f.middle_name,
            given_name: f.given_name,
            title: f.title,
            phones: split(&f.phones),
            emails: split(&f.emails),
        }
    }
}

pub async fn create(
    a: Authed,
    State(s): State<AppState>,
    Path(org_id): Path<String>,
    Form(f): Form<PersonForm>,
) -> Response {
    match people::create(&s.app, &a.actor, &org_id, f.into()).await {
        Ok(_) => see_other(&format!("/orgs/{org_id}/people"), "created"),
        Err(AppError::NotFound) => super::failure_page(&a.ctx, &AppError::NotFound),
        Err(e) => {
            let failed = ("new".to_owned(), messages(&a, &e, |k| k));
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
    Form(f): Form<PersonForm>,
) -> Response {
    let person = match people::get(&s.app, &a.actor, &id).await {
        Ok(p) => p,
        Err(e) => return super::failure_page(&a.ctx, &e),
    };
    match people::update(&s.app, &a.actor, &id, f.into()).await {
        Ok(_) => see_other(&format!("/orgs/{}/people", person.org_id), "saved"),
        Err(e) => {
            let failed = (id, messages(&a, &e, |k| k));
            let status = crate::error::status_of(&e);
            page(&a, &s, &person.org_id, None, Some(failed), status).await
        }
    }
}

pub async fn delete(a: Authed, State(s): State<AppState>, Path(id): Path<String>) -> Response {
    let person = match people::get(&s.app, &a.actor, &id).await {
        Ok(p) => p,
        Err(e) => return super::failure_page(&a.ctx, &e),
    };
    match people::delete(&s.app, &a.actor, &id).await {
        Ok(()) => see_other(&format!("/orgs/{}/people", person.org_id), "deleted"),
        Err(e) => {
            let failed = (id, messages(&a, &e, |k| k));
            let status = crate::error::status_of(&e);
            page(&a, &s, &person.org_id, None, Some(failed), status).await
        }
    }
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/orgs/{id}/people", axum::routing::get(show).post(create))
        .route("/people/{id}/edit", axum::routing::post(update))
        .route("/people/{id}/delete", axum::routing::post(delete))
}
