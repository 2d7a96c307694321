//! Organisations (list, create, edit) and clusters (list, create).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use irnet_app::AppError;
use irnet_app::directory::clusters::{self, ClusterView};
use irnet_app::directory::orgs::{self, OrgInput, OrgView};
use irnet_domain::OrgKind;
use serde::Deserialize;

use super::{Choice, Pager, kind_label};
use crate::AppState;
use crate::error::status_of;
use crate::extract::{Authed, Form, Path, Query};
use crate::i18n::Tr;
use crate::ui::{FormErrors, Layout, failure_page, render_status, see_other};

#[derive(Deserialize)]
pub(super) struct ListQuery {
    cursor: Option<String>,
    notice: Option<String>,
}

/// The organisation form as typed, or as stored.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct OrgForm {
    name_vi: String,
    name_en: String,
    short_name: String,
    kind: String,
}

impl OrgForm {
    fn of(o: &OrgView) -> Self {
        Self {
            name_vi: o.name_vi.clone(),
            name_en: o.name_en.clone().unwrap_or_default(),
            short_name: o.short_name.clone().unwrap_or_default(),
            kind: o.kind.clone(),
        }
    }

    /// Every field is sent: an emptied optional name is removed.
    fn input(&self) -> OrgInput {
        OrgInput {
            name_vi: Some(self.name_vi.clone()),
            name_en: Some(self.name_en.clone()),
            short_name: Some(self.short_name.clone()),
            kind: Some(self.kind.clone()),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ClusterForm {
    number: String,
    name_vi: String,
    name_en: String,
}

struct OrgLine {
    id: String,
    name_vi: String,
    name_en: String,
    short_name: String,
    kind: String,
}

#[derive(Template)]
#[template(path = "admin_orgs.html")]
struct OrgsPage {
    l: Layout,
    orgs: Vec<OrgLine>,
    pager: Pager,
    clusters: Vec<ClusterView>,
    kinds: Vec<Choice>,
    /// whether to offer the create forms (the use-cases decide; this only spares a refusal)
    can_create: bool,
    org_form: OrgForm,
    org_errors: FormErrors,
    cluster_form: ClusterForm,
    cluster_errors: FormErrors,
}

fn kind_choices(tr: &Tr) -> Vec<Choice> {
    OrgKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str().to_owned(),
            label: kind_label(tr, k.as_str()),
        })
        .collect()
}

/// A failed create form, brought back to the page.
enum Failed {
    None,
    Org(OrgForm, FormErrors),
    Cluster(ClusterForm, FormErrors),
}

async fn orgs_page(
    a: &Authed,
    s: &AppState,
    cursor: Option<String>,
    notice: Option<&str>,
    failed: Failed,
    status: StatusCode,
) -> Response {
    let tr = a.ctx.tr;
    let loaded = async {
        let page = orgs::list(&s.app, &a.actor, cursor.clone(), None).await?;
        let clusters = clusters::list(&s.app, &a.actor).await?;
        Ok::<_, AppError>((page, clusters))
    }
    .await;
    let (page, clusters) = match loaded {
        Ok(v) => v,
        Err(e) => return failure_page(&a.ctx, &e),
    };
    let (org_form, org_errors, cluster_form, cluster_errors) = match failed {
        Failed::None => (
            OrgForm::default(),
            FormErrors::default(),
            ClusterForm::default(),
            FormErrors::default(),
        ),
        Failed::Org(f, e) => (f, e, ClusterForm::default(), FormErrors::default()),
        Failed::Cluster(f, e) => (OrgForm::default(), FormErrors::default(), f, e),
    };
    let orgs = page
        .items
        .iter()
        .map(|o| OrgLine {
            id: o.id.clone(),
            name_vi: o.name_vi.clone(),
            name_en: o.name_en.clone().unwrap_or_default(),
            short_name: o.short_name.clone().unwrap_or_default(),
            kind: kind_label(&tr, &o.kind),
        })
        .collect();
    let page = OrgsPage {
        l: Layout::new(&a.ctx).with_notice(notice),
        pager: Pager::new(
            "/admin/organisations",
            &[],
            cursor.as_deref(),
            page.next_cursor.as_deref(),
        ),
        orgs,
        clusters,
        kinds: kind_choices(&tr),
        can_create: a.auth.principal.may_create_org(),
        org_form,
        org_errors,
        cluster_form,
        cluster_errors,
    };
    render_status(status, &page)
}

pub(super) async fn list(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Response {
    orgs_page(
        &a,
        &s,
        q.cursor,
        q.notice.as_deref(),
        Failed::None,
        StatusCode::OK,
    )
    .await
}

pub(super) async fn create(
    a: Authed,
    State(s): State<AppState>,
    Form(f): Form<OrgForm>,
) -> Response {
    match orgs::create(&s.app, &a.actor, f.input()).await {
        Ok(o) => see_other(&format!("/admin/organisations/{}", o.id), "created"),
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            orgs_page(&a, &s, None, None, Failed::Org(f, errors), status_of(&e)).await
        }
    }
}

pub(super) async fn create_cluster(
    a: Authed,
    State(s): State<AppState>,
    Form(f): Form<ClusterForm>,
) -> Response {
    let result = match f.number.trim().parse::<i32>() {
        Ok(n) => clusters::create(&s.app, &a.actor, n, &f.name_vi, Some(f.name_en.as_str())).await,
        Err(_) => Err(AppError::invalid("number", "invalid_number")),
    };
    match result {
        Ok(_) => see_other("/admin/organisations", "created"),
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            orgs_page(
                &a,
                &s,
                None,
                None,
                Failed::Cluster(f, errors),
                status_of(&e),
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "admin_org.html")]
struct OrgPage {
    l: Layout,
    org: OrgView,
    form: OrgForm,
    kinds: Vec<Choice>,
    errors: FormErrors,
}

async fn org_page(
    a: &Authed,
    s: &AppState,
    id: &str,
    notice: Option<&str>,
    typed: Option<OrgForm>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    match orgs::get(&s.app, &a.actor, id).await {
        Ok(org) => {
            let form = typed.unwrap_or_else(|| OrgForm::of(&org));
            let l = Layout::new(&a.ctx).with_notice(notice);
            render_status(
                status,
                &OrgPage {
                    l,
                    kinds: kind_choices(&a.ctx.tr),
                    org,
                    form,
                    errors,
                },
            )
        }
        Err(e) => failure_page(&a.ctx, &e),
    }
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
    org_page(
        &a,
        &s,
        &id,
        q.notice.as_deref(),
        None,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub(super) async fn update(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<OrgForm>,
) -> Response {
    match orgs::update(&s.app, &a.actor, &id, f.input()).await {
        Ok(o) => see_other(&format!("/admin/organisations/{}", o.id), "saved"),
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            org_page(&a, &s, &id, None, Some(f), errors, status_of(&e)).await
        }
    }
}
