//! One search across the directory: organisations (every name they ever had, short names, member
//! code), people (names in any order, emails, phones) and information systems (name, domains,
//! URLs), without accents, case or Unicode form mattering. Organisations are public; people and
//! systems are found only where the reader may read the owner's private part, filtered in SQL,
//! so the counts cannot leak what the lists hide.

use std::collections::HashMap;

use chrono::NaiveDate;
use irnet_domain::search::words;
use irnet_store::DbConn;
use irnet_store::directory::history;
use irnet_store::directory::orgs::{self, OrgRow};
use irnet_store::directory::people::{self, PersonRow};
use irnet_store::directory::search::{self, ORG, PERSON, Reader, SYSTEM};
use irnet_store::directory::systems::{self, SystemRow};

use super::names::{self, OrgName};
use super::orgs::{OrgHit, OrgView, Succession};
use crate::error::Problems;
use crate::{Actor, App, AppError};

/// The most words a query may have: each one is a condition to check.
pub const MAX_WORDS: usize = 8;
/// Results per kind unless asked otherwise, and the most one may ask for.
pub const DEFAULT_LIMIT: usize = 10;
pub const MAX_LIMIT: usize = 50;
/// Index rows read per kind at most; past that the count says "more than".
const CAP: i64 = 200;
/// Index rows counted per word to tell a rare word from a common one.
const ESTIMATE_CAP: i64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Org,
    Person,
    System,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "org" => Some(Kind::Org),
            "person" => Some(Kind::Person),
            "system" => Some(Kind::System),
            _ => None,
        }
    }
}

/// A person found, with what one needs to reach them and where they work.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PersonHit {
    pub id: String,
    /// family, middle and given names in Vietnamese order
    pub full_name: String,
    pub title: Option<String>,
    pub org_id: String,
    /// the organisation's current name (`org.name_vi`)
    pub org_name: String,
    pub org_name_en: Option<String>,
    /// the organisation by its name today; one merged away keeps its last name, with what it is
    /// now beside it ("nay là …")
    pub org: OrgName,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
}

/// An information system found.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SystemHit {
    pub id: String,
    pub name: String,
    pub owner_org_id: String,
    /// the owner's current name (`owner.name_vi`)
    pub owner_name: String,
    pub owner_name_en: Option<String>,
    /// the owner by its name today, with what it is now beside it when merged away
    pub owner: OrgName,
    pub domains: Vec<String>,
    pub public_urls: Vec<String>,
    /// 1 to 5 (Decree 85/2016)
    pub approved_level: Option<i32>,
    pub internet_facing: bool,
}

/// The results of one kind: the first ones and how many there are.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Found<T> {
    /// how many were found (at least this many when `more` is true)
    pub total: usize,
    /// true when there are more than `total` (refine the query to see them)
    pub more: bool,
    /// exact words first, then longer ones
    pub items: Vec<T>,
}

impl<T> Found<T> {
    fn none() -> Self {
        Found {
            total: 0,
            more: false,
            items: vec![],
        }
    }
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    /// the query's words, as matched (folded)
    pub words: Vec<String>,
    pub organisations: Found<OrgHit>,
    pub people: Found<PersonHit>,
    pub systems: Found<SystemHit>,
}

#[derive(Debug, Clone, Default)]
pub struct SearchInput {
    pub q: String,
    /// org, person or system; all three when absent
    pub kind: Option<String>,
    pub limit: Option<i64>,
}

struct Checked {
    words: Vec<String>,
    kinds: Vec<Kind>,
    limit: usize,
}

fn check(input: &SearchInput) -> Result<Checked, AppError> {
    let mut p = Problems::default();
    let folded = irnet_domain::text::fold(&input.q);
    let words = words(&input.q);
    if folded.chars().count() < 2 || folded.chars().count() > 200 || words.is_empty() {
        p.add("q", "invalid_length");
    } else if words.len() > MAX_WORDS {
        p.add("q", "too_many_words");
    }
    let kinds = match input
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        None => vec![Kind::Org, Kind::Person, Kind::System],
        Some(k) => match Kind::parse(k) {
            Some(k) => vec![k],
            None => {
                p.add("kind", "invalid_search_kind");
                vec![]
            }
        },
    };
    let limit = match input.limit {
        None => DEFAULT_LIMIT,
        Some(l) => match usize::try_from(l) {
            Ok(l) if (1..=MAX_LIMIT).contains(&l) => l,
            _ => {
                p.add("limit", "out_of_range");
                DEFAULT_LIMIT
            }
        },
    };
    p.into_result()?;
    Ok(Checked {
        words,
        kinds,
        limit,
    })
}

