//! Incident lists (`narrowed!` / `for_part!` / `shared_part!` per part of the read rule, merged
//! page by page), searches (`incidents::search`) and counts by status admit exactly the
//! incidents the policy lets the reader open: `Principal::incident_read_rule`, and drafts for
//! their author only (as `app::incidents::load` decides a direct read).

use std::collections::{BTreeMap, BTreeSet};

use irnet_domain::Principal;
use irnet_domain::ids::IncidentId;
use irnet_domain::incident::Status;
use irnet_domain::search::words;
use irnet_store::DbConn;
use irnet_store::incidents::{self, Filter, IncidentRow};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::world::{
    Audience, Db, Membership, Who, all_pages, at, audience, memberships, person, readers,
    same_newest_first,
};

const WORDS: [&str; 6] = [
    "phishing",
    "malware",
    "ddos",
    "ransomware",
    "server",
    "mail",
];
/// Query words: whole words, prefixes of one or two of them, the number's year, and none.
const ASKED: [&str; 8] = ["ph", "phishing", "ma", "mail", "ddos", "ser", "2026", "zzz"];

/// The coordinator's organisation: reporting an incident adds it to the audience.
const COORDINATOR_ORG: usize = 0;

#[derive(Debug, Clone)]
struct Incident {
    /// the owner, the TLP, explicit shares and named people
    audience: Audience,
    /// submitted to the coordinator (and perhaps escalated)
    reported: Option<bool>,
    /// organisations that accepted a support request
    supporters: Vec<usize>,
    /// which of the owner's two people wrote it
    author: usize,
    status: Status,
    title: (usize, usize),
    /// the next deadline: none, past or to come
    due: Option<bool>,
}

impl Incident {
    fn author(&self) -> String {
        person(self.audience.owner * 2 + self.author)
    }

    /// The whole audience as `record_shares` holds it: shares, the coordinator once reported,
    /// supporters (repeats kept, as the table may hold them).
    fn audience(&self) -> Audience {
        let mut a = self.audience.clone();
        if self.reported.is_some() {
            a.orgs.push(COORDINATOR_ORG);
        }
        a.orgs.extend(&self.supporters);
        a
    }
}

