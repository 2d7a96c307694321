//! API tokens: created by their owner (or by the operator at the console), shown once, stored
//! hashed, read-only or read-write, always expiring, revocable.

use chrono::{DateTime, Duration, Utc};
use irnet_domain::TokenScope;
use irnet_store::DbConn;
use irnet_store::identity::tokens::{self, TokenRow};
use irnet_store::identity::users;
use irnet_store::time::{from_db, to_db};

use super::secrets;
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    /// the first characters, to recognise it
    pub prefix: String,
    pub scope: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<TokenRow> for TokenView {
    fn from(t: TokenRow) -> Self {
        Self {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            scope: t.scope,
            created_at: from_db(t.created_at),
            expires_at: t.expires_at.map(from_db),
            last_used_at: t.last_used_at.map(from_db),
            revoked_at: t.revoked_at.map(from_db),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewToken {
    pub name: String,
    pub scope: TokenScope,
    /// `None`: the default lifetime
    pub expires_at: Option<DateTime<Utc>>,
}

/// A token just created; `token` is shown this once.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    pub token: String,
    #[serde(flatten)]
    pub view: TokenView,
}

fn validate(app: &App, input: &NewToken) -> Result<(String, DateTime<Utc>), AppError> {
    let now = app.now();
    let name = irnet_domain::text::nfc(input.name.trim());
    let mut problems = crate::error::Problems::default();
    problems.text("name", &name, true, 100);
    let expires_at = input
        .expires_at
        .unwrap_or(now + app.settings.token_default_lifetime);
    if expires_at <= now + Duration::minutes(1) {
        problems.add("expires_at", "not_in_future");
    } else if expires_at > now + app.settings.token_max_lifetime {
        problems.add("expires_at", "too_far");
    }
    problems.into_result()?;
    Ok((name, expires_at))
}

/// A validated token request: for whom (user, organisation) and what.
struct Issue<'a> {
    user_id: &'a str,
    org_id: &'a str,
    name: String,
    scope: TokenScope,
    expires_at: DateTime<Utc>,
}

fn issue(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    req: Issue<'_>,
) -> Result<CreatedToken, AppError> {
    let Issue {
        user_id,
        org_id,
        name,
        scope,
        expires_at,
    } = req;
    let (raw, hash) = secrets::new_api_token();
    let row = TokenRow {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: user_id.to_owned(),
        name,
        token_hash: hash,
        prefix: raw.chars().take(secrets::TOKEN_PREFIX.len() + 6).collect(),
        scope: scope.as_str().to_owned(),
        created_at: to_db(app.now()),
        expires_at: Some(to_db(expires_at)),
        last_used_at: None,
        revoked_at: None,
    };
    tokens::insert(conn, &row)?;
    audit::record(
        conn,
        app,
        actor,
        Change {
            action: "token.created",
            object_type: "api_token",
            object_id: Some(&row.id),
            object_org_id: Some(org_id),
            summary: serde_json::json!({ "name": row.name, "scope": row.scope, "user": user_id, "expires_at": expires_at.to_rfc3339() }),
        },
    )?;
    Ok(CreatedToken {
        token: raw,
        view: row.into(),
    })
}

pub async fn create_mine(
    app: &App,
    actor: &Actor,
    input: NewToken,
) -> Result<CreatedToken, AppError> {
    let user_id = actor.user_id().ok_or(AppError::Forbidden)?.to_owned();
    // A read-only credential cannot mint a credential that writes, nor any credential at all.
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let (name, expires_at) = validate(app, &input)?;
    let (app2, actor2) = (app.clone(), actor.clone());
    let org_id = actor.principal.org_id.as_str().to_owned();
    app.store
        .write(move |conn| {
            super::recheck::require_recent_check(conn, &app2, &actor2)?;
            let req = Issue {
                user_id: &user_id,
                org_id: &org_id,
                name,
                scope: input.scope,
                expires_at,
            };
            issue(conn, &app2, &actor2, req)
        })
        .await
}

/// For `irnet token create`: the operator issues a token for an account by email.
pub async fn operator_issue(
    app: &App,
    email: &str,
    input: NewToken,
) -> Result<CreatedToken, AppError> {
    let email = irnet_domain::Email::parse(email).map_err(|e| AppError::field("email", &e))?;
    let (name, expires_at) = validate(app, &input)?;
    let app2 = app.clone();
    app.store
        .write(move |conn| {
            let user = users::by_email(conn, email.as_str())?.ok_or(AppError::NotFound)?;
            let req = Issue {
                user_id: &user.id,
                org_id: &user.org_id,
                name,
                scope: input.scope,
                expires_at,
            };
            issue(conn, &app2, &Actor::operator(), req)
        })
        .await
}

pub async fn list_mine(app: &App, actor: &Actor) -> Result<Vec<TokenView>, AppError> {
    let user_id = actor.user_id().ok_or(AppError::Forbidden)?.to_owned();
    let rows = app
        .store
        .read(move |c| Ok::<_, AppError>(tokens::of_user(c, &user_id)?))
        .await?;
    Ok(rows.into_iter().map(TokenView::from).collect())
}

pub async fn revoke_mine(app: &App, actor: &Actor, token_id: &str) -> Result<(), AppError> {
    let user_id = actor.user_id().ok_or(AppError::Forbidden)?.to_owned();
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    let (app2, actor2, token_id) = (app.clone(), actor.clone(), token_id.to_owned());
    app.store
        .write(move |conn| {
            super::recheck::require_recent_check(conn, &app2, &actor2)?;
            let t = tokens::get(conn, &user_id, &token_id)?.ok_or(AppError::NotFound)?;
            if t.revoked_at.is_none() {
                tokens::revoke(conn, &t.id, to_db(app2.now()))?;
                audit::record(
                    conn,
                    &app2,
                    &actor2,
                    Change {
                        action: "token.revoked",
                        object_type: "api_token",
                        object_id: Some(&t.id),
                        object_org_id: actor2.org_id(),
                        summary: serde_json::json!({ "name": t.name }),
                    },
                )?;
            }
            Ok(())
        })
        .await
}
