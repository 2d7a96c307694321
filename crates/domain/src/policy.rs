//! The one access policy. Every use-case asks these functions, and the store compiles
//! `ReadRule` to SQL, so the UI, the API, exports and counts cannot disagree about who
//! sees what: there is no second copy of the rule to drift.

use crate::channel::Channel;
use crate::error::DomainError;
use crate::ids::{ClusterId, OrgId, UserId};
use crate::roles::{Grant, Role, Scope};
use crate::tlp::Tlp;

/// What the credential behind a request allows, independent of the person's roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenScope {
    Read,
    Write,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }

    /// Exact lowercase names, as stored with the token.
    pub fn parse(s: &str) -> Result<TokenScope, DomainError> {
        match s {
            "read" => Ok(TokenScope::Read),
            "write" => Ok(TokenScope::Write),
            _ => Err(DomainError::InvalidScope(s.to_owned())),
        }
    }
}

/// The authenticated person (or API token acting for one) behind a request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: UserId,
    pub org_id: OrgId,
    pub grants: Vec<Grant>,
    /// clusters the principal's own organisation belongs to today
    pub org_clusters: Vec<ClusterId>,
    /// clusters the principal's own organisation leads this year (the directory's lead records,
    /// `cluster_leads`): a cluster lead grant confers something only for these, so a grant left
    /// over from a past lead year reads and sends nothing
    pub leading_clusters: Vec<ClusterId>,
    /// Write for a browser session or a write token; Read for a read-only API token
    pub access: TokenScope,
    /// Organisations the principal's own organisation succeeded: predecessors whose merger into
    /// it took effect on or before today, transitively (Bắc Kạn for Thái Nguyên's people from
    /// 01/07/2025). Their records stay theirs, and the successor's people read and work them
    /// with the rights the predecessor's own members had (`stands_for`), except at TLP:RED,
    /// which stays with its named people.
    pub inherited_orgs: Vec<OrgId>,
    /// Predecessors of the members of the clusters this principal leads this year (merged into
    /// one of them on or before today): their private parts are read as the member's are.
    pub led_predecessors: Vec<OrgId>,
}

/// An organisation as the policy needs to see it.
#[derive(Debug, Clone)]
pub struct OrgRef {
    pub org_id: OrgId,
    pub clusters: Vec<ClusterId>,
}

/// Which audit entries a principal may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVisibility {
    All,
    /// Entries about these organisations only.
    Orgs(Vec<OrgId>),
    Nothing,
}

impl Principal {
    /// Grants are re-checked here because their fields are public: a malformed grant
    /// (say, admin at one organisation) must confer nothing rather than something.
    fn valid_grants(&self) -> impl Iterator<Item = &Grant> {
        self.grants.iter().filter(|g| g.is_valid())
    }

    fn holds(&self, role: Role, scope: &Scope) -> bool {
        self.valid_grants()
            .any(|g| g.role == role && &g.scope == scope)
    }

    fn is_org_admin_of(&self, org: &OrgId) -> bool {
        self.holds(Role::OrgAdmin, &Scope::Org(org.clone()))
    }

    /// Holds `role` at any scope. Crate-private like the other role checks: outside the domain
    /// a decision is asked by name (`may_…`, abilities), never re-derived from roles.
    pub(crate) fn has_role(&self, role: Role) -> bool {
        self.valid_grants().any(|g| g.role == role)
    }

    pub(crate) fn is_admin(&self) -> bool {
        self.holds(Role::Admin, &Scope::Network)
    }

    pub(crate) fn is_coordinator(&self) -> bool {
        self.holds(Role::Coordinator, &Scope::Network)
    }

    /// "No grant, no read": an account holding no valid grant has not yet been given a place in
    /// the network's work (its organisation admin has not decided what it is for), so it reads
    /// no shareable record at all — neither the network's CLEAR/GREEN records nor its own
    /// organisation's — and no private directory part. Only the directory's public part remains.
    pub(crate) fn takes_part(&self) -> bool {
        self.valid_grants().next().is_some()
    }

    /// The principal's organisation or one it succeeded (`inherited_orgs`): records of these are
    /// its organisation's own for reading and working.
    pub fn stands_for(&self, org: &OrgId) -> bool {
        &self.org_id == org || self.inherited_orgs.contains(org)
    }

    /// Its own organisation first, then those it succeeded.
    fn own_orgs(&self) -> Vec<OrgId> {
        let mut out = vec![self.org_id.clone()];
        out.extend(self.inherited_orgs.iter().cloned());
        out
    }

    /// A read-only token can never change anything, whatever its owner's roles.
    pub fn may_write(&self) -> bool {
        self.access == TokenScope::Write
    }

    pub fn may_administer_platform(&self) -> bool {
        self.is_admin()
    }

    pub fn may_read_all_users(&self) -> bool {
        self.is_admin() || self.is_coordinator()
    }

    pub fn may_manage_users_of(&self, org: &OrgRef) -> bool {
        self.may_write() && (self.is_admin() || self.is_org_admin_of(&org.org_id))
    }

    /// An admin may hand out any valid grant. An organisation admin may only hand out
    /// organisation-level roles of their own organisation, to its own people, so that
    /// nobody can raise themselves or a colleague above what they hold.
    pub fn may_grant(&self, grant: &Grant, target_user_org: &OrgRef) -> bool {
        if !self.may_write() || !grant.is_valid() {
            return false;
        }
        if self.is_admin() {
            return true;
        }
        let target = &target_user_org.org_id;
        self.is_org_admin_of(target)
            && matches!(grant.role, Role::OrgAdmin | Role::Responder | Role::Viewer)
            && grant.scope == Scope::Org(target.clone())
    }

    pub fn may_create_org(&self) -> bool {
        self.may_write() && (self.is_admin() || self.is_coordinator())
    }

    /// The network's rule sets (deadlines, holidays, steps…): the coordinator sets them.
    pub fn may_edit_rules(&self) -> bool {
        self.may_write() && self.is_coordinator()
    }

    /// Everyone who takes part in the network reads the rules it is judged by.
    pub fn may_read_rules(&self) -> bool {
        self.takes_part()
    }

    /// Reference data shared by the whole network (provinces): the coordinator and administrators.
    pub fn may_load_reference_data(&self) -> bool {
        self.may_write() && (self.is_admin() || self.is_coordinator())
    }

    /// An organisation's webhooks send its notices out of the platform: its org admins and
    /// administrators see and manage them, nobody else (to others they do not exist).
    pub fn may_manage_webhooks_of(&self, org: &OrgId) -> bool {
        self.is_admin() || self.is_org_admin_of(org)
    }

    pub fn may_edit_org(&self, org: &OrgRef) -> bool {
        self.may_write()
            && (self.is_admin() || self.is_coordinator() || self.is_org_admin_of(&org.org_id))
    }

    /// The directory's private part of an organisation — its people, contacts, 24/7 focal points
    /// and information systems — is for the organisation itself, the lead of a cluster it
    /// belongs to today, the coordinator and administrators. Everyone else in the network sees
    /// only the public part (names, clusters, leads).
    pub fn may_read_org_private(&self, org: &OrgRef) -> bool {
        self.is_admin()
            || self.is_coordinator()
            || (self.takes_part() && self.stands_for(&org.org_id))
            || org.clusters.iter().any(|c| self.leads(c))
            || (!self.led_clusters().is_empty() && self.led_predecessors.contains(&org.org_id))
    }

    /// Clusters whose members' private parts this principal may read as their lead: those it
    /// holds a lead grant for and its organisation leads this year.
    pub fn led_clusters(&self) -> Vec<ClusterId> {
        self.valid_grants()
            .filter_map(|g| match (&g.role, &g.scope) {
                (Role::ClusterLead, Scope::Cluster(c)) if self.leading_clusters.contains(c) => {
                    Some(c.clone())
                }
                _ => None,
            })
            .collect()
    }

