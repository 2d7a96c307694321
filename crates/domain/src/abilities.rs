//! What a reader may do with one record, decided from the principal and the record's facts.
//! Part of the one policy (`policy`): use-cases and pages carry these answers in their views and
//! render from them, so that no page or use-case asks a role itself.

use chrono::{DateTime, Utc};

use crate::ids::ClusterId;
use crate::policy::Principal;
use crate::roles::{Grant, Role, Scope};

/// Where the reader stands around one incident, as read from the store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IncidentFacts {
    /// the reader's organisation owns the incident
    pub owned: bool,
    pub closed: bool,
    /// reported to the coordinator
    pub escalated: bool,
    /// the reader is named in the incident's audience (escalation names the coordinators)
    pub reader_named: bool,
    /// the reader's organisation was accepted as a supporter and is in the audience
    pub accepted_supporter: bool,
}

/// The reader's abilities on one incident.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IncidentAbilities {
    /// edit the report, classify, file reports, ask for support (the owner)
    pub manage: bool,
    /// add tasks, observables, comments, attachments (owner, accepted supporters, coordinator)
    pub work: bool,
    /// acknowledge, confirm seriousness, instruct (the coordinator once reported)
    pub coordinate: bool,
    pub close: bool,
}

impl Principal {
    /// The coordinator handles an incident once it was reported to them: escalation names the
    /// people holding the coordinator role, and only those (not their whole organisation, not
    /// the platform's administrators working there).
    pub fn coordinates_incident(&self, f: &IncidentFacts) -> bool {
        self.is_coordinator() && f.escalated && f.reader_named
    }

    pub fn incident_abilities(&self, f: &IncidentFacts) -> IncidentAbilities {
        let acts = self.may_act_for(&self.org_id) && !f.closed;
        let coordinator = self.coordinates_incident(f);
        let supporter = !f.owned && !coordinator && f.accepted_supporter;
        let manage = acts && f.owned;
        let coordinate = acts && coordinator;
        IncidentAbilities {
            manage,
            work: acts && (f.owned || supporter || coordinator),
            coordinate,
            close: if f.escalated { coordinate } else { manage },
        }
    }
}

impl Principal {
    /// Acknowledging an incident's notice for `receiver`, one of the organisations it reached:
    /// someone who acts for that organisation (its responders and org admins, the coordinators
    /// for the coordinator's centre), or, when it received the notice as the lead of `cluster`,
    /// the holder of that cluster's lead grant there in a year it leads. Viewers and read-only
    /// tokens only read.
    pub fn may_acknowledge_notice(
        &self,
        receiver: &crate::ids::OrgId,
        cluster: Option<&ClusterId>,
    ) -> bool {
        self.may_write()
            && &self.org_id == receiver
            && (self.may_act_for(receiver)
                || cluster.is_some_and(|c| self.led_clusters().contains(c)))
    }
}

impl Principal {
    /// Sending an incident's notice again to the receivers that have not acknowledged it: its
    /// sender (whoever manages the incident for its owner) or a coordinator it was sent to (the
    /// notice names the coordinators in its audience), while it is open. Others read only.
    pub fn may_resend_notice(&self, f: &IncidentFacts) -> bool {
        let acts = self.may_write() && self.may_act_for(&self.org_id) && !f.closed;
        self.incident_abilities(f).manage || (acts && self.is_coordinator() && f.reader_named)
    }
}

/// Whom escalation names in an incident's audience: every holder of this grant (the caller
/// lists the holders), so that the choice of role stays in the policy.
pub fn escalation_audience() -> Grant {
    Grant {
        role: Role::Coordinator,
        scope: Scope::Network,
    }
}

/// Where the reader stands around one alert.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlertFacts {
    pub draft: bool,
    /// the reader's organisation sent it
    pub reader_is_sender: bool,
    /// the reader's organisation is one of its recipients
    pub reader_is_recipient: bool,
}

/// What the reader may do with an alert.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlertAbilities {
    /// edit and send the draft
    pub edit: bool,
    /// see every recipient's status (the sender and the coordinator)
    pub see_recipients: bool,
    /// acknowledge and report for the reader's organisation
    pub answer: bool,
}

/// Which targets the alert compose page offers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertTargets {
    /// the whole network, kinds of members and named members
    pub network: bool,
    /// clusters offered as targets: all of them (the coordinator) or those whose lead grant
    /// the reader holds; sending re-checks the lead's year
    pub all_clusters: bool,
    pub led_clusters: Vec<ClusterId>,
}

