//! Accounts: created and administered by platform administrators and, for their own organisation,
//! by org admins; each person edits their own profile and password.

use chrono::{DateTime, Utc};
use irnet_domain::{Email, Grant, Locale, Role, Scope};
use irnet_store::directory::{clusters, orgs};

use crate::directory::orgs::org_ref;
use irnet_store::identity::grants::{self, GrantRow};
use irnet_store::identity::users::{self, UserChanges, UserRow};
use irnet_store::identity::{sessions, throttle};
use irnet_store::page::{Page, clamp_limit};
use irnet_store::time::{from_db, to_db};
use irnet_store::{DbConn, is_unique_violation};

use super::{auth, mfa, passwords, principal};
use crate::audit::{self, Change};
use crate::error::Problems;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct GrantView {
    pub id: String,
    pub role: String,
    pub scope: String,
    pub scope_id: Option<String>,
}

impl From<&GrantRow> for GrantView {
    fn from(g: &GrantRow) -> Self {
        Self {
            id: g.id.clone(),
            role: g.role.clone(),
            scope: g.scope_kind.clone(),
            scope_id: (!g.scope_id.is_empty()).then(|| g.scope_id.clone()),
        }
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub org_id: String,
    pub active: bool,
    pub mfa_enabled: bool,
    pub roles: Vec<GrantView>,
    pub created_at: DateTime<Utc>,
}

pub fn view(user: &UserRow, grants: &[GrantRow]) -> UserView {
    UserView {
        id: user.id.clone(),
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        locale: user.locale.clone(),
        org_id: user.org_id.clone(),
        active: user.active,
        mfa_enabled: user.mfa_secret.is_some(),
        roles: grants.iter().map(GrantView::from).collect(),
        created_at: from_db(user.created_at),
    }
}

/// The organisations whose accounts the actor may list: `None` means all.
fn readable_orgs(actor: &Actor) -> Option<Vec<String>> {
    let p = &actor.principal;
    if p.may_read_all_users() {
        return None;
    }
    let mut orgs: Vec<String> = p
        .grants
        .iter()
        .filter(|g| g.role == Role::OrgAdmin)
        .filter_map(|g| g.scope.id().map(str::to_owned))
        .collect();
    // Everyone sees the colleagues of their own organisation.
    orgs.push(p.org_id.as_str().to_owned());
    orgs.sort();
    orgs.dedup();
    Some(orgs)
}

fn visible(actor: &Actor, user: &UserRow) -> bool {
    readable_orgs(actor).is_none_or(|orgs| orgs.contains(&user.org_id))
}

#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub org_id: String,
    pub locale: Option<String>,
    pub password: String,
    pub grants: Vec<Grant>,
}