    /// Acts as the lead of `cluster`: holds its lead grant, in a year its organisation leads it.
    fn leads(&self, cluster: &ClusterId) -> bool {
        self.leading_clusters.contains(cluster)
            && self.holds(Role::ClusterLead, &Scope::Cluster(cluster.clone()))
    }

    /// Reading the audit log is not a write, so read-only tokens keep this.
    pub fn audit_visibility(&self) -> AuditVisibility {
        if self.is_admin() || self.is_coordinator() {
            return AuditVisibility::All;
        }
        let mut orgs: Vec<OrgId> = self
            .valid_grants()
            .filter_map(|g| match (&g.role, &g.scope) {
                (Role::OrgAdmin, Scope::Org(org)) => Some(org.clone()),
                _ => None,
            })
            .collect();
        // An org admin of a successor reads its predecessors' entries too.
        if orgs.contains(&self.org_id) {
            orgs.extend(self.inherited_orgs.iter().cloned());
        }
        orgs.sort();
        orgs.dedup();
        if orgs.is_empty() {
            AuditVisibility::Nothing
        } else {
            AuditVisibility::Orgs(orgs)
        }
    }

    /// CLEAR and GREEN are open to the whole network; AMBER and AMBER+STRICT reach the
    /// audience organisations (the owner and those it was shared with); RED reaches
    /// named people only. Roles deliberately add nothing: the coordinator sees an AMBER
    /// record once its organisation is in the audience (e.g. when an incident is
    /// reported to it), not by virtue of being the coordinator.
    pub fn read_rule(&self) -> ReadRule {
        if !self.takes_part() {
            return ReadRule::nothing(self.user_id.clone());
        }
        ReadRule {
            open_levels: vec![Tlp::Clear, Tlp::Green],
            org_levels: vec![Tlp::Amber, Tlp::AmberStrict],
            orgs: self.own_orgs(),
            person_levels: vec![Tlp::Amber, Tlp::AmberStrict, Tlp::Red],
            person: self.user_id.clone(),
        }
    }

    pub fn may_read(&self, r: &RecordAccess) -> bool {
        self.read_rule().admits(r)
    }

    /// Working in an incident on behalf of `org` (reporting, handling, answering a request): the
    /// organisation's own responders and org admins, and the coordinator for its own centre —
    /// and, for an organisation it succeeded (`inherited_orgs`), the successor's responders and
    /// org admins, as that organisation's own members could. Viewers and read-only tokens only
    /// read.
    pub fn may_act_for(&self, org: &OrgId) -> bool {
        let own = &self.org_id;
        self.may_write()
            && self.stands_for(org)
            && (self.holds(Role::Responder, &Scope::Org(own.clone()))
                || self.is_org_admin_of(own)
                || self.is_coordinator())
    }

    /// Incidents are read by their audience only, whatever their TLP: the owning member, the
    /// coordinator once reported, accepted supporters and explicit shares (organisations), and at
    /// TLP:RED only the named people. Their TLP governs what the audience may pass on, not who is
    /// in it, so no level is open to the whole network.
    pub fn incident_read_rule(&self) -> ReadRule {
        if !self.takes_part() {
            return ReadRule::nothing(self.user_id.clone());
        }
        ReadRule {
            open_levels: vec![],
            org_levels: vec![Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::AmberStrict],
            orgs: self.own_orgs(),
            person_levels: Tlp::ALL.to_vec(),
            person: self.user_id.clone(),
        }
    }
}

/// What a reader of the audit log is shown of one entry (`Principal::audit_entry_view`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditEntryView {
    /// the summary, the object and any name or free text the entry carries
    pub details: bool,
    /// who acted (name, account, address), when the action was anonymous
    pub actor: bool,
}

impl Principal {
    /// Whoever may read the log keeps seeing every entry's action, time and actor: the auditor
    /// sees who did what and when. The entry's details are shown only when it describes no
    /// shareable record, or one the reader may read by that record's own rule
    /// (`record_readable`, decided with `incident_read_rule`, `read_rule`, `alert_read_rule`,
    /// `may_read_message`, `private_read_rule`): an administrator or the coordinator is not in a
    /// TLP:RED incident's audience by their role, so its log entries do not name it to them.
    ///
    /// An anonymous action (an anonymous sighting) keeps its actor from everyone but the actor's
    /// own organisation, as the sighting itself does (it names its reporter to the reporting
    /// organisation only): not other members, not the coordinator, not the platform
    /// administrator — anonymity that an operator's account can lift is not anonymity.
    pub fn audit_entry_view(
        &self,
        record_readable: Option<bool>,
        anonymous_actor_org: Option<Option<&OrgId>>,
    ) -> AuditEntryView {
        AuditEntryView {
            details: record_readable.unwrap_or(true),
            actor: match anonymous_actor_org {
                None => true,
                Some(org) => org == Some(&self.org_id),
            },
        }
    }
}

/// `may_read_org_private` as data, so that the store can compile it to SQL and filter people,
/// focal points and systems in the database (searches and counts included) with the same rule.
/// An organisation's private part is admitted when any clause holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateReadRule {
    /// administrators and the coordinator read every member's private part
    pub all: bool,
    /// the principal's own organisation
    pub orgs: Vec<OrgId>,
    /// clusters the principal leads: their members of the day are admitted
    pub led_clusters: Vec<ClusterId>,
}

impl PrivateReadRule {
    pub fn admits(&self, org: &OrgRef) -> bool {
        self.all
            || self.orgs.contains(&org.org_id)
            || org.clusters.iter().any(|c| self.led_clusters.contains(c))
    }
}

impl Principal {
    pub fn private_read_rule(&self) -> PrivateReadRule {
        PrivateReadRule {
            all: self.is_admin() || self.is_coordinator(),
            orgs: match (self.takes_part(), self.led_clusters().is_empty()) {
                (false, _) => vec![],
                (true, true) => self.own_orgs(),
                (true, false) => {
                    let mut orgs = self.own_orgs();
                    orgs.extend(self.led_predecessors.iter().cloned());
                    orgs
                }
            },
            led_clusters: self.led_clusters(),
        }
    }
}

/// Alerts are read by their sender organisation, their recipient organisations (the audience,
/// `record_shares`) and the coordinator, who steers the network's warnings and so sees every sent
/// alert — except at TLP:RED, which reaches only the people named on it (the sender's people and
/// the recipients' focal points with an account). As data, so that the store compiles the same
/// rule to SQL for lists and counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertReadRule {
    /// levels readable on every alert whatever its audience (the coordinator: all but RED)
    pub network_levels: Vec<Tlp>,
    /// the audience rule: organisations below RED, named people at any level
    pub audience: ReadRule,
}

impl AlertReadRule {
    pub fn admits(&self, r: &RecordAccess) -> bool {
        self.network_levels.contains(&r.tlp) || self.audience.admits(r)
    }
}

impl Principal {
    pub fn alert_read_rule(&self) -> AlertReadRule {
        AlertReadRule {
            network_levels: if self.is_coordinator() {
                vec![Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::AmberStrict]
            } else {
                vec![]
            },
            audience: self.incident_read_rule(),
        }
    }

    /// The coordinator warns anyone: the whole network, clusters, kinds of members, named members.
    pub fn may_alert_network(&self) -> bool {
        self.may_write() && self.is_coordinator()
    }

    /// A cluster lead warns its own cluster only, and only in a year its organisation leads it
    /// (`leads_this_year`, from the directory's lead records): a grant left over from last year's
    /// lead confers nothing.
    pub fn may_alert_cluster(&self, cluster: &ClusterId, leads_this_year: bool) -> bool {
        self.may_alert_network()
            || (self.may_write()
                && leads_this_year
                && self.holds(Role::ClusterLead, &Scope::Cluster(cluster.clone())))
    }

