//! TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s) with one step of clock drift either way,
//! each code usable once, and ten single-use recovery codes.

use chrono::{DateTime, Utc};
use irnet_store::DbConn;
use irnet_store::identity::recovery::{self, RecoveryCodeRow};
use irnet_store::identity::users::{self, UserChanges};
use irnet_store::time::to_db;
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Builder, Secret, Totp};

use super::{passwords, secrets};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

const STEP_SECONDS: i64 = 30;

fn totp(secret_b32: &str, account: &str, issuer: &str) -> Result<Totp, AppError> {
    let secret = Secret::try_from_base32(secret_b32)
        .map_err(|e| AppError::internal(format!("stored TOTP secret unreadable: {e:?}")))?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(STEP_SECONDS as u64)
        .with_secret(secret)
        .with_issuer(Some(issuer.replace(':', " ")))
        .with_account_name(account.replace(':', " "))
        .build()
        .map_err(|e| AppError::internal_in("TOTP setup failed", e))
}

fn otpauth_url(secret_b32: &str, account: &str, issuer: &str) -> Result<String, AppError> {
    totp(secret_b32, account, issuer)?
        .to_url()
        .map_err(|e| AppError::internal_in("TOTP URL failed", e))
}

/// The time step a code matches, if it is valid now and newer than the last one used.
pub fn check_totp(
    secret_b32: &str,
    code: &str,
    last_step: Option<i64>,
    now: DateTime<Utc>,
) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret_b32, "", "irnet").ok()?;
    let current = now.timestamp().div_euclid(STEP_SECONDS);
    (current - 1..=current + 1).find(|step| {
        last_step.is_none_or(|last| *step > last)
            && u64::try_from(step * STEP_SECONDS).is_ok_and(|at| {
                bool::from(t.generate(at).to_string().as_bytes().ct_eq(code.as_bytes()))
            })
    })
}

/// The code an authenticator shows at `at` (for tests and the CLI's self-check).
pub fn code_at(secret_b32: &str, at: DateTime<Utc>) -> Result<String, AppError> {
    let t = totp(secret_b32, "", "irnet")?;
    Ok(t.generate(u64::try_from(at.timestamp()).unwrap_or(0))
        .to_string())
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Enrolment {
    /// base32, for typing into an authenticator
    pub secret: String,
    /// `otpauth://` URL, for the QR code
    pub otpauth_url: String,
}

fn own_account(actor: &Actor) -> Result<String, AppError> {
    actor
        .user_id()
        .map(str::to_owned)
        .ok_or(AppError::Forbidden)
}

/// Starts (or restarts) enrolment: a new secret is kept aside until a code proves the app has it.
pub async fn start_enrolment(app: &App, actor: &Actor) -> Result<Enrolment, AppError> {
    let user_id = own_account(actor)?;
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let secret = Secret::generate().to_base32();
    let (app2, actor2, secret2) = (app.clone(), actor.clone(), secret.clone());
    let email = app
        .store
        .write(move |conn| {
            super::recheck::require_recent_check(conn, &app2, &actor2)?;
            let user = users::get(conn, &user_id)?.ok_or(AppError::NotFound)?;
            if user.mfa_secret.is_some() {
                return Err(AppError::Conflict {
                    code: "mfa_already_enabled",
                    field: None,
                });
            }
            users::update(
                conn,
                &user_id,
                &UserChanges {
                    mfa_pending_secret: Some(Some(secret2)),
                    updated_at: Some(to_db(app2.now())),
                    ..Default::default()
                },
            )?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "mfa.enrolment_started",
                    object_type: "user",
                    object_id: Some(&user.id),
                    object_org_id: Some(&user.org_id),
                    summary: serde_json::json!({}),
                },
            )?;
            Ok::<_, AppError>(user.email)
        })
        .await?;
    let otpauth_url = otpauth_url(&secret, &email, &app.settings.totp_issuer)?;
    Ok(Enrolment {
        secret,
        otpauth_url,
    })
}

/// The pending enrolment of the actor, to show again (e.g. after a wrong code).
pub async fn pending_enrolment(app: &App, actor: &Actor) -> Result<Option<Enrolment>, AppError> {
    let user_id = own_account(actor)?;
    let user = app
        .store
        .read(move |c| Ok::<_, AppError>(users::get(c, &user_id)?))
        .await?;
    let Some(user) = user else { return Ok(None) };
    match (&user.mfa_secret, &user.mfa_pending_secret) {
        (None, Some(secret)) => Ok(Some(Enrolment {
            secret: secret.clone(),
            otpauth_url: otpauth_url(secret, &user.email, &app.settings.totp_issuer)?,
        })),
        _ => Ok(None),
    }
}