pub async fn create(app: &App, actor: &Actor, input: NewUser) -> Result<UserView, AppError> {
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let mut problems = Problems::default();
    let email = problems.check("email", Email::parse(&input.email));
    let display_name = irnet_domain::text::nfc(input.display_name.trim());
    problems.text("display_name", &display_name, true, 200);
    let locale = match input.locale.as_deref().filter(|l| !l.is_empty()) {
        Some(l) => problems.check("locale", Locale::parse(l)),
        None => Some(Locale::Vi),
    };
    problems.check(
        "password",
        irnet_domain::password::check_password_policy(&input.password),
    );
    problems.into_result()?;
    let (Some(email), Some(locale)) = (email, locale) else {
        return Err(AppError::internal("validation"));
    };
    let hash = passwords::hash(input.password).await?;
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            orgs::get(conn, &input.org_id)?.ok_or_else(|| AppError::invalid("org_id", "unknown_org"))?;
            let target = org_ref(conn, &app2, &input.org_id)?;
            if !actor2.principal.may_manage_users_of(&target)
                || !input.grants.iter().all(|g| actor2.principal.may_grant(g, &target))
            {
                return Err(AppError::Forbidden);
            }
            // No new accounts for a merged or dissolved organisation: the error names its successor.
            crate::directory::succession::ensure_open(conn, &input.org_id, app2.today(), "org_id")?;
            let now = to_db(app2.now());
            let row = UserRow::new_account(
                input.org_id.clone(),
                email.as_str().to_owned(),
                display_name,
                locale.as_str().to_owned(),
                hash,
                now,
            );
            users::insert(conn, &row).map_err(|e| {
                if is_unique_violation(&e) {
                    AppError::Conflict { code: "email_taken", field: Some("email") }
                } else {
                    e.into()
                }
            })?;
            let mut granted = Vec::new();
            for g in &input.grants {
                granted.push(insert_grant(conn, &app2, &actor2, &row, g)?);
            }
            audit::record(conn, &app2, &actor2, Change {
                action: "user.created",
                object_type: "user",
                object_id: Some(&row.id),
                object_org_id: Some(&row.org_id),
                summary: serde_json::json!({ "email": row.email, "display_name": row.display_name, "roles": granted.iter().map(|g| &g.role).collect::<Vec<_>>() }),
            })?;
            Ok(view(&row, &granted))
        })
        .await
}

fn insert_grant(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    user: &UserRow,
    g: &Grant,
) -> Result<GrantRow, AppError> {
    match &g.scope {
        Scope::Network => {}
        Scope::Org(id) => {
            orgs::get(conn, id.as_str())?
                .ok_or_else(|| AppError::invalid("scope_id", "unknown_org"))?;
        }
        Scope::Cluster(id) => {
            clusters::get(conn, id.as_str())?
                .ok_or_else(|| AppError::invalid("scope_id", "unknown_cluster"))?;
        }
    }
    let row = GrantRow {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: user.id.clone(),
        role: g.role.as_str().to_owned(),
        scope_kind: g.scope.kind().to_owned(),
        scope_id: g.scope.id().unwrap_or_default().to_owned(),
        granted_by: actor.user_id().map(str::to_owned),
        created_at: to_db(app.now()),
    };
    grants::insert(conn, &row).map_err(|e| {
        if is_unique_violation(&e) {
            AppError::Conflict {
                code: "grant_exists",
                field: Some("role"),
            }
        } else {
            e.into()
        }
    })?;
    // Escalation names the holders of this role on the day it happens; whoever takes the role
    // up later joins them on every escalated incident, or a new coordinator could not read the
    // incidents the centre is handling.
    if *g == irnet_domain::escalation_audience() {
        irnet_store::incidents::name_on_escalated(conn, &user.id, to_db(app.now()))?;
    }
    Ok(row)
}

pub async fn list(
    app: &App,
    actor: &Actor,
    cursor: Option<String>,
    limit: Option<i64>,
) -> Result<Page<UserView>, AppError> {
    let orgs = readable_orgs(actor);
    let limit = clamp_limit(limit);
    app.store
        .read(move |conn| {
            let page = users::list(conn, orgs.as_deref(), cursor.as_deref(), limit)?;
            let mut items = Vec::with_capacity(page.items.len());
            // One query for the page's grants, not one per account.
            let ids: Vec<String> = page.items.iter().map(|u| u.id.clone()).collect();
            let mut grants = grants::of_users(conn, &ids)?;
            for u in &page.items {
                items.push(view(u, &grants.remove(&u.id).unwrap_or_default()));
            }
            Ok(Page {
                items,
                next_cursor: page.next_cursor,
            })
        })
        .await
}

/// One account; an account the actor may not see is not found.
pub async fn get(app: &App, actor: &Actor, user_id: &str) -> Result<UserView, AppError> {
    let (actor, user_id) = (actor.clone(), user_id.to_owned());
    app.store
        .read(move |conn| {
            let user = users::get(conn, &user_id)?
                .filter(|u| visible(&actor, u))
                .ok_or(AppError::NotFound)?;
            Ok(view(&user, &grants::of_user(conn, &user.id)?))
        })
        .await
}

