//! The gate to an indicator: `load` asks the read rule once; managing one is its owner's.

use irnet_domain::RecordAccess;
use irnet_domain::ids::{IndicatorId, OrgId, UserId};
use irnet_store::DbConn;
use irnet_store::sharing::{self as store, IndicatorRow};

use super::{IndicatorView, view_one};
use crate::{Actor, App, AppError};

/// The indicator, or "not found" when the reader may not read it: existence never leaks.
pub(crate) fn load(
    conn: &mut DbConn,
    actor: &Actor,
    id: &IndicatorId,
) -> Result<IndicatorRow, AppError> {
    let row = store::get(conn, id)?.ok_or(AppError::NotFound)?;
    let (shared_orgs, shared_people) = store::audience(conn, id)?;
    let access = RecordAccess {
        owner_org: OrgId::from_trusted(row.owner_org_id.clone()),
        tlp: row.tlp,
        shared_orgs: shared_orgs.into_iter().map(OrgId::from_trusted).collect(),
        shared_people: shared_people
            .into_iter()
            .map(UserId::from_trusted)
            .collect(),
    };
    if !actor.principal.may_read(&access) {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

pub(crate) fn owns(actor: &Actor, row: &IndicatorRow) -> bool {
    // A successor works its predecessors' indicators as their own members did.
    actor
        .principal
        .may_act_for(&OrgId::from_trusted(row.owner_org_id.clone()))
}

pub(crate) fn require_author(actor: &Actor) -> Result<(), AppError> {
    let p = &actor.principal;
    if !p.may_write() {
        return Err(AppError::ReadOnly);
    }
    if !p.may_act_for(&p.org_id) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Runs `f` on an indicator the actor's organisation owns, in one write transaction.
pub(crate) async fn manage<F>(
    app: &App,
    actor: &Actor,
    id: &IndicatorId,
    f: F,
) -> Result<IndicatorView, AppError>
where
    F: FnOnce(&mut DbConn, &App, &Actor, &mut IndicatorRow) -> Result<(), AppError>
        + Send
        + 'static,
{
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .write(move |conn| {
            let mut row = load(conn, &actor2, &id)?;
            if !actor2.principal.may_write() {
                return Err(AppError::ReadOnly);
            }
            if !owns(&actor2, &row) {
                return Err(AppError::Forbidden);
            }
            f(conn, &app2, &actor2, &mut row)?;
            let row = load(conn, &actor2, &id)?;
            view_one(conn, &app2, &actor2, row)
        })
        .await
}