    /// Whether the compose page and the API offer writing an alert at all.
    pub fn may_compose_alerts(&self) -> bool {
        self.may_write() && (self.is_coordinator() || !self.led_clusters().is_empty())
    }
}

/// Statistics are aggregates of records, so they count what their reader may read (the incident
/// read rule, in SQL) — with one exception: a member's Mẫu 05 is its own report, which it files
/// to the coordinator, so the member itself and the coordinator count every incident of it.
/// Free text of an incident (damage estimates) comes only from incidents the reader may read,
/// whoever reads.
impl Principal {
    pub fn counts_every_incident_of(&self, member: &OrgId) -> bool {
        self.stands_for(member) || self.is_coordinator()
    }

    /// Filing a member's periodic statistics (Mẫu 05) is reporting on its incidents, so whoever
    /// may file its incident reports files it: its responders and org admins (the coordinator
    /// for its own centre). Viewers and read-only tokens only read.
    pub fn may_file_statistics_of(&self, member: &OrgId) -> bool {
        self.may_write() && &self.org_id == member && self.may_act_for(member)
    }

    /// A filed Mẫu 05 counts every incident of the member and carries its damage estimates as
    /// filed: it is read by those who count every incident of it (the member, the coordinator
    /// it is sent to), not by administrators (who do not read the member's incidents) nor a
    /// cluster lead, who read the live form, cut to what they may read.
    pub fn may_read_filed_statistics_of(&self, member: &OrgId) -> bool {
        self.takes_part() && self.counts_every_incident_of(member)
    }

    /// Confirming a member's profile (Mẫu 01) speaks for the organisation as a whole: its org
    /// admins file it, nobody else (not the coordinator, not administrators).
    pub fn may_file_profile_of(&self, member: &OrgId) -> bool {
        self.may_write() && self.is_org_admin_of(member)
    }
}

/// Discussion channels (`domain::channel`). The network's channel is read by everyone in the
/// network; a cluster's by the organisations that are its members today and the coordinator,
/// nobody else (not administrators, not other clusters' leads).
impl Principal {
    pub fn may_read_channel(&self, channel: &Channel) -> bool {
        match channel {
            Channel::Network => true,
            Channel::Cluster(c) => self.is_coordinator() || self.org_clusters.contains(c),
        }
    }

    /// Posting speaks for one's organisation, so it is for those who act for it (its responders
    /// and org admins, the coordinator for its centre) with a write credential, in a channel they
    /// read. Viewers, accounts with no grant and read-only tokens only read.
    pub fn may_post_in_channel(&self, channel: &Channel) -> bool {
        self.may_act_for(&self.org_id) && self.may_read_channel(channel)
    }

    /// Inside a channel a message's TLP decides who of the channel reads it: CLEAR, GREEN and
    /// AMBER the whole channel (its audience is the channel's); AMBER+STRICT the poster's
    /// organisation and the organisations it names (`record_shares`, kind `message`); RED the
    /// poster and the people it names (the poster is always named). As data, so that the
    /// store filters lists, counts and the stream in SQL with `tlp_visible!`.
    pub fn message_read_rule(&self) -> ReadRule {
        if !self.takes_part() {
            return ReadRule::nothing(self.user_id.clone());
        }
        ReadRule {
            open_levels: vec![Tlp::Clear, Tlp::Green, Tlp::Amber],
            org_levels: vec![Tlp::AmberStrict],
            orgs: self.own_orgs(),
            person_levels: vec![Tlp::Red],
            person: self.user_id.clone(),
        }
    }

    /// A message is read by whoever reads its channel and is admitted by the message rule.
    pub fn may_read_message(&self, channel: &Channel, r: &RecordAccess) -> bool {
        self.may_read_channel(channel) && self.message_read_rule().admits(r)
    }
}

/// What a shareable record (incident, indicator, alert, message…) says about its audience.
#[derive(Debug, Clone)]
pub struct RecordAccess {
    pub owner_org: OrgId,
    pub tlp: Tlp,
    pub shared_orgs: Vec<OrgId>,
    pub shared_people: Vec<UserId>,
}

/// The read rule of one principal, as data, so that Rust (`admits`) and SQL (built by the store) evaluate the same thing.
///
/// A record is admitted when any of the three clauses holds; the store emits the same
/// three clauses joined by OR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRule {
    /// levels anyone in the network may read (CLEAR, GREEN)
    pub open_levels: Vec<Tlp>,
    /// levels readable when the record's owner org or one of its shared orgs is in `orgs` (AMBER, AMBER+STRICT)
    pub org_levels: Vec<Tlp>,
    pub orgs: Vec<OrgId>,
    /// levels readable when `person` is among the record's shared people (AMBER, AMBER+STRICT, RED)
    pub person_levels: Vec<Tlp>,
    pub person: UserId,
}

impl ReadRule {
    /// The rule that admits no record (an account with no grant): no level in any clause.
    pub fn nothing(person: UserId) -> ReadRule {
        ReadRule {
            open_levels: vec![],
            org_levels: vec![],
            orgs: vec![],
            person_levels: vec![],
            person,
        }
    }

    pub fn admits(&self, r: &RecordAccess) -> bool {
        let open = self.open_levels.contains(&r.tlp);
        let by_org = self.org_levels.contains(&r.tlp)
            && (self.orgs.contains(&r.owner_org)
                || r.shared_orgs.iter().any(|o| self.orgs.contains(o)));
        let by_person =
            self.person_levels.contains(&r.tlp) && r.shared_people.contains(&self.person);
        open || by_org || by_person
    }

    /// The rule as a union of parts, each reachable along one index (levels; an owner; the
    /// shares of an organisation or a person): a record is admitted exactly when one part
    /// admits it. A list can then read each part in index order and merge, instead of
    /// testing every record against the whole rule. Parts with no level are left out.
    pub fn parts(&self) -> Vec<ReadPart> {
        let mut out = Vec::new();
        if !self.open_levels.is_empty() {
            out.push(ReadPart::Open(self.open_levels.clone()));
        }
        if !self.org_levels.is_empty() {
            for o in &self.orgs {
                out.push(ReadPart::Owned(o.clone(), self.org_levels.clone()));
                out.push(ReadPart::SharedWithOrg(o.clone(), self.org_levels.clone()));
            }
        }
        if !self.person_levels.is_empty() {
            out.push(ReadPart::SharedWithPerson(
                self.person.clone(),
                self.person_levels.clone(),
            ));
        }
        out
    }
}

/// One part of a `ReadRule` (see `ReadRule::parts`): records at one of the levels that are
/// open, owned by the organisation, or shared with the organisation or the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadPart {
    Open(Vec<Tlp>),
    Owned(OrgId, Vec<Tlp>),
    SharedWithOrg(OrgId, Vec<Tlp>),
    SharedWithPerson(UserId, Vec<Tlp>),
}

impl ReadPart {
    pub fn levels(&self) -> &[Tlp] {
        match self {
            ReadPart::Open(l)
            | ReadPart::Owned(_, l)
            | ReadPart::SharedWithOrg(_, l)
            | ReadPart::SharedWithPerson(_, l) => l,
        }
    }

