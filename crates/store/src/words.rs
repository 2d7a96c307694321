//! The word index (`search_terms`): the folded words of records of any kind, each row tagged with
//! the kind, the record and the organisation it is readable through. The index knows no pillar:
//! each pillar's repository turns its own rows into words and feeds them here in the same
//! transaction as it writes the rows (`replace`, `add`, `add_missing`, `add_new`, `forget`), so
//! the index is never behind the data; the pillar's reads ask it by prefix (`ids_with_prefix`,
//! `matching`) or join `search_terms` with `bound_of`.
//!
//! A query is a list of folded words; a record matches when every word is a prefix of one of its
//! words. The rarest word drives an index range scan, the others are checked per candidate with a
//! correlated `EXISTS` on the primary key (entity, token).

use chrono::NaiveDate;
use diesel::prelude::*;
use irnet_domain::PrivateReadRule;
use irnet_domain::search::{prefix_upper_bound, words};

use crate::DbConn;
use crate::schema::search_terms;

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

/// The folded words of several texts.
pub fn words_of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    texts.into_iter().flat_map(words).collect()
}

/// The texts of a column holding a JSON list (emails, domains, URLs…); none if it holds another
/// thing.
pub(crate) fn json_list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// Indexes a new entity (nothing to replace).
pub(crate) fn add(
    conn: &mut DbConn,
    kind: &'static str,
    entity_id: &str,
    org_ids: &[&str],
    tokens: &[String],
) -> QueryResult<()> {
    insert_rows(conn, &rows(kind, entity_id, org_ids, tokens))
}

/// Adds the words of `tokens` that the entity is not yet found by (a word once indexed stays).
pub(crate) fn add_missing(
    conn: &mut DbConn,
    kind: &'static str,
    entity_id: &str,
    org_ids: &[&str],
    tokens: Vec<String>,
) -> QueryResult<()> {
    let known: Vec<String> = search_terms::table
        .filter(search_terms::entity_id.eq(entity_id))
        .select(search_terms::token)
        .load(conn)?;
    let missing: Vec<String> = tokens.into_iter().filter(|w| !known.contains(w)).collect();
    add(conn, kind, entity_id, org_ids, &missing)
}

/// Replaces an entity's words.
pub(crate) fn replace(
    conn: &mut DbConn,
    kind: &'static str,
    entity_id: &str,
    org_ids: &[&str],
    tokens: &[String],
) -> QueryResult<()> {
    forget(conn, entity_id)?;
    add(conn, kind, entity_id, org_ids, tokens)
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

/// Drops an entity (a deleted person or system) from the index.
pub fn forget(conn: &mut DbConn, entity_id: &str) -> QueryResult<()> {
    diesel::delete(search_terms::table.filter(search_terms::entity_id.eq(entity_id)))
        .execute(conn)
        .map(drop)
}

/// Empties the index, for a rebuild.
pub(crate) fn clear(conn: &mut DbConn) -> QueryResult<()> {
    diesel::delete(search_terms::table).execute(conn).map(drop)
}

/// Whether the index holds any word. Existence, not a count: a count would read a million rows.
pub(crate) fn is_empty(conn: &mut DbConn) -> QueryResult<bool> {
    Ok(search_terms::table
        .select(search_terms::entity_id)
        .first::<String>(conn)
        .optional()?
        .is_none())
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
/// word to scan by (the rarest one); the others are checked per candidate. With a `reader`, only
/// the rows readable through an organisation whose private part the reader may read count,
/// filtered in SQL; public entities take `None`.
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
