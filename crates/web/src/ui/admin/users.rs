//! Accounts: the list with a form for a new one; one account with its details, roles, and the
//! two rescue actions (lifting a sign-in lockout, removing a lost second factor).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use irnet_app::AppError;
use irnet_app::directory::{clusters, orgs};
use irnet_app::error::Problems;
use irnet_app::identity::users::{self, NewUser, UserUpdate, UserView};
use irnet_domain::{Grant, Role};
use serde::Deserialize;

use super::{Choice, ORG_CHOICES, Pager, cluster_name, org_name, org_names, role_label, unplaced};
use crate::AppState;
use crate::api::users::{GrantRequest, parse_grant};
use crate::error::status_of;
use crate::extract::{Authed, Form, Path, Query};
use crate::i18n::Tr;
use crate::ui::{FormErrors, Layout, failure_page, render_status, see_other};

#[derive(Deserialize)]
pub(super) struct ListQuery {
    cursor: Option<String>,
    notice: Option<String>,
}

/// One line of the accounts table.
struct UserLine {
    id: String,
    name: String,
    email: String,
    org: String,
    roles: Vec<String>,
    mfa: bool,
    active: bool,
}

/// The new-account form as typed (the password is never sent back).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct NewUserForm {
    email: String,
    display_name: String,
    org_id: String,
    locale: String,
    password: String,
    role: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    l: Layout,
    users: Vec<UserLine>,
    pager: Pager,
    orgs: Vec<Choice>,
    roles: Vec<Choice>,
    form: NewUserForm,
    errors: FormErrors,
    other_errors: Vec<String>,
}

/// Roles offered when creating an account. A cluster lead needs a cluster, chosen on the
/// account's own page; the others take their scope from the role (see `initial_grant`).
const NEW_ACCOUNT_ROLES: [Role; 5] = [
    Role::Responder,
    Role::Viewer,
    Role::OrgAdmin,
    Role::Coordinator,
    Role::Admin,
];

fn role_choices(tr: &Tr, roles: &[Role]) -> Vec<Choice> {
    roles
        .iter()
        .map(|r| Choice {
            value: r.as_str().to_owned(),
            label: role_label(tr, r.as_str()),
        })
        .collect()
}

async fn users_page(
    a: &Authed,
    s: &AppState,
    cursor: Option<String>,
    notice: Option<&str>,
    mut form: NewUserForm,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let tr = a.ctx.tr;
    let loaded = async {
        let page = users::list(&s.app, &a.actor, cursor.clone(), None).await?;
        let orgs = orgs::list(&s.app, &a.actor, None, Some(ORG_CHOICES))
            .await?
            .items;
        Ok::<_, AppError>((page, orgs))
    }
    .await;
    let (page, all_orgs) = match loaded {
        Ok(v) => v,
        Err(e) => return failure_page(&a.ctx, &e),
    };
    let mut names = org_names(&tr, &all_orgs);
    for u in &page.items {
        // Beyond the first ORG_CHOICES organisations: look it up on its own.
        if !names.contains_key(&u.org_id)
            && let Ok(o) = orgs::get(&s.app, &a.actor, &u.org_id).await
        {
            names.insert(o.id.clone(), org_name(&tr, &o));
        }
    }
    let users = page
        .items
        .iter()
        .map(|u| UserLine {
            id: u.id.clone(),
            name: u.display_name.clone(),
            email: u.email.clone(),
            org: names
                .get(&u.org_id)
                .cloned()
                .unwrap_or_else(|| u.org_id.clone()),
            roles: u.roles.iter().map(|g| role_label(&tr, &g.role)).collect(),
            mfa: u.mfa_enabled,
            active: u.active,
        })
        .collect();
    if form.org_id.is_empty() {
        form.org_id.clone_from(&a.auth.user.org_id);
    }
    if form.locale.is_empty() {
        form.locale = "vi".to_owned();
    }
    form.password.clear();
    let other_errors = unplaced(
        &errors,
        &[
            "email",
            "display_name",
            "org_id",
            "locale",
            "password",
            "role",
        ],
    );
    let page = UsersPage {
        l: Layout::new(&a.ctx).with_notice(notice),
        pager: Pager::new(
            "/admin/users",
            &[],
            cursor.as_deref(),
            page.next_cursor.as_deref(),
        ),
        users,
        orgs: all_orgs
            .iter()
            .map(|o| Choice {
                value: o.id.clone(),
                label: org_name(&tr, o),
            })
            .collect(),
        roles: role_choices(&tr, &NEW_ACCOUNT_ROLES),
        form,
        errors,
        other_errors,
    };
    render_status(status, &page)
}

