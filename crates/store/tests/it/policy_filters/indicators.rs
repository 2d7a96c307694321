//! Indicator reads (`sharing::filtered!` through `tlp_visible!`): the list, the TAXII pages
//! (`list_by_added`), the exports (`all`: STIX bundle, MISP feed), the count and the lookup admit
//! exactly the indicators `Principal::may_read` admits, under random list filters.

use std::collections::BTreeSet;

use irnet_domain::ids::IndicatorId;
use irnet_domain::{Principal, Tlp};
use irnet_store::DbConn;
use irnet_store::sharing::{self, Filter, IndicatorRow, LookupHit};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::world::{
    Audience, Db, Membership, ORGS, Who, all_pages, at, audience, memberships, org, person,
    readers, same_newest_first,
};

const KINDS: [&str; 2] = ["ipv4-addr", "domain-name"];
const VALUES: [&str; 4] = [
    "198.51.100.1",
    "198.51.100.2",
    "example.org",
    "evil.example",
];
const NAMES: [&str; 3] = ["phishing kit", "c2 server", "botnet"];
/// Searched words: a name's, a value's, and none.
const SEARCHED: [&str; 4] = ["phish", "c2", "198.51", "zzz"];

#[derive(Debug, Clone)]
struct Indicator {
    audience: Audience,
    revoked: bool,
    /// (kind, value) indexes
    observables: BTreeSet<(usize, usize)>,
    name: usize,
    /// days after the first: equal days test the TAXII cursor's tie-break
    added: u32,
}

fn indicator() -> impl Strategy<Value = Indicator> {
    (
        audience(),
        prop::bool::weighted(0.2),
        prop::collection::btree_set((0..KINDS.len(), 0..VALUES.len()), 0..3),
        0..NAMES.len(),
        0..3u32,
    )
        .prop_map(|(audience, revoked, observables, name, added)| Indicator {
            audience,
            revoked,
            observables,
            name,
            added,
        })
}

impl Indicator {
    fn value(&self) -> String {
        let v: Vec<&str> = self.observables.iter().map(|(_, v)| VALUES[*v]).collect();
        format!("{v:?}")
    }
    fn added_at(&self) -> chrono::NaiveDateTime {
        at(2026, 1, 1 + self.added)
    }
}

fn id(n: usize) -> String {
    format!("00000000-0000-7000-e000-{n:012}")
}

fn write(c: &mut DbConn, n: usize, i: &Indicator) -> Result<(), TestCaseError> {
    let t = at(2026, 1, 1);
    let observables: Vec<(String, String)> = i
        .observables
        .iter()
        .map(|(k, v)| (KINDS[*k].to_owned(), VALUES[*v].to_owned()))
        .collect();
    sharing::insert(
        c,
        &IndicatorRow {
            id: IndicatorId::from_trusted(id(n)),
            stix_id: format!("indicator--{}", id(n)),
            owner_org_id: org(i.audience.owner),
            created_by: Some(person(i.audience.owner * 2)),
            tlp: i.audience.tlp,
            value_key: format!("key-{n}"),
            value: i.value(),
            pattern: "[x:y = 'z']".into(),
            name: NAMES[i.name].to_owned(),
            description: None,
            confidence: None,
            valid_from: t,
            valid_until: None,
            revoked: i.revoked,
            incident_id: None,
            alert_id: None,
            version: 1,
            created_at: t,
            modified_at: t,
            added_at: i.added_at(),
            to_ids: true,
        },
        &observables,
    )
    .db()?;
    i.audience.share(c, sharing::KIND, &id(n))
}

/// A list filter as the list, the TAXII collections and the exports build them.
#[derive(Debug, Clone, Default)]
struct Ask {
    owner: Option<usize>,
    tlp: Option<Vec<Tlp>>,
    kind: Option<usize>,
    revoked: Option<bool>,
    owners: Option<Vec<usize>>,
    /// the reader's organisation (TAXII's "your organisation" collection)
    audience_own: bool,
    added_after: Option<u32>,
    ids: Option<Vec<usize>>,
    search: Option<&'static str>,
    limit: i64,
}

fn ask() -> impl Strategy<Value = Ask> {
    let levels = prop::collection::vec(prop::sample::select(Tlp::ALL.to_vec()), 1..3);
    (
        (
            prop::option::weighted(0.15, 0..ORGS),
            prop::option::weighted(0.3, levels),
            prop::option::weighted(0.15, 0..KINDS.len()),
            prop::option::weighted(0.15, any::<bool>()),
            prop::option::weighted(0.15, prop::collection::vec(0..ORGS, 0..3)),
        ),
        (
            prop::bool::weighted(0.2),
            prop::option::weighted(0.15, 0..3u32),
            prop::option::weighted(0.1, prop::collection::vec(0..12usize, 0..4)),
            prop::option::weighted(0.2, prop::sample::select(SEARCHED.to_vec())),
            prop::sample::select(vec![1i64, 2, 50]),
        ),
    )
        .prop_map(
            |(
                (owner, tlp, kind, revoked, owners),
                (audience_own, added_after, ids, search, limit),
            )| Ask {
                owner,
                tlp,
                kind,
                revoked,
                owners,
                audience_own,
                added_after,
                ids,
                search,
                limit,
            },
        )
}