    pub fn admits(&self, r: &RecordAccess) -> bool {
        self.levels().contains(&r.tlp)
            && match self {
                ReadPart::Open(_) => true,
                ReadPart::Owned(o, _) => &r.owner_org == o,
                ReadPart::SharedWithOrg(o, _) => r.shared_orgs.contains(o),
                ReadPart::SharedWithPerson(p, _) => r.shared_people.contains(p),
            }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn org(n: u8) -> OrgId {
        OrgId::from_trusted(format!("org-{n}"))
    }
    fn user(n: u8) -> UserId {
        UserId::from_trusted(format!("user-{n}"))
    }
    fn cluster(n: u8) -> ClusterId {
        ClusterId::from_trusted(format!("cluster-{n}"))
    }
    fn org_ref(n: u8) -> OrgRef {
        OrgRef {
            org_id: org(n),
            clusters: vec![cluster(0)],
        }
    }
    fn grant(role: Role, scope: Scope) -> Grant {
        Grant::new(role, scope).unwrap()
    }
    fn principal(grants: Vec<Grant>, access: TokenScope) -> Principal {
        Principal {
            user_id: user(0),
            org_id: org(0),
            grants,
            org_clusters: vec![cluster(0)],
            leading_clusters: vec![cluster(0)],
            access,
            inherited_orgs: vec![],
            led_predecessors: vec![],
        }
    }
    fn admin() -> Principal {
        principal(vec![grant(Role::Admin, Scope::Network)], TokenScope::Write)
    }
    fn org_admin_of_own_org() -> Principal {
        principal(
            vec![grant(Role::OrgAdmin, Scope::Org(org(0)))],
            TokenScope::Write,
        )
    }

    /// Mẫu 05 is filed by those who file the member's incident reports, Mẫu 01 by its org
    /// admins; a filed Mẫu 05 is read by the member and the coordinator, not by a cluster lead.
    #[test]
    fn filing_periodic_reports_and_the_profile() {
        let responder = principal(
            vec![grant(Role::Responder, Scope::Org(org(0)))],
            TokenScope::Write,
        );
        let viewer = principal(
            vec![grant(Role::Viewer, Scope::Org(org(0)))],
            TokenScope::Write,
        );
        let coordinator = principal(
            vec![grant(Role::Coordinator, Scope::Network)],
            TokenScope::Write,
        );
        let lead = principal(
            vec![grant(Role::ClusterLead, Scope::Cluster(cluster(0)))],
            TokenScope::Write,
        );
        assert!(responder.may_file_statistics_of(&org(0)));
        assert!(org_admin_of_own_org().may_file_statistics_of(&org(0)));
        assert!(!responder.may_file_statistics_of(&org(1)));
        assert!(!viewer.may_file_statistics_of(&org(0)));
        assert!(!coordinator.may_file_statistics_of(&org(1)));
        assert!(
            !principal(
                vec![grant(Role::Responder, Scope::Org(org(0)))],
                TokenScope::Read
            )
            .may_file_statistics_of(&org(0))
        );
        assert!(org_admin_of_own_org().may_file_profile_of(&org(0)));
        assert!(!responder.may_file_profile_of(&org(0)));
        assert!(!coordinator.may_file_profile_of(&org(1)));
        assert!(!admin().may_file_profile_of(&org(1)));
        assert!(viewer.may_read_filed_statistics_of(&org(0)));
        assert!(coordinator.may_read_filed_statistics_of(&org(1)));
        assert!(!admin().may_read_filed_statistics_of(&org(1)));
        assert!(!lead.may_read_filed_statistics_of(&org(1)));
        assert!(!responder.may_read_filed_statistics_of(&org(1)));
    }

    /// org(0) succeeded org(5) by a merger: its responder reads and works org(5)'s incidents
    /// (not at RED unless named), its statistics and private part; org(6) is nobody's.
    #[test]
    fn a_successor_stands_for_its_predecessors_outside_red() {
        let mut responder = principal(
            vec![grant(Role::Responder, Scope::Org(org(0)))],
            TokenScope::Write,
        );
        responder.inherited_orgs = vec![org(5)];
        let record = |owner: OrgId, tlp: Tlp| RecordAccess {
            owner_org: owner,
            tlp,
            shared_orgs: vec![],
            shared_people: vec![],
        };
        for tlp in [Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::AmberStrict] {
            assert!(responder.incident_read_rule().admits(&record(org(5), tlp)));
        }
        assert!(
            !responder
                .incident_read_rule()
                .admits(&record(org(5), Tlp::Red))
        );
        assert!(
            !responder
                .incident_read_rule()
                .admits(&record(org(6), Tlp::Amber))
        );
        assert!(
            responder
                .read_rule()
                .admits(&record(org(5), Tlp::AmberStrict))
        );
        assert!(responder.may_act_for(&org(5)));
        assert!(responder.stands_for(&org(5)) && !responder.stands_for(&org(6)));
        assert!(!responder.may_act_for(&org(6)));
        assert!(responder.counts_every_incident_of(&org(5)));
        assert!(responder.may_read_org_private(&OrgRef {
            org_id: org(5),
            clusters: vec![],
        }));
        assert!(responder.private_read_rule().orgs.contains(&org(5)));
        // Read-only tokens and viewers still only read.
        let mut viewer = principal(
            vec![grant(Role::Viewer, Scope::Org(org(0)))],
            TokenScope::Write,
        );
        viewer.inherited_orgs = vec![org(5)];
        assert!(
            viewer
                .incident_read_rule()
                .admits(&record(org(5), Tlp::Amber))
        );
        assert!(!viewer.may_act_for(&org(5)));
        responder.access = TokenScope::Read;
        assert!(!responder.may_act_for(&org(5)));
        // No grant, no read, inherited or not.
        let mut nobody = principal(vec![], TokenScope::Write);
        nobody.inherited_orgs = vec![org(5)];
        assert!(
            !nobody
                .incident_read_rule()
                .admits(&record(org(5), Tlp::Green))
        );
        assert!(nobody.private_read_rule().orgs.is_empty());
    }

    /// A cluster lead of this year reads its members' predecessors' private parts; without a
    /// lead this year it reads none of them.
    #[test]
    fn a_lead_reads_its_members_predecessors_only_while_it_leads() {
        let mut lead = principal(
            vec![grant(Role::ClusterLead, Scope::Cluster(cluster(0)))],
            TokenScope::Read,
        );
        lead.led_predecessors = vec![org(7)];
        let gone = OrgRef {
            org_id: org(7),
            clusters: vec![],
        };
        assert!(lead.may_read_org_private(&gone));
        assert!(lead.private_read_rule().admits(&gone));
        lead.leading_clusters.clear();
        assert!(!lead.may_read_org_private(&gone));
        assert!(!lead.private_read_rule().admits(&gone));
    }

    #[test]
    fn token_scope_names_round_trip() {
        for s in [TokenScope::Read, TokenScope::Write] {
            assert_eq!(TokenScope::parse(s.as_str()), Ok(s));
        }
        assert_eq!(
            TokenScope::parse("admin"),
            Err(DomainError::InvalidScope("admin".into()))
        );
    }

    #[test]
    fn webhooks_are_managed_by_the_orgs_admins_and_administrators_only() {
        assert!(org_admin_of_own_org().may_manage_webhooks_of(&org(0)));
        assert!(!org_admin_of_own_org().may_manage_webhooks_of(&org(1)));
        assert!(admin().may_manage_webhooks_of(&org(1)));
        let coordinator = principal(
            vec![grant(Role::Coordinator, Scope::Network)],
            TokenScope::Write,
        );
        assert!(!coordinator.may_manage_webhooks_of(&org(0)));
        let responder = principal(
            vec![grant(Role::Responder, Scope::Org(org(0)))],
            TokenScope::Write,
        );
        assert!(!responder.may_manage_webhooks_of(&org(0)));
    }

    #[test]
    fn org_admin_grants_only_org_roles_in_own_org() {
        let p = org_admin_of_own_org();
        let own = org_ref(0);
        for role in [Role::OrgAdmin, Role::Responder, Role::Viewer] {
            assert!(
                p.may_grant(&grant(role, Scope::Org(org(0))), &own),
                "{role}"
            );
        }
        for (role, scope) in [
            (Role::Admin, Scope::Network),
            (Role::Coordinator, Scope::Network),
            (Role::ClusterLead, Scope::Cluster(cluster(0))),
            (Role::Viewer, Scope::Network),
            (Role::Viewer, Scope::Cluster(cluster(0))),
        ] {
            assert!(!p.may_grant(&grant(role, scope), &own), "{role}");
        }
    }

    #[test]
    fn org_admin_cannot_grant_at_another_org() {
        let p = org_admin_of_own_org();
        // Neither for a person of the other organisation…
        assert!(!p.may_grant(&grant(Role::Responder, Scope::Org(org(1))), &org_ref(1)));
        // …nor by granting the other organisation's scope to one of their own people,
        assert!(!p.may_grant(&grant(Role::Responder, Scope::Org(org(1))), &org_ref(0)));
        // …nor their own organisation's scope to someone elsewhere.
        assert!(!p.may_grant(&grant(Role::Viewer, Scope::Org(org(0))), &org_ref(1)));
    }

    #[test]
    fn admin_grants_any_valid_grant_but_not_malformed_ones() {
        let p = admin();
        assert!(p.may_grant(&grant(Role::Coordinator, Scope::Network), &org_ref(3)));
        assert!(p.may_grant(
            &grant(Role::ClusterLead, Scope::Cluster(cluster(2))),
            &org_ref(3)
        ));
        let malformed = Grant {
            role: Role::Admin,
            scope: Scope::Org(org(3)),
        };
        assert!(!p.may_grant(&malformed, &org_ref(3)));
    }

    #[test]
    fn malformed_grants_confer_nothing() {
        let p = principal(
            vec![Grant {
                role: Role::Admin,
                scope: Scope::Org(org(0)),
            }],
            TokenScope::Write,
        );
        assert!(!p.is_admin());
        assert!(!p.has_role(Role::Admin));
        assert!(!p.may_create_org());
    }

    #[test]
    fn coordinator_and_org_admin_powers() {
        let coord = principal(
            vec![grant(Role::Coordinator, Scope::Network)],
            TokenScope::Write,
        );
        assert!(coord.may_create_org() && coord.may_edit_org(&org_ref(5)));
        assert!(coord.may_read_all_users());
        assert!(!coord.may_manage_users_of(&org_ref(5)));
        assert!(!coord.may_administer_platform());
        assert_eq!(coord.audit_visibility(), AuditVisibility::All);

        let oa = org_admin_of_own_org();
        assert!(oa.may_edit_org(&org_ref(0)) && !oa.may_edit_org(&org_ref(1)));
        assert!(oa.may_manage_users_of(&org_ref(0)) && !oa.may_manage_users_of(&org_ref(1)));
        assert!(!oa.may_create_org() && !oa.may_read_all_users());
        assert_eq!(oa.audit_visibility(), AuditVisibility::Orgs(vec![org(0)]));

        let responder = principal(
            vec![grant(Role::Responder, Scope::Org(org(0)))],
            TokenScope::Write,
        );
        assert!(responder.has_role(Role::Responder) && !responder.has_role(Role::OrgAdmin));
        assert_eq!(responder.audit_visibility(), AuditVisibility::Nothing);
    }

    #[test]
    fn read_only_admin_token_can_do_no_write_action() {
        let mut p = admin();
        p.grants.push(grant(Role::Coordinator, Scope::Network));
        p.grants.push(grant(Role::OrgAdmin, Scope::Org(org(0))));
        p.access = TokenScope::Read;
        assert!(!p.may_write());
        assert!(!p.may_create_org());
        assert!(!p.may_edit_org(&org_ref(0)));
        assert!(!p.may_manage_users_of(&org_ref(0)));
        assert!(!p.may_grant(&grant(Role::Viewer, Scope::Org(org(0))), &org_ref(0)));
        // Reading stays allowed.
        assert!(p.may_read_all_users());
        assert_eq!(p.audit_visibility(), AuditVisibility::All);
    }

    #[test]
    fn coordinator_sees_amber_once_in_the_audience() {
        let coord = Principal {
            org_id: org(9),
            ..principal(
                vec![grant(Role::Coordinator, Scope::Network)],
                TokenScope::Write,
            )
        };
        let mut incident = RecordAccess {
            owner_org: org(1),
            tlp: Tlp::Amber,
            shared_orgs: vec![],
            shared_people: vec![],
        };
        assert!(!coord.may_read(&incident));
        incident.shared_orgs.push(org(9));
        assert!(coord.may_read(&incident));
        incident.tlp = Tlp::Red;
        assert!(!coord.may_read(&incident));
        incident.shared_people.push(user(0));
        assert!(coord.may_read(&incident));
    }

    // ---- property tests against an independently written specification ----

    /// The read policy stated the plain way, without `ReadRule`.
    fn spec_may_read(p: &Principal, r: &RecordAccess) -> bool {
        if !p.grants.iter().any(Grant::is_valid) {
            return false;
        }
        let named = r.shared_people.contains(&p.user_id);
        let in_audience = r.owner_org == p.org_id || r.shared_orgs.contains(&p.org_id);
        match r.tlp {
            Tlp::Clear | Tlp::Green => true,
            Tlp::Amber | Tlp::AmberStrict => in_audience || named,
            Tlp::Red => named,
        }
    }

    // Small pools so that random principals and records often overlap.
    fn any_org() -> impl Strategy<Value = OrgId> {
        (0u8..4).prop_map(org)
    }
    fn any_user() -> impl Strategy<Value = UserId> {
        (0u8..4).prop_map(user)
    }
    fn any_grant() -> impl Strategy<Value = Grant> {
        let scope = prop_oneof![
            Just(Scope::Network),
            (0u8..2).prop_map(|n| Scope::Cluster(cluster(n))),
            any_org().prop_map(Scope::Org),
        ];
        (proptest::sample::select(Role::ALL.to_vec()), scope)
            .prop_filter_map("valid grants", |(role, scope)| Grant::new(role, scope).ok())
    }
    fn any_access() -> impl Strategy<Value = TokenScope> {
        prop_oneof![Just(TokenScope::Read), Just(TokenScope::Write)]
    }
    fn any_principal() -> impl Strategy<Value = Principal> {
        (
            any_user(),
            any_org(),
            proptest::collection::vec(any_grant(), 0..4),
            proptest::collection::vec((0u8..2).prop_map(cluster), 0..2),
            proptest::collection::vec((0u8..2).prop_map(cluster), 0..2),
            any_access(),
        )
            .prop_map(
                |(user_id, org_id, grants, org_clusters, leading_clusters, access)| Principal {
                    user_id,
                    org_id,
                    grants,
                    org_clusters,
                    leading_clusters,
                    access,
                    inherited_orgs: vec![],
                    led_predecessors: vec![],
                },
            )
    }
    fn any_record() -> impl Strategy<Value = RecordAccess> {
        (
            any_org(),
            proptest::sample::select(Tlp::ALL.to_vec()),
            proptest::collection::vec(any_org(), 0..3),
            proptest::collection::vec(any_user(), 0..3),
        )
            .prop_map(
                |(owner_org, tlp, shared_orgs, shared_people)| RecordAccess {
                    owner_org,
                    tlp,
                    shared_orgs,
                    shared_people,
                },
            )
    }

    proptest! {
        #[test]
        fn may_read_matches_the_spec(p in any_principal(), r in any_record()) {
            prop_assert_eq!(p.may_read(&r), spec_may_read(&p, &r));
        }

        #[test]
        fn the_private_read_rule_as_data_agrees_with_the_policy(
            p in any_principal(),
            o in any_org(),
            clusters in proptest::collection::vec((0u8..3).prop_map(cluster), 0..3),
        ) {
            let target = OrgRef { org_id: o, clusters };
            prop_assert_eq!(p.private_read_rule().admits(&target), p.may_read_org_private(&target));
        }

        #[test]
        fn the_alert_rule_matches_its_spec(p in any_principal(), r in any_record()) {
            // Stated plainly: RED needs a name; below RED the coordinator, the sender and the
            // recipients read it, and so does anyone named.
            let named = r.shared_people.contains(&p.user_id);
            let audience = r.owner_org == p.org_id || r.shared_orgs.contains(&p.org_id);
            let member = p.grants.iter().any(Grant::is_valid);
            let spec = match r.tlp {
                Tlp::Red => member && named,
                _ => p.is_coordinator() || (member && (audience || named)),
            };
            prop_assert_eq!(p.alert_read_rule().admits(&r), spec);
        }

        #[test]
        fn outsiders_never_read_an_alert(p in any_principal(), mut r in any_record()) {
            prop_assume!(!p.is_coordinator() && r.owner_org != p.org_id);
            r.shared_orgs.retain(|o| o != &p.org_id);
            r.shared_people.retain(|u| u != &p.user_id);
            prop_assert!(!p.alert_read_rule().admits(&r));
        }

        #[test]
        fn only_the_coordinator_and_this_years_lead_alert_a_cluster(
            p in any_principal(),
            c in (0u8..2).prop_map(cluster),
            leads in proptest::bool::ANY,
        ) {
            let allowed = p.may_alert_cluster(&c, leads);
            let lead = p.grants.contains(&Grant { role: Role::ClusterLead, scope: Scope::Cluster(c) });
            prop_assert_eq!(allowed, p.may_write() && (p.is_coordinator() || (leads && lead)));
        }

        #[test]
        fn the_parts_of_a_read_rule_admit_what_the_rule_admits(
            p in any_principal(),
            r in any_record(),
            incidents in any::<bool>(),
        ) {
            let rule = if incidents { p.incident_read_rule() } else { p.read_rule() };
            let by_parts = rule.parts().iter().any(|part| part.admits(&r));
            prop_assert_eq!(by_parts, rule.admits(&r));
        }

        #[test]
        fn the_message_rule_matches_its_spec(
            p in any_principal(),
            r in any_record(),
            on_network in any::<bool>(),
            c in (0u8..2).prop_map(cluster),
        ) {
            // Stated plainly: the channel first (the network: everyone; a cluster: its members
            // today and the coordinator), then inside it CLEAR, GREEN and AMBER for all,
            // AMBER+STRICT for the poster's and the named organisations, RED for named people.
            let channel = if on_network { Channel::Network } else { Channel::Cluster(c.clone()) };
            let in_channel = on_network || p.is_coordinator() || p.org_clusters.contains(&c);
            let named = r.shared_people.contains(&p.user_id);
            let org_named = r.owner_org == p.org_id || r.shared_orgs.contains(&p.org_id);
            let member = p.grants.iter().any(Grant::is_valid);
            let by_tlp = match r.tlp {
                Tlp::Clear | Tlp::Green | Tlp::Amber => true,
                Tlp::AmberStrict => org_named,
                Tlp::Red => named,
            };
            prop_assert_eq!(p.may_read_message(&channel, &r), in_channel && member && by_tlp);
            // Posting: those who act for their organisation (responders, org admins, the
            // coordinator) with a write credential.
            let acts = p.grants.iter().any(|g| {
                matches!(
                    (g.role, &g.scope),
                    (Role::Responder | Role::OrgAdmin, Scope::Org(o)) if o == &p.org_id
                ) || (g.role == Role::Coordinator && g.scope == Scope::Network)
            });
            prop_assert_eq!(
                p.may_post_in_channel(&channel),
                p.may_write() && acts && in_channel
            );
        }

        #[test]
        fn the_parts_of_the_message_rule_admit_what_it_admits(p in any_principal(), r in any_record()) {
            let rule = p.message_read_rule();
            let by_parts = rule.parts().iter().any(|part| part.admits(&r));
            prop_assert_eq!(by_parts, rule.admits(&r));
        }

        #[test]
        fn red_needs_a_name(p in any_principal(), mut r in any_record()) {
            r.tlp = Tlp::Red;
            let member = p.grants.iter().any(Grant::is_valid);
            prop_assert_eq!(p.may_read(&r), member && r.shared_people.contains(&p.user_id));
        }

        #[test]
        fn outsiders_see_only_clear_and_green(p in any_principal(), mut r in any_record()) {
            r.shared_orgs.retain(|o| o != &p.org_id);
            r.shared_people.retain(|u| u != &p.user_id);
            prop_assume!(r.owner_org != p.org_id);
            let member = p.grants.iter().any(Grant::is_valid);
            prop_assert_eq!(p.may_read(&r), member && matches!(r.tlp, Tlp::Clear | Tlp::Green));
        }

        #[test]
        fn read_only_principals_do_no_write_action(
            mut p in any_principal(),
            g in any_grant(),
            target in any_org(),
        ) {
            p.access = TokenScope::Read;
            let target = OrgRef { org_id: target, clusters: vec![] };
            prop_assert!(!p.may_write());
            prop_assert!(!p.may_create_org());
            prop_assert!(!p.may_edit_org(&target));
            prop_assert!(!p.may_manage_users_of(&target));
            prop_assert!(!p.may_grant(&g, &target));
        }

        #[test]
        fn only_admins_grant_beyond_their_own_org(p in any_principal(), g in any_grant(), target in any_org()) {
            let target = OrgRef { org_id: target, clusters: vec![] };
            if p.may_grant(&g, &target) && !p.is_admin() {
                prop_assert_eq!(&g.scope, &Scope::Org(target.org_id));
                prop_assert!(matches!(g.role, Role::OrgAdmin | Role::Responder | Role::Viewer));
                let needed = Grant { role: Role::OrgAdmin, scope: g.scope };
                prop_assert!(p.grants.contains(&needed));
            }
        }
    }
}

#[cfg(test)]
mod private_part_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn principal(org: &str, grants: Vec<Grant>) -> Principal {
        Principal {
            user_id: UserId::from_trusted("u".into()),
            org_id: OrgId::from_trusted(org.into()),
            grants,
            org_clusters: vec![],
            leading_clusters: vec![
                ClusterId::from_trusted("c1".into()),
                ClusterId::from_trusted("c2".into()),
            ],
            access: TokenScope::Read,
            inherited_orgs: vec![],
            led_predecessors: vec![],
        }
    }

