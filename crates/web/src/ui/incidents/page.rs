//! `/incidents/{id}`: everything about one incident for its audience — facts, deadlines, the
//! actions the reader may take (from the incident's `may`), tasks, observables, the timeline
//! with the discussion, evidence, support and reports. Each action is a small form that posts
//! and comes back here with a notice; a refusal re-renders the page with the message in the
//! section that failed. Outside the audience the use-case says "not found", and so does the page.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use irnet_app::AppError;
use irnet_app::incidents::deadlines::DeadlineView;
use irnet_app::incidents::handling::{
    self, AttachmentView, EventView, ObservableInput, ObservableView, TaskInput, TaskView,
};
use irnet_app::incidents::notice::NoticeReceiverView;
use irnet_app::incidents::reports::{self, ReportInput, ReportView};
use irnet_app::incidents::support::{self as support_uc, SupportRequestView};
use irnet_app::incidents::{self, IncidentView};
use irnet_domain::ids::IncidentId;
use irnet_domain::incident::{ObservableKind, ReportKind, Status};
use irnet_domain::profile::SKILLS;
use serde::Deserialize;

use super::super::NoticeParam;
use super::super::{FormErrors, Layout, failure_page, opt, render_status, see_other};
use crate::AppState;
use crate::error::status_of;
use crate::extract::{Authed, Form, Path, Query};
use crate::i18n::Tr;

