//! Training pages: `/training` (the programmes the reader's organisation organises or is invited
//! to, and a form for a new one), `/training/{id}` (a programme: its sessions with the attendees
//! the reader may know of, forms to add a session and mark attendance), and
//! `/orgs/{id}/training` (a member's yearly totals and its people's certificates with their
//! expiry state). A page shows only the forms the reader may use (from the views' abilities).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use irnet_app::AppError;
use irnet_app::directory::names::OrgName;
use irnet_app::directory::orgs::{self, OrgView};
use irnet_app::directory::people::{self, PersonView};
use irnet_app::training::attend::{self, AttendanceInput};
use irnet_app::training::certificates::{self, CertificateInput, CertificateList};
use irnet_app::training::create::{self, ProgrammeInput};
use irnet_app::training::get::{self, ProgrammeView};
use irnet_app::training::session::{self, SessionInput};
use irnet_app::training::totals::{self, YearTotalsView};
use irnet_app::training::{ProgrammeSummary, list};
use irnet_domain::ids::{CertificateId, ProgrammeId, TrainingSessionId};
use serde::Deserialize;

use super::{Layout, NoticeParam, failure_page, render_status, see_other, value, values};
use crate::AppState;
use crate::error::{field_message, status_of};
use crate::extract::{Authed, Form, Path, Query};
use crate::i18n::Tr;

/// Problems of a form, each naming its field in the reader's language.
fn messages(tr: &Tr, e: &AppError) -> Vec<String> {
    match e {
        AppError::Validation(fields) => fields
            .iter()
            .map(|f| {
                let base = f.field.split('[').next().unwrap_or(&f.field);
                let label = tr.t(&format!("training-field-{}", base.replace('_', "-")));
                format!("{label}: {}", field_message(tr, f))
            })
            .collect(),
        other => vec![tr.t(&format!("problem-{}", other.code().replace('_', "-")))],
    }
}

fn day(d: &NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Every organisation of the directory (its public part), for the invitation checkboxes.
async fn all_orgs(s: &AppState, a: &Authed) -> Result<Vec<OrgView>, AppError> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = orgs::list(&s.app, &a.actor, cursor, Some(200)).await?;
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return Ok(out),
        }
    }
}

#[derive(Template)]
#[template(path = "training_list.html")]
struct ListPage {
    l: Layout,
    programmes: Vec<ProgrammeSummary>,
    may_create: bool,
    orgs: Vec<OrgView>,
    form: Vec<(String, String)>,
    errors: Vec<String>,
    this_year: i32,
}

impl ListPage {
    fn org(&self, n: &OrgName) -> String {
        n.label(self.l.tr.locale)
    }

    fn kind(&self, k: &str) -> String {
        self.l
            .tr
            .t(&format!("training-organiser-{}", k.replace('_', "-")))
    }

    fn field(&self, name: &str) -> String {
        value(&self.form, name).to_owned()
    }

    fn invited(&self, id: &str) -> bool {
        values(&self.form, "invited").iter().any(|v| v == id)
    }

    fn year(&self) -> String {
        let v = self.field("year");
        if v.is_empty() {
            self.this_year.to_string()
        } else {
            v
        }
    }
}

async fn list_page(
    a: &Authed,
    s: &AppState,
    notice: Option<&str>,
    form: Vec<(String, String)>,
    failed: Option<&AppError>,
) -> Response {
    let loaded = async {
        let programmes = list::list(&s.app, &a.actor).await?;
        let may_create = a
            .auth
            .principal
            .may_manage_training_of(&a.auth.principal.org_id);
        let orgs = if may_create {
            all_orgs(s, a).await?
        } else {
            vec![]
        };
        Ok::<_, AppError>((programmes, may_create, orgs))
    }
    .await;
    match loaded {
        Ok((programmes, may_create, orgs)) => render_status(
            failed.map_or(StatusCode::OK, status_of),
            &ListPage {
                l: Layout::new(&a.ctx).with_notice(notice),
                programmes,
                may_create,
                orgs,
                form,
                errors: failed.map(|e| messages(&a.ctx.tr, e)).unwrap_or_default(),
                this_year: s.app.today().year(),
            },
        ),
        Err(e) => failure_page(&a.ctx, &e),
    }
}

pub async fn show_list(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<NoticeParam>,
) -> Response {
    list_page(&a, &s, q.notice.as_deref(), vec![], None).await
}

fn programme_input(f: &[(String, String)]) -> Result<ProgrammeInput, AppError> {
    let year = value(f, "year").trim();
    let year = year
        .parse::<i32>()
        .map_err(|_| AppError::invalid("year", "invalid_year"))?;
    Ok(ProgrammeInput {
        organiser_org_id: None,
        cluster_id: super::opt(value(f, "cluster_id")),
        title: value(f, "title").to_owned(),
        topic: value(f, "topic").to_owned(),
        audience: value(f, "audience").to_owned(),
        year,
        invited: values(f, "invited"),
    })
}