/// Confirms enrolment with a code from the app; returns the recovery codes, shown once.
pub async fn confirm_enrolment(
    app: &App,
    actor: &Actor,
    code: &str,
) -> Result<Vec<String>, AppError> {
    let user_id = own_account(actor)?;
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let now = app.now();
    let codes = secrets::new_recovery_codes();
    let rows: Vec<RecoveryCodeRow> = codes
        .iter()
        .map(|c| RecoveryCodeRow {
            id: uuid::Uuid::now_v7().to_string(),
            user_id: user_id.clone(),
            code_hash: secrets::sha256_hex(&secrets::normalise_recovery_code(c)),
            used_at: None,
        })
        .collect();
    let (app2, actor2, code) = (app.clone(), actor.clone(), code.to_owned());
    app.store
        .write(move |conn| {
            super::recheck::require_recent_check(conn, &app2, &actor2)?;
            let user = users::get(conn, &user_id)?.ok_or(AppError::NotFound)?;
            let Some(secret) = user
                .mfa_pending_secret
                .clone()
                .filter(|_| user.mfa_secret.is_none())
            else {
                return Err(AppError::Conflict {
                    code: "mfa_not_pending",
                    field: None,
                });
            };
            let Some(step) = check_totp(&secret, &code, None, now) else {
                return Err(AppError::Validation(vec![crate::FieldError {
                    field: "code".into(),
                    code: "invalid_code".into(),
                    params: vec![],
                }]));
            };
            users::update(
                conn,
                &user_id,
                &UserChanges {
                    mfa_secret: Some(Some(secret)),
                    mfa_pending_secret: Some(None),
                    mfa_enabled_at: Some(Some(to_db(now))),
                    mfa_last_step: Some(Some(step)),
                    updated_at: Some(to_db(now)),
                    ..Default::default()
                },
            )?;
            recovery::replace(conn, &user_id, &rows)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "mfa.enabled",
                    object_type: "user",
                    object_id: Some(&user.id),
                    object_org_id: Some(&user.org_id),
                    summary: serde_json::json!({ "recovery_codes": rows.len() }),
                },
            )?;
            Ok(())
        })
        .await?;
    Ok(codes)
}

/// Turns MFA off for oneself; the password proves it is really the owner at the keyboard.
pub async fn disable(app: &App, actor: &Actor, password: &str) -> Result<(), AppError> {
    let user_id = own_account(actor)?;
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let (uid, app2, actor2) = (user_id.clone(), app.clone(), actor.clone());
    let user = app
        .store
        .read(move |c| {
            // The password below is the check; a token still may not do this.
            super::recheck::require_session(c, &app2, &actor2)?;
            Ok::<_, AppError>(users::get(c, &uid)?)
        })
        .await?
        .ok_or(AppError::NotFound)?;
    if !passwords::verify(Some(user.password_hash.clone()), password.to_owned()).await? {
        return Err(AppError::Validation(vec![crate::FieldError {
            field: "password".into(),
            code: "wrong_password".into(),
            params: vec![],
        }]));
    }
    clear(app, actor, &user_id, "mfa.disabled").await
}

/// Removes a second factor (enrolled or pending) and its recovery codes, inside the caller's
/// transaction.
pub fn remove_factor(conn: &mut DbConn, app: &App, user_id: &str) -> Result<(), AppError> {
    users::update(
        conn,
        user_id,
        &UserChanges {
            mfa_secret: Some(None),
            mfa_pending_secret: Some(None),
            mfa_enabled_at: Some(None),
            mfa_last_step: Some(None),
            updated_at: Some(to_db(app.now())),
            ..Default::default()
        },
    )?;
    recovery::replace(conn, user_id, &[])?;
    Ok(())
}

/// Turns off one's own second factor.
async fn clear(
    app: &App,
    actor: &Actor,
    user_id: &str,
    action: &'static str,
) -> Result<(), AppError> {
    let (app2, actor2, user_id) = (app.clone(), actor.clone(), user_id.to_owned());
    app.store
        .write(move |conn| {
            let user = users::get(conn, &user_id)?.ok_or(AppError::NotFound)?;
            remove_factor(conn, &app2, &user_id)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_code_is_accepted_once_and_only_near_its_time() {
        let secret = Secret::generate().to_base32();
        let at = Utc.with_ymd_and_hms(2024, 12, 20, 2, 0, 0).unwrap();
        let code = code_at(&secret, at).unwrap();
        let step = check_totp(&secret, &code, None, at).unwrap();
        assert_eq!(
            check_totp(&secret, &code, Some(step), at),
            None,
            "replayed code accepted"
        );
        assert_eq!(
            check_totp(&secret, &code, None, at + chrono::Duration::minutes(5)),
            None
        );
        assert!(check_totp(&secret, &code, None, at + chrono::Duration::seconds(30)).is_some());
        assert_eq!(check_totp(&secret, "12345", None, at), None);
    }

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        // RFC 6238 appendix B, SHA-1, secret "12345678901234567890", the last six of the eight
        // digits: what any authenticator app computes, whichever TOTP crate we build on
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        for (unix, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (2_000_000_000, "279037"),
        ] {
            let at = Utc.timestamp_opt(unix, 0).unwrap();
            assert_eq!(code_at(secret, at).unwrap(), code);
            assert!(check_totp(secret, code, None, at).is_some());
        }
    }
}