impl AlertTargets {
    pub fn offers_cluster(&self, c: &ClusterId) -> bool {
        self.all_clusters || self.led_clusters.contains(c)
    }
}

impl Principal {
    pub fn alert_abilities(&self, f: &AlertFacts) -> AlertAbilities {
        AlertAbilities {
            edit: f.draft && f.reader_is_sender && self.may_compose_alerts(),
            see_recipients: !f.draft && (f.reader_is_sender || self.is_coordinator()),
            answer: !f.draft && f.reader_is_recipient && self.may_act_for(&self.org_id),
        }
    }

    pub fn alert_targets(&self) -> AlertTargets {
        let network = self.may_alert_network();
        AlertTargets {
            network,
            all_clusters: network,
            led_clusters: if self.may_write() {
                self.led_clusters()
            } else {
                vec![]
            },
        }
    }

    /// The navigation's administration entry: for those with something to administer there
    /// (administrators, org admins, the coordinator).
    pub fn may_see_administration(&self) -> bool {
        self.is_admin() || self.has_role(Role::OrgAdmin) || self.is_coordinator()
    }

    /// Directory files (CSV, XLSX) are imported by those who edit organisations: org admins for
    /// their own (people, systems), the coordinator and administrators (organisations too).
    pub fn may_import_directory_files(&self) -> bool {
        self.may_write() && (self.may_create_org() || self.has_role(Role::OrgAdmin))
    }

    /// Whoever may give a role may take it back; administrators take back any grant, even one
    /// that no longer reads as valid.
    pub fn may_revoke_grant(&self, grant: Option<&Grant>, target: &crate::policy::OrgRef) -> bool {
        self.may_write() && (self.is_admin() || grant.is_some_and(|g| self.may_grant(g, target)))
    }

    /// Loading synthetic data (benchmarks, demonstrations) is platform administration.
    pub fn may_seed_synthetic_data(&self) -> bool {
        self.may_write() && self.is_admin()
    }
}

/// How long a password or second-factor check stays recent enough to manage credentials.
pub const RECENT_CHECK_SECONDS: i64 = 600;

/// Whether a request may manage the person's credentials (second factor, recovery codes, API
/// tokens, password).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialGate {
    Allowed,
    /// an API token (or no session at all): credentials are managed in a signed-in browser
    NeedsSession,
    /// a session whose last password or second-factor check is older than `RECENT_CHECK_SECONDS`
    NeedsRecentCheck,
}

