//! Managing credentials (second factor, recovery codes, API tokens, the password) needs a
//! signed-in browser session whose person proved who they are within minutes
//! (`Principal::may_manage_credentials`): a token never does, and an unattended browser must
//! first be given the password again.

use irnet_domain::CredentialGate;
use irnet_store::DbConn;
use irnet_store::identity::{sessions, users};
use irnet_store::time::{from_db, to_db};

use super::passwords;
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

/// The gate for `actor` now, read in the caller's transaction.
fn gate(conn: &mut DbConn, app: &App, actor: &Actor) -> Result<CredentialGate, AppError> {
    let checked = match &actor.session_id {
        Some(id) => sessions::get(conn, id)?.map(|s| from_db(s.checked_at.unwrap_or(s.created_at))),
        None => None,
    };
    Ok(actor.principal.may_manage_credentials(checked, app.now()))
}

/// Fails unless the actor may manage credentials now.
pub(crate) fn require_recent_check(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
) -> Result<(), AppError> {
    match gate(conn, app, actor)? {
        CredentialGate::Allowed => Ok(()),
        CredentialGate::NeedsSession => Err(AppError::SessionRequired),
        CredentialGate::NeedsRecentCheck => Err(AppError::ReauthRequired),
    }
}

/// Fails unless the actor acts through a browser session (the caller checks a password itself,
/// as changing the password does with the current one).
pub(crate) fn require_session(conn: &mut DbConn, app: &App, actor: &Actor) -> Result<(), AppError> {
    match gate(conn, app, actor)? {
        CredentialGate::NeedsSession => Err(AppError::SessionRequired),
        _ => Ok(()),
    }
}

/// Whether the profile pages may offer managing credentials without asking for the password.
pub async fn is_recent(app: &App, actor: &Actor) -> Result<bool, AppError> {
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .read(move |conn| Ok(gate(conn, &app2, &actor2)? == CredentialGate::Allowed))
        .await
}

/// The person gives their password again: the session counts as checked now.
pub async fn confirm_password(app: &App, actor: &Actor, password: &str) -> Result<(), AppError> {
    let session_id = actor.session_id.clone().ok_or(AppError::SessionRequired)?;
    let user_id = actor.user_id().ok_or(AppError::Forbidden)?.to_owned();
    let uid = user_id.clone();
    let user = app
        .store
        .read(move |c| Ok::<_, AppError>(users::get(c, &uid)?))
        .await?
        .ok_or(AppError::NotFound)?;
    if !passwords::verify(Some(user.password_hash.clone()), password.to_owned()).await? {
        return Err(AppError::invalid("password", "wrong_password"));
    }
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            sessions::set_checked(conn, &session_id, to_db(app2.now()))?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "auth.password_confirmed",
                    object_type: "user",
                    object_id: Some(&user.id),
                    object_org_id: Some(&user.org_id),
                    summary: serde_json::json!({}),
                },
            )
        })
        .await
}