fn incident() -> impl Strategy<Value = Incident> {
    (
        audience(),
        prop::option::of(any::<bool>()),
        prop::collection::vec(0..super::world::ORGS, 0..2),
        0..2usize,
        prop::sample::select(Status::ALL.to_vec()),
        (0..WORDS.len(), 0..WORDS.len()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(audience, reported, supporters, author, status, title, due)| Incident {
                audience,
                reported,
                supporters,
                author,
                status,
                title,
                due,
            },
        )
}

fn id(n: usize) -> String {
    format!("00000000-0000-7000-b000-{n:012}")
}

fn now() -> chrono::NaiveDateTime {
    at(2026, 3, 2)
}

fn row(n: usize, i: &Incident) -> IncidentRow {
    let created = at(2026, 1, 1);
    let draft = i.status == Status::Draft;
    IncidentRow {
        id: IncidentId::from_trusted(id(n)),
        number: (!draft).then(|| format!("2026-{n:06}")),
        owner_org_id: super::world::org(i.audience.owner),
        created_by: i.author(),
        status: i.status,
        tlp: i.audience.tlp,
        title: format!("{} {}", WORDS[i.title.0], WORDS[i.title.1]),
        summary: None,
        type_key: None,
        severity: None,
        detected_at: created,
        system_id: None,
        system_level: None,
        effects: "[]".into(),
        exceeds_capacity: false,
        serious_proposed: false,
        serious_confirmed: None,
        data_loss: "none".into(),
        data_loss_detail: None,
        damage_estimate: None,
        helped_by_foreign: false,
        report: "{}".into(),
        submitted_at: i.reported.map(|_| created),
        escalated_at: i.reported.filter(|e| *e).map(|_| created),
        acknowledged_at: None,
        initial_report_at: None,
        response_ended_at: None,
        closing_report_at: None,
        closed_at: None,
        next_due_at: i
            .due
            .map(|past| if past { at(2026, 3, 1) } else { at(2026, 3, 5) }),
        created_at: created,
        updated_at: created,
    }
}

/// What the reader asks a list or count for besides what they may read.
#[derive(Debug, Clone)]
struct Ask {
    status: Option<Status>,
    owner: Option<usize>,
    overdue: bool,
    words: Vec<&'static str>,
    limit: i64,
}

fn ask() -> impl Strategy<Value = Ask> {
    (
        prop::option::weighted(0.2, prop::sample::select(Status::ALL.to_vec())),
        prop::option::weighted(0.2, 0..super::world::ORGS),
        prop::bool::weighted(0.2),
        prop::collection::vec(prop::sample::select(ASKED.to_vec()), 0..3),
        prop::sample::select(vec![1i64, 2, 3, 50]),
    )
        .prop_map(|(status, owner, overdue, words, limit)| Ask {
            status,
            owner,
            overdue,
            words,
            limit,
        })
}

impl Ask {
    fn filter(&self, p: &Principal) -> Filter {
        Filter {
            words: self.words.iter().flat_map(|w| words(w)).collect(),
            status: self.status,
            owner_org_id: self.owner.map(super::world::org),
            overdue_at: self.overdue.then(now),
            // the app lists drafts for their author: the reader
            author: p.user_id.as_str().to_owned(),
        }
    }

    /// The list's own conditions, stated here from the generated incident.
    fn matches(&self, n: usize, i: &Incident) -> bool {
        let r = row(n, i);
        let tokens: Vec<String> = [r.number.as_deref(), Some(r.title.as_str())]
            .into_iter()
            .flatten()
            .flat_map(words)
            .collect();
        self.status.is_none_or(|s| s == i.status)
            && self.owner.is_none_or(|o| o == i.audience.owner)
            && (!self.overdue || r.next_due_at.is_some_and(|d| d < now()))
            && self
                .words
                .iter()
                .flat_map(|w| words(w))
                .all(|w| tokens.iter().any(|t| t.starts_with(&w)))
    }
}

/// The policy: the incident read rule, and a draft is its author's alone.
fn may_open(p: &Principal, i: &Incident) -> bool {
    p.incident_read_rule().admits(&i.audience().access())
        && (i.status != Status::Draft || p.user_id.as_str() == i.author())
}

type World = (Vec<Incident>, Vec<Membership>, Vec<(Who, Ask)>);

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(incident(), 0..12),
        memberships(),
        readers().prop_flat_map(|rs| {
            let n = rs.len();
            (Just(rs), prop::collection::vec(ask(), n))
                .prop_map(|(rs, asks)| rs.into_iter().zip(asks).collect::<Vec<_>>())
        }),
    )
}

fn case(c: &mut DbConn, (records, ms, readers): World) -> Result<(), TestCaseError> {
    for (n, i) in records.iter().enumerate() {
        incidents::insert(c, &row(n, i)).db()?;
        i.audience().share(c, incidents::KIND, &id(n))?;
    }
    for (who, ask) in &readers {
        let p = who.principal(&ms);
        let filter = ask.filter(&p);
        let rule = p.incident_read_rule();
        let expected: BTreeSet<String> = records
            .iter()
            .enumerate()
            .filter(|(n, i)| may_open(&p, i) && ask.matches(*n, i))
            .map(|(n, _)| id(n))
            .collect();
        let listed = all_pages(
            |cursor| incidents::list(c, &rule, &filter, cursor, ask.limit).db(),
            |r: &IncidentRow| r.id.to_string(),
        )?;
        let what = if ask.words.is_empty() {
            "list"
        } else {
            "search"
        };
        same_newest_first(
            &format!("{what} for {p:?} asking {ask:?}"),
            &listed,
            &expected,
        )?;

        // Counts: the same filter (the app's count takes the list's), by status.
        let counted: BTreeMap<String, i64> = incidents::count_by_status(c, &rule, &filter)
            .db()?
            .into_iter()
            .map(|(s, n)| (s.as_str().to_owned(), n))
            .collect();
        let mut wanted: BTreeMap<String, i64> = BTreeMap::new();
        for (n, i) in records.iter().enumerate() {
            if expected.contains(&id(n)) {
                *wanted.entry(i.status.as_str().to_owned()).or_default() += 1;
            }
        }
        prop_assert_eq!(
            counted,
            wanted,
            "counts by status for {:?} asking {:?}",
            p,
            ask
        );
    }
    Ok(())
}

// More cases than the default: a search widened past the read rule shows only when a leaked
// candidate takes the place of a readable one on a short page.
crate::on_both!(admits_what_the_policy_admits, 48, world(), case);
