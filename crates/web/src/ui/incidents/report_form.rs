//! `/incidents/{id}/report`: every field of Mẫu 03 that the quick notice does not carry, for the
//! owner to complete at a desk. The form is read as name/value pairs (the three checklists are
//! groups of checkboxes; lists are one item per line), saved with `report::update`, and a
//! refusal comes back with the message next to its field — for a list, naming the line.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use irnet_app::AppError;
use irnet_app::incidents::report::{
    self, Contact, DETECTION_OPTIONS, InitialReportFields, NOTIFIED_OPTIONS, ReportUpdate,
    STATUS_OPTIONS,
};
use irnet_app::incidents::{self, IncidentView};
use irnet_domain::ids::IncidentId;

use super::super::{
    FormErrors, Layout, failure_page, opt, render_status, see_other, value, values,
};
use crate::AppState;
use crate::error::status_of;
use crate::extract::{Authed, Form, Path};
use crate::i18n::Tr;

type Pairs = Vec<(String, String)>;

const CONTACTS: [&str; 3] = ["reporter", "operator", "owner"];
const CONTACT_PARTS: [&str; 5] = ["name", "title", "address", "phone", "email"];

#[derive(Template)]
#[template(path = "incident_report.html")]
struct ReportPage {
    l: Layout,
    i: IncidentView,
    f: Pairs,
    systems: Vec<(String, String)>,
    checklists: Vec<Checklist>,
    contacts: [&'static str; 3],
    parts: [&'static str; 5],
    errors: FormErrors,
}

struct Checklist {
    name: &'static str,
    legend: String,
    options: Vec<(String, String)>,
}

impl ReportPage {
    fn v(&self, name: &str) -> String {
        value(&self.f, name).to_owned()
    }
    fn checked(&self, name: &str, key: &str) -> bool {
        self.f.iter().any(|(k, v)| k == name && v == key)
    }
    fn contact_title(&self, who: &str) -> String {
        self.l.tr.t(&format!("report-{who}"))
    }
    fn contact_value(&self, who: &str, part: &str) -> String {
        self.v(&format!("{who}.{part}"))
    }
    fn contact_error(&self, who: &str, part: &str) -> String {
        self.errors.for_field(&format!("{who}.{part}"))
    }
    fn contact_label(&self, who: &str, part: &str) -> String {
        format!(
            "{} — {}",
            self.l.tr.t(&format!("report-{who}")),
            self.l.tr.t(&format!("contact-{part}"))
        )
    }
}

fn lines(items: &[String]) -> String {
    items.join("\n")
}

/// The form's pairs as the incident holds them now.
fn pairs_of(i: &IncidentView) -> Pairs {
    let r = &i.report;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut p: Vec<(String, String)> = vec![
        ("title".into(), i.title.clone()),
        ("summary".into(), s(&i.summary)),
        ("system_id".into(), s(&i.system_id)),
        ("security_provider".into(), s(&r.security_provider)),
        ("connectivity_provider".into(), s(&r.connectivity_provider)),
        ("system_purpose".into(), s(&r.system_purpose)),
        ("os".into(), s(&r.os)),
        ("services".into(), lines(&r.services)),
        ("security_measures".into(), lines(&r.security_measures)),
        ("public_ips".into(), lines(&r.public_ips)),
        ("domains".into(), lines(&r.domains)),
        ("support_requested".into(), s(&r.support_requested)),
        ("actions_taken".into(), s(&r.actions_taken)),
        ("assisting_orgs".into(), lines(&r.assisting_orgs)),
        ("initial_result".into(), s(&r.initial_result)),
    ];
    for (who, c) in CONTACTS.iter().zip([&r.reporter, &r.operator, &r.owner]) {
        for (part, v) in CONTACT_PARTS
            .iter()
            .zip([&c.name, &c.title, &c.address, &c.phone, &c.email])
        {
            p.push((format!("{who}.{part}"), s(v)));
        }
    }
    for (name, keys) in [
        ("status_checklist", &r.status_checklist),
        ("detection_methods", &r.detection_methods),
        ("notified", &r.notified),
    ] {
        p.extend(keys.iter().map(|k| (name.to_owned(), k.clone())));
    }
    if r.confidential {
        p.push(("confidential".into(), "1".into()));
    }
    p
}

/// The non-empty lines of a list field, with the line number each came from, so that a refused
/// item can be named by the line the reader typed it on.
fn list(f: &Pairs, name: &str) -> (Vec<String>, Vec<usize>) {
    value(f, name)
        .lines()
        .enumerate()
        .filter_map(|(n, l)| opt(l).map(|v| (v, n + 1)))
        .unzip()
}

fn contact(f: &Pairs, who: &str) -> Contact {
    let part = |p: &str| opt(value(f, &format!("{who}.{p}")));
    Contact {
        name: part("name"),
        title: part("title"),
        address: part("address"),
        phone: part("phone"),
        email: part("email"),
    }
}

/// The update the form asks for, and the line numbers of the validated lists.
fn update_of(f: &Pairs) -> (ReportUpdate, Vec<(&'static str, Vec<usize>)>) {
    let (public_ips, ip_lines) = list(f, "public_ips");
    let (domains, domain_lines) = list(f, "domains");
    let fields = InitialReportFields {
        reporter: contact(f, "reporter"),
        operator: contact(f, "operator"),
        owner: contact(f, "owner"),
        security_provider: opt(value(f, "security_provider")),
        connectivity_provider: opt(value(f, "connectivity_provider")),
        system_purpose: opt(value(f, "system_purpose")),
        status_checklist: values(f, "status_checklist"),
        detection_methods: values(f, "detection_methods"),
        notified: values(f, "notified"),
        os: opt(value(f, "os")),
        services: list(f, "services").0,
        security_measures: list(f, "security_measures").0,
        public_ips,
        domains,
        confidential: !value(f, "confidential").is_empty(),
        support_requested: opt(value(f, "support_requested")),
        actions_taken: opt(value(f, "actions_taken")),
        assisting_orgs: list(f, "assisting_orgs").0,
        initial_result: opt(value(f, "initial_result")),
    };
    let update = ReportUpdate {
        title: Some(value(f, "title").to_owned()),
        summary: Some(value(f, "summary").to_owned()),
        system_id: opt(value(f, "system_id")),
        fields,
    };
    (
        update,
        vec![("public_ips", ip_lines), ("domains", domain_lines)],
    )
}

/// The use-case names fields as the API does (`fields.public_ips[2]`); the form shows each message
/// by its input's name, and for a list says which line.
fn by_input(tr: &Tr, e: &AppError, line_numbers: &[(&'static str, Vec<usize>)]) -> FormErrors {
    let mut errors = FormErrors::from_error(tr, e);
    errors.fields = errors
        .fields
        .into_iter()
        .map(|(field, message)| {
            let name = field.strip_prefix("fields.").unwrap_or(&field);
            let Some((base, rest)) = name.split_once('[') else {
                return (name.to_owned(), message);
            };
            let index = rest.trim_end_matches(']').parse::<usize>().ok();
            let line = line_numbers
                .iter()
                .find(|(n, _)| *n == base)
                .and_then(|(_, lines)| index.and_then(|i| lines.get(i)));
            match line {
                Some(line) => (
                    base.to_owned(),
                    tr.t_args(
                        "report-line-error",
                        &[("line", line.to_string()), ("message", message)],
                    ),
                ),
                None => (base.to_owned(), message),
            }
        })
        .collect();
    errors
}

async fn form_page(
    a: &Authed,
    s: &AppState,
    i: IncidentView,
    f: Pairs,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let tr = a.ctx.tr;
    let systems = super::system_options(a, &s.app).await;
    let checklist = |name: &'static str, prefix: &str, keys: &[&str]| Checklist {
        name,
        legend: tr.t(&format!("report-{}", name.replace('_', "-"))),
        options: keys
            .iter()
            .map(|k| {
                (
                    (*k).to_owned(),
                    tr.t(&format!("report-{prefix}-{}", k.replace('_', "-"))),
                )
            })
            .collect(),
    };
    let checklists = vec![
        checklist("status_checklist", "status", &STATUS_OPTIONS),
        checklist("detection_methods", "detection", &DETECTION_OPTIONS),
        checklist("notified", "notified", &NOTIFIED_OPTIONS),
    ];
    render_status(
        status,
        &ReportPage {
            l: Layout::new(&a.ctx),
            i,
            f,
            systems,
            checklists,
            contacts: CONTACTS,
            parts: CONTACT_PARTS,
            errors,
        },
    )
}

/// Only whoever may manage the incident gets the form; to the rest of the audience it is refused
/// as the use-case would refuse the save.
async fn manageable(a: &Authed, s: &AppState, id: &IncidentId) -> Result<IncidentView, AppError> {
    let i = incidents::get(&s.app, &a.actor, id).await?;
    if i.may.manage {
        Ok(i)
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn show(a: Authed, State(s): State<AppState>, Path(id): Path<IncidentId>) -> Response {
    match manageable(&a, &s, &id).await {
        Ok(i) => {
            let f = pairs_of(&i);
            form_page(&a, &s, i, f, FormErrors::default(), StatusCode::OK).await
        }
        Err(e) => failure_page(&a.ctx, &e),
    }
}

pub async fn save(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IncidentId>,
    Form(f): Form<Pairs>,
) -> Response {
    let (update, line_numbers) = update_of(&f);
    match report::update(&s.app, &a.actor, &id, update).await {
        Ok(_) => see_other(&format!("/incidents/{id}"), "saved"),
        Err(AppError::NotFound) => failure_page(&a.ctx, &AppError::NotFound),
        Err(e) => match incidents::get(&s.app, &a.actor, &id).await {
            Ok(i) => {
                let errors = by_input(&a.ctx.tr, &e, &line_numbers);
                form_page(&a, &s, i, f, errors, status_of(&e)).await
            }
            Err(e) => failure_page(&a.ctx, &e),
        },
    }
}
