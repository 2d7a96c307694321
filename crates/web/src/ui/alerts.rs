//! Alert pages: the list (received, pending first, and sent), composing (for the coordinator and
//! this year's cluster leads), one alert (the recipient's answer forms, the sender's table), and
//! the confirmation page of a mailed acknowledgement link, which works without signing in.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use irnet_app::alerts::answer::{self, ActionReport, LinkState};
use irnet_app::alerts::send;
use irnet_app::alerts::{
    self, AlertInput, AlertSummary, AlertView, Audience, ListQuery, RecipientsView,
};
use irnet_app::directory::clusters::{self as app_clusters, ClusterView};
use irnet_domain::OrgKind;
use irnet_domain::ids::AlertId;
use irnet_domain::ids::ClusterId;
use serde::Deserialize;

use super::{FormErrors, Layout, render, render_status, see_other};
use crate::AppState;
use crate::context::Ctx;
use crate::extract::{Authed, Form, Path, Query};

#[derive(Template)]
#[template(path = "alerts.html")]
struct ListPage {
    l: Layout,
    received: Vec<AlertSummary>,
    sent: Vec<AlertSummary>,
    may_compose: bool,
}

impl ListPage {
    fn when(&self, at: &Option<String>) -> String {
        when(&self.l, at)
    }
}

pub(crate) fn when(l: &Layout, at: &Option<String>) -> String {
    at.as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| l.tr.datetime(&t.with_timezone(&chrono::Utc)))
        .unwrap_or_else(|| "—".to_owned())
}

#[derive(Deserialize)]
pub struct Notice {
    notice: Option<String>,
}

pub async fn list(a: Authed, State(s): State<AppState>, Query(q): Query<Notice>) -> Response {
    let of = |direction: &str| ListQuery {
        direction: Some(direction.to_owned()),
        limit: Some(100),
        ..ListQuery::default()
    };
    let received = alerts::list(&s.app, &a.actor, of("received")).await;
    let sent = alerts::list(&s.app, &a.actor, of("sent")).await;
    match (received, sent) {
        (Ok(r), Ok(sent)) => {
            let mut received = r.items;
            // What still waits for the reader's answer comes first.
            received.sort_by_key(|x| x.my_state.as_deref() != Some("pending"));
            render(&ListPage {
                l: Layout::new(&a.ctx).with_notice(q.notice.as_deref()),
                received,
                sent: sent.items,
                may_compose: a.actor.principal.may_compose_alerts(),
            })
        }
        (Err(e), _) | (_, Err(e)) => super::failure_page(&a.ctx, &e),
    }
}

#[derive(Template)]
#[template(path = "alert_new.html")]
struct NewPage {
    l: Layout,
    form: ComposeForm,
    errors: FormErrors,
    clusters: Vec<ClusterView>,
    network: bool,
    kinds: Vec<&'static str>,
}

impl NewPage {
    fn selected(&self, value: &str) -> bool {
        self.form.target == value
    }
}

/// The compose form: one audience target per alert from the page (the API takes any mix).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ComposeForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    products: String,
    #[serde(default)]
    cves: String,
    #[serde(default)]
    actions: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    tlp: String,
    /// `network`, `cluster:{id}` or `kind:{kind}`
    #[serde(default)]
    target: String,
}

impl ComposeForm {
    fn input(&self) -> AlertInput {
        let mut audience = Audience::default();
        match self.target.split_once(':') {
            Some(("cluster", id)) => audience.clusters.push(id.to_owned()),
            Some(("kind", k)) => audience.kinds.push(k.to_owned()),
            _ if self.target == "network" => audience.network = true,
            _ => {}
        }
        let split = |s: &str| -> Vec<String> {
            s.split(['\n', ',', ';'])
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        };
        AlertInput {
            title: self.title.clone(),
            description: self.description.clone(),
            severity: Some(self.severity.clone()).filter(|s| !s.is_empty()),
            affected_products: split(&self.products),
            cves: self
                .cves
                .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect(),
            required_actions: self.actions.clone(),
            action_deadline: Some(self.deadline.clone()).filter(|s| !s.trim().is_empty()),
            tlp: Some(self.tlp.clone()).filter(|s| !s.is_empty()),
            audience,
        }
    }
}

