//! Support between members, as pages: the owner asks from the incident page (skills of the
//! taxonomy, effort, deadline, message; cluster peers and/or the coordinator) and accepts or
//! revokes offers there; `/support-requests` is the inbox of requests addressed to the reader's
//! organisation, with its offer/decline form, and of the coordinator's instructions to it, with
//! the form to acknowledge and report back. Recipients see only what the sender wrote.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use irnet_app::incidents::support::{
    self, InstructionView, SupportAnswer, SupportRequestInput, SupportRequestView,
};
use irnet_domain::ids::IncidentId;
use irnet_domain::profile::SKILLS;
use serde::Deserialize;

use super::super::NoticeParam;
use super::super::{
    FormErrors, Layout, failure_page, opt, render_status, see_other, value, values,
};
use super::page::{date_field, outcome};
use crate::AppState;
use crate::extract::{Authed, Form, Path, Query};

pub async fn request(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let input = SupportRequestInput {
            skills: values(&f, "skills"),
            effort: opt(value(&f, "effort")),
            deadline: date_field("deadline", value(&f, "deadline"))?,
            message: value(&f, "message").to_owned(),
            cluster_peers: !value(&f, "cluster_peers").is_empty(),
            coordinator: !value(&f, "coordinator").is_empty(),
            orgs: vec![],
        };
        support::request(&s.app, &a.actor, &id, input).await
    }
    .await;
    outcome(&a, &s, &id, "support", "support-requested", r).await
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    incident_id: String,
}

impl DecideForm {
    /// The incident page to go back to, taken as a path would take it: an id that is no
    /// incident of the reader's is a "not found" there.
    fn incident(&self) -> IncidentId {
        IncidentId::from_trusted(self.incident_id.clone())
    }
}

pub async fn accept(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<DecideForm>,
) -> Response {
    let r = support::decide(&s.app, &a.actor, &id, &f.org_id, true).await;
    outcome(&a, &s, &f.incident(), "support", "support-accepted", r).await
}

pub async fn revoke(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<DecideForm>,
) -> Response {
    let r = support::decide(&s.app, &a.actor, &id, &f.org_id, false).await;
    outcome(&a, &s, &f.incident(), "support", "support-revoked", r).await
}

#[derive(Template)]
#[template(path = "support_inbox.html")]
struct InboxPage {
    l: Layout,
    requests: Vec<SupportRequestView>,
    instructions: Vec<InstructionView>,
    /// the request whose answer failed, and why
    failed: Option<(String, FormErrors)>,
}

impl InboxPage {
    fn when(&self, t: &str) -> String {
        super::when(&self.l.tr, t)
    }
    fn skill_labels(&self, codes: &[String]) -> String {
        codes
            .iter()
            .map(|c| {
                SKILLS
                    .iter()
                    .find(|s| s.code == c.as_str())
                    .map_or(c.as_str(), |s| {
                        self.l.tr.localised(s.label_vi, Some(s.label_en))
                    })
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
    fn response_label(&self, r: &SupportRequestView) -> String {
        let response = r
            .recipients
            .first()
            .map_or("pending", |x| x.response.as_str());
        self.l.tr.t(&format!("support-response-{response}"))
    }
    fn pending(&self, r: &SupportRequestView) -> bool {
        r.recipients
            .first()
            .is_some_and(|x| x.response == "pending")
    }
    fn errors_for(&self, id: &str) -> Vec<String> {
        match &self.failed {
            Some((f, e)) if f == id => e.all(),
            _ => vec![],
        }
    }
}

async fn inbox_page(
    a: &Authed,
    s: &AppState,
    notice: Option<&str>,
    failed: Option<(String, FormErrors)>,
    status: StatusCode,
) -> Response {
    let loaded = async {
        Ok::<_, irnet_app::AppError>((
            support::inbox(&s.app, &a.actor).await?,
            support::instruction_inbox(&s.app, &a.actor).await?,
        ))
    }
    .await;
    match loaded {
        Ok((requests, instructions)) => render_status(
            status,
            &InboxPage {
                l: Layout::new(&a.ctx).with_notice(notice),
                requests,
                instructions,
                failed,
            },
        ),
        Err(e) => failure_page(&a.ctx, &e),
    }
}

pub async fn inbox(a: Authed, State(s): State<AppState>, Query(q): Query<NoticeParam>) -> Response {
    inbox_page(&a, &s, q.notice.as_deref(), None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    offer: String,
    #[serde(default)]
    note: String,
}

pub async fn answer(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<AnswerForm>,
) -> Response {
    let input = SupportAnswer {
        offer: f.offer == "true",
        note: opt(&f.note),
    };
    match support::answer(&s.app, &a.actor, &id, input).await {
        Ok(_) => see_other("/support-requests", "support-answered"),
        Err(e) => {
            let failed = (id, FormErrors::from_error(&a.ctx.tr, &e));
            let status = crate::error::status_of(&e);
            inbox_page(&a, &s, None, Some(failed), status).await
        }
    }
}

#[derive(Deserialize)]
pub struct InstructionForm {
    #[serde(default)]
    report: String,
}

/// Acknowledges a coordinator's instruction and, with a report, says what was done.
pub async fn answer_instruction(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<InstructionForm>,
) -> Response {
    match support::answer_instruction(&s.app, &a.actor, &id, opt(&f.report)).await {
        Ok(()) => see_other("/support-requests", "instruction-answered"),
        Err(e) => {
            let failed = (id, FormErrors::from_error(&a.ctx.tr, &e));
            let status = crate::error::status_of(&e);
            inbox_page(&a, &s, None, Some(failed), status).await
        }
    }
}