#[derive(Template)]
#[template(path = "incident_page.html")]
struct IncidentPage {
    l: Layout,
    i: IncidentView,
    type_label: String,
    next_statuses: Vec<(String, String)>,
    tasks: Vec<TaskView>,
    observables: Vec<ObservableView>,
    observable_kinds: Vec<&'static str>,
    timeline: Vec<EventView>,
    attachments: Vec<AttachmentView>,
    reports: Vec<ReportView>,
    /// the documents filed, frozen (each version of Mẫu 03 and Mẫu 04)
    filed: Vec<irnet_app::filing::FiledReportView>,
    report_kinds: Vec<(String, String)>,
    support: Vec<SupportRequestView>,
    skills: Vec<(String, String)>,
    me: String,
    /// the section whose form failed, and why
    failed: Option<(&'static str, FormErrors)>,
}

impl IncidentPage {
    fn tr(&self) -> &Tr {
        &self.l.tr
    }
    fn when(&self, t: &str) -> String {
        super::when(self.tr(), t)
    }
    fn when_opt(&self, t: &Option<String>) -> String {
        super::when_opt(self.tr(), t)
    }
    fn status_label(&self, s: &str) -> String {
        super::status_label(self.tr(), s)
    }
    fn tlp_class(&self, t: &str) -> String {
        super::tlp_class(t)
    }
    fn label(&self, prefix: &str, key: &str) -> String {
        self.tr().t(&format!("{prefix}-{}", key.replace('_', "-")))
    }
    fn label_opt(&self, prefix: &str, key: &Option<String>) -> String {
        key.as_deref()
            .map_or_else(|| "—".to_owned(), |k| self.label(prefix, k))
    }
    fn labels(&self, prefix: &str, keys: &[String]) -> String {
        if keys.is_empty() {
            return "—".to_owned();
        }
        keys.iter()
            .map(|k| self.label(prefix, k))
            .collect::<Vec<_>>()
            .join(", ")
    }
    fn lines(&self, items: &[String]) -> String {
        if items.is_empty() {
            "—".to_owned()
        } else {
            items.join(", ")
        }
    }
    fn text<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("—")
    }
    fn deadline_state(&self, d: &DeadlineView) -> (&'static str, String) {
        if let Some(met) = &d.met_at {
            // Met after it fell due is late, however it was met: the delay is the fact to show.
            match late_by(&d.due, met) {
                Some(delay) => (
                    "tag overdue",
                    self.tr().t_args(
                        "incident-deadline-met-late",
                        &[("at", self.when(met)), ("delay", self.delay(delay))],
                    ),
                ),
                None => (
                    "tag ok",
                    self.tr()
                        .t_args("incident-deadline-met", &[("at", self.when(met))]),
                ),
            }
        } else if d.overdue {
            ("tag overdue", self.tr().t("incident-overdue"))
        } else {
            ("tag warn", self.tr().t("incident-deadline-open"))
        }
    }
    /// A delay in whole days, or hours (minutes under an hour) when under a day.
    fn delay(&self, d: chrono::Duration) -> String {
        let (key, n) = if d.num_days() >= 1 {
            ("delay-days", d.num_days())
        } else if d.num_hours() >= 1 {
            ("delay-hours", d.num_hours())
        } else {
            ("delay-minutes", d.num_minutes().max(1))
        };
        self.tr().t_count(key, n)
    }
    fn serious_text(&self) -> String {
        let key = match (self.i.serious_proposed, self.i.serious_confirmed) {
            (_, Some(true)) => "incident-serious-confirmed",
            (_, Some(false)) => "incident-serious-rejected",
            (true, None) => "incident-serious-proposed",
            (false, None) => "incident-serious-no",
        };
        self.tr().t(key)
    }
    fn failed_in(&self, section: &str) -> Vec<String> {
        match &self.failed {
            Some((s, e)) if *s == section => e.all(),
            _ => vec![],
        }
    }
    fn size(&self, bytes: &i64) -> String {
        if *bytes < 1024 {
            format!("{bytes} B")
        } else if *bytes < 1024 * 1024 {
            format!("{:.1} KiB", *bytes as f64 / 1024.0)
        } else {
            format!("{:.1} MiB", *bytes as f64 / (1024.0 * 1024.0))
        }
    }
    fn has_docx(&self, r: &ReportView) -> bool {
        r.kind == ReportKind::Initial.as_str() || r.kind == ReportKind::Closing.as_str()
    }
    /// A notice receiver's organisation, by its name on the day the notice reached it.
    fn receiver_name(&self, rc: &NoticeReceiverView) -> String {
        rc.org.label(self.tr().locale)
    }
    /// "Nguyễn Thị Hạnh, 10:31 15/10/2025" or "not yet".
    fn receiver_ack(&self, rc: &NoticeReceiverView) -> (&'static str, String) {
        match &rc.acknowledged_at {
            Some(at) => (
                "tag ok",
                self.tr().t_args(
                    "incident-notice-acknowledged-by",
                    &[
                        ("by", rc.acknowledged_by.clone().unwrap_or_default()),
                        ("at", self.when(at)),
                    ],
                ),
            ),
            None => ("tag warn", self.tr().t("incident-notice-not-acknowledged")),
        }
    }
    /// "Mẫu 03" / "Mẫu 04" for a filed document's kind.
    fn form_label(&self, kind: &str) -> String {
        format!(
            "{} {}",
            self.tr().t("filed-form"),
            kind.trim_start_matches("mau_")
        )
    }
    /// The first 12 hex digits of a SHA-256, enough to compare by eye.
    fn short_hash(&self, h: &str) -> String {
        h.chars().take(12).collect()
    }
    fn is_draft(&self) -> bool {
        self.i.status == Status::Draft.as_str()
    }
    fn event_text(&self, e: &EventView) -> String {
        let label = self.label("incident-event", &e.kind);
        let text = |k: &str| e.data.get(k).and_then(|v| v.as_str());
        if e.kind == incidents::handover::KIND {
            let to = self
                .l
                .tr
                .localised(text("to_vi").unwrap_or_default(), text("to_en"));
            let on = text("on")
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default();
            return self.l.tr.t_args(
                "incident-handed-over",
                &[("successor", to.to_owned()), ("date", on)],
            );
        }
        match (e.kind.as_str(), e.data.get("to").and_then(|v| v.as_str())) {
            ("status", Some(to)) => format!("{label}: {}", self.status_label(to)),
            _ => label,
        }
    }
}