    #[test]
    fn only_the_org_its_cluster_lead_and_the_coordinator_read_the_private_part() {
        let cao_bang = OrgRef {
            org_id: OrgId::from_trusted("cao-bang".into()),
            clusters: vec![ClusterId::from_trusted("c1".into())],
        };
        let lang_son_responder = principal(
            "lang-son",
            vec![
                Grant::new(
                    Role::Responder,
                    Scope::Org(OrgId::from_trusted("lang-son".into())),
                )
                .unwrap(),
            ],
        );
        assert!(!lang_son_responder.may_read_org_private(&cao_bang));
        let cao_bang_viewer = principal(
            "cao-bang",
            vec![Grant::new(Role::Viewer, Scope::Org(cao_bang.org_id.clone())).unwrap()],
        );
        assert!(cao_bang_viewer.may_read_org_private(&cao_bang));
        // No grant, no read: an account of the organisation that holds no role yet.
        assert!(!principal("cao-bang", vec![]).may_read_org_private(&cao_bang));
        assert!(
            principal(
                "x",
                vec![Grant::new(Role::Coordinator, Scope::Network).unwrap()]
            )
            .may_read_org_private(&cao_bang)
        );
        let lead = principal(
            "bac-ninh",
            vec![
                Grant::new(
                    Role::ClusterLead,
                    Scope::Cluster(ClusterId::from_trusted("c1".into())),
                )
                .unwrap(),
            ],
        );
        assert!(lead.may_read_org_private(&cao_bang));
        let other_lead = principal(
            "bac-ninh",
            vec![
                Grant::new(
                    Role::ClusterLead,
                    Scope::Cluster(ClusterId::from_trusted("c2".into())),
                )
                .unwrap(),
            ],
        );
        assert!(!other_lead.may_read_org_private(&cao_bang));
    }