/// Searches the directory as `actor` sees it.
pub async fn search(
    app: &App,
    actor: &Actor,
    input: SearchInput,
) -> Result<SearchResults, AppError> {
    let c = check(&input)?;
    let rule = actor.principal.private_read_rule();
    let today = app.today();
    app.store
        .read(move |conn| {
            let reader = Reader {
                rule: &rule,
                day: today,
            };
            let mut out = SearchResults {
                words: c.words.clone(),
                organisations: Found::none(),
                people: Found::none(),
                systems: Found::none(),
            };
            for kind in &c.kinds {
                match kind {
                    Kind::Org => {
                        let (ids, more) = find(conn, ORG, &c.words, None)?;
                        out.organisations = Found {
                            total: ids.len(),
                            more,
                            items: org_hits(conn, &ids[..ids.len().min(c.limit)], &c.words, today)?,
                        };
                    }
                    Kind::Person => {
                        let (ids, more) = find(conn, PERSON, &c.words, Some(reader))?;
                        out.people = Found {
                            total: ids.len(),
                            more,
                            items: person_hits(conn, &ids[..ids.len().min(c.limit)], today)?,
                        };
                    }
                    Kind::System => {
                        let (ids, more) = find(conn, SYSTEM, &c.words, Some(reader))?;
                        out.systems = Found {
                            total: ids.len(),
                            more,
                            items: system_hits(conn, &ids[..ids.len().min(c.limit)], today)?,
                        };
                    }
                }
            }
            Ok(out)
        })
        .await
}

/// Matching ids of one kind, scanning by the rarest word.
fn find(
    conn: &mut DbConn,
    kind: &str,
    words: &[String],
    reader: Option<Reader<'_>>,
) -> Result<(Vec<String>, bool), AppError> {
    let mut driver = 0;
    if words.len() > 1 {
        let mut fewest = i64::MAX;
        for (i, w) in words.iter().enumerate() {
            let n = search::rows_with_prefix(conn, kind, w, ESTIMATE_CAP)?;
            if n < fewest {
                (fewest, driver) = (n, i);
            }
            if n == 0 {
                return Ok((vec![], false));
            }
        }
    }
    Ok(search::matching(conn, kind, words, driver, reader, CAP)?)
}

/// True when every query word starts one of the text's words.
fn covers(text_words: &[String], query: &[String]) -> bool {
    query
        .iter()
        .all(|q| text_words.iter().any(|w| w.starts_with(q.as_str())))
}

fn by_id<T>(rows: Vec<T>, id: impl Fn(&T) -> &str) -> HashMap<String, T> {
    rows.into_iter().map(|r| (id(&r).to_owned(), r)).collect()
}

/// Organisations found, each with the name that matched (perhaps a past one) and, when it no
/// longer exists as such, what it merged into.
fn org_hits(
    conn: &mut DbConn,
    ids: &[String],
    query: &[String],
    today: NaiveDate,
) -> Result<Vec<OrgHit>, AppError> {
    let mut rows = by_id(orgs::get_many(conn, ids)?, |o: &OrgRow| &o.id);
    let mut hits = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(org) = rows.remove(id) else { continue };
        let names = history::names(conn, id)?;
        // The newest name the query fits; the current one when the words are spread over several.
        let matched = names.iter().rev().find(|n| {
            let mut w = words(&n.name_vi);
            for extra in [&n.name_en, &n.short_name].into_iter().flatten() {
                w.extend(words(extra));
            }
            covers(&w, query)
        });
        let (matched_name, matched_valid_from, matched_valid_to) = match matched.or(names.last()) {
            Some(n) => (n.name_vi.clone(), n.valid_from, n.valid_to),
            None => (org.name_vi.clone(), org.created_at.date(), None),
        };
        let succeeded_by = onward_succession(conn, &org, today)?;
        hits.push(OrgHit {
            org: OrgView::from(org),
            matched_name,
            matched_valid_from,
            matched_valid_to,
            succeeded_by,
        });
    }
    Ok(hits)
}

/// The latest succession, effective by `today`, that took the organisation into another one (or
/// ended it): a merger, a split, a dissolution. Renamings keep it as it is.
fn onward_succession(
    conn: &mut DbConn,
    org: &OrgRow,
    today: NaiveDate,
) -> Result<Option<Succession>, AppError> {
    let mut found = None;
    for s in history::successions(conn, &org.id)? {
        let onward =
            s.predecessor_id == org.id && s.successor_id.as_deref() != Some(org.id.as_str());
        if onward && s.effective <= today {
            let successor_name = match &s.successor_id {
                Some(sid) => names::names_on(conn, std::slice::from_ref(sid), today, today)?
                    .remove(sid)
                    .map(|n| n.name_vi),
                None => None,
            };
            found = Some(Succession {
                kind: s.kind,
                effective: s.effective,
                predecessor_id: s.predecessor_id,
                predecessor_name: Some(org.name_vi.clone()),
                successor_id: s.successor_id,
                successor_name,
                decision: s.decision,
            });
        }
    }
    Ok(found)
}

