//! Incident search: one part of the read rule's first incidents (newest first) whose words start
//! with every query word — read without collecting every match first.
//!
//! A semi-join per query word (what `for_part!` builds) must collect all of a part's matches and
//! sort them before it can return the newest fifty; at a million incidents a common word matches
//! thousands per member and the probes per candidate dominate. Instead each word's index range is
//! read only up to `COMMON` entries, which tells a rare word from a common one:
//! - when a word is rare, its few incidents (intersected with the other rare words') are the
//!   candidates, read newest first by id;
//! - when every word is common, the part's incidents are walked newest first, as a list page is
//!   read, and a common word matches often, so the page fills after a few hundred ids; a walk
//!   projected to make more than `WALK_BUDGET` word checks (words common apart but rarely
//!   together, or a word common in the network but not in the part's newest incidents) stops,
//!   and the rest is read by the index: in the owner's part every word's whole range of
//!   `search_terms_org` (contiguous per organisation) intersected, which is exact.
//!
//! Either way only ids are read until the page is known: the ids come from the part's own query
//! (`for_part!`), so access is decided in SQL as for a list, and their words are checked against
//! `search_terms` by primary key. The page's rows are read last, at most `fetch` of them.

use std::collections::BTreeSet;

use diesel::prelude::*;
use irnet_domain::ReadPart;

// `for_part!` names these where it expands.
use super::{Filter, IncidentRow, KIND, levels, sharing};
use crate::DbConn;
use crate::schema::{incidents, record_shares, search_terms};
use crate::words::{bound_of, ids_with_prefix};

/// Index entries of a word read to tell it rare: below this many it drives the search by its
/// candidates (at most this many incidents checked); at or above, the part is walked instead.
const COMMON: i64 = 1000;

/// The most ids read per query while walking or checking candidates; reads start at one page
/// and double, since a common word usually fills the page from the first ones.
const MAX_BATCH: usize = 800;

/// Word checks a walk may be expected to make (walked ids × query words): after each batch the
/// ids still needed are projected from the matches so far, and a walk heading past this (words
/// each common but rarely together, or absent from the part's newest incidents) stops and reads
/// the rest by the index. At about 5 µs a check, against about 0.5 µs per entry of a word's whole
/// index range (a few thousand entries for a common word of a large member), this is where
/// reading the ranges becomes the cheaper way.
const WALK_BUDGET: usize = 1_200;

/// The first `fetch` incidents of `part` (with the filter's other conditions, older than
/// `before` if given) matching every word of `filter`, newest first.
pub(super) fn part_matches(
    conn: &mut DbConn,
    part: &ReadPart,
    filter: &Filter,
    before: Option<&str>,
    fetch: usize,
) -> QueryResult<Vec<IncidentRow>> {
    let plain = Filter {
        words: Vec::new(),
        ..filter.clone()
    };
    let ids = matching_ids(conn, part, filter, &plain, before, fetch)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(for_part!(part, &plain, |q, key, _joined| {
        q.filter(key.eq_any(ids))
            .order(key.desc())
            .select(IncidentRow::as_select())
            .load(conn)?
    }))
}

/// The ids of `part_matches`, newest first.
fn matching_ids(
    conn: &mut DbConn,
    part: &ReadPart,
    filter: &Filter,
    plain: &Filter,
    before: Option<&str>,
    fetch: usize,
) -> QueryResult<Vec<String>> {
    // An incident's words are indexed under its owner: the owner's part reads its own range.
    let org = match part {
        ReadPart::Owned(o, _) => Some(o.as_str()),
        _ => None,
    };
    let (mut rare, mut common): (Option<BTreeSet<String>>, Vec<String>) = (None, Vec::new());
    for w in &filter.words {
        let ids = ids_with_prefix(conn, KIND, org, w, COMMON)?;
        if ids.len() as i64 >= COMMON {
            common.push(w.clone());
        } else {
            rare = Some(intersect(rare, ids));
        }
    }
    let mut found = Vec::new();
    if let Some(ids) = rare {
        check_candidates(conn, part, plain, ids, &common, before, fetch, &mut found)?;
        return Ok(found);
    }
    let Some(last) = walk(conn, part, plain, &filter.words, before, fetch, &mut found)? else {
        return Ok(found);
    };
    // The walk gave up at `last`: the rest of the page from the index.
    match org {
        Some(org) => {
            let ids = owner_matches(conn, org, &filter.words)?;
            check_candidates(conn, part, plain, ids, &[], Some(&last), fetch, &mut found)?;
        }
        // Shares are few per incident: one semi-join per word, probing their words by key.
        None => {
            let wanted = i64::try_from(fetch - found.len()).unwrap_or(i64::MAX);
            let rest: Vec<String> = for_part!(part, filter, |q, key, _joined| {
                q.filter(key.lt(last.clone()))
                    .order(key.desc())
                    .limit(wanted)
                    .select(key)
                    .load(conn)?
            });
            found.extend(rest);
        }
    }
    Ok(found)
}

