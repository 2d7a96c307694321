//! Small random worlds shared by the filter tests: a few organisations with two people each,
//! clusters with memberships over time, records with a random owner, TLP and audience, and random
//! principals. Each test case writes its world in a transaction that is rolled back afterwards,
//! so one database serves every case of a test.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use irnet_domain::ids::{ClusterId, OrgId, UserId};
use irnet_domain::{Grant, Principal, RecordAccess, Role, Scope, Tlp, TokenScope};
use irnet_store::directory::clusters::{self, ClusterRow, MembershipRow};
use irnet_store::directory::orgs::{self, OrgRow};
use irnet_store::identity::users::{self, UserRow};
use irnet_store::{DbConn, Store};
use irnet_testkit::{Backend, TestDb};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

pub(super) const ORGS: usize = 4;
/// Two people per organisation: person `p` works for organisation `p / 2`.
pub(super) const PEOPLE: usize = 2 * ORGS;
pub(super) const CLUSTERS: usize = 2;
/// Cases per test: enough to hit every clause with worlds this small, few enough for seconds.
pub(super) const CASES: u32 = 32;

pub(super) fn org(i: usize) -> String {
    format!("00000000-0000-7000-8000-00000000000{i}")
}
pub(super) fn person(i: usize) -> String {
    format!("00000000-0000-7000-9000-00000000000{i}")
}
pub(super) fn cluster(i: usize) -> String {
    format!("00000000-0000-7000-a000-00000000000{i}")
}
pub(super) fn org_of(person: usize) -> usize {
    person / 2
}
pub(super) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}
pub(super) fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(0, 0, 0).unwrap()
}
/// The day the queries run ("today" for cluster memberships).
pub(super) fn today() -> NaiveDate {
    day(2026, 3, 2)
}

/// A database error inside a case is a failed case (not a panic, which would leave the case's
/// transaction open).
pub(super) trait Db<T> {
    fn db(self) -> Result<T, TestCaseError>;
}
impl<T> Db<T> for QueryResult<T> {
    fn db(self) -> Result<T, TestCaseError> {
        self.map_err(|e| TestCaseError::fail(format!("database: {e}")))
    }
}

/// Who a record is for: its owner, its TLP and the audience beyond the owner. Audience entries
/// may repeat (an organisation both reported to and supporting), as they can in `record_shares`.
#[derive(Debug, Clone)]
pub(super) struct Audience {
    pub owner: usize,
    pub tlp: Tlp,
    pub orgs: Vec<usize>,
    pub people: Vec<usize>,
}

impl Audience {
    pub(super) fn access(&self) -> RecordAccess {
        RecordAccess {
            owner_org: OrgId::from_trusted(org(self.owner)),
            tlp: self.tlp,
            shared_orgs: self
                .orgs
                .iter()
                .map(|o| OrgId::from_trusted(org(*o)))
                .collect(),
            shared_people: self
                .people
                .iter()
                .map(|p| UserId::from_trusted(person(*p)))
                .collect(),
        }
    }

    /// Writes the audience of record `id` of `kind` to `record_shares`, plus one share of the
    /// same id under another kind, which must never count.
    pub(super) fn share(&self, c: &mut DbConn, kind: &str, id: &str) -> Result<(), TestCaseError> {
        let now = at(2026, 1, 1);
        for o in &self.orgs {
            irnet_store::access::share_with(c, kind, id, Some(&org(*o)), None, now).db()?;
        }
        for p in &self.people {
            irnet_store::access::share_with(c, kind, id, None, Some(&person(*p)), now).db()?;
        }
        let (o, p) = ((self.owner + 1) % ORGS, (self.owner * 2 + 3) % PEOPLE);
        irnet_store::access::share_with(c, "other", id, Some(&org(o)), Some(&person(p)), now).db()
    }
}

pub(super) fn tlp() -> impl Strategy<Value = Tlp> {
    prop::sample::select(Tlp::ALL.to_vec())
}

pub(super) fn audience() -> impl Strategy<Value = Audience> {
    (
        0..ORGS,
        tlp(),
        prop::collection::vec(0..ORGS, 0..3),
        prop::collection::vec(0..PEOPLE, 0..3),
    )
        .prop_map(|(owner, tlp, orgs, people)| Audience {
            owner,
            tlp,
            orgs,
            people,
        })
}

