//! The canary's oracle: who may read each seeded marker, written out from the rules stated in
//! `docs/ARCHITECTURE.md` ("Access control") and issue 14 — deliberately not by calling
//! `domain::policy`, so that a policy that drifted from its promise cannot approve itself.
//! And the scanner that finds markers (and seeded record ids) in whatever left irnet.

use std::collections::{BTreeSet, HashMap};

/// The principals of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Who {
    /// responder of member A (cluster 1), the author of every record of A
    AResp,
    /// org admin of A
    AAdmin,
    /// a second responder of A, never named on a RED record
    A2,
    /// viewer of A
    AView,
    /// an account of A with no grant at all
    ANoGrant,
    /// responder of member B (cluster 1), A's accepted supporter
    BResp,
    /// responder of a member of another cluster
    CResp,
    /// responder of a member in no cluster
    DResp,
    Coordinator,
    /// the platform administrator (an account of the coordinator's organisation)
    Admin,
    /// this year's lead of cluster 1 (Cao Bằng, 2025)
    Lead,
    /// a cluster-lead grant on cluster 1 whose organisation (Bắc Ninh) does not lead it this year
    StaleLead,
}

impl Who {
    pub(crate) const ALL: [Who; 12] = [
        Who::AResp,
        Who::AAdmin,
        Who::A2,
        Who::AView,
        Who::ANoGrant,
        Who::BResp,
        Who::CResp,
        Who::DResp,
        Who::Coordinator,
        Who::Admin,
        Who::Lead,
        Who::StaleLead,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Who::AResp => "A-responder",
            Who::AAdmin => "A-org-admin",
            Who::A2 => "A2-responder",
            Who::AView => "A-viewer",
            Who::ANoGrant => "A-no-grant",
            Who::BResp => "B-responder",
            Who::CResp => "C-responder(other cluster)",
            Who::DResp => "D-responder(no cluster)",
            Who::Coordinator => "coordinator",
            Who::Admin => "admin",
            Who::Lead => "cluster-lead(this year)",
            Who::StaleLead => "cluster-lead-grant(not this year)",
        }
    }
}

/// Where a marker lives: its reading rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pillar {
    /// A's incident: its audience is A, the receivers of its notice (the coordinators, named;
    /// the organisation leading A's cluster this year), accepted supporters (B); RED: the named
    /// people only — the author, and the coordinators, whom the notice and escalation name (the
    /// lead's focal points have no account, so nobody of the lead is named). No level is open to
    /// the network.
    Incident,
    /// A support request about A's incident, addressed to B, and B's offer: the incident's
    /// audience and the asked organisation (which learns the incident's id and the texts written
    /// for it, at any TLP — RED included, since the request is addressed to it).
    SupportRequest,
    /// A's indicator: CLEAR/GREEN the network, AMBER/AMBER+STRICT the audience organisations,
    /// RED the named people.
    Indicator,
    /// The coordinator's alert to A: sender organisation, recipients and the coordinator; RED the
    /// named people (the sender) only.
    Alert,
    /// A's message in the network channel: CLEAR/GREEN/AMBER the whole channel, AMBER+STRICT the
    /// poster's organisation, RED the poster.
    NetworkMessage,
    /// A's message in cluster 1's channel: the channel is its members of today and the
    /// coordinator; inside it as above.
    ClusterMessage,
    /// A's private directory (people, focal points, systems): A, this year's lead of A's cluster,
    /// the coordinator and the administrator.
    PrivateDirectory,
    /// The identity of an anonymous sighter (of B): never told to the indicator's owner (A).
    AnonymousSighter,
    /// A's training programme inviting B: its organiser and invited members only (not the
    /// coordinator, the administrator or the cluster lead by their roles).
    TrainingProgramme,
    /// The coordinator's drill with A as its team: A's people (with a grant), the coordinator
    /// (its organiser) and the administrator (observing every drill); nobody else.
    Drill,
    /// An inject before its release, and every inject's accepted answers: the organiser only.
    DrillUnreleased,
    /// A's answer: A's people (their team's history) only.
    DrillAnswer,
}

pub(super) const TLPS: [(&str, &str); 5] = [
    ("CLEAR", "clear"),
    ("GREEN", "green"),
    ("AMBER", "amber"),
    ("AMBER+STRICT", "strict"),
    ("RED", "red"),
];

const A_ORG: [Who; 4] = [Who::AResp, Who::AAdmin, Who::A2, Who::AView];

