//! Builds the directory's words in the index (`search`) for a database whose rows predate it (at
//! start-up, see `Store::migrate`).

use diesel::prelude::*;

use super::orgs;
use super::people::{self, PersonRow};
use super::systems::{self, SystemRow};
use crate::schema::{information_systems, organisations, people as people_table};
use crate::{DbConn, words};

/// Indexes everything; for a database whose rows predate the index. Returns the entities indexed.
pub fn rebuild(conn: &mut DbConn) -> QueryResult<usize> {
    words::clear(conn)?;
    let org_ids: Vec<String> = organisations::table.select(organisations::id).load(conn)?;
    for id in &org_ids {
        orgs::index(conn, id)?;
    }
    let persons: Vec<PersonRow> = people_table::table
        .select(PersonRow::as_select())
        .load(conn)?;
    for p in &persons {
        people::index(conn, p)?;
    }
    let systems: Vec<SystemRow> = information_systems::table
        .select(SystemRow::as_select())
        .load(conn)?;
    for s in &systems {
        systems::index(conn, s)?;
    }
    Ok(org_ids.len() + persons.len() + systems.len())
}

/// Builds the index when it is empty while organisations exist: the only way that happens is a
/// database written before the index existed (every organisation has a name, so it has words).
/// Run inside a write transaction; on PostgreSQL an advisory lock keeps two instances starting
/// together from building it twice.
pub fn backfill(conn: &mut DbConn) -> QueryResult<Option<usize>> {
    if let DbConn::Pg(_) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(7262010101)").execute(conn)?;
    }
    // Existence, not counts: a count would read a million rows at every start.
    let any_org = organisations::table
        .select(organisations::id)
        .first::<String>(conn)
        .optional()?
        .is_some();
    if !words::is_empty(conn)? || !any_org {
        return Ok(None);
    }
    rebuild(conn).map(Some)
}
