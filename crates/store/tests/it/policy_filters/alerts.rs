//! Alert lists and counts (`alerts::filtered!`: the coordinator's network levels, the audience
//! through `tlp_visible!`, drafts for their sender) admit exactly the alerts the policy lets the
//! reader open: `Principal::alert_read_rule`, and a draft for its sender organisation only (as
//! `app::alerts::load` decides a direct read).

use std::collections::BTreeSet;

use irnet_domain::Principal;
use irnet_domain::alert::Status;
use irnet_domain::ids::AlertId;
use irnet_store::DbConn;
use irnet_store::alerts::{self, AlertRow, Filter, RecipientRow};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::world::{
    Audience, Db, Membership, Who, all_pages, at, audience, memberships, org, person, readers,
    same_newest_first,
};

#[derive(Debug, Clone)]
struct Alert {
    audience: Audience,
    sent: bool,
    /// whether each recipient (the shared organisations, once each) acknowledged it
    acked: Vec<bool>,
}

impl Alert {
    fn recipients(&self) -> Vec<usize> {
        let set: BTreeSet<usize> = self.audience.orgs.iter().copied().collect();
        set.into_iter().collect()
    }
    fn acked_by(&self, o: usize) -> bool {
        self.recipients()
            .iter()
            .position(|r| *r == o)
            .is_some_and(|k| self.acked.get(k).copied().unwrap_or(false))
    }
}

fn alert() -> impl Strategy<Value = Alert> {
    (
        audience(),
        any::<bool>(),
        prop::collection::vec(any::<bool>(), 3),
    )
        .prop_map(|(audience, sent, acked)| Alert {
            audience,
            sent,
            acked,
        })
}

fn id(n: usize) -> String {
    format!("00000000-0000-7000-c000-{n:012}")
}

fn write(c: &mut DbConn, n: usize, a: &Alert) -> Result<(), TestCaseError> {
    let t = at(2026, 2, 1);
    alerts::insert(
        c,
        &AlertRow {
            id: AlertId::from_trusted(id(n)),
            sender_org_id: org(a.audience.owner),
            created_by: person(a.audience.owner * 2),
            status: if a.sent { Status::Sent } else { Status::Draft },
            tlp: a.audience.tlp,
            title: format!("Alert {n}"),
            description: String::new(),
            severity: "high".into(),
            products: "[]".into(),
            cves: "[]".into(),
            actions: String::new(),
            action_deadline: None,
            audience: "{}".into(),
            sent_at: a.sent.then_some(t),
            sent_by: None,
            created_at: t,
            updated_at: t,
        },
    )
    .db()?;
    a.audience.share(c, alerts::KIND, &id(n))?;
    for o in a.recipients() {
        alerts::insert_recipient(
            c,
            &RecipientRow {
                id: format!("{}-r{o}", id(n)),
                alert_id: AlertId::from_trusted(id(n)),
                org_id: org(o),
                org_name_vi: format!("Đơn vị {o}"),
                org_name_en: None,
                acknowledged_at: a.acked_by(o).then_some(t),
                acknowledged_by_user: None,
                acknowledged_by_person: None,
                acknowledged_by_name: None,
                action_status: None,
                action_note: None,
                reported_at: None,
                reported_by_user: None,
                chase_step: 0,
                created_at: t,
            },
        )
        .db()?;
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
enum Direction {
    Any,
    Sent,
    Received,
}

/// What the reader asks for, as the app's list query (`direction`, `status`, `pending`).
#[derive(Debug, Clone)]
struct Ask {
    status: Option<bool>,
    direction: Direction,
    pending: bool,
    limit: i64,
}

fn ask() -> impl Strategy<Value = Ask> {
    (
        prop::option::weighted(0.3, any::<bool>()),
        prop_oneof![
            3 => Just(Direction::Any),
            1 => Just(Direction::Sent),
            1 => Just(Direction::Received)
        ],
        prop::bool::weighted(0.2),
        prop::sample::select(vec![1i64, 2, 50]),
    )
        .prop_map(|(status, direction, pending, limit)| Ask {
            status,
            direction,
            pending,
            limit,
        })
}

impl Ask {
    /// The filter as `app::alerts::filter_of` builds it for the reader's organisation.
    fn filter(&self, own: usize) -> Filter {
        Filter {
            own_org: org(own),
            status: self
                .status
                .map(|sent| if sent { Status::Sent } else { Status::Draft }),
            sent_by: matches!(self.direction, Direction::Sent).then(|| org(own)),
            received_by: matches!(self.direction, Direction::Received).then(|| org(own)),
            pending_for: self.pending.then(|| org(own)),
        }
    }

    fn matches(&self, own: usize, a: &Alert) -> bool {
        let received = a.recipients().contains(&own);
        self.status.is_none_or(|sent| sent == a.sent)
            && match self.direction {
                Direction::Any => true,
                Direction::Sent => a.audience.owner == own,
                Direction::Received => received,
            }
            && (!self.pending || (received && !a.acked_by(own)))
    }
}

/// The policy: the alert rule, and a draft is its sender organisation's alone.
fn may_open(p: &Principal, own: usize, a: &Alert) -> bool {
    (a.sent || a.audience.owner == own) && p.alert_read_rule().admits(&a.audience.access())
}

type World = (Vec<Alert>, Vec<Membership>, Vec<(Who, Ask)>);

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(alert(), 0..12),
        memberships(),
        readers().prop_flat_map(|rs| {
            let n = rs.len();
            (Just(rs), prop::collection::vec(ask(), n))
                .prop_map(|(rs, asks)| rs.into_iter().zip(asks).collect::<Vec<_>>())
        }),
    )
}

fn case(c: &mut DbConn, (records, ms, readers): World) -> Result<(), TestCaseError> {
    for (n, a) in records.iter().enumerate() {
        write(c, n, a)?;
    }
    for (who, ask) in &readers {
        let p = who.principal(&ms);
        let own = super::world::org_of(who.user);
        let filter = ask.filter(own);
        let rule = p.alert_read_rule();
        let expected: BTreeSet<String> = records
            .iter()
            .enumerate()
            .filter(|(_, a)| may_open(&p, own, a) && ask.matches(own, a))
            .map(|(n, _)| id(n))
            .collect();
        let listed = all_pages(
            |cursor| alerts::list(c, &rule, &filter, cursor, ask.limit).db(),
            |r: &AlertRow| r.id.to_string(),
        )?;
        same_newest_first(
            &format!("list for {p:?} asking {ask:?}"),
            &listed,
            &expected,
        )?;
        let counted = alerts::count(c, &rule, &filter).db()?;
        prop_assert_eq!(
            counted,
            i64::try_from(expected.len()).unwrap(),
            "count for {:?} asking {:?}",
            p,
            ask
        );
    }
    Ok(())
}

crate::on_both!(admits_what_the_policy_admits, world(), case);
