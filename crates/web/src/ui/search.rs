//! Finding organisations by any name they ever had, without typing accents.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use irnet_app::directory::orgs::{self, OrgHit};
use serde::Deserialize;

use super::{FormErrors, Layout, render_status};
use crate::AppState;
use crate::extract::{Authed, Query};

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    q: String,
    hits: Vec<OrgHit>,
    errors: FormErrors,
}

impl SearchPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        d.format("%d/%m/%Y").to_string()
    }
}

#[derive(Deserialize)]
pub struct SearchForm {
    q: Option<String>,
}

pub async fn search(a: Authed, State(s): State<AppState>, Query(f): Query<SearchForm>) -> Response {
    let q = f.q.unwrap_or_default();
    let l = Layout::new(&a.ctx);
    if q.trim().is_empty() {
        return render_status(
            StatusCode::OK,
            &SearchPage {
                l,
                q,
                hits: vec![],
                errors: FormErrors::default(),
            },
        );
    }
    match orgs::search(&s.app, &a.actor, &q).await {
        Ok(hits) => render_status(
            StatusCode::OK,
            &SearchPage {
                l,
                q,
                hits,
                errors: FormErrors::default(),
            },
        ),
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            render_status(
                crate::error::status_of(&e),
                &SearchPage {
                    l,
                    q,
                    hits: vec![],
                    errors,
                },
            )
        }
    }
}
