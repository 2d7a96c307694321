//! The one gate to an incident: `load` asks the audience rule once, and every use-case on one
//! incident goes through it (`with_incident`).

use irnet_domain::ids::IncidentId;
use irnet_domain::ids::{OrgId, UserId};
use irnet_domain::incident::Status;
use irnet_domain::{IncidentAbilities, IncidentFacts, RecordAccess};
use irnet_store::DbConn;
use irnet_store::incidents::{self as store, IncidentRow};

use super::{Abilities, IncidentView, support, view};
use crate::{Actor, App, AppError};

/// An incident and the reader's place in its audience.
pub(crate) struct Loaded {
    pub row: IncidentRow,
    pub shared_orgs: Vec<String>,
    pub facts: IncidentFacts,
}

impl Loaded {
    pub(crate) fn abilities(&self, actor: &Actor) -> Abilities {
        let IncidentAbilities {
            manage,
            work,
            coordinate,
            close,
        } = actor.principal.incident_abilities(&self.facts);
        Abilities {
            manage,
            work,
            coordinate,
            close,
        }
    }
}

/// Reads an incident for `actor`, or "not found" when they are not in its audience: existence
/// never leaks. Drafts are their author's alone.
pub(crate) fn load(conn: &mut DbConn, actor: &Actor, id: &IncidentId) -> Result<Loaded, AppError> {
    let row = store::get(conn, id)?.ok_or(AppError::NotFound)?;
    let (shared_orgs, shared_people) = store::audience(conn, id)?;
    let access = RecordAccess {
        owner_org: OrgId::from_trusted(row.owner_org_id.clone()),
        tlp: row.tlp,
        shared_orgs: shared_orgs
            .iter()
            .map(|o| OrgId::from_trusted(o.clone()))
            .collect(),
        shared_people: shared_people
            .iter()
            .map(|p| UserId::from_trusted(p.clone()))
            .collect(),
    };
    let p = &actor.principal;
    if !p.incident_read_rule().admits(&access) {
        return Err(AppError::NotFound);
    }
    if row.status == Status::Draft && row.created_by != p.user_id.as_str() {
        return Err(AppError::NotFound);
    }
    let own = p.org_id.as_str();
    // A successor's people hold a predecessor's incidents as their own (the one policy's
    // `stands_for`), outside TLP:RED, which the read rule above leaves to the named people.
    let owned = p.stands_for(&OrgId::from_trusted(row.owner_org_id.clone()));
    let accepted_supporter = !owned
        && shared_orgs.iter().any(|o| o == own)
        && support::is_accepted_supporter(conn, id, own)?;
    let facts = IncidentFacts {
        owned,
        closed: row.status == Status::Closed,
        escalated: row.escalated_at.is_some(),
        reader_named: shared_people.iter().any(|u| u == p.user_id.as_str()),
        accepted_supporter,
    };
    Ok(Loaded {
        row,
        shared_orgs,
        facts,
    })
}

/// Runs `f` on an incident the actor may read, in one write transaction, then returns the view.
pub(crate) async fn with_incident<F>(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    f: F,
) -> Result<IncidentView, AppError>
where
    F: FnOnce(&mut DbConn, &App, &Actor, &mut Loaded) -> Result<(), AppError> + Send + 'static,
{
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .write(move |conn| {
            let mut l = load(conn, &actor2, &id)?;
            if !actor2.principal.may_write() {
                return Err(AppError::ReadOnly);
            }
            f(conn, &app2, &actor2, &mut l)?;
            let l = load(conn, &actor2, &id)?;
            view(conn, &app2, &actor2, &l)
        })
        .await
}

pub(crate) fn require(allowed: bool) -> Result<(), AppError> {
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
