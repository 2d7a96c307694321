//! The notifications page: the signed-in person's notifications, newest first, with links to
//! what they are about and buttons to mark them read. The header's unread badge links here.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use irnet_app::notify::inbox::{self, NotificationView};
use serde::Deserialize;

use super::{Layout, render, see_other};
use crate::AppState;
use crate::extract::{Authed, Path, Query};

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    l: Layout,
    items: Vec<NotificationView>,
    unread_only: bool,
    next: Option<String>,
}

impl NotificationsPage {
    fn when(&self, n: &NotificationView) -> String {
        self.l.tr.datetime(&n.created_at)
    }

    /// The next page's address, keeping the filter.
    fn next_href(&self, cursor: &str) -> String {
        let unread = if self.unread_only { "true" } else { "false" };
        let q = serde_urlencoded::to_string([("unread", unread), ("cursor", cursor)])
            .unwrap_or_default();
        format!("/notifications?{q}")
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    unread: Option<bool>,
    cursor: Option<String>,
    notice: Option<String>,
}

pub async fn show(a: Authed, State(s): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    let unread_only = q.unread.unwrap_or(false);
    match inbox::list(&s.app, &a.actor, unread_only, q.cursor, None).await {
        Ok(page) => render(&NotificationsPage {
            l: Layout::new(&a.ctx).with_notice(q.notice.as_deref()),
            items: page.items,
            unread_only,
            next: page.next_cursor,
        }),
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

pub async fn mark_read(a: Authed, State(s): State<AppState>, Path(id): Path<String>) -> Response {
    match inbox::mark_read(&s.app, &a.actor, &id).await {
        Ok(()) => see_other("/notifications", "notification-read"),
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

pub async fn mark_all_read(a: Authed, State(s): State<AppState>) -> Response {
    match inbox::mark_all_read(&s.app, &a.actor).await {
        Ok(_) => see_other("/notifications", "notifications-read"),
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/notifications", axum::routing::get(show))
        .route(
            "/notifications/read-all",
            axum::routing::post(mark_all_read),
        )
        .route("/notifications/{id}/read", axum::routing::post(mark_read))
}
