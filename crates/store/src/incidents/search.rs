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
//!   read, and a common word matches often, so the page fills after a few hundred rows.
//!
//! Either way the rows come from the part's own query (`for_part!`), so access is decided in SQL
//! as for a list, and each row's words are checked here with the very function that indexed them.

use std::collections::BTreeSet;

use diesel::prelude::*;
use irnet_domain::ReadPart;

// `for_part!` names these where it expands.
use super::{Filter, IncidentRow, KIND, levels, sharing, words_of};
use crate::DbConn;
use crate::directory::search::{bound_of, ids_with_prefix};
use crate::schema::{incident_observables, incidents, record_shares, search_terms};

/// Index entries of a word read to tell it rare: below this many it drives the search by its
/// candidates (at most this many incidents read); at or above, the part is walked instead. A
/// member of 10,000 incidents then reads at most ~1,000 rows either way for a one-word query.
const COMMON: i64 = 1000;

/// The most rows read per query while walking or reading candidates; reads start at one page
/// and double, since a common word usually fills the page from the first rows.
const MAX_BATCH: usize = 800;

/// The first `fetch` incidents of `part` (with the filter's other conditions, older than
/// `before` if given) matching every word of `filter`, newest first.
pub(super) fn part_matches(
    conn: &mut DbConn,
    part: &ReadPart,
    filter: &Filter,
    before: Option<&str>,
    fetch: usize,
) -> QueryResult<Vec<IncidentRow>> {
    // The part's rows without the words' semi-joins: the words are checked on each row.
    let plain = Filter {
        words: Vec::new(),
        ..filter.clone()
    };
    // An incident's words are indexed under its owner: the owner's part reads its own range.
    let org = match part {
        ReadPart::Owned(o, _) => Some(o.as_str()),
        _ => None,
    };
    let mut rare: Option<BTreeSet<String>> = None;
    for w in &filter.words {
        let ids = ids_with_prefix(conn, KIND, org, w, COMMON)?;
        if ids.len() as i64 >= COMMON {
            continue;
        }
        let ids: BTreeSet<String> = ids.into_iter().collect();
        rare = Some(match rare {
            Some(r) => r.intersection(&ids).cloned().collect(),
            None => ids,
        });
    }
    let mut found = Vec::new();
    let mut batch = fetch.max(1);
    match rare {
        Some(candidates) => {
            // Newest first, below the cursor.
            let ids: Vec<String> = candidates
                .into_iter()
                .rev()
                .filter(|id| before.is_none_or(|b| id.as_str() < b))
                .collect();
            let mut rest = ids.as_slice();
            while !rest.is_empty() && found.len() < fetch {
                let (now, later) = rest.split_at(batch.min(rest.len()));
                rest = later;
                let rows: Vec<IncidentRow> = for_part!(part, &plain, |q, key, _joined| {
                    q.filter(key.eq_any(now.to_vec()))
                        .order(key.desc())
                        .select(IncidentRow::as_select())
                        .load(conn)?
                });
                found.extend(matching(conn, rows, &filter.words)?);
                batch = (batch * 2).min(MAX_BATCH);
            }
        }
        None => {
            let mut last = before.map(str::to_owned);
            loop {
                let rows: Vec<IncidentRow> = for_part!(part, &plain, |q, key, _joined| {
                    if let Some(b) = &last {
                        q = q.filter(key.lt(b.clone()));
                    }
                    q.order(key.desc())
                        .limit(i64::try_from(batch).unwrap_or(i64::MAX))
                        .select(IncidentRow::as_select())
                        .load(conn)?
                });
                let exhausted = rows.len() < batch;
                last = rows.last().map(|r| r.id.clone());
                found.extend(matching(conn, rows, &filter.words)?);
                if exhausted || found.len() >= fetch || last.is_none() {
                    break;
                }
                batch = (batch * 2).min(MAX_BATCH);
            }
        }
    }
    found.truncate(fetch);
    Ok(found)
}

/// The rows (in their order) whose words, with their observables' (one query for all), start
/// with every word of `query`: the test `index` stores in `search_terms`, made on the row.
fn matching(
    conn: &mut DbConn,
    rows: Vec<IncidentRow>,
    query: &[String],
) -> QueryResult<Vec<IncidentRow>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let observables: Vec<(String, String)> = incident_observables::table
        .filter(incident_observables::incident_id.eq_any(ids))
        .select((
            incident_observables::incident_id,
            incident_observables::value,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|r| {
            let own: Vec<String> = observables
                .iter()
                .filter(|(id, _)| *id == r.id)
                .map(|(_, v)| v.clone())
                .collect();
            let tokens = words_of(r, &own);
            query
                .iter()
                .all(|w| tokens.iter().any(|t| t.starts_with(w.as_str())))
        })
        .collect())
}