fn list_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// Names of the organisations that hold people and systems found: a directory entry is a record
/// of today, so each is named as it is today (the directory's one answer).
fn org_names(
    conn: &mut DbConn,
    ids: Vec<String>,
    today: NaiveDate,
) -> Result<HashMap<String, OrgName>, AppError> {
    names::names_on(conn, &ids, today, today)
}

fn named(owners: &HashMap<String, OrgName>, id: &str) -> OrgName {
    owners
        .get(id)
        .cloned()
        .unwrap_or_else(|| names::unknown(id))
}

fn person_hits(
    conn: &mut DbConn,
    ids: &[String],
    today: NaiveDate,
) -> Result<Vec<PersonHit>, AppError> {
    let mut rows = by_id(people::get_many(conn, ids)?, |p: &PersonRow| &p.id);
    let owners = org_names(
        conn,
        rows.values().map(|p| p.org_id.clone()).collect(),
        today,
    )?;
    Ok(ids
        .iter()
        .filter_map(|id| rows.remove(id))
        .map(|p| {
            let org = named(&owners, &p.org_id);
            PersonHit {
                full_name: super::people::full_name(&p),
                org_name: org.name_vi.clone(),
                org_name_en: org.name_en.clone(),
                org,
                phones: list_of(&p.phones),
                emails: list_of(&p.emails),
                id: p.id,
                title: p.title,
                org_id: p.org_id,
            }
        })
        .collect())
}

fn system_hits(
    conn: &mut DbConn,
    ids: &[String],
    today: NaiveDate,
) -> Result<Vec<SystemHit>, AppError> {
    let mut rows = by_id(systems::get_many(conn, ids)?, |s: &SystemRow| &s.id);
    let owners = org_names(
        conn,
        rows.values().map(|s| s.owner_org_id.clone()).collect(),
        today,
    )?;
    Ok(ids
        .iter()
        .filter_map(|id| rows.remove(id))
        .map(|s| {
            let owner = named(&owners, &s.owner_org_id);
            SystemHit {
                owner_name: owner.name_vi.clone(),
                owner_name_en: owner.name_en.clone(),
                owner,
                domains: list_of(&s.domains),
                public_urls: list_of(&s.public_urls),
                id: s.id,
                name: s.name,
                owner_org_id: s.owner_org_id,
                approved_level: s.approved_level,
                internet_facing: s.internet_facing,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(q: &str, kind: Option<&str>, limit: Option<i64>) -> SearchInput {
        SearchInput {
            q: q.to_owned(),
            kind: kind.map(str::to_owned),
            limit,
        }
    }

    fn fields(e: AppError) -> Vec<(String, String)> {
        match e {
            AppError::Validation(f) => f.into_iter().map(|f| (f.field, f.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_bad_parameter_is_named() {
        let e = check(&input("a", Some("building"), Some(0))).err().unwrap();
        assert_eq!(
            fields(e),
            [
                ("q".into(), "invalid_length".into()),
                ("kind".into(), "invalid_search_kind".into()),
                ("limit".into(), "out_of_range".into()),
            ]
        );
        let e = check(&input("a b c d e f g h i", None, None))
            .err()
            .unwrap();
        assert_eq!(fields(e), [("q".into(), "too_many_words".into())]);
        assert!(check(&input("--", None, None)).is_err(), "no words at all");
    }

    #[test]
    fn a_query_folds_into_words_and_defaults_to_every_kind() {
        let c = check(&input("  Ba\u{0306}c Ka\u{0323}n ", None, None)).unwrap();
        assert_eq!(c.words, ["bac", "kan"]);
        assert_eq!(c.kinds, [Kind::Org, Kind::Person, Kind::System]);
        assert_eq!(c.limit, DEFAULT_LIMIT);
    }

    #[test]
    fn a_name_covers_a_query_when_each_word_starts_one_of_its_words() {
        let w = words("Sở Thông tin và Truyền thông tỉnh Bắc Kạn");
        assert!(covers(&w, &words("bac ka")));
        assert!(covers(&w, &words("kan bac")));
        assert!(!covers(&w, &words("bac ninh")));
    }
}