    #[test]
    fn a_lead_grant_confers_nothing_in_a_year_the_organisation_does_not_lead() {
        let c1 = ClusterId::from_trusted("c1".into());
        let member = OrgRef {
            org_id: OrgId::from_trusted("cao-bang".into()),
            clusters: vec![c1.clone()],
        };
        let mut lead = principal(
            "bac-kan",
            vec![Grant::new(Role::ClusterLead, Scope::Cluster(c1.clone())).unwrap()],
        );
        assert!(lead.may_read_org_private(&member));
        assert_eq!(lead.led_clusters(), vec![c1]);
        // The year turned and another organisation leads the cluster: the grant is left over.
        lead.leading_clusters.clear();
        assert!(!lead.may_read_org_private(&member));
        assert!(lead.led_clusters().is_empty());
        assert!(!lead.private_read_rule().admits(&member));
        lead.access = TokenScope::Write;
        assert!(!lead.may_compose_alerts());
    }
}

// Training (issue 20): who reads a programme, who runs it, who records attendance and
// certificates. A person's attendance and certificates are their organisation's private part,
// read by `private_read_rule` like the directory's people.

/// A training programme is read by its organiser and the members it invited, as data so that
/// the store filters lists with the same rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeReadRule {
    /// the reader's own organisation and those it succeeded; empty for an account without grants
    pub orgs: Vec<OrgId>,
}

