//! The directory's private part: people, 24/7 focal points and information systems, in the
//! exports (`people::visible`, `systems::visible` through `private::org_ids`), the search
//! (`search::matching` through `org_private_visible!`) and an organisation's own lists (after
//! the use-case's check with the clusters the store reads for the day), admit exactly the rows
//! of organisations `Principal::may_read_org_private` admits on that day.

use std::collections::{BTreeMap, BTreeSet};

use irnet_domain::ids::{ClusterId, OrgId};
use irnet_domain::search::words;
use irnet_domain::{OrgRef, Principal};
use irnet_store::DbConn;
use irnet_store::directory::clusters;
use irnet_store::directory::people::{self, FocalPointRow, PersonRow};
use irnet_store::directory::private::PrivateScope;
use irnet_store::directory::search::{self, PERSON, Reader, SYSTEM};
use irnet_store::directory::systems::{self, SystemRow};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::world::{Db, Membership, ORGS, Who, at, clusters_of, memberships, org, readers, today};

const FAMILY: [&str; 3] = ["nguyen", "tran", "le"];
const GIVEN: [&str; 3] = ["an", "anh", "binh"];
const SYSTEMS: [&str; 3] = ["mail server", "web portal", "dns resolver"];
/// Searched words: whole words, prefixes of one or more, and none.
const SEARCHED: [&str; 9] = [
    "ng", "nguyen", "an", "anh", "tran", "mail", "web", "ser", "zzz",
];

#[derive(Debug, Clone)]
struct Person {
    org: usize,
    family: usize,
    given: usize,
    /// named the organisation's main (true) or backup (false) focal point
    focal: Option<bool>,
}

#[derive(Debug, Clone)]
struct System {
    owner: usize,
    operator: Option<usize>,
    name: usize,
}

fn person_row() -> impl Strategy<Value = Person> {
    (
        0..ORGS,
        0..FAMILY.len(),
        0..GIVEN.len(),
        prop::option::weighted(0.4, any::<bool>()),
    )
        .prop_map(|(org, family, given, focal)| Person {
            org,
            family,
            given,
            focal,
        })
}

fn system_row() -> impl Strategy<Value = System> {
    (0..ORGS, prop::option::of(0..ORGS), 0..SYSTEMS.len()).prop_map(|(owner, operator, name)| {
        System {
            owner,
            operator,
            name,
        }
    })
}

fn person_id(n: usize) -> String {
    format!("00000000-0000-7000-f000-{n:012}")
}
fn system_id(n: usize) -> String {
    format!("00000000-0000-7000-f100-{n:012}")
}

fn write(c: &mut DbConn, ps: &[Person], ss: &[System]) -> Result<(), TestCaseError> {
    let t = at(2026, 1, 1);
    for (n, p) in ps.iter().enumerate() {
        people::insert(
            c,
            &PersonRow {
                id: person_id(n),
                org_id: org(p.org),
                family_name: FAMILY[p.family].to_owned(),
                middle_name: None,
                given_name: GIVEN[p.given].to_owned(),
                title: None,
                phones: "[]".into(),
                emails: "[]".into(),
                user_id: None,
                created_at: t,
                updated_at: t,
            },
        )
        .db()?;
        if let Some(main) = p.focal {
            people::set_focal_point(
                c,
                &FocalPointRow {
                    id: format!("f-{n}"),
                    org_id: org(p.org),
                    kind: if main { "main" } else { "backup" }.to_owned(),
                    person_id: person_id(n),
                    since: t,
                    confirmed_at: t,
                },
            )
            .db()?;
        }
    }
    for (n, s) in ss.iter().enumerate() {
        systems::insert(
            c,
            &SystemRow {
                id: system_id(n),
                owner_org_id: org(s.owner),
                operator_org_id: s.operator.map(org),
                name: SYSTEMS[s.name].to_owned(),
                purpose: None,
                information_classes: "[]".into(),
                proposed_level: None,
                approved_level: None,
                approver: None,
                approval_decision: None,
                approval_date: None,
                public_urls: "[]".into(),
                domains: "[]".into(),
                ip_ranges: "[]".into(),
                internet_facing: false,
                critical: false,
                created_at: t,
                updated_at: t,
                os: None,
                os_version: None,
            },
        )
        .db()?;
    }
    Ok(())
}

/// The store's scope for the exports, as `app::directory::export::private_scope` builds it.
fn scope(p: &Principal) -> PrivateScope {
    let rule = p.private_read_rule();
    if rule.all {
        PrivateScope::All
    } else {
        PrivateScope::Some {
            orgs: rule.orgs.iter().map(|o| o.as_str().to_owned()).collect(),
            led_clusters: rule
                .led_clusters
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            day: today(),
        }
    }
}

/// Every word of `query` starts a word of `text`.
fn found(query: &[String], text: &str) -> bool {
    let tokens = words(text);
    query
        .iter()
        .all(|w| tokens.iter().any(|t| t.starts_with(w)))
}

type World = (
    Vec<Person>,
    Vec<System>,
    Vec<Membership>,
    Vec<(Who, Vec<&'static str>, usize)>,
);

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(person_row(), 0..10),
        prop::collection::vec(system_row(), 0..8),
        memberships(),
        readers().prop_flat_map(|rs| {
            let n = rs.len();
            let query = (
                prop::collection::vec(prop::sample::select(SEARCHED.to_vec()), 1..3),
                0..2usize,
            );
            (Just(rs), prop::collection::vec(query, n)).prop_map(|(rs, qs)| {
                rs.into_iter()
                    .zip(qs)
                    .map(|(r, (q, d))| (r, q, d))
                    .collect::<Vec<_>>()
            })
        }),
    )
}

