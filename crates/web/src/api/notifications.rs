//! The signed-in person's notifications: list, unread count, marking read, and the live stream
//! (server-sent events) that pushes each new one as it is committed, on any instance.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::Stream;
use irnet_app::notify::TOPIC;
use irnet_app::notify::inbox::{self, NotificationView};
use irnet_app::{App, AppError};
use irnet_store::events::Signal;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::{self, error::RecvError};
use utoipa::{IntoParams, ToSchema};

use super::PageOf;
use crate::AppState;
use crate::error::WebError;
use crate::extract::{Authed, Path, Query};

type ApiResult<T> = Result<T, WebError>;

/// How often an idle stream sends a comment, so proxies keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Ids a stream remembers having sent, so a re-read after a resync sends nothing twice.
const REMEMBERED: usize = 256;

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
    // Subscribe before reading where to start, so nothing committed in between is missed.
    let rx = s.app.store.events().subscribe();
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 64);
    let backlog = match resume {
        Some(id) => inbox::after(&s.app, &user, Some(id)).await?,
        None => vec![],
    };
    let anchor = match (backlog.last(), resume) {
        (Some(n), _) => Some(n.id.clone()),
        (None, Some(id)) if inbox::own(&s.app, &user, id).await?.is_some() => Some(id.to_owned()),
        _ => inbox::newest_id(&s.app, &user).await?,
    };
    let mut live = Live {
        app: s.app.clone(),
        user,
        rx,
        queue: VecDeque::new(),
        anchor,
        sent: VecDeque::new(),
    };
    // A first line at once, so the client knows the stream is open.
    live.queue.push_back(Event::default().comment("irnet"));
    for n in backlog {
        live.push(&n);
    }
    let events = futures_util::stream::unfold(live, |mut live| async move {
        live.next().await.map(|e| (Ok(e), live))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

/// One open stream: the user it serves, its bus subscription, what it has sent.
struct Live {
    app: App,
    user: String,
    rx: broadcast::Receiver<Signal>,
    queue: VecDeque<Event>,
    /// the last notification sent (or the newest when the stream opened): where a re-read starts
    anchor: Option<String>,
    sent: VecDeque<String>,
}

impl Live {
    fn push(&mut self, n: &NotificationView) {
        if self.sent.contains(&n.id) {
            return;
        }
        match Event::default()
            .event("notification")
            .id(n.id.clone())
            .json_data(n)
        {
            Ok(e) => self.queue.push_back(e),
            Err(e) => tracing::warn!(error = %e, "notification stream: cannot encode"),
        }
        if self.sent.len() == REMEMBERED {
            self.sent.pop_front();
        }
        self.sent.push_back(n.id.clone());
        self.anchor = Some(n.id.clone());
    }

    /// The next event to send; `None` ends the stream.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(e) = self.queue.pop_front() {
                return Some(e);
            }
            let found: Result<Vec<NotificationView>, AppError> = match self.rx.recv().await {
                Ok(Signal::Event(e)) if e.topic == TOPIC && e.key == self.user => {
                    if self.sent.contains(&e.id) {
                        continue;
                    }
                    inbox::own(&self.app, &self.user, &e.id)
                        .await
                        .map(|n| n.into_iter().collect())
                }
                Ok(Signal::Event(_)) => continue,
                // Events may have been lost: read what is newer than the last one sent.
                Ok(Signal::Resync) | Err(RecvError::Lagged(_)) => {
                    inbox::after(&self.app, &self.user, self.anchor.as_deref()).await
                }
                Err(RecvError::Closed) => return None,
            };
            match found {
                Ok(list) => {
                    for n in &list {
                        self.push(n);
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "notification stream: read failed; closing");
                    return None;
                }
            }
        }
    }
}
