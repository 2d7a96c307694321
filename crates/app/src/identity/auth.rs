//! Signing in: password, then (if enrolled) a second factor, with failures counted in the database
//! per email — known or not — so a lockout holds on every instance and reveals nothing about which
//! accounts exist. Also resolves a session cookie or an API token into the acting principal.

use chrono::{DateTime, Duration, Utc};
use irnet_domain::{Principal, TokenScope};
use irnet_store::DbConn;
use irnet_store::identity::sessions::{self, SessionRow};
use irnet_store::identity::users::{self, UserChanges, UserRow};
use irnet_store::identity::{recovery, throttle, tokens};
use irnet_store::time::{from_db, to_db};

use super::{mfa, passwords, principal, secrets};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError, RequestMeta};

pub const STAGE_MFA: &str = "mfa";
pub const STAGE_FULL: &str = "full";
/// Sessions and tokens are touched at most this often, so reads stay reads.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// A session just created: the cookie value is only known here.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: String,
    pub token: String,
    pub csrf_token: String,
    /// `STAGE_MFA` when a second factor is still due
    pub stage: &'static str,
    pub expires_at: DateTime<Utc>,
}

/// Who a request acts for, once its credential checked out.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user: UserRow,
    /// the account's role grants as stored (ids included), loaded with the principal
    pub grants: Vec<irnet_store::identity::grants::GrantRow>,
    pub principal: Principal,
    /// the browser session, when the credential is a cookie
    pub session: Option<SessionRow>,
    /// the API token's id, when the credential is a token
    pub token_id: Option<String>,
    /// a role of this person requires MFA and none is enrolled yet
    pub needs_mfa_enrolment: bool,
}

impl Authenticated {
    pub fn actor(&self, meta: RequestMeta) -> Actor {
        Actor {
            principal: self.principal.clone(),
            label: self.user.email.clone(),
            is_operator: false,
            session_id: self.session.as_ref().map(|s| s.id.clone()),
            meta,
        }
    }
}

/// The throttle counts per typed email, normalised as accounts are stored.
pub fn throttle_key(email: &str) -> String {
    irnet_domain::text::nfc(email.trim()).to_lowercase()
}

/// When the sign-in lockout of a throttle key ends, if it is locked now.
pub async fn locked_until(app: &App, key: &str) -> Result<Option<DateTime<Utc>>, AppError> {
    let now = app.now();
    let key = key.to_owned();
    let row = app
        .store
        .read(move |c| Ok::<_, AppError>(throttle::get(c, &key)?))
        .await?;
    Ok(row
        .and_then(|r| r.locked_until)
        .map(from_db)
        .filter(|until| *until > now))
}

/// Counts a failed attempt; returns the error to show (locked when this failure crossed the line).
async fn fail(
    app: &App,
    meta: &RequestMeta,
    key: &str,
    user: Option<&UserRow>,
    wrong: AppError,
) -> AppError {
    let app2 = app.clone();
    let key = key.to_owned();
    let meta = meta.clone();
    let user = user.map(|u| (u.id.clone(), u.org_id.clone()));
    // A wrong password names no account (as the lockout entry), so an unknown email and a known
    // one leave the same entry; a wrong second factor follows a right password.
    let action = if matches!(wrong, AppError::InvalidCode) {
        "auth.mfa_failed"
    } else {
        "auth.sign_in_failed"
    };
    let result = app
        .store
        .write(move |conn| {
            let now = app2.now();
            let s = &app2.settings;
            let row = throttle::record_failure(conn, &key, to_db(now), to_db(now - s.lockout_window))?;
            if row.failures < s.lockout_threshold {
                audit::record(
                    conn,
                    &app2,
                    &Actor::system(meta),
                    Change {
                        action,
                        object_type: "user",
                        object_id: user.as_ref().map(|u| u.0.as_str()),
                        object_org_id: user.as_ref().map(|u| u.1.as_str()),
                        summary: serde_json::json!({ "email": key, "failures": row.failures }),
                    },
                )?;
                return Ok::<_, AppError>(None);
            }
            let until = now + s.lockout_duration;
            throttle::lock(conn, &key, to_db(until))?;
            let actor = Actor::system(meta);
            audit::record(
                conn,
                &app2,
                &actor,
                Change {
                    action: "auth.locked_out",
                    object_type: "user",
                    object_id: user.as_ref().map(|u| u.0.as_str()),
                    object_org_id: user.as_ref().map(|u| u.1.as_str()),
                    summary: serde_json::json!({ "email": key, "until": until.to_rfc3339(), "failures": row.failures }),
                },
            )?;
            Ok(Some(until))
        })
        .await;
    match result {
        Ok(Some(until)) => AppError::Locked { until },
        Ok(None) => wrong,
        Err(e) => e,
    }
}