fn case(c: &mut DbConn, (ps, ss, ms, readers): World) -> Result<(), TestCaseError> {
    super::world::write_memberships(c, &ms)?;
    write(c, &ps, &ss)?;
    // The focal points left after each naming replaced the previous holder: (org, kind) → person.
    let mut focal: BTreeMap<(usize, bool), usize> = BTreeMap::new();
    for (n, p) in ps.iter().enumerate() {
        if let Some(main) = p.focal {
            focal.insert((p.org, main), n);
        }
    }
    for (who, query, driver) in &readers {
        let p = who.principal(&ms);
        // The policy, with each organisation's clusters of the day worked out here.
        let may = |o: usize| {
            p.may_read_org_private(&OrgRef {
                org_id: OrgId::from_trusted(org(o)),
                clusters: clusters_of(&ms, o, today()),
            })
        };
        let people_wanted: BTreeSet<String> = (0..ps.len())
            .filter(|n| may(ps[*n].org))
            .map(person_id)
            .collect();
        let systems_wanted: BTreeSet<String> = (0..ss.len())
            .filter(|n| may(ss[*n].owner) || ss[*n].operator.is_some_and(may))
            .map(system_id)
            .collect();

        // Exports.
        let scope = scope(&p);
        let exported: BTreeSet<String> = people::visible(c, &scope)
            .db()?
            .into_iter()
            .map(|r| r.id)
            .collect();
        prop_assert_eq!(&exported, &people_wanted, "people export for {:?}", p);
        let exported: BTreeSet<String> = systems::visible(c, &scope)
            .db()?
            .into_iter()
            .map(|r| r.id)
            .collect();
        prop_assert_eq!(&exported, &systems_wanted, "systems export for {:?}", p);

        // Search.
        let query: Vec<String> = query.iter().flat_map(|w| words(w)).collect();
        let driver = (*driver).min(query.len() - 1);
        let rule = p.private_read_rule();
        let reader = Reader {
            rule: &rule,
            day: today(),
        };
        let (hits, _) = search::matching(c, PERSON, &query, driver, Some(reader), 1000).db()?;
        let hits: BTreeSet<String> = hits.into_iter().collect();
        let wanted: BTreeSet<String> = (0..ps.len())
            .filter(|n| {
                let x = &ps[*n];
                found(&query, &format!("{} {}", FAMILY[x.family], GIVEN[x.given]))
            })
            .map(person_id)
            .filter(|id| people_wanted.contains(id))
            .collect();
        prop_assert_eq!(hits, wanted, "people search {:?} for {:?}", query, p);
        let (hits, _) = search::matching(c, SYSTEM, &query, driver, Some(reader), 1000).db()?;
        let hits: BTreeSet<String> = hits.into_iter().collect();
        let wanted: BTreeSet<String> = (0..ss.len())
            .filter(|n| found(&query, SYSTEMS[ss[*n].name]))
            .map(system_id)
            .filter(|id| systems_wanted.contains(id))
            .collect();
        prop_assert_eq!(hits, wanted, "systems search {:?} for {:?}", query, p);

        // An organisation's own lists, behind the use-case's check with the store's clusters.
        for o in 0..ORGS {
            let clusters: Vec<ClusterId> = clusters::clusters_of_org(c, &org(o), today())
                .db()?
                .into_iter()
                .map(ClusterId::from_trusted)
                .collect();
            let open = p.may_read_org_private(&OrgRef {
                org_id: OrgId::from_trusted(org(o)),
                clusters,
            });
            prop_assert_eq!(open, may(o), "{:?} on organisation {}", p, o);
            if !open {
                continue;
            }
            let listed: BTreeSet<String> = people::of_orgs(c, &[org(o)])
                .db()?
                .into_iter()
                .map(|r| r.id)
                .collect();
            let wanted: BTreeSet<String> = (0..ps.len())
                .filter(|n| ps[*n].org == o)
                .map(person_id)
                .collect();
            prop_assert_eq!(listed, wanted, "people of {} for {:?}", o, p);
            let points: BTreeSet<String> = people::focal_points_of(c, &org(o))
                .db()?
                .into_iter()
                .map(|f| f.person_id)
                .collect();
            let wanted: BTreeSet<String> = focal
                .iter()
                .filter(|((fo, _), _)| *fo == o)
                .map(|(_, n)| person_id(*n))
                .collect();
            prop_assert_eq!(points, wanted, "focal points of {} for {:?}", o, p);
            let listed: BTreeSet<String> = systems::of_org(c, &org(o))
                .db()?
                .into_iter()
                .map(|r| r.id)
                .collect();
            let wanted: BTreeSet<String> = (0..ss.len())
                .filter(|n| ss[*n].owner == o || ss[*n].operator == Some(o))
                .map(system_id)
                .collect();
            prop_assert_eq!(listed, wanted, "systems of {} for {:?}", o, p);
        }
    }
    Ok(())
}

// More cases than the others: a lead's reach turns on one membership period among several, and
// the directory's worlds are cheap.
crate::on_both!(admits_what_the_policy_admits, 96, world(), case);