/// The actor's own account, as `GET /api/v1/me` shows it.
pub async fn me(app: &App, actor: &Actor) -> Result<UserView, AppError> {
    let id = actor.user_id().ok_or(AppError::Forbidden)?.to_owned();
    get(app, actor, &id).await
}

#[derive(Debug, Clone, Default)]
pub struct UserUpdate {
    pub display_name: Option<String>,
    pub locale: Option<String>,
    pub active: Option<bool>,
}

/// An administrator changes someone's account (or their own).
pub async fn update(
    app: &App,
    actor: &Actor,
    user_id: &str,
    input: UserUpdate,
) -> Result<UserView, AppError> {
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let changes = validate_update(&input)?;
    let (app2, actor2, user_id) = (app.clone(), actor.clone(), user_id.to_owned());
    app.store
        .write(move |conn| {
            let user = users::get(conn, &user_id)?
                .filter(|u| visible(&actor2, u))
                .ok_or(AppError::NotFound)?;
            let target = org_ref(conn, &app2, &user.org_id)?;
            if !actor2.principal.may_manage_users_of(&target) {
                return Err(AppError::Forbidden);
            }
            // Disabling oneself could leave the network without anyone who can undo it.
            if changes.active == Some(false) && actor2.user_id() == Some(user.id.as_str()) {
                return Err(AppError::Conflict {
                    code: "cannot_disable_self",
                    field: Some("active"),
                });
            }
            apply_update(conn, &app2, &actor2, &user, changes, "user.updated")
        })
        .await
}

/// A person changes their own name or language.
pub async fn update_me(
    app: &App,
    actor: &Actor,
    display_name: Option<String>,
    locale: Option<String>,
) -> Result<UserView, AppError> {
    let user_id = actor.user_id().ok_or(AppError::Forbidden)?.to_owned();
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let changes = validate_update(&UserUpdate {
        display_name,
        locale,
        active: None,
    })?;
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            let user = users::get(conn, &user_id)?.ok_or(AppError::NotFound)?;
            apply_update(conn, &app2, &actor2, &user, changes, "profile.updated")
        })
        .await
}

fn validate_update(input: &UserUpdate) -> Result<UserChanges, AppError> {
    let mut problems = Problems::default();
    let mut changes = UserChanges::default();
    if let Some(name) = &input.display_name {
        let name = irnet_domain::text::nfc(name.trim());
        problems.text("display_name", &name, true, 200);
        changes.display_name = Some(name);
    }
    if let Some(l) = &input.locale {
        changes.locale = problems
            .check("locale", Locale::parse(l))
            .map(|l| l.as_str().to_owned());
    }
    changes.active = input.active;
    problems.into_result()?;
    Ok(changes)
}

fn apply_update(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    user: &UserRow,
    mut changes: UserChanges,
    action: &str,
) -> Result<UserView, AppError> {
    let summary = serde_json::json!({
        "display_name": changes.display_name,
        "locale": changes.locale,
        "active": changes.active,
    });
    changes.updated_at = Some(to_db(app.now()));
    users::update(conn, &user.id, &changes)?;
    if changes.active == Some(false) {
        // A disabled account keeps no way in.
        sessions::delete_all_of_user(conn, &user.id, None)?;
    }
    audit::record(
        conn,
        app,
        actor,
        Change {
            action,
            object_type: "user",
            object_id: Some(&user.id),
            object_org_id: Some(&user.org_id),
            summary,
        },
    )?;
    let user = users::get(conn, &user.id)?.ok_or(AppError::NotFound)?;
    Ok(view(&user, &grants::of_user(conn, &user.id)?))
}

