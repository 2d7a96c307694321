//! `/incidents`: the incidents of the reader's audience, newest first, filtered by status, due
//! state and words (the use-case's SQL filter is the same rule as a single read, so nothing
//! outside the audience can be counted or found here).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use irnet_app::incidents::{self, IncidentSummary, ListQuery};
use irnet_domain::incident::Status;
use serde::Deserialize;

use super::super::{FormErrors, Layout, opt, render_status};
use crate::AppState;
use crate::extract::{Authed, Query};

const PAGE_SIZE: i64 = 25;

#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    due: String,
    cursor: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "incidents_list.html")]
struct ListPage {
    l: Layout,
    q: String,
    status: String,
    due: String,
    statuses: Vec<(String, String)>,
    items: Vec<IncidentSummary>,
    next: Option<String>,
    errors: FormErrors,
}

impl ListPage {
    fn when(&self, t: &str) -> String {
        super::when(&self.l.tr, t)
    }
    fn status_label(&self, s: &str) -> String {
        super::status_label(&self.l.tr, s)
    }
    fn tlp_class(&self, t: &str) -> String {
        super::tlp_class(t)
    }
}

pub async fn show(a: Authed, State(s): State<AppState>, Query(p): Query<ListParams>) -> Response {
    let query = ListQuery {
        q: opt(&p.q),
        status: opt(&p.status),
        org: None,
        due: opt(&p.due),
        cursor: p.cursor.clone(),
        limit: Some(PAGE_SIZE),
    };
    let tr = a.ctx.tr;
    let statuses = Status::ALL
        .iter()
        .map(|st| {
            (
                st.as_str().to_owned(),
                super::status_label(&tr, st.as_str()),
            )
        })
        .collect();
    let mut page = ListPage {
        l: Layout::new(&a.ctx).with_notice(p.notice.as_deref()),
        q: p.q.clone(),
        status: p.status.clone(),
        due: p.due.clone(),
        statuses,
        items: vec![],
        next: None,
        errors: FormErrors::default(),
    };
    match incidents::list(&s.app, &a.actor, query).await {
        Ok(found) => {
            // The next page keeps the filters it was asked with.
            page.next = found.next_cursor.map(|c| {
                let q = serde_urlencoded::to_string([
                    ("q", p.q.as_str()),
                    ("status", p.status.as_str()),
                    ("due", p.due.as_str()),
                    ("cursor", c.as_str()),
                ])
                .unwrap_or_default();
                format!("/incidents?{q}")
            });
            page.items = found.items;
            render_status(StatusCode::OK, &page)
        }
        Err(e) => {
            page.errors = FormErrors::from_error(&tr, &e);
            render_status(crate::error::status_of(&e), &page)
        }
    }
}