/// The expected audience table. No grant, no read: `ANoGrant` is in no audience.
pub(super) fn readers(pillar: Pillar, tlp: &str) -> BTreeSet<Who> {
    use Who::*;
    let network: Vec<Who> = Who::ALL.into_iter().filter(|w| *w != ANoGrant).collect();
    let cluster_one = [
        AResp,
        AAdmin,
        A2,
        AView,
        BResp,
        Lead,
        StaleLead,
        Coordinator,
    ];
    let v: Vec<Who> = match (pillar, tlp) {
        (Pillar::Incident, "RED") => vec![AResp, Coordinator],
        (Pillar::SupportRequest, "RED") => vec![AResp, BResp, Coordinator],
        (Pillar::SupportRequest, _) => [&A_ORG[..], &[BResp, Coordinator, Lead]].concat(),
        (Pillar::Incident, _) => [&A_ORG[..], &[BResp, Coordinator, Lead]].concat(),
        (Pillar::Indicator, "CLEAR" | "GREEN") => network,
        (Pillar::Indicator, "RED") => vec![AResp],
        (Pillar::Indicator, _) => A_ORG.to_vec(),
        (Pillar::Alert, "RED") => vec![Coordinator],
        (Pillar::Alert, _) => [&A_ORG[..], &[Coordinator, Admin]].concat(),
        (Pillar::NetworkMessage, "AMBER+STRICT") => A_ORG.to_vec(),
        (Pillar::NetworkMessage, "RED") => vec![AResp],
        (Pillar::NetworkMessage, _) => network,
        (Pillar::ClusterMessage, "AMBER+STRICT") => A_ORG.to_vec(),
        (Pillar::ClusterMessage, "RED") => vec![AResp],
        (Pillar::ClusterMessage, _) => cluster_one.to_vec(),
        (Pillar::PrivateDirectory, _) => [&A_ORG[..], &[Lead, Coordinator, Admin]].concat(),
        (Pillar::TrainingProgramme, _) => [&A_ORG[..], &[BResp]].concat(),
        (Pillar::Drill, _) => [&A_ORG[..], &[Coordinator, Admin]].concat(),
        (Pillar::DrillUnreleased, _) => vec![Coordinator],
        (Pillar::DrillAnswer, _) => A_ORG.to_vec(),
        (Pillar::AnonymousSighter, _) => {
            network.into_iter().filter(|w| !A_ORG.contains(w)).collect()
        }
    };
    v.into_iter().collect()
}

/// One seeded text (or record id) and who may read it.
#[derive(Debug, Clone)]
pub(crate) struct Marker {
    pub text: String,
    pub readers: BTreeSet<Who>,
    /// a record id rather than a text: the audit log may name it (its action stays visible)
    pub is_id: bool,
    /// what it is, for the report: `inc-red-title`, `id of inc-red`…
    pub label: String,
    /// the TLP's rank (CLEAR 0 … RED 4; a directory part 5, never labelled)
    pub rank: usize,
}

fn rank(tlp: &str) -> usize {
    TLPS.iter().position(|(t, _)| *t == tlp).unwrap_or(5)
}

/// The rank of the TLP label at the start of `s` (`CLEAR`, `AMBER+STRICT`…).
pub(super) fn label_rank(s: &str) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, (t, _)) in TLPS.iter().enumerate() {
        if s.starts_with(t) && best.is_none_or(|b| TLPS[b].0.len() < t.len()) {
            best = Some(i);
        }
    }
    best
}

/// Every marker of a run; makes them and finds them in what leaves irnet.
pub(crate) struct Markers {
    pub run: String,
    pub list: Vec<Marker>,
    ids: HashMap<String, usize>,
}

impl Markers {
    pub(crate) fn new() -> Self {
        let run = uuid::Uuid::now_v7().simple().to_string();
        Self {
            run: run[run.len() - 6..].to_owned(),
            list: Vec::new(),
            ids: HashMap::new(),
        }
    }

    /// A fresh marker `CANARY-<kind>-<tlp>-<field>-<run>`: ASCII letters, digits and hyphens
    /// only, so that it survives HTML, JSON, XML, CSV and mail unchanged and stays one word for
    /// search.
    pub(crate) fn text(&mut self, kind: &str, tlp: &str, field: &str, pillar: Pillar) -> String {
        let short = TLPS
            .iter()
            .find(|(t, _)| *t == tlp)
            .map_or(tlp, |(_, s)| *s);
        let text = format!("CANARY-{kind}-{short}-{field}-{}", self.run);
        self.list.push(Marker {
            text: text.clone(),
            readers: readers(pillar, tlp),
            is_id: false,
            label: format!("{kind}-{short}-{field}"),
            rank: rank(tlp),
        });
        text
    }

    /// A seeded record's id, read under the record's rule.
    pub(crate) fn id(&mut self, id: &str, kind: &str, pillar: Pillar, tlp: &str) {
        self.ids.insert(id.to_ascii_lowercase(), self.list.len());
        self.list.push(Marker {
            text: id.to_ascii_lowercase(),
            readers: readers(pillar, tlp),
            is_id: true,
            label: format!("id of {kind}-{tlp}"),
            rank: rank(tlp),
        });
    }

    /// A person's account id that must stay hidden (read in the audit log too).
    pub(crate) fn person(&mut self, id: &str, label: &str, pillar: Pillar) {
        self.ids.insert(id.to_ascii_lowercase(), self.list.len());
        self.list.push(Marker {
            text: id.to_ascii_lowercase(),
            readers: readers(pillar, "-"),
            is_id: true,
            label: label.to_owned(),
            rank: 5,
        });
    }

    /// The indexes of the markers (and ids) found in `text`.
    pub(crate) fn find(&self, text: &str) -> BTreeSet<usize> {
        let lower = text.to_ascii_lowercase();
        let mut found = BTreeSet::new();
        for token in lower.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
            if token.len() < 20 {
                continue;
            }
            if let Some(at) = token.find("canary-") {
                let rest = &token[at..];
                for (i, m) in self.list.iter().enumerate() {
                    if !m.is_id && rest.starts_with(&m.text.to_ascii_lowercase()) {
                        found.insert(i);
                    }
                }
            }
            if token.len() >= 36 {
                for candidate in [&token[..36], &token[token.len() - 36..]] {
                    if let Some(i) = self.ids.get(candidate) {
                        found.insert(*i);
                    }
                }
            }
        }
        found
    }
}
