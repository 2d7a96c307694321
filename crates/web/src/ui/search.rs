//! One search box for the directory: organisations by any name they ever had, and the people and
//! systems the reader may see, without typing accents.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use irnet_app::directory::orgs::Succession;
use irnet_app::directory::search::{self, SearchInput, SearchResults};
use serde::Deserialize;

use super::{FormErrors, Layout, render_status};
use crate::AppState;
use crate::extract::{Authed, Query};

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    q: String,
    kind: String,
    results: Option<SearchResults>,
    errors: FormErrors,
}

impl SearchPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        d.format("%d/%m/%Y").to_string()
    }

    /// "3", or "500+" when there are more than were counted.
    fn count(&self, total: &usize, more: &bool) -> String {
        if *more {
            format!("{total}+")
        } else {
            total.to_string()
        }
    }

    /// "Merged into Thái Nguyên's department on 01/07/2025".
    fn merged_into(&self, s: &Succession) -> String {
        let name = s.successor_name.clone().unwrap_or_else(|| "—".to_owned());
        self.l.tr.t_args(
            "search-merged-into",
            &[("name", name), ("date", self.date(&s.effective))],
        )
    }

    fn selected(&self, kind: &str) -> &'static str {
        if self.kind == kind { "selected" } else { "" }
    }
}

#[derive(Deserialize)]
pub struct SearchForm {
    q: Option<String>,
    kind: Option<String>,
}

pub async fn search(a: Authed, State(s): State<AppState>, Query(f): Query<SearchForm>) -> Response {
    let q = f.q.unwrap_or_default();
    let kind = f.kind.unwrap_or_default();
    let mut page = SearchPage {
        l: Layout::new(&a.ctx),
        q,
        kind,
        results: None,
        errors: FormErrors::default(),
    };
    if page.q.trim().is_empty() {
        return render_status(StatusCode::OK, &page);
    }
    let input = SearchInput {
        q: page.q.clone(),
        kind: Some(page.kind.clone()).filter(|k| !k.is_empty()),
        limit: Some(20),
    };
    match search::search(&s.app, &a.actor, input).await {
        Ok(results) => {
            page.results = Some(results);
            render_status(StatusCode::OK, &page)
        }
        Err(e) => {
            page.errors = FormErrors::from_error(&a.ctx.tr, &e);
            render_status(crate::error::status_of(&e), &page)
        }
    }
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new().route("/search", axum::routing::get(search))
}