pub fn create_session(
    conn: &mut DbConn,
    app: &App,
    user_id: &str,
    stage: &'static str,
    meta: &RequestMeta,
) -> Result<NewSession, AppError> {
    let now = app.now();
    let token = secrets::random_secret();
    let csrf_token = secrets::random_secret();
    let ttl = if stage == STAGE_MFA {
        app.settings.mfa_challenge
    } else {
        app.settings.session_idle
    };
    let expires_at = now + ttl.min(app.settings.session_absolute);
    let id = uuid::Uuid::now_v7().to_string();
    sessions::insert(
        conn,
        &SessionRow {
            id: id.clone(),
            token_hash: secrets::sha256_hex(&token),
            user_id: user_id.to_owned(),
            stage: stage.to_owned(),
            csrf_token: csrf_token.clone(),
            created_at: to_db(now),
            last_seen_at: to_db(now),
            expires_at: to_db(expires_at),
            client_addr: meta.client_addr.clone(),
            user_agent: meta
                .user_agent
                .as_ref()
                .map(|ua| ua.chars().take(300).collect()),
            checked_at: None,
        },
    )?;
    Ok(NewSession {
        id,
        token,
        csrf_token,
        stage,
        expires_at,
    })
}

fn signed_in(
    conn: &mut DbConn,
    app: &App,
    user: &UserRow,
    meta: &RequestMeta,
    method: &str,
) -> Result<(), AppError> {
    let actor = Actor::person(&user.id, &user.org_id, &user.email, meta.clone());
    audit::record(
        conn,
        app,
        &actor,
        Change {
            action: "auth.signed_in",
            object_type: "user",
            object_id: Some(&user.id),
            object_org_id: Some(&user.org_id),
            summary: serde_json::json!({ "method": method }),
        },
    )
}

/// Checks email and password. Returns a full session, or an MFA-stage session when a second
/// factor is enrolled.
pub async fn sign_in(
    app: &App,
    meta: RequestMeta,
    email: &str,
    password: &str,
) -> Result<NewSession, AppError> {
    let key = throttle_key(email);
    if let Some(until) = locked_until(app, &key).await? {
        return Err(AppError::Locked { until });
    }
    let lookup = irnet_domain::Email::parse(email).ok();
    let user = match lookup {
        Some(e) => {
            let e = e.as_str().to_owned();
            app.store
                .read(move |c| Ok::<_, AppError>(users::by_email(c, &e)?))
                .await?
        }
        None => None,
    }
    .filter(|u| u.active);
    let ok = passwords::verify(
        user.as_ref().map(|u| u.password_hash.clone()),
        password.to_owned(),
    )
    .await?;
    let Some(user) = user.filter(|_| ok) else {
        return Err(fail(app, &meta, &key, None, AppError::InvalidCredentials).await);
    };
    let app2 = app.clone();
    app.store
        .write(move |conn| {
            throttle::clear(conn, &key)?;
            if user.mfa_secret.is_some() {
                create_session(conn, &app2, &user.id, STAGE_MFA, &meta)
            } else {
                signed_in(conn, &app2, &user, &meta, "password")?;
                create_session(conn, &app2, &user.id, STAGE_FULL, &meta)
            }
        })
        .await
}