pub(super) async fn list(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Response {
    users_page(
        &a,
        &s,
        q.cursor,
        q.notice.as_deref(),
        NewUserForm::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The scope of the optional role given with a new account: network roles at the network, the
/// others in the account's own organisation.
fn initial_grant(f: &NewUserForm, problems: &mut Problems) -> Option<Grant> {
    let role = f.role.trim();
    if role.is_empty() {
        return None;
    }
    let network = matches!(Role::parse(role), Ok(Role::Admin | Role::Coordinator));
    let request = GrantRequest {
        role: role.to_owned(),
        scope: if network { "network" } else { "org" }.to_owned(),
        scope_id: (!network).then(|| f.org_id.clone()),
    };
    parse_grant(&request, problems, "")
}

pub(super) async fn create(
    a: Authed,
    State(s): State<AppState>,
    Form(f): Form<NewUserForm>,
) -> Response {
    let mut problems = Problems::default();
    let grant = initial_grant(&f, &mut problems);
    let result = match problems.into_result() {
        Ok(()) => {
            let input = NewUser {
                email: f.email.clone(),
                display_name: f.display_name.clone(),
                org_id: f.org_id.clone(),
                locale: Some(f.locale.clone()),
                password: f.password.clone(),
                grants: grant.into_iter().collect(),
            };
            users::create(&s.app, &a.actor, input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(created) => see_other(&format!("/admin/users/{}", created.id), "created"),
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            users_page(&a, &s, None, None, f, errors, status_of(&e)).await
        }
    }
}

/// One of the account's roles, with where it applies.
struct GrantLine {
    id: String,
    role: String,
    scope: String,
}

/// The account form as shown: the stored values, or what was typed when it failed.
struct EditForm {
    display_name: String,
    locale: String,
    active: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct GrantForm {
    role: String,
    scope: String,
    scope_id: String,
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    l: Layout,
    user: UserView,
    org: String,
    grants: Vec<GrantLine>,
    locked: Option<String>,
    edit: EditForm,
    grant: GrantForm,
    roles: Vec<Choice>,
    scopes: Vec<Choice>,
    clusters: Vec<Choice>,
    orgs: Vec<Choice>,
    errors: FormErrors,
    other_errors: Vec<String>,
}

/// What a failed form on the account page brings back to it.
#[derive(Default)]
struct Typed {
    edit: Option<EditForm>,
    grant: Option<GrantForm>,
    errors: FormErrors,
}

async fn user_page(
    a: &Authed,
    s: &AppState,
    id: &str,
    notice: Option<&str>,
    typed: Typed,
    status: StatusCode,
) -> Response {
    let tr = a.ctx.tr;
    let loaded = async {
        let user = users::get(&s.app, &a.actor, id).await?;
        let orgs = orgs::list(&s.app, &a.actor, None, Some(ORG_CHOICES))
            .await?
            .items;
        let clusters = clusters::list(&s.app, &a.actor).await?;
        let locked = users::locked_until(&s.app, &user.email).await?;
        Ok::<_, AppError>((user, orgs, clusters, locked))
    }
    .await;
    let (user, all_orgs, all_clusters, locked) = match loaded {
        Ok(v) => v,
        Err(e) => return failure_page(&a.ctx, &e),
    };
    let mut names = org_names(&tr, &all_orgs);
    let wanted = std::iter::once(user.org_id.clone()).chain(
        user.roles
            .iter()
            .filter(|g| g.scope == "org")
            .filter_map(|g| g.scope_id.clone()),
    );
    for org_id in wanted.collect::<Vec<_>>() {
        if !names.contains_key(&org_id)
            && let Ok(o) = orgs::get(&s.app, &a.actor, &org_id).await
        {
            names.insert(o.id.clone(), org_name(&tr, &o));
        }
    }
    let cluster_names: std::collections::HashMap<String, String> = all_clusters
        .iter()
        .map(|c| (c.id.clone(), cluster_name(&tr, c)))
        .collect();
    let grants = user
        .roles
        .iter()
        .map(|g| {
            let kind = tr.t(&format!("admin-scope-{}", g.scope));
            let place = g.scope_id.as_ref().map(|id| match g.scope.as_str() {
                "cluster" => cluster_names.get(id).cloned().unwrap_or_else(|| id.clone()),
                _ => names.get(id).cloned().unwrap_or_else(|| id.clone()),
            });
            GrantLine {
                id: g.id.clone(),
                role: role_label(&tr, &g.role),
                scope: place.map_or_else(|| kind.clone(), |p| format!("{kind}: {p}")),
            }
        })
        .collect();
    let edit = typed.edit.unwrap_or_else(|| EditForm {
        display_name: user.display_name.clone(),
        locale: user.locale.clone(),
        active: user.active,
    });
    let grant = typed.grant.unwrap_or_else(|| GrantForm {
        role: String::new(),
        scope: "org".to_owned(),
        scope_id: user.org_id.clone(),
    });
    let other_errors = unplaced(
        &typed.errors,
        &[
            "display_name",
            "locale",
            "active",
            "role",
            "scope",
            "scope_id",
        ],
    );
    let page = UserPage {
        l: Layout::new(&a.ctx).with_notice(notice),
        org: names
            .get(&user.org_id)
            .cloned()
            .unwrap_or_else(|| user.org_id.clone()),
        grants,
        locked: locked
            .map(|until| tr.t_args("admin-locked-until", &[("until", tr.datetime(&until))])),
        edit,
        grant,
        roles: role_choices(&tr, &Role::ALL),
        scopes: ["network", "cluster", "org"]
            .iter()
            .map(|s| Choice {
                value: (*s).to_owned(),
                label: tr.t(&format!("admin-scope-{s}")),
            })
            .collect(),
        clusters: all_clusters
            .iter()
            .map(|c| Choice {
                value: c.id.clone(),
                label: cluster_name(&tr, c),
            })
            .collect(),
        orgs: all_orgs
            .iter()
            .map(|o| Choice {
                value: o.id.clone(),
                label: org_name(&tr, o),
            })
            .collect(),
        user,
        errors: typed.errors,
        other_errors,
    };
    render_status(status, &page)
}

#[derive(Deserialize)]
pub(super) struct NoticeQuery {
    notice: Option<String>,
}

pub(super) async fn show(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Response {
    user_page(
        &a,
        &s,
        &id,
        q.notice.as_deref(),
        Typed::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub(super) struct EditInput {
    display_name: String,
    locale: String,
    /// a checkbox: present when ticked, absent otherwise
    active: Option<String>,
}

pub(super) async fn update(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<EditInput>,
) -> Response {
    let active = f.active.is_some();
    let input = UserUpdate {
        display_name: Some(f.display_name.clone()),
        locale: Some(f.locale.clone()),
        active: Some(active),
    };
    match users::update(&s.app, &a.actor, &id, input).await {
        Ok(u) => see_other(&format!("/admin/users/{}", u.id), "saved"),
        Err(e) => {
            let typed = Typed {
                edit: Some(EditForm {
                    display_name: f.display_name,
                    locale: f.locale,
                    active,
                }),
                grant: None,
                errors: FormErrors::from_error(&a.ctx.tr, &e),
            };
            user_page(&a, &s, &id, None, typed, status_of(&e)).await
        }
    }
}

pub(super) async fn grant(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<GrantForm>,
) -> Response {
    // Without script the organisation list cannot hide itself when the network is chosen: the
    // network takes no id, so whatever is selected there is not sent on.
    let request = GrantRequest {
        role: f.role.clone(),
        scope: f.scope.clone(),
        scope_id: (f.scope != "network").then(|| f.scope_id.clone()),
    };
    let mut problems = Problems::default();
    let parsed = parse_grant(&request, &mut problems, "");
    let result = match (problems.into_result(), parsed) {
        (Err(e), _) => Err(e),
        (Ok(()), Some(g)) => users::grant(&s.app, &a.actor, &id, g).await.map(|_| ()),
        (Ok(()), None) => Err(AppError::invalid("role", "invalid_grant")),
    };
    match result {
        Ok(()) => see_other(&format!("/admin/users/{}", path_safe(&id)), "role-granted"),
        Err(e) => {
            let typed = Typed {
                edit: None,
                grant: Some(f),
                errors: FormErrors::from_error(&a.ctx.tr, &e),
            };
            user_page(&a, &s, &id, None, typed, status_of(&e)).await
        }
    }
}

pub(super) async fn revoke(
    a: Authed,
    State(s): State<AppState>,
    Path((id, grant_id)): Path<(String, String)>,
) -> Response {
    match users::revoke_grant(&s.app, &a.actor, &id, &grant_id).await {
        Ok(()) => see_other(&format!("/admin/users/{}", path_safe(&id)), "role-revoked"),
        Err(e) => failure_page(&a.ctx, &e),
    }
}

pub(super) async fn unlock(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    match users::unlock(&s.app, &a.actor, &id).await {
        Ok(()) => see_other(&format!("/admin/users/{}", path_safe(&id)), "unlocked"),
        Err(e) => failure_page(&a.ctx, &e),
    }
}

pub(super) async fn reset_mfa(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    match users::reset_mfa(&s.app, &a.actor, &id).await {
        Ok(()) => see_other(&format!("/admin/users/{}", path_safe(&id)), "mfa-reset"),
        Err(e) => failure_page(&a.ctx, &e),
    }
}

/// The id as it goes back into a redirect. The use-case has found the account by it, so it is one
/// of ours; this only guarantees the Location header stays a same-site path whatever happens.
fn path_safe(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &str = "0190c3a2-7b1e-7cc0-8a5f-1234567890ab";

    fn form(role: &str) -> NewUserForm {
        NewUserForm {
            role: role.to_owned(),
            org_id: ORG.to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn a_new_account_role_takes_the_scope_that_fits_it() {
        let mut p = Problems::default();
        assert_eq!(initial_grant(&form(""), &mut p), None);
        let g = initial_grant(&form("coordinator"), &mut p).unwrap();
        assert_eq!((g.role, g.scope.kind()), (Role::Coordinator, "network"));
        let g = initial_grant(&form("responder"), &mut p).unwrap();
        assert_eq!((g.scope.kind(), g.scope.id()), ("org", Some(ORG)));
        assert!(p.into_result().is_ok());
    }

    #[test]
    fn an_unknown_role_is_a_field_problem() {
        let mut p = Problems::default();
        assert_eq!(initial_grant(&form("superuser"), &mut p), None);
        let Err(AppError::Validation(fields)) = p.into_result() else {
            panic!("expected a validation error")
        };
        assert_eq!(fields[0].field, "role");
    }

    #[test]
    fn redirect_ids_stay_paths() {
        assert_eq!(path_safe(ORG), ORG);
        assert_eq!(path_safe("x/../../evil?y"), "xevily");
    }
}