pub async fn create_programme(
    a: Authed,
    State(s): State<AppState>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let input = programme_input(&f)?;
        create::create(&s.app, &a.actor, input).await
    }
    .await;
    match r {
        Ok(p) => see_other(&format!("/training/{}", p.id), "created"),
        Err(e @ AppError::Validation(_)) => list_page(&a, &s, None, f, Some(&e)).await,
        Err(e) => failure_page(&a.ctx, &e),
    }
}

#[derive(Template)]
#[template(path = "training_programme.html")]
struct ProgrammePage {
    l: Layout,
    v: ProgrammeView,
    orgs: Vec<OrgView>,
    /// the form that failed ("edit", "session", or a session's id) and its messages
    failed: String,
    errors: Vec<String>,
    form: Vec<(String, String)>,
}

impl ProgrammePage {
    fn org(&self, n: &OrgName) -> String {
        n.label(self.l.tr.locale)
    }

    fn date(&self, d: &NaiveDate) -> String {
        day(d)
    }

    fn kind(&self, k: &str) -> String {
        self.l
            .tr
            .t(&format!("training-organiser-{}", k.replace('_', "-")))
    }

    fn invited(&self, id: &str) -> bool {
        self.v.invited.iter().any(|o| o.org_id == id)
    }

    fn field(&self, name: &str) -> String {
        value(&self.form, name).to_owned()
    }

    fn errors_for(&self, form: &str) -> Vec<String> {
        if self.failed == form {
            self.errors.clone()
        } else {
            vec![]
        }
    }
}

async fn programme_page(
    a: &Authed,
    s: &AppState,
    id: &ProgrammeId,
    notice: Option<&str>,
    failed: Option<(&str, &AppError)>,
    form: Vec<(String, String)>,
) -> Response {
    let loaded = async {
        let v = get::get(&s.app, &a.actor, id).await?;
        let orgs = if v.may_manage {
            all_orgs(s, a).await?
        } else {
            vec![]
        };
        Ok::<_, AppError>((v, orgs))
    }
    .await;
    match loaded {
        Ok((v, orgs)) => render_status(
            failed.map_or(StatusCode::OK, |(_, e)| status_of(e)),
            &ProgrammePage {
                l: Layout::new(&a.ctx).with_notice(notice),
                v,
                orgs,
                failed: failed.map(|(f, _)| f.to_owned()).unwrap_or_default(),
                errors: failed
                    .map(|(_, e)| messages(&a.ctx.tr, e))
                    .unwrap_or_default(),
                form,
            },
        ),
        Err(e) => failure_page(&a.ctx, &e),
    }
}

pub async fn show_programme(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<ProgrammeId>,
    Query(q): Query<NoticeParam>,
) -> Response {
    programme_page(&a, &s, &id, q.notice.as_deref(), None, vec![]).await
}

/// After a form on the programme page: back to it with a notice, or the page again with the
/// form's problems (422) where the reader may see the programme.
async fn done<T>(
    a: &Authed,
    s: &AppState,
    id: &ProgrammeId,
    form_name: &str,
    form: Vec<(String, String)>,
    r: Result<T, AppError>,
    notice: &str,
) -> Response {
    match r {
        Ok(_) => see_other(&format!("/training/{id}"), notice),
        Err(e @ AppError::Validation(_)) => {
            programme_page(a, s, id, None, Some((form_name, &e)), form).await
        }
        Err(e) => failure_page(&a.ctx, &e),
    }
}

pub async fn edit_programme(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<ProgrammeId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let input = ProgrammeInput {
        organiser_org_id: None,
        cluster_id: None,
        title: value(&f, "title").to_owned(),
        topic: value(&f, "topic").to_owned(),
        audience: value(&f, "audience").to_owned(),
        year: 0,
        invited: values(&f, "invited"),
    };
    let r = create::update(&s.app, &a.actor, &id, input).await;
    done(&a, &s, &id, "edit", f, r, "saved").await
}

#[derive(Deserialize)]
pub struct SessionForm {
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    trainer: String,
}

pub async fn add_session(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<ProgrammeId>,
    Form(f): Form<SessionForm>,
) -> Response {
    let form = vec![
        ("held_on".to_owned(), f.held_on.clone()),
        ("place".to_owned(), f.place.clone()),
        ("hours".to_owned(), f.hours.clone()),
        ("topic".to_owned(), f.topic.clone()),
        ("trainer".to_owned(), f.trainer.clone()),
    ];
    let input = SessionInput {
        held_on: f.held_on,
        place: f.place,
        hours: f.hours,
        topic: f.topic,
        trainer: f.trainer,
    };
    let r = session::add(&s.app, &a.actor, &id, input).await;
    done(&a, &s, &id, "session", form, r, "created").await
}

