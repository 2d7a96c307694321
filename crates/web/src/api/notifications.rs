//! The signed-in person's notifications: list, unread count, marking read, and the live stream
//! (server-sent events) that pushes each new one as it is committed, on any instance.

use std::convert::Infallible;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, Sse};
use futures_util::stream::Stream;
use irnet_app::notify::TOPIC;
use irnet_app::notify::inbox::{self, NotificationView};
use irnet_app::{App, AppError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{PageOf, live};
use crate::AppState;
use crate::error::WebError;
use crate::extract::{Authed, Path, Query};

type ApiResult<T> = Result<T, WebError>;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// only unread ones
    pub unread: Option<bool>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Your notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(ListParams), responses((status = 200, body = PageOf<NotificationView>)))]
pub async fn list(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<ListParams>,
) -> ApiResult<Json<PageOf<NotificationView>>> {
    Ok(Json(
        inbox::list(
            &s.app,
            &a.actor,
            q.unread.unwrap_or(false),
            q.cursor,
            q.limit,
        )
        .await?
        .into(),
    ))
}

/// One of your notifications.
#[utoipa::path(get, path = "/api/v1/notifications/{id}", tag = "notifications", params(("id" = String, Path)), responses((status = 200, body = NotificationView)))]
pub async fn get_one(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<NotificationView>> {
    Ok(Json(inbox::get(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadCount {
    pub unread: i64,
}

#[utoipa::path(get, path = "/api/v1/notifications/unread-count", tag = "notifications", responses((status = 200, body = UnreadCount)))]
pub async fn unread_count(a: Authed, State(s): State<AppState>) -> ApiResult<Json<UnreadCount>> {
    Ok(Json(UnreadCount {
        unread: inbox::unread_count(&s.app, &a.actor).await?,
    }))
}

#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", params(("id" = String, Path)), responses((status = 204, description = "Marked read")))]
pub async fn mark_read(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    inbox::mark_read(&s.app, &a.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MarkedRead {
    pub marked: usize,
}

#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications", responses((status = 200, body = MarkedRead)))]
pub async fn mark_all_read(a: Authed, State(s): State<AppState>) -> ApiResult<Json<MarkedRead>> {
    Ok(Json(MarkedRead {
        marked: inbox::mark_all_read(&s.app, &a.actor).await?,
    }))
}

/// Your new notifications as they are committed (`text/event-stream`): each is an event
/// `notification` whose id is the notification's and whose data is its JSON. Send
/// `Last-Event-ID` to receive what you missed since that one. Comments keep it alive.
#[utoipa::path(get, path = "/api/v1/notifications/stream", tag = "notifications", responses((status = 200, content_type = "text/event-stream", body = String, description = "Server-sent events")))]
pub async fn stream(
    a: Authed,
    State(s): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let user = a
        .actor
        .user_id()
        .map(str::to_owned)
        .ok_or(AppError::Unauthenticated)?;
    let reader = a.actor.principal.clone();
    // Subscribe before reading where to start, so nothing committed in between is missed.
    let rx = s.app.store.events().subscribe();
    let resume = live::resume_from(&headers);
    let backlog = match &resume {
        Some(id) => inbox::after(&s.app, &reader, Some(id.as_str())).await?,
        None => vec![],
    };
    let anchor = match (backlog.last(), resume) {
        (Some(n), _) => Some(n.id.clone()),
        (None, Some(id)) if inbox::own(&s.app, &reader, &id).await?.is_some() => Some(id),
        _ => inbox::newest_id(&s.app, &user).await?,
    };
    let source = Notifications {
        app: s.app.clone(),
        user,
        reader,
    };
    Ok(live::stream(source, rx, anchor, backlog))
}

/// The reader's own notifications, read by id and the reader's id (so only their own), each
/// cut by the reader's read rule of its record as it is sent.
struct Notifications {
    app: App,
    user: String,
    reader: irnet_domain::Principal,
}

impl live::Source for Notifications {
    type Item = NotificationView;
    const EVENT: &'static str = "notification";

    fn id(item: &NotificationView) -> &str {
        &item.id
    }

    fn wants(&self, e: &irnet_store::events::Event) -> bool {
        e.topic == TOPIC && e.key == self.user
    }

    async fn one(&self, id: &str) -> Result<Option<NotificationView>, AppError> {
        inbox::own(&self.app, &self.reader, id).await
    }

    async fn after(&self, anchor: Option<&str>) -> Result<Vec<NotificationView>, AppError> {
        inbox::after(&self.app, &self.reader, anchor).await
    }
}

/// The OpenAPI tag of this pillar's operations.
pub(super) const NOTIFICATIONS: super::Tag = super::Tag {
    name: "notifications",
    description: "Your notifications (also live, as server-sent events) and your organisation's webhooks",
};

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(NOTIFICATIONS)
        .routes(utoipa_axum::routes!(list))
        .routes(utoipa_axum::routes!(get_one))
        .routes(utoipa_axum::routes!(unread_count))
        .routes(utoipa_axum::routes!(mark_read))
        .routes(utoipa_axum::routes!(mark_all_read))
        .routes(utoipa_axum::routes!(stream))
}
