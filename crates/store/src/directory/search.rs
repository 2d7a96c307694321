//! The directory's search index (`search_terms`): the folded words of every organisation, person
//! and information system, each row tagged with the organisation whose private part it belongs
//! to. The repositories that write organisations, names, people and systems call `index_*` in
//! the same transaction, so the index is never behind the data; `backfill` fills it for rows
//! that existed before it (at start-up, see `Store::migrate`).
//!
//! A query is a list of folded words; an entity matches when every word is a prefix of one of
//! its words. The rarest word drives an index range scan, the others are checked per candidate
//! with a correlated `EXISTS` on the primary key (entity, token).

use chrono::NaiveDate;
use diesel::prelude::*;
use irnet_domain::PrivateReadRule;
use irnet_domain::search::{phone_words, prefix_upper_bound, words};

use super::history::NameRow;
use super::orgs::OrgRow;
use super::people::PersonRow;
use super::systems::SystemRow;
use super::{history, orgs};
use crate::DbConn;
use crate::schema::{information_systems, organisations, people, search_terms};

pub const ORG: &str = "org";
pub const PERSON: &str = "person";
pub const SYSTEM: &str = "system";

diesel::alias!(search_terms as also: AlsoTerms);

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = search_terms)]
struct TermRow {
    token: String,
    kind: &'static str,
    entity_id: String,
    org_id: String,
}

/// Rows per INSERT: well under both databases' limits on bound parameters.
const BATCH: usize = 200;

/// One row per word and organisation the entity is readable through.
fn rows(kind: &'static str, entity_id: &str, org_ids: &[&str], tokens: &[String]) -> Vec<TermRow> {
    let mut orgs: Vec<&str> = org_ids.to_vec();
    orgs.sort_unstable();
    orgs.dedup();
    let mut distinct: Vec<&String> = tokens.iter().collect();
    distinct.sort_unstable();
    distinct.dedup();
    orgs.iter()
        .flat_map(|o| {
            distinct.iter().map(move |t| TermRow {
                token: (*t).clone(),
                kind,
                entity_id: entity_id.to_owned(),
                org_id: (*o).to_owned(),
            })
        })
        .collect()
}