impl ProgrammeReadRule {
    /// Whether a programme organised by `organiser` and inviting `invited` is readable.
    pub fn admits(&self, organiser: &OrgId, invited: &[OrgId]) -> bool {
        self.orgs.contains(organiser) || invited.iter().any(|o| self.orgs.contains(o))
    }
}

impl Principal {
    pub fn programme_read_rule(&self) -> ProgrammeReadRule {
        ProgrammeReadRule {
            orgs: if self.takes_part() {
                self.own_orgs()
            } else {
                vec![]
            },
        }
    }

    /// Creating and changing a programme of `organiser` (its sessions, its invitations): the
    /// organiser's org admins, and the coordinator.
    pub fn may_manage_training_of(&self, organiser: &OrgId) -> bool {
        self.may_write() && (self.is_org_admin_of(organiser) || self.is_coordinator())
    }

    /// Recording a person's attendance: those who keep the person's organisation's directory
    /// (`may_edit_org`), or whoever runs the programme and reads that organisation's people.
    pub fn may_record_attendance(&self, runs_programme: bool, person_org: &OrgRef) -> bool {
        self.may_write()
            && (self.may_edit_org(person_org)
                || (runs_programme && self.may_read_org_private(person_org)))
    }

    /// Recording and removing a person's certificates: those who keep the person's
    /// organisation's directory.
    pub fn may_manage_certificates_of(&self, person_org: &OrgRef) -> bool {
        self.may_read_org_private(person_org) && self.may_edit_org(person_org)
    }
}

#[cfg(test)]
mod training_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn principal(org: &str, grants: Vec<Grant>) -> Principal {
        Principal {
            user_id: UserId::from_trusted(format!("user-{org}")),
            org_id: OrgId::from_trusted(org.to_owned()),
            grants,
            org_clusters: vec![],
            leading_clusters: vec![],
            access: TokenScope::Write,
            inherited_orgs: vec![],
            led_predecessors: vec![],
        }
    }

    fn org(s: &str) -> OrgId {
        OrgId::from_trusted(s.to_owned())
    }

    #[test]
    fn a_programme_is_read_by_its_organiser_and_invited_members_only() {
        let viewer = principal(
            "cao-bang",
            vec![Grant::new(Role::Viewer, Scope::Org(org("cao-bang"))).unwrap()],
        );
        let rule = viewer.programme_read_rule();
        assert!(rule.admits(&org("cao-bang"), &[]));
        assert!(rule.admits(&org("thai-nguyen"), &[org("cao-bang")]));
        assert!(!rule.admits(&org("thai-nguyen"), &[org("lang-son")]));
        // no grant, no read
        assert!(
            !principal("cao-bang", vec![])
                .programme_read_rule()
                .admits(&org("cao-bang"), &[])
        );
    }

    #[test]
    fn org_admins_and_the_coordinator_run_programmes_viewers_do_not() {
        let admin = principal(
            "cao-bang",
            vec![Grant::new(Role::OrgAdmin, Scope::Org(org("cao-bang"))).unwrap()],
        );
        assert!(admin.may_manage_training_of(&org("cao-bang")));
        assert!(!admin.may_manage_training_of(&org("lang-son")));
        let viewer = principal(
            "cao-bang",
            vec![Grant::new(Role::Viewer, Scope::Org(org("cao-bang"))).unwrap()],
        );
        assert!(!viewer.may_manage_training_of(&org("cao-bang")));
        let coordinator = principal(
            "vncert",
            vec![Grant::new(Role::Coordinator, Scope::Network).unwrap()],
        );
        assert!(coordinator.may_manage_training_of(&org("cao-bang")));
        let other = OrgRef {
            org_id: org("lang-son"),
            clusters: vec![],
        };
        // running a programme gives no hand on people one may not read
        assert!(!admin.may_record_attendance(true, &other));
        assert!(coordinator.may_record_attendance(false, &other));
        assert!(!admin.may_manage_certificates_of(&other));
    }
}

// ---- drills -------------------------------------------------------------------------------------

/// A drill as the policy needs to see it: its kind, who organises it (a cluster's lead, or the
/// coordinator when `organiser_cluster` is none), and the per-drill grants naming this principal's
/// person or organisations (others may be passed: they are matched here).
#[derive(Debug, Clone)]
pub struct DrillFacts {
    pub kind: crate::drills::Kind,
    pub organiser_cluster: Option<ClusterId>,
    pub grants: Vec<DrillGrant>,
}

/// A role in one drill, held by a member team (every person of the organisation) or one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillGrant {
    pub role: crate::drills::DrillRole,
    pub org: Option<OrgId>,
    pub person: Option<UserId>,
}

/// Which drills a principal may know exist, compiled to SQL by the store (`drill_visible!`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillReadRule {
    /// administrators and the coordinator know every drill
    pub all: bool,
    /// external drills' published results are for everyone taking part in the network
    pub external: bool,
    /// clusters whose drills the principal organises as their lead
    pub led_clusters: Vec<ClusterId>,
    /// the person and organisations matched against the per-drill grants (none without a grant)
    pub person: Option<UserId>,
    pub orgs: Vec<OrgId>,
}

impl DrillReadRule {
    pub fn admits(&self, d: &DrillFacts) -> bool {
        self.all
            || (self.external && d.kind == crate::drills::Kind::External)
            || d.organiser_cluster
                .as_ref()
                .is_some_and(|c| self.led_clusters.contains(c))
            || d.grants.iter().any(|g| {
                (g.person.is_some() && g.person == self.person)
                    || g.org.as_ref().is_some_and(|o| self.orgs.contains(o))
            })
    }
}