async fn new_page(
    a: &Authed,
    s: &AppState,
    form: ComposeForm,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let targets = a.actor.principal.alert_targets();
    let clusters = match app_clusters::list(&s.app, &a.actor).await {
        Ok(c) => c
            .into_iter()
            .filter(|c| targets.offers_cluster(&ClusterId::from_trusted(c.id.clone())))
            .collect(),
        Err(e) => return super::failure_page(&a.ctx, &e),
    };
    render_status(
        status,
        &NewPage {
            l: Layout::new(&a.ctx),
            form,
            errors,
            clusters,
            network: targets.network,
            kinds: if targets.network {
                OrgKind::ALL.iter().map(|k| k.as_str()).collect()
            } else {
                vec![]
            },
        },
    )
}

pub async fn compose(a: Authed, State(s): State<AppState>) -> Response {
    if !a.actor.principal.may_compose_alerts() {
        return super::failure_page(&a.ctx, &irnet_app::AppError::Forbidden);
    }
    let form = ComposeForm {
        tlp: "AMBER".to_owned(),
        severity: "high".to_owned(),
        ..ComposeForm::default()
    };
    new_page(&a, &s, form, FormErrors::default(), StatusCode::OK).await
}

pub async fn create(a: Authed, State(s): State<AppState>, Form(f): Form<ComposeForm>) -> Response {
    match alerts::create(&s.app, &a.actor, f.input()).await {
        Ok(v) => see_other(&format!("/alerts/{}", v.id), "alert-draft-saved"),
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            new_page(&a, &s, f, errors, crate::error::status_of(&e)).await
        }
    }
}

#[derive(Template)]
#[template(path = "alert.html")]
struct ShowPage {
    l: Layout,
    alert: AlertView,
    recipients: Option<RecipientsView>,
    errors: FormErrors,
}

impl ShowPage {
    fn when(&self, at: &Option<String>) -> String {
        when(&self.l, at)
    }
    fn state(&self, s: &str) -> String {
        self.l.tr.t(&format!("alert-state-{s}"))
    }
    fn action(&self, s: &Option<String>) -> String {
        s.as_deref()
            .map(|s| {
                self.l
                    .tr
                    .t(&format!("alert-action-{}", s.replace('_', "-")))
            })
            .unwrap_or_else(|| "—".to_owned())
    }
    fn action_label(&self, s: &str) -> String {
        self.l
            .tr
            .t(&format!("alert-action-{}", s.replace('_', "-")))
    }
    fn status_label(&self) -> String {
        self.l.tr.t(&format!("alert-status-{}", self.alert.status))
    }
    fn severity(&self) -> String {
        self.l
            .tr
            .t(&format!("alert-severity-{}", self.alert.severity))
    }
    fn joined(&self, v: &[String]) -> String {
        if v.is_empty() {
            "—".to_owned()
        } else {
            v.join(", ")
        }
    }
}

async fn show_page(
    a: &Authed,
    s: &AppState,
    id: &AlertId,
    errors: FormErrors,
    notice: Option<&str>,
) -> Response {
    let view = match alerts::get(&s.app, &a.actor, id).await {
        Ok(v) => v,
        Err(e) => return super::failure_page(&a.ctx, &e),
    };
    let recipients = if view.may.see_recipients {
        match alerts::recipients(&s.app, &a.actor, id).await {
            Ok(r) => Some(r),
            Err(e) => return super::failure_page(&a.ctx, &e),
        }
    } else {
        None
    };
    render_status(
        errors.status(),
        &ShowPage {
            l: Layout::new(&a.ctx).with_notice(notice),
            alert: view,
            recipients,
            errors,
        },
    )
}

