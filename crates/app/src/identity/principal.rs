//! Turns an account into the `Principal` the policy reasons about: its organisation, its grants,
//! and the clusters its organisation belongs to today.

use irnet_domain::ids::{ClusterId, OrgId, UserId};
use irnet_domain::{Grant, Principal, Role, Scope, TokenScope};
use irnet_store::DbConn;
use irnet_store::directory::clusters;
use irnet_store::identity::grants::{self, GrantRow};
use irnet_store::identity::users::{self, UserRow};

use crate::{App, AppError};

pub fn grant_from_row(row: &GrantRow) -> Option<Grant> {
    let role = Role::parse(&row.role).ok()?;
    let id = (!row.scope_id.is_empty()).then_some(row.scope_id.as_str());
    let scope = Scope::from_parts(&row.scope_kind, id).ok()?;
    Grant::new(role, scope).ok()
}

/// Loads an active account and its principal; `None` if the account is missing or disabled.
pub fn load(
    conn: &mut DbConn,
    app: &App,
    user_id: &str,
    access: TokenScope,
) -> Result<Option<(UserRow, Principal)>, AppError> {
    let Some(user) = users::get(conn, user_id)? else {
        return Ok(None);
    };
    if !user.active {
        return Ok(None);
    }
    let grant_rows = grants::of_user(conn, user_id)?;
    let grants = grant_rows
        .iter()
        .filter_map(|row| {
            let g = grant_from_row(row);
            if g.is_none() {
                // Fail closed: a grant we cannot read grants nothing.
                tracing::warn!(grant = %row.id, "ignoring unreadable role grant");
            }
            g
        })
        .collect();
    let today = app
        .now()
        .with_timezone(&app.settings.local_offset)
        .date_naive();
    let org_clusters = clusters::clusters_of_org(conn, &user.org_id, today)?
        .into_iter()
        .map(ClusterId::from_trusted)
        .collect();
    let principal = Principal {
        user_id: UserId::from_trusted(user.id.clone()),
        org_id: OrgId::from_trusted(user.org_id.clone()),
        grants,
        org_clusters,
        access,
    };
    Ok(Some((user, principal)))
}
