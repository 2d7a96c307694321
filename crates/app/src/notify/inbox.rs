//! A person's own notifications: the list, the unread count, marking read, and what the live
//! stream sends. Nobody reads another's notifications: every query is by the actor's user id,
//! and another's id is simply not found. Each is delivered cut by the reader's read rule of the
//! record it names, as it is at that moment (`cut`).

use chrono::{DateTime, Utc};
use irnet_domain::{Locale, Principal};
use irnet_store::DbConn;
use irnet_store::identity::users;
use irnet_store::notify::notifications::{self, NotificationRow};
use irnet_store::page::{Page, clamp_limit};
use irnet_store::time::{from_db, to_db};

use super::cut;
use crate::{Actor, App, AppError};

/// How many missed notifications a resuming stream sends at most.
const RESUME_LIMIT: i64 = 200;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct NotificationView {
    pub id: String,
    /// what happened, e.g. `incident.reported`
    pub kind: String,
    pub object_type: String,
    pub object_id: String,
    pub org_id: Option<String>,
    /// a path of irnet
    pub link: String,
    pub title: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

pub fn view(r: NotificationRow) -> NotificationView {
    NotificationView {
        id: r.id,
        kind: r.kind,
        object_type: r.object_type,
        object_id: r.object_id,
        org_id: r.org_id,
        link: r.link,
        title: r.title,
        body: r.body,
        created_at: from_db(r.created_at),
        read_at: r.read_at.map(from_db),
    }
}

/// `rows` as `p` may see them now, in the reader's language of today.
fn delivered(
    conn: &mut DbConn,
    app: &App,
    p: &Principal,
    rows: Vec<NotificationRow>,
) -> Result<Vec<NotificationView>, AppError> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let locale = users::get(conn, p.user_id.as_str())?
        .and_then(|u| Locale::parse(&u.locale).ok())
        .unwrap_or(Locale::Vi);
    rows.into_iter()
        .map(|r| cut::view_for(conn, app, p, locale, view(r)))
        .collect()
}

fn me(actor: &Actor) -> Result<String, AppError> {
    actor
        .user_id()
        .map(str::to_owned)
        .ok_or(AppError::Unauthenticated)
}

pub async fn list(
    app: &App,
    actor: &Actor,
    unread_only: bool,
    cursor: Option<String>,
    limit: Option<i64>,
) -> Result<Page<NotificationView>, AppError> {
    let (user, limit) = (me(actor)?, clamp_limit(limit));
    let (app2, p) = (app.clone(), actor.principal.clone());
    app.store
        .read(move |conn| {
            let page = notifications::list_own(conn, &user, unread_only, cursor.as_deref(), limit)?;
            Ok::<_, AppError>(Page {
                items: delivered(conn, &app2, &p, page.items)?,
                next_cursor: page.next_cursor,
            })
        })
        .await
}

pub async fn get(app: &App, actor: &Actor, id: &str) -> Result<NotificationView, AppError> {
    let (user, id) = (me(actor)?, id.to_owned());
    let (app2, p) = (app.clone(), actor.principal.clone());
    app.store
        .read(move |conn| {
            let rows = notifications::get_own(conn, &user, &id)?
                .into_iter()
                .collect();
            Ok::<_, AppError>(delivered(conn, &app2, &p, rows)?.pop())
        })
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn unread_count(app: &App, actor: &Actor) -> Result<i64, AppError> {
    let user = me(actor)?;
    app.store
        .read(move |conn| Ok(notifications::unread_count(conn, &user)?))
        .await
}

/// Marks one of the actor's notifications read. Reading state is the person's own, not a change
/// to shared records, so it is not written to the audit trail.
pub async fn mark_read(app: &App, actor: &Actor, id: &str) -> Result<(), AppError> {
    let user = me(actor)?;
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let (id, now) = (id.to_owned(), to_db(app.now()));
    let found = app
        .store
        .write(move |conn| Ok::<_, AppError>(notifications::mark_read(conn, &user, &id, now)?))
        .await?;
    if found {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Marks all the actor's notifications read; returns how many were unread.
pub async fn mark_all_read(app: &App, actor: &Actor) -> Result<usize, AppError> {
    let user = me(actor)?;
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let now = to_db(app.now());
    app.store
        .write(move |conn| Ok(notifications::mark_all_read(conn, &user, now)?))
        .await
}

/// For the live stream: the reader's notification `id`, if it is theirs, cut as it is sent.
pub async fn own(app: &App, p: &Principal, id: &str) -> Result<Option<NotificationView>, AppError> {
    let (app2, p, id) = (app.clone(), p.clone(), id.to_owned());
    app.store
        .read(move |conn| {
            let rows = notifications::get_own(conn, p.user_id.as_str(), &id)?
                .into_iter()
                .collect();
            Ok::<_, AppError>(delivered(conn, &app2, &p, rows)?.pop())
        })
        .await
}

/// For the live stream: the user's notifications after their notification `after_id` (all
/// without one), oldest first — a resumed stream's backlog; nothing when the id is not theirs.
pub async fn after(
    app: &App,
    p: &Principal,
    after_id: Option<&str>,
) -> Result<Vec<NotificationView>, AppError> {
    let (app2, p, after_id) = (app.clone(), p.clone(), after_id.map(str::to_owned));
    app.store
        .read(move |conn| {
            let rows = notifications::after_own(
                conn,
                p.user_id.as_str(),
                after_id.as_deref(),
                RESUME_LIMIT,
            )?;
            delivered(conn, &app2, &p, rows)
        })
        .await
}

/// For the live stream: the id of the user's newest notification, where a fresh stream starts.
pub async fn newest_id(app: &App, user_id: &str) -> Result<Option<String>, AppError> {
    let user = user_id.to_owned();
    Ok(app
        .store
        .read(move |conn| Ok::<_, AppError>(notifications::newest_own(conn, &user)?))
        .await?
        .map(|r| r.id))
}