pub async fn show(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<AlertId>,
    Query(q): Query<Notice>,
) -> Response {
    show_page(&a, &s, &id, FormErrors::default(), q.notice.as_deref()).await
}

pub async fn send_draft(a: Authed, State(s): State<AppState>, Path(id): Path<AlertId>) -> Response {
    match send::send(&s.app, &a.actor, &id).await {
        Ok(_) => see_other(&format!("/alerts/{id}"), "alert-sent"),
        Err(e @ irnet_app::AppError::Validation(_)) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            show_page(&a, &s, &id, errors, None).await
        }
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

/// The draft's file form (multipart; the form token travels as a field).
pub async fn attach(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<AlertId>,
    form: axum::extract::Multipart,
) -> Response {
    let r = async {
        let upload = super::read_file(form).await?;
        alerts::attach(&s.app, &a.actor, &id, upload).await
    }
    .await;
    match r {
        Ok(_) => see_other(&format!("/alerts/{id}"), "alert-attached"),
        Err(e @ irnet_app::AppError::Validation(_)) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            show_page(&a, &s, &id, errors, None).await
        }
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

pub async fn acknowledge(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<AlertId>,
) -> Response {
    match answer::acknowledge(&s.app, &a.actor, &id).await {
        Ok(_) => see_other(&format!("/alerts/{id}"), "alert-acknowledged"),
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

#[derive(Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    status: String,
    note: Option<String>,
}

pub async fn report(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<AlertId>,
    Form(f): Form<ReportForm>,
) -> Response {
    let input = ActionReport {
        status: f.status,
        note: f.note,
    };
    match answer::report(&s.app, &a.actor, &id, input).await {
        Ok(_) => see_other(&format!("/alerts/{id}"), "alert-reported"),
        Err(e @ irnet_app::AppError::Validation(_)) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            show_page(&a, &s, &id, errors, None).await
        }
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

#[derive(Template)]
#[template(path = "alert_ack.html")]
struct AckPage {
    l: Layout,
    state: LinkState,
    token: String,
}

fn ack_page(ctx: &Ctx, state: LinkState, token: String) -> Response {
    let status = match state {
        LinkState::Valid { .. } | LinkState::Acknowledged { .. } => StatusCode::OK,
        LinkState::Invalid => StatusCode::NOT_FOUND,
        LinkState::Expired | LinkState::Used => StatusCode::GONE,
    };
    render_status(
        status,
        &AckPage {
            l: Layout::new(ctx),
            state,
            token,
        },
    )
}

/// The link's confirmation page. A GET changes nothing: mail scanners open links.
pub async fn ack_link_page(
    ctx: Ctx,
    State(s): State<AppState>,
    Path(token): Path<String>,
) -> Response {
    match answer::peek(&s.app, &token).await {
        Ok(state) => ack_page(&ctx, state, token),
        Err(e) => super::failure_page(&ctx, &e),
    }
}

pub async fn ack_link(ctx: Ctx, State(s): State<AppState>, Path(token): Path<String>) -> Response {
    match answer::acknowledge_by_link(&s.app, &token, ctx.meta.clone()).await {
        Ok(state) => ack_page(&ctx, state, token),
        Err(e) => super::failure_page(&ctx, &e),
    }
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/alerts/{id}/attachments", axum::routing::post(attach))
        .route("/alerts", axum::routing::get(list))
        .route("/alerts/new", axum::routing::get(compose).post(create))
        .route("/alerts/{id}", axum::routing::get(show))
        .route("/alerts/{id}/send", axum::routing::post(send_draft))
        .route("/alerts/{id}/acknowledge", axum::routing::post(acknowledge))
        .route("/alerts/{id}/action", axum::routing::post(report))
        .route(
            "/alerts/ack/{token}",
            axum::routing::get(ack_link_page).post(ack_link),
        )
}