/// Multi-row INSERTs: one statement per batch instead of one per word, which is what makes bulk
/// loads (the demo, imports, the benchmark's 100,000 people) fast. The multi-backend connection
/// cannot build them; each concrete connection can.
fn insert_rows(conn: &mut DbConn, rows: &[TermRow]) -> QueryResult<()> {
    for chunk in rows.chunks(BATCH) {
        let insert = diesel::insert_into(search_terms::table).values(chunk.to_vec());
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Pg(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// Replaces an entity's words.
pub(crate) fn replace(
    conn: &mut DbConn,
    kind: &'static str,
    entity_id: &str,
    org_ids: &[&str],
    tokens: &[String],
) -> QueryResult<()> {
    diesel::delete(search_terms::table.filter(search_terms::entity_id.eq(entity_id)))
        .execute(conn)?;
    insert_rows(conn, &rows(kind, entity_id, org_ids, tokens))
}

/// Indexes many new entities (nothing to replace), each readable through one organisation, in
/// multi-row INSERTs spanning entities: for bulk loads.
pub(crate) fn add_new(
    conn: &mut DbConn,
    kind: &'static str,
    entities: &[(&str, &str, Vec<String>)],
) -> QueryResult<()> {
    let all: Vec<TermRow> = entities
        .iter()
        .flat_map(|(id, org, tokens)| rows(kind, id, &[org], tokens))
        .collect();
    insert_rows(conn, &all)
}

fn words_of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    texts.into_iter().flat_map(words).collect()
}

fn org_words(org: &OrgRow) -> Vec<String> {
    words_of(
        [
            Some(org.name_vi.as_str()),
            org.name_en.as_deref(),
            org.short_name.as_deref(),
            org.member_code.as_deref(),
        ]
        .into_iter()
        .flatten(),
    )
}

fn name_words(n: &NameRow) -> Vec<String> {
    words_of(
        [
            Some(n.name_vi.as_str()),
            n.name_en.as_deref(),
            n.short_name.as_deref(),
        ]
        .into_iter()
        .flatten(),
    )
}

/// Indexes an organisation just created, from its row alone (it has no other words yet).
/// Organisations are public: their rows carry their own id as the organisation.
pub fn index_new_org(conn: &mut DbConn, org: &OrgRow) -> QueryResult<()> {
    insert_rows(
        conn,
        &rows(ORG, &org.id, &[org.id.as_str()], &org_words(org)),
    )
}

/// Adds the words of a new name version that the organisation is not yet found by (names only
/// accumulate: a past name keeps finding it).
pub fn add_org_name(conn: &mut DbConn, name: &NameRow) -> QueryResult<()> {
    let known: Vec<String> = search_terms::table
        .filter(search_terms::entity_id.eq(&name.org_id))
        .select(search_terms::token)
        .load(conn)?;
    let missing: Vec<String> = name_words(name)
        .into_iter()
        .filter(|w| !known.contains(w))
        .collect();
    insert_rows(
        conn,
        &rows(ORG, &name.org_id, &[name.org_id.as_str()], &missing),
    )
}

/// Re-indexes an organisation under every name it ever had (Vietnamese, English, short) and its
/// member code.
pub fn index_org(conn: &mut DbConn, org_id: &str) -> QueryResult<()> {
    let Some(org) = orgs::get(conn, org_id)? else {
        return diesel::delete(search_terms::table.filter(search_terms::entity_id.eq(org_id)))
            .execute(conn)
            .map(drop);
    };
    let mut tokens = org_words(&org);
    for n in history::names(conn, org_id)? {
        tokens.extend(name_words(&n));
    }
    replace(conn, ORG, org_id, &[org_id], &tokens)
}

fn json_list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// Indexes a person under their names (in any order), emails and phone numbers.
pub fn index_person(conn: &mut DbConn, p: &PersonRow) -> QueryResult<()> {
    let mut tokens = words_of(
        [
            Some(p.family_name.as_str()),
            p.middle_name.as_deref(),
            Some(p.given_name.as_str()),
        ]
        .into_iter()
        .flatten(),
    );
    for e in json_list(&p.emails) {
        tokens.extend(words(&e));
    }
    for ph in json_list(&p.phones) {
        tokens.extend(phone_words(&ph));
    }
    replace(conn, PERSON, &p.id, &[p.org_id.as_str()], &tokens)
}

/// Indexes a system under its name, domains and URLs, readable through its owner and operator.
pub fn index_system(conn: &mut DbConn, s: &SystemRow) -> QueryResult<()> {
    let mut tokens = words(&s.name);
    for d in json_list(&s.domains)
        .iter()
        .chain(&json_list(&s.public_urls))
    {
        tokens.extend(words(d));
    }
    let mut owners = vec![s.owner_org_id.as_str()];
    owners.extend(s.operator_org_id.as_deref());
    replace(conn, SYSTEM, &s.id, &owners, &tokens)
}

/// Drops an entity (a deleted person or system) from the index.
pub fn forget(conn: &mut DbConn, entity_id: &str) -> QueryResult<()> {
    diesel::delete(search_terms::table.filter(search_terms::entity_id.eq(entity_id)))
        .execute(conn)
        .map(drop)
}

/// Indexes everything; for a database whose rows predate the index. Returns the entities indexed.
pub fn rebuild(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(search_terms::table).execute(conn)?;
    let org_ids: Vec<String> = organisations::table.select(organisations::id).load(conn)?;
    for id in &org_ids {
        index_org(conn, id)?;
    }
    let persons: Vec<PersonRow> = people::table.select(PersonRow::as_select()).load(conn)?;
    for p in &persons {
        index_person(conn, p)?;
    }
    let systems: Vec<SystemRow> = information_systems::table
        .select(SystemRow::as_select())
        .load(conn)?;
    for s in &systems {
        index_system(conn, s)?;
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
    let indexed = search_terms::table
        .select(search_terms::entity_id)
        .first::<String>(conn)
        .optional()?
        .is_some();
    let any_org = organisations::table
        .select(organisations::id)
        .first::<String>(conn)
        .optional()?
        .is_some();
    if indexed || !any_org {
        return Ok(None);
    }
    rebuild(conn).map(Some)
}

/// The private-part filter of a search: the reader's rule and the day memberships are read on.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    pub rule: &'a PrivateReadRule,
    pub day: NaiveDate,
}

/// The upper end of the range of words starting with `word`. Every word has one but a word made
/// only of U+10FFFF, which folding never produces; that one gets a bound past any real word.
pub(crate) fn bound_of(word: &str) -> String {
    prefix_upper_bound(word).unwrap_or_else(|| format!("{word}\u{10FFFF}"))
}

/// How many index rows of `kind` start with `word`, counting no further than `cap`: enough to
/// tell a rare word from a common one.
pub fn rows_with_prefix(conn: &mut DbConn, kind: &str, word: &str, cap: i64) -> QueryResult<i64> {
    Ok(ids_with_prefix(conn, kind, None, word, cap)?.len() as i64)
}

/// The entities of the first `cap` index rows of `kind` (of the organisation `org`, if given)
/// that start with `word`, in index order, an entity once per matching word it has. Fewer than
/// `cap` rows means these are all of them. Read from the index alone (`search_terms_token`, or
/// `search_terms_org` with an organisation).
pub fn ids_with_prefix(
    conn: &mut DbConn,
    kind: &str,
    org: Option<&str>,
    word: &str,
    cap: i64,
) -> QueryResult<Vec<String>> {
    let mut q = search_terms::table
        .filter(search_terms::kind.eq(kind.to_owned()))
        .filter(search_terms::token.ge(word.to_owned()))
        .filter(search_terms::token.lt(bound_of(word)))
        .select(search_terms::entity_id)
        .into_boxed();
    if let Some(org) = org {
        q = q.filter(search_terms::org_id.eq(org.to_owned()));
    }
    q.limit(cap).load(conn)
}

/// Entities of `kind` having, for every word of `query`, a word it starts; exact words first
/// (index order), each entity once, at most `cap` index rows read. `driver` is the index of the
/// word to scan by (the rarest one); the others are checked per candidate. People and systems
/// are filtered by `reader` in SQL; organisations are public and take `None`.
pub fn matching(
    conn: &mut DbConn,
    kind: &str,
    query: &[String],
    driver: usize,
    reader: Option<Reader<'_>>,
    cap: i64,
) -> QueryResult<(Vec<String>, bool)> {
    let Some(first) = query.get(driver) else {
        return Ok((vec![], false));
    };
    let mut q = search_terms::table
        .filter(search_terms::kind.eq(kind.to_owned()))
        .filter(search_terms::token.ge(first.clone()))
        .filter(search_terms::token.lt(bound_of(first)))
        .select(search_terms::entity_id)
        .into_boxed();
    for (i, w) in query.iter().enumerate() {
        if i == driver {
            continue;
        }
        let sub = also
            .filter(
                also.field(search_terms::entity_id)
                    .eq(search_terms::entity_id),
            )
            .filter(also.field(search_terms::token).ge(w.clone()))
            .filter(also.field(search_terms::token).lt(bound_of(w)))
            .select(also.field(search_terms::token));
        q = q.filter(diesel::dsl::exists(sub));
    }
    if let Some(r) = reader
        && let Some(visible) = crate::org_private_visible!(r.rule, r.day, search_terms::org_id)
    {
        q = q.filter(visible);
    }
    let rows: Vec<String> = q
        .order((search_terms::token, search_terms::entity_id))
        .limit(cap)
        .load(conn)?;
    let more = rows.len() as i64 >= cap;
    let mut seen = std::collections::HashSet::new();
    let ids = rows
        .into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect();
    Ok((ids, more))
}
