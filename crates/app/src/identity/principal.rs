//! Turns an account into the `Principal` the policy reasons about: its organisation, its grants,
//! the clusters its organisation belongs to today and those it leads this year, and the
//! organisations it succeeded (mergers in effect today).

use irnet_domain::ids::{ClusterId, OrgId, UserId};
use irnet_domain::{Grant, Principal, Role, Scope, TokenScope};
use irnet_store::DbConn;
use irnet_store::identity::grants::{self, GrantRow};
use irnet_store::identity::users::{self, UserRow};

use crate::{App, AppError};

pub fn grant_from_row(row: &GrantRow) -> Option<Grant> {
    let role = Role::parse(&row.role).ok()?;
    let id = (!row.scope_id.is_empty()).then_some(row.scope_id.as_str());
    let scope = Scope::from_parts(&row.scope_kind, id).ok()?;
    Grant::new(role, scope).ok()
}

/// An active account, its grants as stored, and the principal the policy reasons about.
pub struct Loaded {
    pub user: UserRow,
    pub grants: Vec<GrantRow>,
    pub principal: Principal,
}

/// Loads an active account and its principal; `None` if the account is missing or disabled.
pub fn load(
    conn: &mut DbConn,
    app: &App,
    user_id: &str,
    access: TokenScope,
) -> Result<Option<Loaded>, AppError> {
    let Some(user) = users::get(conn, user_id)? else {
        return Ok(None);
    };
    if !user.active {
        return Ok(None);
    }
    let grant_rows = grants::of_user(conn, user_id)?;
    // The coordinator's role moves with the rules: once the network's rule sets name the
    // organisation holding it, a coordinator grant counts only for the people of the organisation
    // holding it today (a grant given ahead of a move waits for its date; the former centre's
    // accounts stay, without the role, from the new set's date on).
    let named_coordinator = if crate::rules::book(conn, app)?
        .sets()
        .iter()
        .any(|r| r.set.coordinator_org_id.is_some())
    {
        crate::rules::coordinator_org(conn, app, app.today())?
    } else {
        None
    };
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
        .filter(|g| {
            g.role != Role::Coordinator
                || named_coordinator.as_ref().is_none_or(|c| *c == user.org_id)
        })
        .collect();
    let org_clusters = crate::directory::orgs::org_ref(conn, app, &user.org_id)?.clusters;
    // The lead of a cluster changes with the year: a lead grant counts only while the directory
    // says the organisation leads that cluster this year (by the injected clock).
    let year = chrono::Datelike::year(&app.today());
    let leading_clusters: Vec<ClusterId> =
        irnet_store::directory::clusters::led_by(conn, &user.org_id, year)?
            .into_iter()
            .map(ClusterId::from_trusted)
            .collect();
    // A successor's people inherit the organisations merged into it (on or before today), and a
    // cluster lead the predecessors of its members.
    let today = app.today();
    let trusted = |ids: Vec<String>| ids.into_iter().map(OrgId::from_trusted).collect::<Vec<_>>();
    let inherited_orgs = trusted(crate::directory::succession::inherited(
        conn,
        &user.org_id,
        today,
    )?);
    let mut led_predecessors = Vec::new();
    for c in &leading_clusters {
        for m in irnet_store::directory::clusters::memberships_on(conn, c.as_str(), today)? {
            led_predecessors.extend(crate::directory::succession::inherited(
                conn, &m.org_id, today,
            )?);
        }
    }
    let led_predecessors = trusted(led_predecessors);
    let principal = Principal {
        user_id: UserId::from_trusted(user.id.clone()),
        org_id: OrgId::from_trusted(user.org_id.clone()),
        grants,
        org_clusters,
        leading_clusters,
        access,
        inherited_orgs,
        led_predecessors,
    };
    Ok(Some(Loaded {
        user,
        grants: grant_rows,
        principal,
    }))
}