impl Ask {
    fn filter(&self, own: usize) -> Filter {
        Filter {
            owner_org_id: self.owner.map(org),
            tlp: self.tlp.as_ref().cloned(),
            kind: self.kind.map(|k| KINDS[k].to_owned()),
            revoked: self.revoked,
            incident_id: None,
            owners: self
                .owners
                .as_ref()
                .map(|o| o.iter().map(|o| org(*o)).collect()),
            audience_org: self.audience_own.then(|| org(own)),
            added_after: self.added_after.map(|d| at(2026, 1, 1 + d)),
            stix_ids: None,
            ids: self.ids.as_ref().map(|i| {
                i.iter()
                    .map(|n| IndicatorId::from_trusted(id(*n)))
                    .collect()
            }),
            search: self.search.map(|w| format!("%{w}%")),
            built_only: false,
        }
    }

    fn matches(&self, n: usize, i: &Indicator, own: usize) -> bool {
        let a = &i.audience;
        self.owner.is_none_or(|o| o == a.owner)
            && self.tlp.as_ref().is_none_or(|l| l.contains(&a.tlp))
            && self
                .kind
                .is_none_or(|k| i.observables.iter().any(|(ok, _)| *ok == k))
            && self.revoked.is_none_or(|r| r == i.revoked)
            && self.owners.as_ref().is_none_or(|o| o.contains(&a.owner))
            && (!self.audience_own || a.owner == own || a.orgs.contains(&own))
            && self.added_after.is_none_or(|d| i.added > d)
            && self.ids.as_ref().is_none_or(|ids| ids.contains(&n))
            && self
                .search
                .is_none_or(|w| NAMES[i.name].contains(w) || i.value().contains(w))
    }
}

type World = (
    Vec<Indicator>,
    Vec<Membership>,
    Vec<(Who, Ask, BTreeSet<usize>)>,
);

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(indicator(), 0..12),
        memberships(),
        readers().prop_flat_map(|rs| {
            let n = rs.len();
            (
                Just(rs),
                prop::collection::vec(ask(), n),
                prop::collection::vec(prop::collection::btree_set(0..VALUES.len(), 0..4), n),
            )
                .prop_map(|(rs, asks, looked)| {
                    rs.into_iter()
                        .zip(asks)
                        .zip(looked)
                        .map(|((r, a), l)| (r, a, l))
                        .collect::<Vec<_>>()
                })
        }),
    )
}

fn may_read(p: &Principal, i: &Indicator) -> bool {
    p.may_read(&i.audience.access())
}

fn case(c: &mut DbConn, (records, ms, readers): World) -> Result<(), TestCaseError> {
    for (n, i) in records.iter().enumerate() {
        write(c, n, i)?;
    }
    for (who, ask, looked) in &readers {
        let p = who.principal(&ms);
        let own = super::world::org_of(who.user);
        let rule = p.read_rule();
        let filter = ask.filter(own);
        let admitted: Vec<usize> = (0..records.len())
            .filter(|n| may_read(&p, &records[*n]) && ask.matches(*n, &records[*n], own))
            .collect();
        let expected: BTreeSet<String> = admitted.iter().map(|n| id(*n)).collect();
        let what = |q: &str| format!("{q} for {p:?} asking {ask:?}");

        let listed = all_pages(
            |cursor| sharing::list(c, &rule, &filter, cursor, ask.limit).db(),
            |r: &IndicatorRow| r.id.to_string(),
        )?;
        same_newest_first(&what("list"), &listed, &expected)?;

        // TAXII and the exports: by date added, then id.
        let mut by_added = admitted.clone();
        by_added.sort_by_key(|n| (records[*n].added, id(*n)));
        let by_added: Vec<String> = by_added.into_iter().map(id).collect();
        let served = all_pages(
            |cursor| sharing::list_by_added(c, &rule, &filter, cursor, ask.limit).db(),
            |r: &IndicatorRow| r.id.to_string(),
        )?;
        prop_assert_eq!(&served, &by_added, "{}", what("TAXII pages"));
        let exported: Vec<String> = sharing::all(c, &rule, &filter)
            .db()?
            .into_iter()
            .map(|r| r.id.to_string())
            .collect();
        prop_assert_eq!(&exported, &by_added, "{}", what("export"));

        let counted = sharing::count(c, &rule, &filter).db()?;
        prop_assert_eq!(
            counted,
            i64::try_from(expected.len()).unwrap(),
            "{}",
            what("count")
        );

        // Lookup: the read rule alone, unrevoked indicators, one hit per matching observable.
        let values: Vec<String> = looked.iter().map(|v| VALUES[*v].to_owned()).collect();
        let hits: BTreeSet<(String, String, String)> = sharing::lookup(c, &rule, &values)
            .db()?
            .into_iter()
            .map(|h: LookupHit| (h.indicator_id.to_string(), h.kind, h.value))
            .collect();
        let wanted: BTreeSet<(String, String, String)> = records
            .iter()
            .enumerate()
            .filter(|(_, i)| !i.revoked && may_read(&p, i))
            .flat_map(|(n, i)| {
                i.observables
                    .iter()
                    .filter(|(_, v)| looked.contains(v))
                    .map(move |(k, v)| (id(n), KINDS[*k].to_owned(), VALUES[*v].to_owned()))
            })
            .collect();
        prop_assert_eq!(hits, wanted, "lookup of {:?} for {:?}", values, p);
    }
    Ok(())
}

crate::on_both!(admits_what_the_policy_admits, world(), case);