/// The owner's incidents having every word: the words' ranges of `search_terms_org`, where an
/// organisation's words are contiguous, intersected — from the index alone.
fn owner_matches(conn: &mut DbConn, org: &str, words: &[String]) -> QueryResult<BTreeSet<String>> {
    let mut all: Option<BTreeSet<String>> = None;
    for w in words {
        all = Some(intersect(
            all,
            ids_with_prefix(conn, KIND, Some(org), w, i64::MAX)?,
        ));
        if all.as_ref().is_some_and(BTreeSet::is_empty) {
            break;
        }
    }
    Ok(all.unwrap_or_default())
}

fn intersect(so_far: Option<BTreeSet<String>>, ids: Vec<String>) -> BTreeSet<String> {
    match so_far {
        Some(s) => ids.into_iter().filter(|id| s.contains(id)).collect(),
        None => ids.into_iter().collect(),
    }
}

/// Adds to `found`, up to `fetch`, the candidates `ids` below `before` that the part admits and
/// that have every word of `words`, newest first, checking them in growing batches.
#[allow(clippy::too_many_arguments)]
fn check_candidates(
    conn: &mut DbConn,
    part: &ReadPart,
    plain: &Filter,
    ids: BTreeSet<String>,
    words: &[String],
    before: Option<&str>,
    fetch: usize,
    found: &mut Vec<String>,
) -> QueryResult<()> {
    let ids: Vec<String> = ids
        .into_iter()
        .rev()
        .filter(|id| before.is_none_or(|b| id.as_str() < b))
        .collect();
    let mut rest = ids.as_slice();
    let mut batch = fetch.max(1);
    while !rest.is_empty() && found.len() < fetch {
        let (now, later) = rest.split_at(batch.min(rest.len()));
        rest = later;
        let admitted: Vec<String> = for_part!(part, plain, |q, key, _joined| {
            q.filter(key.eq_any(now.to_vec()))
                .order(key.desc())
                .select(key)
                .load(conn)?
        });
        found.extend(having_words(conn, admitted, words)?);
        batch = (batch * 2).min(MAX_BATCH);
    }
    found.truncate(fetch);
    Ok(())
}

/// Walks the part newest first below `before`, adding its ids that have every word to `found`,
/// up to `fetch`. Returns the id it stopped at when the walk was projected to pass
/// `WALK_BUDGET` ids, so the rest must be read otherwise; `None` when the page is full or the
/// part exhausted.
fn walk(
    conn: &mut DbConn,
    part: &ReadPart,
    plain: &Filter,
    words: &[String],
    before: Option<&str>,
    fetch: usize,
    found: &mut Vec<String>,
) -> QueryResult<Option<String>> {
    let mut last = before.map(str::to_owned);
    let (mut walked, mut batch) = (0, fetch.max(1));
    loop {
        let ids: Vec<String> = for_part!(part, plain, |q, key, _joined| {
            if let Some(b) = &last {
                q = q.filter(key.lt(b.clone()));
            }
            q.order(key.desc())
                .limit(i64::try_from(batch).unwrap_or(i64::MAX))
                .select(key)
                .load(conn)?
        });
        let exhausted = ids.len() < batch;
        walked += ids.len();
        last = ids.last().cloned();
        found.extend(having_words(conn, ids, words)?);
        if exhausted || found.len() >= fetch || last.is_none() {
            found.truncate(fetch);
            return Ok(None);
        }
        // Ids still to read at the rate matched so far (one match assumed when none yet).
        let projected = walked + walked * (fetch - found.len()) / found.len().max(1);
        if projected * words.len().max(1) > WALK_BUDGET {
            return Ok(last);
        }
        batch = (batch * 2).min(MAX_BATCH);
    }
}

/// The ids (in their order, duplicates once) having, for every word, an indexed word starting
/// with it: one query per word on `search_terms`' primary key (entity, token).
fn having_words(
    conn: &mut DbConn,
    mut ids: Vec<String>,
    words: &[String],
) -> QueryResult<Vec<String>> {
    ids.dedup();
    for w in words {
        if ids.is_empty() {
            break;
        }
        let with: BTreeSet<String> = search_terms::table
            .filter(search_terms::entity_id.eq_any(ids.clone()))
            .filter(search_terms::token.ge(w.clone()))
            .filter(search_terms::token.lt(bound_of(w)))
            .select(search_terms::entity_id)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        ids.retain(|id| with.contains(id));
    }
    Ok(ids)
}