impl Principal {
    /// A token, even a write token, never manages credentials: otherwise a leaked token would
    /// mint further tokens or switch off the second factor. A browser session does, shortly
    /// after its person proved who they are (`session_checked_at`; `None` for a token).
    pub fn may_manage_credentials(
        &self,
        session_checked_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> CredentialGate {
        match session_checked_at {
            None => CredentialGate::NeedsSession,
            Some(_) if !self.may_write() => CredentialGate::NeedsSession,
            Some(at) if (now - at).num_seconds() > RECENT_CHECK_SECONDS => {
                CredentialGate::NeedsRecentCheck
            }
            Some(_) => CredentialGate::Allowed,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::ids::{OrgId, UserId};
    use crate::policy::TokenScope;

    fn principal(grants: Vec<Grant>) -> Principal {
        Principal {
            user_id: UserId::from_trusted("u".into()),
            org_id: OrgId::from_trusted("vncert".into()),
            grants,
            org_clusters: vec![],
            leading_clusters: vec![],
            access: TokenScope::Write,
            inherited_orgs: vec![],
            led_predecessors: vec![],
        }
    }

    fn escalated_named() -> IncidentFacts {
        IncidentFacts {
            escalated: true,
            reader_named: true,
            ..IncidentFacts::default()
        }
    }

    #[test]
    fn only_a_named_coordinator_coordinates() {
        let coordinator = principal(vec![Grant::new(Role::Coordinator, Scope::Network).unwrap()]);
        assert!(
            coordinator
                .incident_abilities(&escalated_named())
                .coordinate
        );
        assert!(coordinator.incident_abilities(&escalated_named()).close);
        let not_named = IncidentFacts {
            reader_named: false,
            ..escalated_named()
        };
        assert!(!coordinator.incident_abilities(&not_named).coordinate);
        // The platform administrator working at the coordinator's centre is not the coordinator.
        let admin = principal(vec![Grant::new(Role::Admin, Scope::Network).unwrap()]);
        assert_eq!(
            admin.incident_abilities(&escalated_named()),
            IncidentAbilities::default()
        );
    }

    #[test]
    fn the_sender_and_a_named_coordinator_resend_a_notice_others_do_not() {
        let named = IncidentFacts {
            reader_named: true,
            ..IncidentFacts::default()
        };
        let coordinator = principal(vec![Grant::new(Role::Coordinator, Scope::Network).unwrap()]);
        assert!(coordinator.may_resend_notice(&named));
        assert!(!coordinator.may_resend_notice(&IncidentFacts::default()));
        let closed = IncidentFacts {
            closed: true,
            ..named
        };
        assert!(!coordinator.may_resend_notice(&closed));
        let member = |role| Principal {
            org_id: OrgId::from_trusted("m".into()),
            ..principal(vec![
                Grant::new(role, Scope::Org(OrgId::from_trusted("m".into()))).unwrap(),
            ])
        };
        let owned = IncidentFacts {
            owned: true,
            ..IncidentFacts::default()
        };
        assert!(member(Role::Responder).may_resend_notice(&owned));
        assert!(!member(Role::Viewer).may_resend_notice(&owned));
        // A receiver's responder reads the notice but does not send it.
        assert!(!member(Role::Responder).may_resend_notice(&named));
        let mut read_only = member(Role::Responder);
        read_only.access = TokenScope::Read;
        assert!(!read_only.may_resend_notice(&owned));
    }

    #[test]
    fn viewers_and_read_only_tokens_do_nothing_in_an_incident() {
        let owned = IncidentFacts {
            owned: true,
            ..IncidentFacts::default()
        };
        let viewer = Principal {
            org_id: OrgId::from_trusted("m".into()),
            ..principal(vec![
                Grant::new(Role::Viewer, Scope::Org(OrgId::from_trusted("m".into()))).unwrap(),
            ])
        };
        assert_eq!(
            viewer.incident_abilities(&owned),
            IncidentAbilities::default()
        );
        let mut responder = Principal {
            org_id: OrgId::from_trusted("m".into()),
            ..principal(vec![
                Grant::new(Role::Responder, Scope::Org(OrgId::from_trusted("m".into()))).unwrap(),
            ])
        };
        assert!(responder.incident_abilities(&owned).manage);
        responder.access = TokenScope::Read;
        assert_eq!(
            responder.incident_abilities(&owned),
            IncidentAbilities::default()
        );
    }

    #[test]
    fn credentials_need_a_session_checked_within_ten_minutes() {
        let p = principal(vec![]);
        let now = DateTime::parse_from_rfc3339("2026-12-07T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            p.may_manage_credentials(None, now),
            CredentialGate::NeedsSession
        );
        let recent = now - chrono::Duration::minutes(9);
        assert_eq!(
            p.may_manage_credentials(Some(recent), now),
            CredentialGate::Allowed
        );
        let old = now - chrono::Duration::minutes(11);
        assert_eq!(
            p.may_manage_credentials(Some(old), now),
            CredentialGate::NeedsRecentCheck
        );
    }

    #[test]
    fn alert_abilities_follow_the_sender_and_the_recipient() {
        let coordinator = principal(vec![Grant::new(Role::Coordinator, Scope::Network).unwrap()]);
        let draft = AlertFacts {
            draft: true,
            reader_is_sender: true,
            reader_is_recipient: false,
        };
        assert!(coordinator.alert_abilities(&draft).edit);
        let sent_elsewhere = AlertFacts {
            draft: false,
            reader_is_sender: false,
            reader_is_recipient: false,
        };
        assert!(coordinator.alert_abilities(&sent_elsewhere).see_recipients);
        let viewer = principal(vec![
            Grant::new(
                Role::Viewer,
                Scope::Org(OrgId::from_trusted("vncert".into())),
            )
            .unwrap(),
        ]);
        let received = AlertFacts {
            reader_is_recipient: true,
            ..sent_elsewhere
        };
        assert_eq!(viewer.alert_abilities(&received), AlertAbilities::default());
        assert!(!viewer.alert_targets().network);
    }
}