/// Loads what the page shows through the use-cases; the first read decides "not found".
pub(super) async fn page(
    a: &Authed,
    s: &AppState,
    id: &IncidentId,
    notice: Option<&str>,
    failed: Option<(&'static str, FormErrors)>,
    status: StatusCode,
) -> Response {
    let loaded = async {
        let i = incidents::get(&s.app, &a.actor, id).await?;
        Ok::<_, AppError>((
            handling::tasks(&s.app, &a.actor, id).await?,
            handling::observables(&s.app, &a.actor, id).await?,
            handling::timeline(&s.app, &a.actor, id).await?,
            handling::attachments(&s.app, &a.actor, id).await?,
            reports::list(&s.app, &a.actor, id).await?,
            reports::filed(&s.app, &a.actor, id).await?,
            support_uc::of_incident(&s.app, &a.actor, id).await?,
            i,
        ))
    }
    .await;
    let (tasks, observables, timeline, attachments, reports, filed, support, i) = match loaded {
        Ok(x) => x,
        Err(e) => return failure_page(&a.ctx, &e),
    };
    let tr = a.ctx.tr;
    let current = Status::parse(&i.status).ok();
    let next_statuses = Status::ALL
        .iter()
        .filter(|st| current.is_some_and(|c| c.may_move_to(**st)))
        .map(|st| {
            (
                st.as_str().to_owned(),
                super::status_label(&tr, st.as_str()),
            )
        })
        .collect();
    let report_kinds = ReportKind::ALL
        .iter()
        .filter(|k| !matches!(k, ReportKind::Initial | ReportKind::SupportRequest))
        .map(|k| {
            let key = k.as_str();
            (
                key.to_owned(),
                tr.t(&format!("report-kind-{}", key.replace('_', "-"))),
            )
        })
        .collect();
    render_status(
        status,
        &IncidentPage {
            l: Layout::new(&a.ctx).with_notice(notice),
            type_label: super::type_label(&tr, &s.app, &i.type_key),
            next_statuses,
            tasks,
            observables,
            observable_kinds: ObservableKind::ALL.iter().map(|k| k.as_str()).collect(),
            timeline,
            attachments,
            reports,
            filed,
            report_kinds,
            support,
            skills: SKILLS
                .iter()
                .map(|sk| {
                    (
                        sk.code.to_owned(),
                        tr.localised(sk.label_vi, Some(sk.label_en)).to_owned(),
                    )
                })
                .collect(),
            me: a.auth.principal.user_id.as_str().to_owned(),
            i,
            failed,
        },
    )
}

pub async fn show(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    Query(q): Query<NoticeParam>,
) -> Response {
    page(&a, &s, &id, q.notice.as_deref(), None, StatusCode::OK).await
}

/// After an action: back to the page with a notice, or the page again with the refusal shown in
/// `section`. "Not found" stays the plain not-found page, whatever the form was.
pub(super) async fn outcome<T>(
    a: &Authed,
    s: &AppState,
    id: &IncidentId,
    section: &'static str,
    notice: &str,
    r: Result<T, AppError>,
) -> Response {
    match r {
        Ok(_) => see_other(&format!("/incidents/{id}"), notice),
        Err(AppError::NotFound) => failure_page(&a.ctx, &AppError::NotFound),
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            page(a, s, id, None, Some((section, errors)), status_of(&e)).await
        }
    }
}

