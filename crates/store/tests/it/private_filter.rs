//! `org_private_visible!` (the SQL that filters people and systems in searches and lists) admits
//! exactly the organisations `Principal::may_read_org_private` admits, for random principals,
//! cluster memberships over time and days, on both databases.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use diesel::prelude::*;
use irnet_domain::ids::{ClusterId, OrgId, UserId};
use irnet_domain::{Grant, OrgRef, Principal, Role, Scope, TokenScope};
use irnet_store::directory::clusters::{self, ClusterRow, MembershipRow};
use irnet_store::directory::orgs::{self, OrgRow};
use irnet_store::schema::{cluster_memberships, organisations};
use irnet_store::{DbConn, Store};
use irnet_testkit::{Backend, TestDb, both};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const ORGS: usize = 4;
const CLUSTERS: usize = 2;

fn org(i: usize) -> String {
    format!("00000000-0000-7000-8000-00000000000{i}")
}
fn cluster(i: usize) -> String {
    format!("00000000-0000-7000-a000-00000000000{i}")
}
fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A membership of org `.0` in cluster `.1`, valid from `.2` until `.3` (half-open).
type Membership = (usize, usize, NaiveDate, Option<NaiveDate>);

fn membership() -> impl Strategy<Value = Membership> {
    let periods = prop::sample::select(vec![
        (day(2020, 5, 4), None),
        (day(2020, 5, 4), Some(day(2025, 7, 1))),
        (day(2025, 7, 1), None),
        (day(2025, 7, 1), Some(day(2025, 7, 2))),
    ]);
    (0..ORGS, 0..CLUSTERS, periods).prop_map(|(o, c, (from, to))| (o, c, from, to))
}

fn grant() -> impl Strategy<Value = Grant> {
    prop_oneof![
        Just(Grant::new(Role::Admin, Scope::Network).unwrap()),
        Just(Grant::new(Role::Coordinator, Scope::Network).unwrap()),
        (0..CLUSTERS).prop_map(|c| Grant::new(
            Role::ClusterLead,
            Scope::Cluster(ClusterId::from_trusted(cluster(c)))
        )
        .unwrap()),
        (0..ORGS).prop_map(
            |o| Grant::new(Role::OrgAdmin, Scope::Org(OrgId::from_trusted(org(o)))).unwrap()
        ),
        (0..ORGS).prop_map(|o| Grant::new(
            Role::Responder,
            Scope::Org(OrgId::from_trusted(org(o)))
        )
        .unwrap()),
        Just(Grant::new(Role::Viewer, Scope::Network).unwrap()),
    ]
}

fn setup(c: &mut DbConn) {
    let now = day(2026, 1, 1).and_hms_opt(0, 0, 0).unwrap();
    for i in 0..ORGS {
        orgs::insert(
            c,
            &OrgRow {
                id: org(i),
                name_vi: format!("Đơn vị {i}"),
                name_en: None,
                short_name: None,
                kind: "other".into(),
                name_folded: format!("don vi {i}"),
                created_at: now,
                updated_at: now,
                member_code: None,
            },
        )
        .unwrap();
    }
    for i in 0..CLUSTERS {
        clusters::insert(
            c,
            &ClusterRow {
                id: cluster(i),
                number: i32::try_from(i).unwrap() + 1,
                name_vi: format!("Cụm {i}"),
                name_en: None,
                created_at: now,
                founding_decision: None,
                founding_date: None,
                founding_issuer: None,
            },
        )
        .unwrap();
    }
}

#[both]
async fn the_sql_filter_admits_exactly_the_organisations_the_policy_admits(backend: Backend) {
    let db = TestDb::new(backend);
    let store = Store::open(db.target.clone(), 1).await.unwrap();
    store.migrate().await.unwrap();
    store
        .read(move |c| {
            setup(c);
            let c = std::cell::RefCell::new(c);
            let mut runner = TestRunner::new(Config {
                cases: 64,
                ..Config::default()
            });
            let on =
                prop::sample::select(vec![day(2024, 12, 31), day(2025, 7, 1), day(2026, 3, 2)]);
            let strategy = (
                prop::collection::vec(membership(), 0..6),
                0..ORGS,
                prop::collection::vec(grant(), 0..3),
                on,
                prop::collection::vec(0..CLUSTERS, 0..CLUSTERS),
            );
            runner
                .run(&strategy, |(memberships, own, grants, on, leading)| {
                    let mut guard = c.borrow_mut();
                    let c: &mut DbConn = &mut guard;
                    diesel::delete(cluster_memberships::table)
                        .execute(c)
                        .unwrap();
                    for (n, (o, cl, from, to)) in memberships.iter().enumerate() {
                        clusters::insert_membership(
                            c,
                            &MembershipRow {
                                id: format!("m-{n}"),
                                cluster_id: cluster(*cl),
                                org_id: org(*o),
                                valid_from: *from,
                                valid_to: *to,
                                reason: "founding".into(),
                            },
                        )
                        .unwrap();
                    }
                    let principal = Principal {
                        user_id: UserId::from_trusted("u".into()),
                        org_id: OrgId::from_trusted(org(own)),
                        grants,
                        org_clusters: vec![],
                        leading_clusters: leading
                            .iter()
                            .map(|l| ClusterId::from_trusted(cluster(*l)))
                            .collect(),
                        access: TokenScope::Read,
                        inherited_orgs: vec![],
                        led_predecessors: vec![],
                    };
                    let rule = principal.private_read_rule();
                    let mut q = organisations::table.select(organisations::id).into_boxed();
                    if let Some(visible) =
                        irnet_store::org_private_visible!(&rule, on, organisations::id)
                    {
                        q = q.filter(visible);
                    }
                    let in_sql: BTreeSet<String> = q.load(c).unwrap().into_iter().collect();
                    // The policy, with each organisation's clusters of that day worked out
                    // here from the generated memberships (not by the store).
                    let in_rust: BTreeSet<String> = (0..ORGS)
                        .filter(|o| {
                            let clusters = memberships
                                .iter()
                                .filter(|(mo, _, from, to)| {
                                    mo == o && *from <= on && to.is_none_or(|t| on < t)
                                })
                                .map(|(_, cl, _, _)| ClusterId::from_trusted(cluster(*cl)))
                                .collect();
                            principal.may_read_org_private(&OrgRef {
                                org_id: OrgId::from_trusted(org(*o)),
                                clusters,
                            })
                        })
                        .map(org)
                        .collect();
                    prop_assert_eq!(in_sql, in_rust);
                    Ok(())
                })
                .unwrap();
            Ok::<_, irnet_store::StoreError>(())
        })
        .await
        .unwrap();
}
