//! Administration pages: accounts and their roles, organisations and clusters, the audit log.
//!
//! The handlers only translate between forms and use-cases: every permission is decided by the
//! use-case, which receives the actor first. A refusal comes back as a failure page or, for a form,
//! as a message above it.

mod audit;
mod orgs;
mod users;

use std::collections::HashMap;

use axum::Router;
use axum::routing::{get, post};
use irnet_app::directory::clusters::ClusterView;
use irnet_app::directory::orgs::OrgView;

use super::FormErrors;
use crate::AppState;
use crate::i18n::Tr;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users::list).post(users::create))
        .route("/admin/users/{id}", get(users::show).post(users::update))
        .route("/admin/users/{id}/roles", post(users::grant))
        .route(
            "/admin/users/{id}/roles/{grant_id}/revoke",
            post(users::revoke),
        )
        .route("/admin/users/{id}/unlock", post(users::unlock))
        .route("/admin/users/{id}/mfa-reset", post(users::reset_mfa))
        .route("/admin/organisations", get(orgs::list).post(orgs::create))
        .route(
            "/admin/organisations/{id}",
            get(orgs::show).post(orgs::update),
        )
        .route("/admin/clusters", post(orgs::create_cluster))
        .route("/admin/audit", get(audit::list))
}

/// How many organisations a select offers: the whole network fits well within this.
const ORG_CHOICES: i64 = 500;

/// One option of a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// Links between the pages of a cursor-paginated list; both keep the page's filters.
pub struct Pager {
    pub next: Option<String>,
    /// back to the start, when this is not the first page
    pub first: Option<String>,
    /// a log read newest first: "older entries" rather than "next page"
    pub by_time: bool,
}

impl Pager {
    pub fn new(
        path: &str,
        filters: &[(&str, &str)],
        current: Option<&str>,
        next: Option<&str>,
    ) -> Self {
        let link = |cursor: Option<&str>| {
            let mut params: Vec<(&str, &str)> = filters
                .iter()
                .copied()
                .filter(|(_, v)| !v.is_empty())
                .collect();
            if let Some(c) = cursor {
                params.push(("cursor", c));
            }
            let q = serde_urlencoded::to_string(&params).unwrap_or_default();
            if q.is_empty() {
                path.to_owned()
            } else {
                format!("{path}?{q}")
            }
        };
        Self {
            next: next.map(|c| link(Some(c))),
            first: current.filter(|c| !c.is_empty()).map(|_| link(None)),
            by_time: false,
        }
    }

    pub fn by_time(self) -> Self {
        Self {
            by_time: true,
            ..self
        }
    }
}

/// An organisation's name in the reader's language (Vietnamese when there is no English one).
pub fn org_name(tr: &Tr, o: &OrgView) -> String {
    tr.localised(&o.name_vi, o.name_en.as_deref()).to_owned()
}

pub fn cluster_name(tr: &Tr, c: &ClusterView) -> String {
    tr.localised(&c.name_vi, c.name_en.as_deref()).to_owned()
}

pub fn role_label(tr: &Tr, role: &str) -> String {
    tr.t(&format!("role-{}", role.replace('_', "-")))
}

pub fn kind_label(tr: &Tr, kind: &str) -> String {
    tr.t(&format!("org-kind-{}", kind.replace('_', "-")))
}

/// Organisation names by id, for showing ids people would not recognise.
pub fn org_names(tr: &Tr, orgs: &[OrgView]) -> HashMap<String, String> {
    orgs.iter()
        .map(|o| (o.id.clone(), org_name(tr, o)))
        .collect()
}

/// Messages about fields the form has no input for (shown above it rather than lost).
pub fn unplaced(errors: &FormErrors, shown: &[&str]) -> Vec<String> {
    errors
        .general
        .iter()
        .cloned()
        .chain(
            errors
                .fields
                .iter()
                .filter(|(f, _)| !shown.contains(&f.as_str()))
                .map(|(_, m)| m.clone()),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_keeps_filters_and_drops_empty_ones() {
        let p = Pager::new(
            "/admin/audit",
            &[("action", "user.created"), ("actor_id", "")],
            Some("abc"),
            Some("d+f"),
        );
        assert_eq!(
            p.next.as_deref(),
            Some("/admin/audit?action=user.created&cursor=d%2Bf")
        );
        assert_eq!(p.first.as_deref(), Some("/admin/audit?action=user.created"));
        let p = Pager::new("/admin/users", &[], None, None);
        assert!(p.next.is_none() && p.first.is_none());
    }

    #[test]
    fn unplaced_keeps_only_messages_without_an_input() {
        let errors = FormErrors {
            general: vec!["g".into()],
            fields: vec![("email".into(), "e".into()), ("scope".into(), "s".into())],
        };
        assert_eq!(
            unplaced(&errors, &["email"]),
            vec!["g".to_owned(), "s".to_owned()]
        );
    }
}