#[derive(Deserialize)]
pub struct AttendanceForm {
    #[serde(default)]
    person_id: String,
    /// "no" takes a mark back
    #[serde(default)]
    attended: String,
}

pub async fn mark_attendance(
    a: Authed,
    State(s): State<AppState>,
    Path((id, session_id)): Path<(ProgrammeId, TrainingSessionId)>,
    Form(f): Form<AttendanceForm>,
) -> Response {
    let input = AttendanceInput {
        person_id: f.person_id,
        attended: f.attended != "no",
    };
    let r = attend::mark(&s.app, &a.actor, &id, &session_id, input).await;
    done(&a, &s, &id, session_id.as_str(), vec![], r, "saved").await
}

#[derive(Template)]
#[template(path = "training_org.html")]
struct OrgTrainingPage {
    l: Layout,
    org: OrgView,
    years: Vec<YearTotalsView>,
    certs: CertificateList,
    people: Vec<PersonView>,
    errors: Vec<String>,
    form: Vec<(String, String)>,
}

impl OrgTrainingPage {
    fn date(&self, d: &NaiveDate) -> String {
        day(d)
    }

    fn date_opt(&self, d: &Option<NaiveDate>) -> String {
        d.as_ref()
            .map_or_else(|| self.l.tr.t("training-no-expiry"), day)
    }

    fn state(&self, st: &str) -> String {
        self.l
            .tr
            .t(&format!("training-state-{}", st.replace('_', "-")))
    }

    fn org_name(&self) -> &str {
        self.l
            .tr
            .localised(&self.org.name_vi, self.org.name_en.as_deref())
    }

    fn field(&self, name: &str) -> String {
        value(&self.form, name).to_owned()
    }
}

async fn org_page(
    a: &Authed,
    s: &AppState,
    org_id: &str,
    notice: Option<&str>,
    failed: Option<&AppError>,
    form: Vec<(String, String)>,
) -> Response {
    let loaded = async {
        let years = totals::totals(&s.app, &a.actor, org_id).await?;
        let certs = certificates::list(&s.app, &a.actor, org_id).await?;
        let people = if certs.may_manage {
            people::list(&s.app, &a.actor, org_id).await?
        } else {
            vec![]
        };
        let org = orgs::get(&s.app, &a.actor, org_id).await?;
        Ok::<_, AppError>((org, years, certs, people))
    }
    .await;
    match loaded {
        Ok((org, years, certs, people)) => render_status(
            failed.map_or(StatusCode::OK, status_of),
            &OrgTrainingPage {
                l: Layout::new(&a.ctx).with_notice(notice),
                org,
                years,
                certs,
                people,
                errors: failed.map(|e| messages(&a.ctx.tr, e)).unwrap_or_default(),
                form,
            },
        ),
        Err(e) => failure_page(&a.ctx, &e),
    }
}

pub async fn show_org(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<NoticeParam>,
) -> Response {
    org_page(&a, &s, &id, q.notice.as_deref(), None, vec![]).await
}

pub async fn add_certificate(
    a: Authed,
    State(s): State<AppState>,
    Path(org_id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let input = CertificateInput {
        person_id: value(&f, "person_id").to_owned(),
        name: value(&f, "name").to_owned(),
        issuer: value(&f, "issuer").to_owned(),
        number: value(&f, "number").to_owned(),
        issued_on: value(&f, "issued_on").to_owned(),
        valid_until: super::opt(value(&f, "valid_until")),
    };
    match certificates::add(&s.app, &a.actor, &org_id, input).await {
        Ok(_) => see_other(&format!("/orgs/{org_id}/training"), "created"),
        Err(e @ AppError::Validation(_)) => org_page(&a, &s, &org_id, None, Some(&e), f).await,
        Err(e) => failure_page(&a.ctx, &e),
    }
}

pub async fn remove_certificate(
    a: Authed,
    State(s): State<AppState>,
    Path((org_id, id)): Path<(String, CertificateId)>,
) -> Response {
    match certificates::remove(&s.app, &a.actor, &org_id, &id).await {
        Ok(()) => see_other(&format!("/orgs/{org_id}/training"), "deleted"),
        Err(e) => failure_page(&a.ctx, &e),
    }
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/training", get(show_list).post(create_programme))
        .route("/training/{id}", get(show_programme).post(edit_programme))
        .route("/training/{id}/sessions", post(add_session))
        .route(
            "/training/{id}/sessions/{session_id}/attendance",
            post(mark_attendance),
        )
        .route("/orgs/{id}/training", get(show_org).post(add_certificate))
        .route(
            "/orgs/{id}/certificates/{certificate_id}/remove",
            post(remove_certificate),
        )
}