pub async fn submit(a: Authed, State(s): State<AppState>, Path(id): Path<IncidentId>) -> Response {
    let r = incidents::submit(&s.app, &a.actor, &id).await;
    outcome(&a, &s, &id, "actions", "incident-submitted", r).await
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

pub async fn set_status(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    Form(f): Form<StatusForm>,
) -> Response {
    let r = incidents::set_status(&s.app, &a.actor, &id, &f.status, opt(&f.note)).await;
    outcome(&a, &s, &id, "actions", "saved", r).await
}

pub async fn escalate(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> Response {
    let r = incidents::escalate(&s.app, &a.actor, &id).await;
    outcome(&a, &s, &id, "actions", "incident-escalated", r).await
}

/// A receiver acknowledges the notice for its organisation.
pub async fn acknowledge_notice(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> Response {
    let r = incidents::acknowledge_notice(&s.app, &a.actor, &id).await;
    outcome(&a, &s, &id, "notice", "incident-notice-acknowledged", r).await
}

/// The sender (or a coordinator) sends the notice again to the receivers not yet acknowledged.
pub async fn resend_notice(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> Response {
    let r = incidents::resend_notice(&s.app, &a.actor, &id).await;
    outcome(&a, &s, &id, "notice", "incident-notice-resent", r).await
}

pub async fn acknowledge(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
) -> Response {
    let r = incidents::acknowledge(&s.app, &a.actor, &id).await;
    outcome(&a, &s, &id, "actions", "incident-acknowledged", r).await
}

#[derive(Deserialize)]
pub struct SeriousForm {
    #[serde(default)]
    serious: String,
}

pub async fn serious(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    Form(f): Form<SeriousForm>,
) -> Response {
    let r = incidents::decide_serious(&s.app, &a.actor, &id, f.serious == "true").await;
    outcome(&a, &s, &id, "actions", "saved", r).await
}

pub async fn close(a: Authed, State(s): State<AppState>, Path(id): Path<IncidentId>) -> Response {
    let r = incidents::close(&s.app, &a.actor, &id).await;
    outcome(&a, &s, &id, "actions", "incident-closed", r).await
}

/// A date field (yyyy-mm-dd, as `<input type="date">` sends it); a bad one names its field.
pub(super) fn date_field(field: &str, v: &str) -> Result<Option<NaiveDate>, AppError> {
    match opt(v) {
        None => Ok(None),
        Some(d) => NaiveDate::parse_from_str(&d, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::invalid(field, "invalid_date")),
    }
}

#[derive(Deserialize)]
pub struct TaskForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    assignee_id: String,
    #[serde(default)]
    due_on: String,
}

pub async fn add_task(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    Form(f): Form<TaskForm>,
) -> Response {
    let r = async {
        let input = TaskInput {
            title: Some(f.title),
            assignee_id: opt(&f.assignee_id),
            due_on: date_field("due_on", &f.due_on)?,
            done: false,
        };
        handling::add_task(&s.app, &a.actor, &id, input).await
    }
    .await;
    outcome(&a, &s, &id, "tasks", "created", r).await
}

/// Ticks a task off, keeping its assignee and date.
pub async fn task_done(
    a: Authed,
    State(s): State<AppState>,
    Path((id, task_id)): Path<(IncidentId, String)>,
) -> Response {
    let r = async {
        let task = handling::tasks(&s.app, &a.actor, &id)
            .await?
            .into_iter()
            .find(|t| t.id == task_id)
            .ok_or(AppError::NotFound)?;
        let input = TaskInput {
            title: None,
            assignee_id: task.assignee_id,
            due_on: task.due_on,
            done: true,
        };
        handling::update_task(&s.app, &a.actor, &id, &task_id, input).await
    }
    .await;
    outcome(&a, &s, &id, "tasks", "saved", r).await
}

#[derive(Deserialize)]
pub struct ObservableForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    value: String,
    is_indicator: Option<String>,
    #[serde(default)]
    note: String,
}

pub async fn add_observable(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    Form(f): Form<ObservableForm>,
) -> Response {
    let input = ObservableInput {
        kind: f.kind,
        value: f.value,
        is_indicator: f.is_indicator.is_some(),
        note: opt(&f.note),
    };
    let r = handling::add_observable(&s.app, &a.actor, &id, input).await;
    outcome(&a, &s, &id, "observables", "created", r).await
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    text: String,
}

pub async fn comment(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    Form(f): Form<CommentForm>,
) -> Response {
    let r = handling::comment(&s.app, &a.actor, &id, &f.text).await;
    outcome(&a, &s, &id, "timeline", "incident-commented", r).await
}

pub async fn attach(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    form: Multipart,
) -> Response {
    let r = async {
        let upload = super::super::read_file(form).await?;
        handling::attach(&s.app, &a.actor, &id, &upload.filename, upload.bytes).await
    }
    .await;
    outcome(&a, &s, &id, "attachments", "incident-attached", r).await
}

#[derive(Deserialize, Default)]
pub struct ReportForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    cause: String,
    #[serde(default)]
    damage: String,
    #[serde(default)]
    lessons: String,
    #[serde(default)]
    proposals: String,
    #[serde(default)]
    document_number: String,
    #[serde(default)]
    place: String,
    /// one recipient a line
    #[serde(default)]
    recipients: String,
    #[serde(default)]
    signer_title: String,
    #[serde(default)]
    signer_name: String,
}

pub async fn file_report(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    Form(f): Form<ReportForm>,
) -> Response {
    let input = ReportInput {
        kind: f.kind,
        text: opt(&f.text),
        result: opt(&f.result),
        cause: opt(&f.cause),
        damage: opt(&f.damage),
        lessons: opt(&f.lessons),
        proposals: opt(&f.proposals),
        filing: irnet_app::filing::FilingInput {
            document_number: opt(&f.document_number),
            place: opt(&f.place),
            recipients: f
                .recipients
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            signer_title: opt(&f.signer_title),
            signer_name: opt(&f.signer_name),
        },
    };
    let r = reports::file(&s.app, &a.actor, &id, input).await;
    outcome(&a, &s, &id, "reports", "incident-report-filed", r).await
}

/// How late a deadline was met, when it was met after it fell due (both RFC 3339).
fn late_by(due: &str, met: &str) -> Option<chrono::Duration> {
    let due = chrono::DateTime::parse_from_rfc3339(due).ok()?;
    let met = chrono::DateTime::parse_from_rfc3339(met).ok()?;
    (met > due).then(|| met - due)
}
