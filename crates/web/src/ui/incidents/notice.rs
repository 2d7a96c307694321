//! `/incidents/new`: the quick notice, made to be typed on a phone minutes after detection — a
//! title, when (local time), which of the member's systems, type, severity, TLP and a line of
//! summary. Kept as a draft or submitted at once; bad input comes back with each message next to
//! its field and nothing stored.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use irnet_app::incidents::{self, NewNotice};
use serde::Deserialize;

use super::super::{FormErrors, Layout, opt, render_status, see_other};
use crate::AppState;
use crate::extract::{Authed, Form};

/// What the form holds, kept as typed so that a refused form comes back as it was.
#[derive(Deserialize, Default, Clone)]
pub struct NoticeForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    detected_at: String,
    #[serde(default)]
    system_id: String,
    #[serde(default)]
    type_key: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    tlp: String,
    /// which button: `submit` or `draft`
    #[serde(default)]
    action: String,
}

#[derive(Template)]
#[template(path = "incident_notice.html")]
struct NoticePage {
    l: Layout,
    f: NoticeForm,
    systems: Vec<(String, String)>,
    types: Vec<(String, String)>,
    severities: Vec<(String, String)>,
    tlps: [&'static str; 5],
    errors: FormErrors,
}

async fn form_page(a: &Authed, s: &AppState, f: NoticeForm, errors: FormErrors) -> NoticePage {
    let tr = a.ctx.tr;
    let systems = super::system_options(a, &s.app).await;
    NoticePage {
        l: Layout::new(&a.ctx),
        f,
        systems,
        types: super::type_options(&tr, &s.app),
        severities: super::SEVERITIES
            .iter()
            .map(|k| ((*k).to_owned(), tr.t(&format!("incident-severity-{k}"))))
            .collect(),
        tlps: super::TLPS,
        errors,
    }
}

pub async fn show(a: Authed, State(s): State<AppState>) -> Response {
    let f = NoticeForm {
        tlp: "AMBER".to_owned(),
        ..NoticeForm::default()
    };
    render_status(
        StatusCode::OK,
        &form_page(&a, &s, f, FormErrors::default()).await,
    )
}

pub async fn create(a: Authed, State(s): State<AppState>, Form(f): Form<NoticeForm>) -> Response {
    let submit = f.action == "submit";
    let input = NewNotice {
        title: f.title.clone(),
        summary: opt(&f.summary),
        detected_at: f.detected_at.clone(),
        system_id: opt(&f.system_id),
        type_key: opt(&f.type_key),
        severity: opt(&f.severity),
        tlp: opt(&f.tlp),
        submit,
    };
    match incidents::create(&s.app, &a.actor, input).await {
        Ok(v) => see_other(
            &format!("/incidents/{}", v.id),
            if submit {
                "incident-submitted"
            } else {
                "incident-draft-saved"
            },
        ),
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            let page = form_page(&a, &s, f, errors).await;
            render_status(crate::error::status_of(&e), &page)
        }
    }
}