pub async fn grant(
    app: &App,
    actor: &Actor,
    user_id: &str,
    g: Grant,
) -> Result<GrantView, AppError> {
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let (app2, actor2, user_id) = (app.clone(), actor.clone(), user_id.to_owned());
    app.store
        .write(move |conn| {
            let user = users::get(conn, &user_id)?.filter(|u| visible(&actor2, u)).ok_or(AppError::NotFound)?;
            let target = org_ref(conn, &app2, &user.org_id)?;
            if !actor2.principal.may_grant(&g, &target) {
                return Err(AppError::Forbidden);
            }
            let row = insert_grant(conn, &app2, &actor2, &user, &g)?;
            audit::record(conn, &app2, &actor2, Change {
                action: "role.granted",
                object_type: "user",
                object_id: Some(&user.id),
                object_org_id: Some(&user.org_id),
                summary: serde_json::json!({ "grant": row.id, "role": row.role, "scope": row.scope_kind, "scope_id": row.scope_id }),
            })?;
            Ok(GrantView::from(&row))
        })
        .await
}

pub async fn revoke_grant(
    app: &App,
    actor: &Actor,
    user_id: &str,
    grant_id: &str,
) -> Result<(), AppError> {
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let (app2, actor2, user_id, grant_id) = (
        app.clone(),
        actor.clone(),
        user_id.to_owned(),
        grant_id.to_owned(),
    );
    app.store
        .write(move |conn| {
            let user = users::get(conn, &user_id)?.filter(|u| visible(&actor2, u)).ok_or(AppError::NotFound)?;
            let row = grants::get(conn, &user_id, &grant_id)?.ok_or(AppError::NotFound)?;
            let target = org_ref(conn, &app2, &user.org_id)?;
            // Whoever may give a role may take it back.
            let g = principal::grant_from_row(&row);
            if !actor2.principal.may_revoke_grant(g.as_ref(), &target) {
                return Err(AppError::Forbidden);
            }
            // Likewise one's own administration: another administrator must take it away.
            if row.role == Role::Admin.as_str() && actor2.user_id() == Some(user.id.as_str()) {
                return Err(AppError::Conflict { code: "cannot_revoke_own_admin", field: None });
            }
            grants::delete(conn, &row.id)?;
            if g.as_ref() == Some(&irnet_domain::escalation_audience()) {
                irnet_store::incidents::unname_on_escalated(conn, &user.id)?;
            }
            audit::record(conn, &app2, &actor2, Change {
                action: "role.revoked",
                object_type: "user",
                object_id: Some(&user.id),
                object_org_id: Some(&user.org_id),
                summary: serde_json::json!({ "grant": row.id, "role": row.role, "scope": row.scope_kind, "scope_id": row.scope_id }),
            })?;
            Ok(())
        })
        .await
}

/// Lifts a sign-in lockout before it expires.
pub async fn unlock(app: &App, actor: &Actor, user_id: &str) -> Result<(), AppError> {
    admin_action(app, actor, user_id, "user.unlocked", |conn, _app, user| {
        throttle::clear(conn, &auth::throttle_key(&user.email))?;
        Ok(())
    })
    .await
}

/// For someone who lost their authenticator: an administrator removes the second factor.
pub async fn reset_mfa(app: &App, actor: &Actor, user_id: &str) -> Result<(), AppError> {
    admin_action(app, actor, user_id, "mfa.reset", |conn, app, user| {
        if user.mfa_secret.is_none() && user.mfa_pending_secret.is_none() {
            // Nothing to remove: say so rather than audit a change that did not happen.
            return Err(AppError::Conflict {
                code: "mfa_not_enabled",
                field: None,
            });
        }
        mfa::remove_factor(conn, app, &user.id)
    })
    .await
}