/// A membership of org `.0` in cluster `.1`, valid from `.2` until `.3` (half-open).
pub(super) type Membership = (usize, usize, NaiveDate, Option<NaiveDate>);

pub(super) fn membership() -> impl Strategy<Value = Membership> {
    let periods = prop::sample::select(vec![
        (day(2020, 5, 4), None),
        (day(2020, 5, 4), Some(day(2025, 7, 1))),
        (day(2026, 3, 2), None),
        (day(2026, 3, 3), None),
        (day(2025, 7, 1), Some(day(2026, 3, 2))),
        (day(2025, 7, 1), Some(day(2026, 3, 3))),
    ]);
    (0..ORGS, 0..CLUSTERS, periods).prop_map(|(o, c, (from, to))| (o, c, from, to))
}

pub(super) fn memberships() -> impl Strategy<Value = Vec<Membership>> {
    prop::collection::vec(membership(), 0..8)
}

pub(super) fn write_memberships(c: &mut DbConn, ms: &[Membership]) -> Result<(), TestCaseError> {
    for (n, (o, cl, from, to)) in ms.iter().enumerate() {
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
        .db()?;
    }
    Ok(())
}

/// The clusters organisation `o` belongs to on `on`, worked out here from the generated
/// memberships (not by the store).
pub(super) fn clusters_of(ms: &[Membership], o: usize, on: NaiveDate) -> Vec<ClusterId> {
    let set: BTreeSet<usize> = ms
        .iter()
        .filter(|(mo, _, from, to)| *mo == o && *from <= on && to.is_none_or(|t| on < t))
        .map(|(_, cl, _, _)| *cl)
        .collect();
    set.into_iter()
        .map(|cl| ClusterId::from_trusted(cluster(cl)))
        .collect()
}

pub(super) fn grant() -> impl Strategy<Value = Grant> {
    let org_grant = |role: Role| {
        (0..ORGS)
            .prop_map(move |o| Grant::new(role, Scope::Org(OrgId::from_trusted(org(o)))).unwrap())
    };
    prop_oneof![
        1 => Just(Grant::new(Role::Admin, Scope::Network).unwrap()),
        1 => Just(Grant::new(Role::Coordinator, Scope::Network).unwrap()),
        // a lead's reach depends on the memberships of the day: worth trying more often
        3 => (0..CLUSTERS).prop_map(|c| Grant::new(
            Role::ClusterLead,
            Scope::Cluster(ClusterId::from_trusted(cluster(c)))
        )
        .unwrap()),
        1 => org_grant(Role::OrgAdmin),
        1 => org_grant(Role::Responder),
        1 => org_grant(Role::Viewer),
        1 => Just(Grant::new(Role::Viewer, Scope::Network).unwrap()),
    ]
}

/// A reader: one of the people, with random grants (none included) and credential.
#[derive(Debug, Clone)]
pub(super) struct Who {
    pub user: usize,
    pub grants: Vec<Grant>,
    /// clusters the person's organisation leads this year: a lead grant elsewhere confers nothing
    pub leading: Vec<usize>,
    pub access: TokenScope,
}

impl Who {
    /// The principal as the app builds it, with its organisation's clusters of today.
    pub(super) fn principal(&self, ms: &[Membership]) -> Principal {
        let own = org_of(self.user);
        Principal {
            user_id: UserId::from_trusted(person(self.user)),
            org_id: OrgId::from_trusted(org(own)),
            grants: self.grants.clone(),
            org_clusters: clusters_of(ms, own, today()),
            leading_clusters: self
                .leading
                .iter()
                .map(|c| ClusterId::from_trusted(cluster(*c)))
                .collect(),
            access: self.access,
            inherited_orgs: vec![],
            led_predecessors: vec![],
        }
    }
}

