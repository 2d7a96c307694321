//! A person's own browser sessions: list them, end one, end all.

use chrono::{DateTime, Utc};
use irnet_store::identity::sessions;
use irnet_store::time::{from_db, to_db};

use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
    pub current: bool,
}

pub async fn list_mine(app: &App, actor: &Actor) -> Result<Vec<SessionView>, AppError> {
    let user_id = actor.user_id().ok_or(AppError::Forbidden)?.to_owned();
    let current = actor.session_id.clone();
    let now = to_db(app.now());
    let rows = app
        .store
        .read(move |c| Ok::<_, AppError>(sessions::of_user(c, &user_id, now)?))
        .await?;
    Ok(rows
        .into_iter()
        .map(|s| SessionView {
            current: current.as_deref() == Some(s.id.as_str()),
            id: s.id,
            created_at: from_db(s.created_at),
            last_seen_at: from_db(s.last_seen_at),
            expires_at: from_db(s.expires_at),
            client_addr: s.client_addr,
            user_agent: s.user_agent,
        })
        .collect())
}

/// Ends one of the actor's sessions; someone else's session id is simply not found.
pub async fn revoke_mine(app: &App, actor: &Actor, session_id: &str) -> Result<(), AppError> {
    let user_id = actor.user_id().ok_or(AppError::Forbidden)?.to_owned();
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let (app2, actor2, session_id) = (app.clone(), actor.clone(), session_id.to_owned());
    app.store
        .write(move |conn| {
            if sessions::delete(conn, &user_id, &session_id)? == 0 {
                return Err(AppError::NotFound);
            }
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "session.revoked",
                    object_type: "session",
                    object_id: Some(&session_id),
                    object_org_id: actor2.org_id(),
                    summary: serde_json::json!({}),
                },
            )
        })
        .await
}

/// "Sign out everywhere": ends every session of the actor, this one included unless `keep_current`.
pub async fn revoke_all_mine(
    app: &App,
    actor: &Actor,
    keep_current: bool,
) -> Result<usize, AppError> {
    let user_id = actor.user_id().ok_or(AppError::Forbidden)?.to_owned();
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let keep = if keep_current {
        actor.session_id.clone()
    } else {
        None
    };
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            let n = sessions::delete_all_of_user(conn, &user_id, keep.as_deref())?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "session.revoked_all",
                    object_type: "user",
                    object_id: Some(&user_id),
                    object_org_id: actor2.org_id(),
                    summary: serde_json::json!({ "sessions": n, "kept_current": keep.is_some() }),
                },
            )?;
            Ok(n)
        })
        .await
}
