use askama::Template;
use axum::response::Response;

use super::{Layout, render};
use crate::extract::Authed;

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    l: Layout,
    org_name: String,
    roles: Vec<String>,
}

pub async fn home(
    a: Authed,
    axum::extract::State(s): axum::extract::State<crate::AppState>,
) -> Response {
    let org_id = a.auth.user.org_id.clone();
    let org_name = irnet_app::directory::orgs::get(&s.app, &a.actor, &org_id)
        .await
        .map(|o| {
            a.ctx
                .tr
                .localised(&o.name_vi, o.name_en.as_deref())
                .to_owned()
        })
        .unwrap_or_default();
    let roles = a
        .auth
        .principal
        .grants
        .iter()
        .map(|g| {
            a.ctx
                .tr
                .t(&format!("role-{}", g.role.as_str().replace('_', "-")))
        })
        .collect();
    render(&Home {
        l: Layout::new(&a.ctx),
        org_name,
        roles,
    })
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new().route("/", axum::routing::get(home))
}