pub(super) fn who() -> impl Strategy<Value = Who> {
    (
        0..PEOPLE,
        prop::collection::vec(grant(), 0..3),
        prop::collection::vec(0..CLUSTERS, 0..=CLUSTERS),
        prop_oneof![Just(TokenScope::Read), Just(TokenScope::Write)],
    )
        .prop_map(|(user, grants, leading, access)| Who {
            user,
            grants,
            leading,
            access,
        })
}

/// A few readers per world, so that each world is asked from several sides.
pub(super) fn readers() -> impl Strategy<Value = Vec<Who>> {
    prop::collection::vec(who(), 1..4)
}

/// What every world has: the organisations, their people (with accounts) and the clusters.
fn setup(c: &mut DbConn) {
    let now = at(2026, 1, 1);
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
    for p in 0..PEOPLE {
        users::insert(
            c,
            &UserRow {
                id: person(p),
                ..UserRow::new_account(
                    org(org_of(p)),
                    format!("p{p}@example.vn"),
                    format!("P{p}"),
                    "vi".into(),
                    "x".into(),
                    now,
                )
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

/// Runs `case` on `cases` random values of `strategy` against a fresh database of `backend`,
/// each case inside a transaction rolled back afterwards.
pub(super) async fn run<S>(
    backend: Backend,
    cases: u32,
    strategy: S,
    case: fn(&mut DbConn, S::Value) -> Result<(), TestCaseError>,
) where
    S: Strategy + Send + 'static,
{
    let db = TestDb::new(backend);
    let store = Store::open(db.target.clone(), 1).await.unwrap();
    store.migrate().await.unwrap();
    store
        .read(move |c| {
            setup(c);
            // The runner takes an `Fn`; the connection is used by one case at a time.
            let c = std::cell::RefCell::new(c);
            let mut runner = TestRunner::new(Config {
                cases,
                // the failing world is printed in full; there is no source file to keep it in
                failure_persistence: None,
                ..Config::default()
            });
            let result = runner.run(&strategy, |value| {
                let mut guard = c.borrow_mut();
                let c: &mut DbConn = &mut guard;
                let mut outcome = Ok(());
                let _ = c.transaction::<(), diesel::result::Error, _>(|c| {
                    outcome = case(c, value);
                    Err(diesel::result::Error::RollbackTransaction)
                });
                outcome
            });
            if let Err(e) = result {
                panic!("{backend:?}: {e}");
            }
            Ok::<_, irnet_store::StoreError>(())
        })
        .await
        .unwrap();
}

/// One test per kind, run as two named cases (`…::sqlite`, `…::postgres`), so that a PostgreSQL
/// failure says so in its name.
#[macro_export]
macro_rules! on_both {
    ($name:ident, $strategy:expr, $case:expr) => {
        $crate::on_both!(
            $name,
            $crate::policy_filters::world::CASES,
            $strategy,
            $case
        );
    };
    ($name:ident, $cases:expr, $strategy:expr, $case:expr) => {
        #[irnet_testkit::both]
        async fn $name(backend: irnet_testkit::Backend) {
            $crate::policy_filters::world::run(backend, $cases, $strategy, $case).await;
        }
    };
}

/// The ids of every page of a paged list, in order, failing on a cursor loop.
pub(super) fn all_pages<T>(
    mut page: impl FnMut(Option<&str>) -> Result<irnet_store::page::Page<T>, TestCaseError>,
    id: impl Fn(&T) -> String,
) -> Result<Vec<String>, TestCaseError> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..200 {
        let p = page(cursor.as_deref())?;
        out.extend(p.items.iter().map(&id));
        match p.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
    Err(TestCaseError::fail("the pages never end"))
}

/// Checks a newest-first list: no id twice, ids descending, and exactly the `expected` set.
pub(super) fn same_newest_first(
    what: &str,
    got: &[String],
    expected: &BTreeSet<String>,
) -> Result<(), TestCaseError> {
    let set: BTreeSet<String> = got.iter().cloned().collect();
    prop_assert_eq!(&set, expected, "{}: the ids listed", what);
    prop_assert_eq!(set.len(), got.len(), "{}: an id listed twice", what);
    prop_assert!(
        got.windows(2).all(|w| w[0] > w[1]),
        "{}: not newest first: {:?}",
        what,
        got
    );
    Ok(())
}
