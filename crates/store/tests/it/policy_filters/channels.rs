//! Channel messages: the list, the live stream's re-read (`after`), the newest id a stream opens
//! at and the unread counts (`channels::visible_in!` through `tlp_visible!`) admit exactly the
//! messages `Principal::may_read_message` admits, in every channel the reader may read
//! (`Principal::may_read_channel`, the use-case's check before it asks the store).

use std::collections::{BTreeMap, BTreeSet};

use irnet_domain::Channel;
use irnet_domain::ids::{ClusterId, MessageId};
use irnet_store::DbConn;
use irnet_store::channels::{self, MessageRow};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::world::{
    Audience, CLUSTERS, Db, Membership, PEOPLE, Who, all_pages, at, audience, cluster, memberships,
    org, person, readers, same_newest_first,
};

/// The network's channel and one per cluster.
fn channel(k: usize) -> Channel {
    match k {
        0 => Channel::Network,
        k => Channel::Cluster(ClusterId::from_trusted(cluster(k - 1))),
    }
}

#[derive(Debug, Clone)]
struct Message {
    channel: usize,
    audience: Audience,
    /// which of the owner's two people posted it
    author: usize,
}

impl Message {
    fn author(&self) -> String {
        person(self.audience.owner * 2 + self.author)
    }
}

fn message() -> impl Strategy<Value = Message> {
    (0..=CLUSTERS, audience(), 0..2usize).prop_map(|(channel, audience, author)| Message {
        channel,
        audience,
        author,
    })
}

fn id(n: usize) -> String {
    format!("00000000-0000-7000-d000-{n:012}")
}

const MESSAGES: usize = 14;

/// (person, channel) → the message their read marker points at (it may be in another channel
/// or not exist: markers are compared as ids).
type Markers = BTreeMap<(usize, usize), usize>;

type World = (Vec<Message>, Markers, Vec<Membership>, Vec<(Who, usize)>);

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(message(), 0..MESSAGES),
        prop::collection::btree_map((0..PEOPLE, 0..=CLUSTERS), 0..MESSAGES, 0..6),
        memberships(),
        readers().prop_flat_map(|rs| {
            let n = rs.len();
            (Just(rs), prop::collection::vec(0..MESSAGES, n))
                .prop_map(|(rs, anchors)| rs.into_iter().zip(anchors).collect::<Vec<_>>())
        }),
    )
}

fn case(c: &mut DbConn, (records, markers, ms, readers): World) -> Result<(), TestCaseError> {
    for (n, m) in records.iter().enumerate() {
        channels::insert(
            c,
            &MessageRow {
                id: MessageId::from_trusted(id(n)),
                channel: channel(m.channel),
                owner_org_id: org(m.audience.owner),
                created_by: m.author(),
                tlp: m.audience.tlp,
                body: format!("message {n}"),
                indicator_ids: "[]".into(),
                mentions: "[]".into(),
                created_at: at(2026, 2, 1),
            },
        )
        .db()?;
        m.audience.share(c, channels::KIND, &id(n))?;
    }
    for ((who, ch), msg) in &markers {
        channels::mark_read(
            c,
            &person(*who),
            &channel(*ch),
            &MessageId::from_trusted(id(*msg)),
            at(2026, 2, 2),
        )
        .db()?;
    }
    for (who, anchor) in &readers {
        let p = who.principal(&ms);
        let rule = p.message_read_rule();
        for k in 0..=CLUSTERS {
            let ch = channel(k);
            let expected: BTreeSet<String> = records
                .iter()
                .enumerate()
                .filter(|(_, m)| m.channel == k && p.may_read_message(&ch, &m.audience.access()))
                .map(|(n, _)| id(n))
                .collect();
            if !p.may_read_channel(&ch) {
                // The use-case answers "not found" without asking the store.
                prop_assert!(expected.is_empty(), "{:?} reads messages of {:?}", p, ch);
                continue;
            }
            let key = &ch;
            let what = |q: &str| format!("{q} of {ch:?} for {p:?}");
            for limit in [1, 3, 50] {
                let listed = all_pages(
                    |cursor| channels::list(c, key, &rule, cursor, limit).db(),
                    |r: &MessageRow| r.id.to_string(),
                )?;
                same_newest_first(&what("list"), &listed, &expected)?;
            }
            // The stream: everything after an anchor, oldest first.
            for after in [None, Some(id(*anchor))] {
                let from = after.clone().map(MessageId::from_trusted);
                let streamed: Vec<String> = channels::after(c, key, &rule, from.as_ref(), 200)
                    .db()?
                    .into_iter()
                    .map(|r| r.id.to_string())
                    .collect();
                let wanted: Vec<String> = expected
                    .iter()
                    .filter(|m| after.as_ref().is_none_or(|a| *m > a))
                    .cloned()
                    .collect();
                prop_assert_eq!(streamed, wanted, "{}", what(&format!("after {after:?}")));
            }
            let newest = channels::newest_id(c, key, &rule)
                .db()?
                .map(|m| m.to_string());
            prop_assert_eq!(newest, expected.last().cloned(), "{}", what("newest"));
            let marker = markers.get(&(who.user, k)).map(|m| id(*m));
            let unread = channels::unread(c, key, &rule, &person(who.user)).db()?;
            let wanted = records
                .iter()
                .enumerate()
                .filter(|(n, m)| {
                    expected.contains(&id(*n))
                        && m.author() != person(who.user)
                        && marker.as_ref().is_none_or(|mk| id(*n) > *mk)
                })
                .count();
            prop_assert_eq!(
                unread,
                i64::try_from(wanted).unwrap(),
                "{}",
                what(&format!("unread after marker {marker:?}"))
            );
        }
    }
    Ok(())
}

crate::on_both!(admits_what_the_policy_admits, world(), case);