/// The second step: a TOTP code (each usable once) or a recovery code. Replaces the MFA-stage
/// session with a new full one, so the cookie that saw only a password never becomes privileged.
pub async fn complete_mfa(
    app: &App,
    meta: RequestMeta,
    pending_token: &str,
    code: &str,
) -> Result<NewSession, AppError> {
    let now = app.now();
    let hash = secrets::sha256_hex(pending_token);
    let found = app
        .store
        .read(move |c| {
            let Some(s) = sessions::by_token_hash(c, &hash)? else {
                return Ok::<_, AppError>(None);
            };
            let u = users::get(c, &s.user_id)?;
            Ok(u.map(|u| (s, u)))
        })
        .await?;
    let Some((session, user)) = found.filter(|(s, u)| {
        s.stage == STAGE_MFA && from_db(s.expires_at) > now && u.active && u.mfa_secret.is_some()
    }) else {
        return Err(AppError::Unauthenticated);
    };
    let key = throttle_key(&user.email);
    if let Some(until) = locked_until(app, &key).await? {
        return Err(AppError::Locked { until });
    }
    let secret = user.mfa_secret.clone().unwrap_or_default();
    let step = mfa::check_totp(&secret, code, user.mfa_last_step, now);
    let recovery_hash = secrets::sha256_hex(&secrets::normalise_recovery_code(code));
    let app2 = app.clone();
    let user2 = user.clone();
    let fail_meta = meta.clone();
    let result = app
        .store
        .write(move |conn| {
            let method = if let Some(step) = step {
                users::update(
                    conn,
                    &user2.id,
                    &UserChanges {
                        mfa_last_step: Some(Some(step)),
                        ..Default::default()
                    },
                )?;
                "totp"
            } else if step.is_none()
                && recovery::consume(conn, &user2.id, &recovery_hash, to_db(now))?
            {
                "recovery_code"
            } else {
                return Ok(None);
            };
            sessions::delete(conn, &user2.id, &session.id)?;
            throttle::clear(conn, &key)?;
            signed_in(conn, &app2, &user2, &meta, method)?;
            Ok::<_, AppError>(Some(create_session(
                conn, &app2, &user2.id, STAGE_FULL, &meta,
            )?))
        })
        .await?;
    match result {
        Some(s) => Ok(s),
        None => Err(fail(
            app,
            &fail_meta,
            &throttle_key(&user.email),
            Some(&user),
            AppError::InvalidCode,
        )
        .await),
    }
}

fn needs_enrolment(app: &App, user: &UserRow, principal: &Principal) -> bool {
    user.mfa_secret.is_none()
        && principal
            .grants
            .iter()
            .any(|g| app.settings.mfa_required_roles.contains(&g.role))
}

/// The person behind a session cookie, if the session is current and past its second factor.
pub async fn resolve_session(app: &App, cookie: &str) -> Result<Option<Authenticated>, AppError> {
    let hash = secrets::sha256_hex(cookie);
    let app2 = app.clone();
    app.store
        .read(move |conn| {
            let now = app2.now();
            let Some(session) = sessions::by_token_hash(conn, &hash)? else {
                return Ok(None);
            };
            if session.stage != STAGE_FULL || from_db(session.expires_at) <= now {
                return Ok(None);
            }
            let Some(principal::Loaded {
                user,
                grants,
                principal,
            }) = principal::load(conn, &app2, &session.user_id, TokenScope::Write)?
            else {
                return Ok(None);
            };
            if now - from_db(session.last_seen_at) > TOUCH_EVERY {
                let absolute_end = from_db(session.created_at) + app2.settings.session_absolute;
                let expires = (now + app2.settings.session_idle).min(absolute_end);
                bookkeeping(sessions::touch(
                    conn,
                    &session.id,
                    to_db(now),
                    to_db(expires),
                ))?;
            }
            let needs_mfa_enrolment = needs_enrolment(&app2, &user, &principal);
            Ok(Some(Authenticated {
                user,
                grants,
                principal,
                session: Some(session),
                token_id: None,
                needs_mfa_enrolment,
            }))
        })
        .await
}

