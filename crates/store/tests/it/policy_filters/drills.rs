//! The drills list (`drill_visible!`) admits exactly the drills the policy gives the reader a part
//! in (`Principal::drill_role`): organisers by cluster lead or coordinator, per-drill grants to a
//! team or a person, external drills for everyone taking part.

use std::collections::BTreeSet;

use irnet_domain::drills::{DrillRole, Kind, State};
use irnet_domain::ids::{ClusterId, DrillId, OrgId, UserId};
use irnet_domain::policy::{DrillFacts, DrillGrant};
use irnet_store::DbConn;
use irnet_store::drills::{self, DrillRow, MemberRow};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::world::{
    CLUSTERS, Db, Membership, ORGS, PEOPLE, Who, at, cluster, memberships, org, person, readers,
};

#[derive(Debug, Clone)]
struct Drill {
    kind: Kind,
    cluster: Option<usize>,
    /// (role, org or person index, is a person)
    grants: Vec<(DrillRole, usize, bool)>,
}

fn drill() -> impl Strategy<Value = Drill> {
    (
        prop::sample::select(Kind::ALL.to_vec()),
        prop::option::of(0..CLUSTERS),
        prop::collection::vec(
            (
                prop::sample::select(DrillRole::ALL.to_vec()),
                0..PEOPLE,
                any::<bool>(),
            ),
            0..4,
        ),
    )
        .prop_map(|(kind, cluster, grants)| Drill {
            kind,
            cluster,
            grants: grants
                .into_iter()
                .map(|(r, i, p)| (r, if p { i } else { i % ORGS }, p))
                .collect(),
        })
}

fn id(n: usize) -> String {
    format!("00000000-0000-7000-d000-{n:012}")
}

impl Drill {
    fn facts(&self) -> DrillFacts {
        DrillFacts {
            kind: self.kind,
            organiser_cluster: self.cluster.map(|c| ClusterId::from_trusted(cluster(c))),
            grants: self
                .grants
                .iter()
                .map(|(role, i, is_person)| DrillGrant {
                    role: *role,
                    org: (!is_person).then(|| OrgId::from_trusted(org(*i))),
                    person: is_person.then(|| UserId::from_trusted(person(*i))),
                })
                .collect(),
        }
    }
}

fn write(c: &mut DbConn, n: usize, d: &Drill) -> Result<(), TestCaseError> {
    let t = at(2026, 3, 1);
    drills::insert(
        c,
        &DrillRow {
            id: DrillId::from_trusted(id(n)),
            kind: d.kind,
            title: format!("Drill {n}"),
            organiser_cluster_id: d.cluster.map(cluster),
            organiser_name: None,
            theme: String::new(),
            rules: String::new(),
            starts_at: t,
            ends_at: at(2026, 3, 2),
            utc_offset_minutes: 420,
            state: State::Planned,
            attempts_allowed: 1,
            frozen_at: None,
            created_by: None,
            created_at: t,
            updated_at: t,
        },
    )
    .db()?;
    let mut seen = BTreeSet::new();
    for (k, (role, i, is_person)) in d.grants.iter().enumerate() {
        if !seen.insert((role.as_str(), *i, *is_person)) {
            continue; // one grant of a part per team or person
        }
        drills::add_member(
            c,
            &MemberRow {
                id: format!("{}-m{k}", id(n)),
                drill_id: DrillId::from_trusted(id(n)),
                role: *role,
                org_id: (!is_person).then(|| org(*i)),
                user_id: is_person.then(|| person(*i)),
                created_at: t,
            },
        )
        .db()?;
    }
    Ok(())
}

type World = (Vec<Drill>, Vec<Membership>, Vec<Who>);

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(drill(), 0..10),
        memberships(),
        readers(),
    )
}

fn case(c: &mut DbConn, (records, ms, readers): World) -> Result<(), TestCaseError> {
    for (n, d) in records.iter().enumerate() {
        write(c, n, d)?;
    }
    for who in &readers {
        let p = who.principal(&ms);
        let expected: BTreeSet<String> = records
            .iter()
            .enumerate()
            .filter(|(_, d)| p.drill_role(&d.facts()).is_some())
            .map(|(n, _)| id(n))
            .collect();
        let listed: BTreeSet<String> = drills::list(c, &p.drill_read_rule())
            .db()?
            .into_iter()
            .map(|r| r.id.as_str().to_owned())
            .collect();
        prop_assert_eq!(listed, expected, "drills listed for {:?}", p);
    }
    Ok(())
}

crate::on_both!(admits_what_the_policy_admits, world(), case);