impl Principal {
    /// The principal's part in a drill, the strongest it holds; none when the drill is not theirs
    /// to know of. The coordinator organises the network's drills, a cluster's lead its
    /// cluster's; the coordinator and administrators observe the others; a grant reaches only the
    /// drill it was given in; an external drill's results are observed by everyone taking part.
    pub fn drill_role(&self, d: &DrillFacts) -> Option<crate::drills::DrillRole> {
        use crate::drills::DrillRole;
        if !self.takes_part() {
            return None;
        }
        let organiser = match &d.organiser_cluster {
            None => self.is_coordinator(),
            Some(c) => self.leads(c),
        };
        let mut held: Vec<DrillRole> = d
            .grants
            .iter()
            .filter(|g| {
                g.person.as_ref() == Some(&self.user_id)
                    || g.org.as_ref().is_some_and(|o| self.stands_for(o))
            })
            .map(|g| g.role)
            .collect();
        if organiser {
            held.push(DrillRole::Organiser);
        }
        if self.is_admin() || self.is_coordinator() || d.kind == crate::drills::Kind::External {
            held.push(DrillRole::Observer);
        }
        held.into_iter().max()
    }

    /// The member team this principal answers for in a drill: its own organisation (or one it
    /// succeeded) when that is a participant.
    pub fn drill_team(&self, d: &DrillFacts) -> Option<OrgId> {
        self.own_orgs().into_iter().find(|o| {
            d.grants.iter().any(|g| {
                g.role == crate::drills::DrillRole::Participant && g.org.as_ref() == Some(o)
            })
        })
    }

    pub fn drill_read_rule(&self) -> DrillReadRule {
        let part = self.takes_part();
        DrillReadRule {
            all: self.is_admin() || self.is_coordinator(),
            external: part,
            led_clusters: if part { self.led_clusters() } else { vec![] },
            person: part.then(|| self.user_id.clone()),
            orgs: if part { self.own_orgs() } else { vec![] },
        }
    }

    /// A drill of the network is created by the coordinator, a cluster's by its lead this year.
    /// An external drill is recorded by the coordinator or a lead for its cluster the same way.
    pub fn may_create_drill(&self, organiser_cluster: Option<&ClusterId>) -> bool {
        self.may_write()
            && match organiser_cluster {
                None => self.is_coordinator(),
                Some(c) => self.leads(c),
            }
    }

    /// Organisers run the drill: its injects, its grants, its state.
    pub fn may_run_drill(&self, d: &DrillFacts) -> bool {
        self.may_write() && self.drill_role(d) == Some(crate::drills::DrillRole::Organiser)
    }

    /// Judges and organisers award points and penalties.
    pub fn may_judge_drill(&self, d: &DrillFacts) -> bool {
        self.may_write()
            && self
                .drill_role(d)
                .is_some_and(|r| r.sees_behind_the_scenes())
    }

    /// A participant team's people answer while the drill takes answers.
    pub fn may_answer_in_drill(&self, d: &DrillFacts, state: crate::drills::State) -> bool {
        self.may_write()
            && state.takes_answers()
            && self.drill_role(d) == Some(crate::drills::DrillRole::Participant)
            && self.drill_team(d).is_some()
    }

    /// Injects before their release, and the live standings during a freeze: judges and
    /// organisers only.
    pub fn sees_drill_behind_the_scenes(&self, d: &DrillFacts) -> bool {
        self.drill_role(d)
            .is_some_and(|r| r.sees_behind_the_scenes())
    }
}

#[cfg(test)]
mod drill_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::drills::{DrillRole, Kind, State};

    fn person(role: Role, scope: Scope, org: &OrgId) -> Principal {
        Principal {
            user_id: UserId::new(),
            org_id: org.clone(),
            grants: vec![Grant { role, scope }],
            org_clusters: vec![],
            leading_clusters: vec![],
            access: TokenScope::Write,
            inherited_orgs: vec![],
            led_predecessors: vec![],
        }
    }

    fn drill(cluster: Option<&ClusterId>, kind: Kind, teams: &[&OrgId]) -> DrillFacts {
        DrillFacts {
            kind,
            organiser_cluster: cluster.cloned(),
            grants: teams
                .iter()
                .map(|o| DrillGrant {
                    role: DrillRole::Participant,
                    org: Some((*o).clone()),
                    person: None,
                })
                .collect(),
        }
    }

    #[test]
    fn a_participant_of_one_drill_is_nobody_in_another() {
        let (a, b) = (OrgId::new(), OrgId::new());
        let p = person(Role::Responder, Scope::Org(a.clone()), &a);
        let drill_a = drill(None, Kind::Scenario, &[&a]);
        let drill_b = drill(None, Kind::Scenario, &[&b]);
        assert_eq!(p.drill_role(&drill_a), Some(DrillRole::Participant));
        assert_eq!(p.drill_team(&drill_a), Some(a));
        assert!(p.may_answer_in_drill(&drill_a, State::Open));
        assert!(!p.may_answer_in_drill(&drill_a, State::Closed));
        assert!(!p.sees_drill_behind_the_scenes(&drill_a));
        assert!(!p.may_run_drill(&drill_a));
        assert_eq!(p.drill_role(&drill_b), None);
        let rule = p.drill_read_rule();
        assert!(rule.admits(&drill_a));
        assert!(!rule.admits(&drill_b));
        // an external drill's results are for everyone taking part
        let ext = drill(None, Kind::External, &[&b]);
        assert_eq!(p.drill_role(&ext), Some(DrillRole::Observer));
        assert!(rule.admits(&ext));
    }

    #[test]
    fn organisers_are_the_coordinator_or_the_lead_of_the_cluster() {
        let (c, other) = (ClusterId::new(), ClusterId::new());
        let org = OrgId::new();
        let coord = person(Role::Coordinator, Scope::Network, &org);
        let mut lead = person(Role::ClusterLead, Scope::Cluster(c.clone()), &org);
        lead.leading_clusters = vec![c.clone()];
        let network = drill(None, Kind::Scenario, &[]);
        let ours = drill(Some(&c), Kind::Scenario, &[]);
        let theirs = drill(Some(&other), Kind::Scenario, &[]);
        assert!(coord.may_run_drill(&network));
        assert!(coord.may_create_drill(None));
        assert_eq!(coord.drill_role(&ours), Some(DrillRole::Observer));
        assert!(!coord.may_run_drill(&ours));
        assert!(lead.may_run_drill(&ours));
        assert!(lead.may_create_drill(Some(&c)));
        assert!(!lead.may_create_drill(Some(&other)));
        assert!(!lead.may_create_drill(None));
        assert_eq!(lead.drill_role(&theirs), None);
        assert_eq!(lead.drill_role(&network), None);
        assert!(lead.drill_read_rule().admits(&ours));
        assert!(!lead.drill_read_rule().admits(&theirs));
        // a lead grant from a past year organises nothing
        lead.leading_clusters = vec![];
        assert_eq!(lead.drill_role(&ours), None);
        // a read-only token runs nothing
        let mut ro = coord;
        ro.access = TokenScope::Read;
        assert!(!ro.may_run_drill(&network));
        assert!(ro.sees_drill_behind_the_scenes(&network));
    }

    #[test]
    fn a_judge_grant_for_one_person_is_that_persons_only() {
        let org = OrgId::new();
        let judge = person(Role::Responder, Scope::Org(org.clone()), &org);
        let colleague = person(Role::Responder, Scope::Org(org.clone()), &org);
        let mut d = drill(None, Kind::Scenario, &[]);
        d.grants.push(DrillGrant {
            role: DrillRole::Judge,
            org: None,
            person: Some(judge.user_id.clone()),
        });
        assert!(judge.may_judge_drill(&d));
        assert!(judge.sees_drill_behind_the_scenes(&d));
        assert_eq!(colleague.drill_role(&d), None);
        assert!(!colleague.drill_read_rule().admits(&d));
    }

    #[test]
    fn no_grant_no_drill() {
        let org = OrgId::new();
        let mut p = person(Role::Responder, Scope::Org(org.clone()), &org);
        p.grants.clear();
        let d = drill(None, Kind::External, &[&org]);
        assert_eq!(p.drill_role(&d), None);
        assert!(!p.drill_read_rule().admits(&d));
    }
}