/// The operator at the console acting as an account (`irnet stix import --as EMAIL`): that
/// person's principal with write access, as a write token of theirs would give, so that the
/// use-case applies the same policy and the audit trail names them. A missing or disabled
/// account is "not found".
pub async fn operator_acting_as(app: &App, email: &str) -> Result<Actor, AppError> {
    let email = irnet_domain::Email::parse(email).map_err(|e| AppError::field("email", &e))?;
    let app2 = app.clone();
    app.store
        .read(move |conn| {
            let user = users::by_email(conn, email.as_str())?.ok_or(AppError::NotFound)?;
            let loaded = principal::load(conn, &app2, &user.id, TokenScope::Write)?
                .ok_or(AppError::NotFound)?;
            Ok(Actor {
                principal: loaded.principal,
                label: loaded.user.email,
                is_operator: false,
                session_id: None,
                meta: RequestMeta {
                    user_agent: Some("irnet-cli".to_owned()),
                    ..RequestMeta::default()
                },
            })
        })
        .await
}

/// A credential's "last used" write, made while resolving it: when the database is too busy to
/// take it, the request goes on unrecorded (the next one records it) rather than failing a read.
fn bookkeeping<T>(written: irnet_store::diesel::QueryResult<T>) -> Result<(), AppError> {
    match written {
        Ok(_) => Ok(()),
        Err(e) if irnet_store::is_busy(&e) => {
            tracing::warn!(error = %e, "credential use not recorded: database busy");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// The person behind an API token, if the token is current.
pub async fn resolve_token(app: &App, token: &str) -> Result<Option<Authenticated>, AppError> {
    if !token.starts_with(secrets::TOKEN_PREFIX) {
        return Ok(None);
    }
    let hash = secrets::sha256_hex(token);
    let app2 = app.clone();
    app.store
        .read(move |conn| {
            let now = app2.now();
            let Some(t) = tokens::by_hash(conn, &hash)? else {
                return Ok(None);
            };
            if t.revoked_at.is_some() || t.expires_at.is_some_and(|e| from_db(e) <= now) {
                return Ok(None);
            }
            let access = TokenScope::parse(&t.scope).unwrap_or(TokenScope::Read);
            let Some(principal::Loaded {
                user,
                grants,
                principal,
            }) = principal::load(conn, &app2, &t.user_id, access)?
            else {
                return Ok(None);
            };
            if t.last_used_at
                .is_none_or(|at| now - from_db(at) > TOUCH_EVERY)
            {
                bookkeeping(tokens::touch(conn, &t.id, to_db(now)))?;
            }
            let needs_mfa_enrolment = needs_enrolment(&app2, &user, &principal);
            Ok(Some(Authenticated {
                user,
                grants,
                principal,
                session: None,
                token_id: Some(t.id),
                needs_mfa_enrolment,
            }))
        })
        .await
}

/// Ends a session (a pending MFA one too). Unknown cookies are ignored.
pub async fn sign_out(app: &App, cookie: &str, meta: RequestMeta) -> Result<(), AppError> {
    let hash = secrets::sha256_hex(cookie);
    let app2 = app.clone();
    app.store
        .write(move |conn| {
            let Some(s) = sessions::by_token_hash(conn, &hash)? else {
                return Ok(());
            };
            sessions::delete(conn, &s.user_id, &s.id)?;
            if s.stage == STAGE_FULL
                && let Some(user) = users::get(conn, &s.user_id)?
            {
                let actor = Actor::person(&user.id, &user.org_id, &user.email, meta);
                audit::record(
                    conn,
                    &app2,
                    &actor,
                    Change {
                        action: "auth.signed_out",
                        object_type: "user",
                        object_id: Some(&user.id),
                        object_org_id: Some(&user.org_id),
                        summary: serde_json::json!({ "session": s.id }),
                    },
                )?;
            }
            Ok(())
        })
        .await
}
