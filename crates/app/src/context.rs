//! Who is acting, and from where. Every use-case takes an `Actor` first, so that authorisation
//! cannot be skipped and every audit entry says who did what.

use irnet_domain::ids::{OrgId, UserId};
use irnet_domain::{Grant, Principal, Role, Scope, TokenScope};

/// Where a request came from, for the audit trail and the sessions list.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub principal: Principal,
    /// how the audit trail names the actor: the person's email, or "cli" for the operator
    pub label: String,
    /// true for the operator at the console (`irnet user …`), who has the database anyway
    pub is_operator: bool,
    /// the browser session acting, if any (so "sign out everywhere else" can keep it)
    pub session_id: Option<String>,
    pub meta: RequestMeta,
}

impl Actor {
    /// The operator running the CLI on the server: acts as a platform administrator.
    pub fn operator() -> Self {
        let principal = Principal {
            user_id: UserId::from_trusted(String::new()),
            org_id: OrgId::from_trusted(String::new()),
            grants: vec![Grant {
                role: Role::Admin,
                scope: Scope::Network,
            }],
            org_clusters: vec![],
            leading_clusters: vec![],
            access: TokenScope::Write,
            inherited_orgs: vec![],
            led_predecessors: vec![],
        };
        Self {
            principal,
            label: "cli".to_owned(),
            is_operator: true,
            session_id: None,
            meta: RequestMeta::default(),
        }
    }

    /// A person acting before a principal is loaded (signing in or out): no grants, only a name
    /// for the audit trail.
    pub fn person(user_id: &str, org_id: &str, email: &str, meta: RequestMeta) -> Self {
        let principal = Principal {
            user_id: UserId::from_trusted(user_id.to_owned()),
            org_id: OrgId::from_trusted(org_id.to_owned()),
            grants: vec![],
            org_clusters: vec![],
            leading_clusters: vec![],
            access: TokenScope::Write,
            inherited_orgs: vec![],
            led_predecessors: vec![],
        };
        Self {
            principal,
            label: email.to_owned(),
            is_operator: false,
            session_id: None,
            meta,
        }
    }

    /// The platform itself (lockouts, jobs).
    pub fn system(meta: RequestMeta) -> Self {
        Self {
            label: "system".to_owned(),
            meta,
            ..Self::operator()
        }
    }

    pub fn user_id(&self) -> Option<&str> {
        (!self.is_operator).then(|| self.principal.user_id.as_str())
    }

    pub fn org_id(&self) -> Option<&str> {
        (!self.is_operator).then(|| self.principal.org_id.as_str())
    }
}