async fn admin_action(
    app: &App,
    actor: &Actor,
    user_id: &str,
    action: &'static str,
    f: impl FnOnce(&mut DbConn, &App, &UserRow) -> Result<(), AppError> + Send + 'static,
) -> Result<(), AppError> {
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let (app2, actor2, user_id) = (app.clone(), actor.clone(), user_id.to_owned());
    app.store
        .write(move |conn| {
            let user = users::get(conn, &user_id)?
                .filter(|u| visible(&actor2, u))
                .ok_or(AppError::NotFound)?;
            let target = org_ref(conn, &app2, &user.org_id)?;
            if !actor2.principal.may_manage_users_of(&target) {
                return Err(AppError::Forbidden);
            }
            f(conn, &app2, &user)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action,
                    object_type: "user",
                    object_id: Some(&user.id),
                    object_org_id: Some(&user.org_id),
                    summary: serde_json::json!({}),
                },
            )
        })
        .await
}

/// A person changes their own password; their other sessions end.
pub async fn change_my_password(
    app: &App,
    actor: &Actor,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    let user_id = actor.user_id().ok_or(AppError::Forbidden)?.to_owned();
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let mut problems = Problems::default();
    problems.check(
        "new_password",
        irnet_domain::password::check_password_policy(new),
    );
    problems.into_result()?;
    let (uid, app2, actor2) = (user_id.clone(), app.clone(), actor.clone());
    let user = app
        .store
        .read(move |c| {
            // The current password is the check; a token still may not change it.
            super::recheck::require_session(c, &app2, &actor2)?;
            Ok::<_, AppError>(users::get(c, &uid)?)
        })
        .await?
        .ok_or(AppError::NotFound)?;
    if !passwords::verify(Some(user.password_hash.clone()), current.to_owned()).await? {
        return Err(AppError::invalid("current_password", "wrong_password"));
    }
    let hash = passwords::hash(new.to_owned()).await?;
    let keep = actor.session_id.clone();
    set_password(app, actor, &user, hash, keep).await
}

/// `irnet user reset-password`: the operator sets a new password; every session of the account ends.
pub async fn operator_reset_password(app: &App, email: &str, new: &str) -> Result<(), AppError> {
    let email = Email::parse(email).map_err(|e| AppError::field("email", &e))?;
    irnet_domain::password::check_password_policy(new)
        .map_err(|e| AppError::field("password", &e))?;
    let e = email.as_str().to_owned();
    let user = app
        .store
        .read(move |c| Ok::<_, AppError>(users::by_email(c, &e)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let hash = passwords::hash(new.to_owned()).await?;
    set_password(app, &Actor::operator(), &user, hash, None).await
}

async fn set_password(
    app: &App,
    actor: &Actor,
    user: &UserRow,
    hash: String,
    keep_session: Option<String>,
) -> Result<(), AppError> {
    let (app2, actor2, user) = (app.clone(), actor.clone(), user.clone());
    app.store
        .write(move |conn| {
            let now = to_db(app2.now());
            users::update(
                conn,
                &user.id,
                &UserChanges {
                    password_hash: Some(hash),
                    password_changed_at: Some(now),
                    updated_at: Some(now),
                    ..Default::default()
                },
            )?;
            let ended = sessions::delete_all_of_user(conn, &user.id, keep_session.as_deref())?;
            throttle::clear(conn, &auth::throttle_key(&user.email))?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "user.password_changed",
                    object_type: "user",
                    object_id: Some(&user.id),
                    object_org_id: Some(&user.org_id),
                    summary: serde_json::json!({ "sessions_ended": ended }),
                },
            )
        })
        .await
}

/// Whether the platform has an administrator yet (the first-run hint).
pub async fn has_admin(app: &App) -> Result<bool, AppError> {
    app.store
        .read(|c| Ok::<_, AppError>(grants::exists_network_role(c, Role::Admin.as_str())?))
        .await
}

/// Whether the account `email` is locked out now, and until when.
pub async fn locked_until(app: &App, email: &str) -> Result<Option<DateTime<Utc>>, AppError> {
    auth::locked_until(app, &auth::throttle_key(email)).await
}
