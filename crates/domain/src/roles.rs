//! Roles and the scopes they are granted at. A grant is a role *at* a scope (the whole
//! network, one cluster, or one organisation); `Grant::new` is the only way to build a
//! valid one, so a nonsensical pairing such as "coordinator of one organisation" cannot
//! be stored.

use crate::error::DomainError;
use crate::ids::{ClusterId, OrgId};

/// What a person may do, relative to a scope.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the platform.
    Admin,
    /// The national coordinator (VNCERT/CC today; the role can move to another organisation).
    Coordinator,
    /// The member leading a cluster this year.
    ClusterLead,
    /// Manages the accounts and profile of one member organisation.
    OrgAdmin,
    /// Handles incidents for one member organisation.
    Responder,
    /// Reads only.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Coordinator,
        Role::ClusterLead,
        Role::OrgAdmin,
        Role::Responder,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::ClusterLead => "cluster_lead",
            Role::OrgAdmin => "org_admin",
            Role::Responder => "responder",
            Role::Viewer => "viewer",
        }
    }

    /// Exact lowercase names only: roles come from our own forms and API, where a
    /// near miss is a bug to report, not something to guess at.
    pub fn parse(s: &str) -> Result<Role, DomainError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| DomainError::InvalidRole(s.to_owned()))
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a grant applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    Network,
    Cluster(ClusterId),
    Org(OrgId),
}

impl Scope {
    /// The scope kind as stored in the database and shown in the API.
    pub fn kind(&self) -> &'static str {
        match self {
            Scope::Network => "network",
            Scope::Cluster(_) => "cluster",
            Scope::Org(_) => "org",
        }
    }

    /// The id of the cluster or organisation; `None` for the network.
    pub fn id(&self) -> Option<&str> {
        match self {
            Scope::Network => None,
            Scope::Cluster(id) => Some(id.as_str()),
            Scope::Org(id) => Some(id.as_str()),
        }
    }

    /// Rebuilds a scope from its two stored columns. The network takes no id (an id
    /// there means the row is corrupt, not that it should be ignored); cluster and org
    /// require a valid one.
    pub fn from_parts(kind: &str, id: Option<&str>) -> Result<Scope, DomainError> {
        match (kind, id) {
            ("network", None) => Ok(Scope::Network),
            ("network", Some(_)) => Err(DomainError::InvalidScope(kind.to_owned())),
            ("cluster", Some(id)) => ClusterId::parse(id).map(Scope::Cluster),
            ("cluster", None) => Err(DomainError::InvalidId {
                field: "cluster_id",
            }),
            ("org", Some(id)) => OrgId::parse(id).map(Scope::Org),
            ("org", None) => Err(DomainError::InvalidId { field: "org_id" }),
            _ => Err(DomainError::InvalidScope(kind.to_owned())),
        }
    }
}

/// A role held at a scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
}

impl Grant {
    /// Network-wide roles only at the network, the cluster lead only at a cluster,
    /// organisation roles only at an organisation; a viewer may watch at any level.
    pub fn new(role: Role, scope: Scope) -> Result<Grant, DomainError> {
        if role_fits_scope(role, &scope) {
            Ok(Grant { role, scope })
        } else {
            Err(DomainError::InvalidGrant {
                role: role.as_str(),
                scope: scope.kind(),
            })
        }
    }

    /// Whether this grant obeys the rules of `Grant::new`. The fields are public (the
    /// store rebuilds grants from rows), so the policy re-checks before trusting one.
    pub fn is_valid(&self) -> bool {
        role_fits_scope(self.role, &self.scope)
    }
}

fn role_fits_scope(role: Role, scope: &Scope) -> bool {
    match role {
        Role::Admin | Role::Coordinator => matches!(scope, Scope::Network),
        Role::ClusterLead => matches!(scope, Scope::Cluster(_)),
        Role::OrgAdmin | Role::Responder => matches!(scope, Scope::Org(_)),
        Role::Viewer => true,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    const ORG: &str = "0190c3a2-7b1e-7cc0-8a5f-1234567890ab";

    #[test]
    fn role_names_round_trip_and_are_exact() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
            assert_eq!(r.to_string(), r.as_str());
        }
        for bad in ["", "Admin", "ADMIN", " admin", "cluster-lead", "superuser"] {
            assert_eq!(
                Role::parse(bad),
                Err(DomainError::InvalidRole(bad.to_owned()))
            );
        }
    }

    #[test]
    fn scope_parts_round_trip() {
        let org = Scope::from_parts("org", Some(ORG)).unwrap();
        assert_eq!((org.kind(), org.id()), ("org", Some(ORG)));
        let cluster = Scope::from_parts("cluster", Some(&ORG.to_uppercase())).unwrap();
        assert_eq!((cluster.kind(), cluster.id()), ("cluster", Some(ORG)));
        assert_eq!(Scope::from_parts("network", None), Ok(Scope::Network));
        assert_eq!(Scope::Network.id(), None);
    }

    #[test]
    fn scope_parts_refuse_mismatches() {
        assert_eq!(
            Scope::from_parts("network", Some(ORG)),
            Err(DomainError::InvalidScope("network".into()))
        );
        assert_eq!(
            Scope::from_parts("province", Some(ORG)),
            Err(DomainError::InvalidScope("province".into()))
        );
        assert_eq!(
            Scope::from_parts("org", None),
            Err(DomainError::InvalidId { field: "org_id" })
        );
        assert_eq!(
            Scope::from_parts("cluster", Some("7")),
            Err(DomainError::InvalidId {
                field: "cluster_id"
            })
        );
    }

    #[test]
    fn grant_error_names_role_and_scope() {
        assert_eq!(
            Grant::new(Role::Coordinator, Scope::Org(OrgId::parse(ORG).unwrap())),
            Err(DomainError::InvalidGrant {
                role: "coordinator",
                scope: "org"
            })
        );
    }

    fn any_scope() -> impl Strategy<Value = Scope> {
        prop_oneof![
            Just(Scope::Network),
            Just(Scope::Cluster(ClusterId::new())),
            Just(Scope::Org(OrgId::new())),
        ]
    }

    proptest! {
        /// The allowed pairs, written out as a table rather than as rules.
        #[test]
        fn grant_new_accepts_exactly_the_allowed_pairs(
            role in proptest::sample::select(Role::ALL.to_vec()),
            scope in any_scope(),
        ) {
            let allowed: &[(&str, &str)] = &[
                ("admin", "network"),
                ("coordinator", "network"),
                ("cluster_lead", "cluster"),
                ("org_admin", "org"),
                ("responder", "org"),
                ("viewer", "network"),
                ("viewer", "cluster"),
                ("viewer", "org"),
            ];
            let expected = allowed.contains(&(role.as_str(), scope.kind()));
            let made = Grant::new(role, scope.clone());
            prop_assert_eq!(made.is_ok(), expected);
            if let Ok(g) = made {
                prop_assert!(g.is_valid());
                prop_assert_eq!(g, Grant { role, scope });
            }
        }
    }
}
