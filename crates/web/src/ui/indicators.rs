//! Indicator pages: the list (type, TLP, source and words; cursor paging), one indicator (its
//! links to alerts and incidents the reader may see, sightings, revocation), bulk lookup (pasted
//! or uploaded), and the import of STIX bundles and MISP events. Every handler calls the same
//! use-cases as the API, so the pages see exactly what the read rule admits.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use irnet_app::AppError;
use irnet_app::sharing::lookup::{self, LookupResult};
use irnet_app::sharing::misp::{self, MispImportSummary};
use irnet_app::sharing::stix::{self, ImportSummary};
use irnet_app::sharing::{self, IndicatorView, ListQuery, SightingInput};
use irnet_domain::ids::{AlertId, IncidentId, IndicatorId};
use serde::Deserialize;

use super::admin::Pager;
use super::{FormErrors, Layout, NoticeParam, failure_page, opt, render, render_status, see_other};
use crate::AppState;
use crate::extract::{Authed, Form, Path, Query};

const KINDS: [&str; 8] = [
    "ip", "cidr", "domain", "url", "md5", "sha1", "sha256", "email",
];
const LEVELS: [&str; 5] = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"];

/// The list's filters, as the query string carries them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    tlp: String,
    /// a source organisation's id (the reader's own from the page's choice)
    #[serde(default)]
    org: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    cursor: String,
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct ListPage {
    l: Layout,
    f: Filters,
    own_org: String,
    items: Vec<IndicatorView>,
    pager: Pager,
    kinds: [&'static str; 8],
    levels: [&'static str; 5],
}

impl ListPage {
    fn values(&self, i: &IndicatorView) -> String {
        values(i)
    }
}

fn values(i: &IndicatorView) -> String {
    if i.observables.is_empty() {
        return i.pattern.clone();
    }
    i.observables
        .iter()
        .map(|o| format!("{} {}", o.kind, o.value))
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn list(a: Authed, State(s): State<AppState>, Query(f): Query<Filters>) -> Response {
    let query = ListQuery {
        kind: opt(&f.kind),
        tlp: opt(&f.tlp),
        org: opt(&f.org),
        q: opt(&f.q),
        cursor: opt(&f.cursor),
        limit: Some(50),
        ..ListQuery::default()
    };
    match sharing::list(&s.app, &a.actor, query).await {
        Ok(page) => {
            let filters = [
                ("kind", f.kind.as_str()),
                ("tlp", f.tlp.as_str()),
                ("org", f.org.as_str()),
                ("q", f.q.as_str()),
            ];
            let pager = Pager::new(
                "/indicators",
                &filters,
                Some(f.cursor.as_str()),
                page.next_cursor.as_deref(),
            );
            render(&ListPage {
                l: Layout::new(&a.ctx),
                own_org: a.actor.principal.org_id.as_str().to_owned(),
                f,
                items: page.items,
                pager,
                kinds: KINDS,
                levels: LEVELS,
            })
        }
        Err(e) => failure_page(&a.ctx, &e),
    }
}

#[derive(Template)]
#[template(path = "indicator.html")]
struct ShowPage {
    l: Layout,
    i: IndicatorView,
    /// the linked alert's title, when the reader may read it
    alert: Option<String>,
    /// the linked incident's number or title, when the reader may read it
    incident: Option<String>,
    errors: FormErrors,
}

impl ShowPage {
    fn values(&self) -> String {
        values(&self.i)
    }

    fn when(&self, at: &str) -> String {
        when(&self.l, at)
    }

    fn sighting_kind(&self, kind: &str) -> String {
        self.l.tr.t(&format!("sighting-{}", kind.replace('_', "-")))
    }
}

fn when(l: &Layout, at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| l.tr.datetime(&t.with_timezone(&chrono::Utc)))
        .unwrap_or_else(|_| "—".to_owned())
}

async fn show_page(
    a: &Authed,
    s: &AppState,
    id: &IndicatorId,
    errors: FormErrors,
    notice: Option<&str>,
) -> Response {
    let i = match sharing::get(&s.app, &a.actor, id).await {
        Ok(v) => v,
        Err(e) => return failure_page(&a.ctx, &e),
    };
    // A link is shown only to those who may follow it.
    let alert = match &i.alert_id {
        // the indicator's stored link, not user input
        Some(x) => irnet_app::alerts::get(&s.app, &a.actor, &AlertId::from_trusted(x.clone()))
            .await
            .ok()
            .map(|v| v.title),
        None => None,
    };
    let incident = match &i.incident_id {
        // the indicator's stored link, not user input
        Some(x) => {
            irnet_app::incidents::get(&s.app, &a.actor, &IncidentId::from_trusted(x.clone()))
                .await
                .ok()
                .map(|v| v.number.unwrap_or(v.title))
        }
        None => None,
    };
    render_status(
        errors.status(),
        &ShowPage {
            l: Layout::new(&a.ctx).with_notice(notice),
            i,
            alert,
            incident,
            errors,
        },
    )
}

pub async fn show(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IndicatorId>,
    Query(q): Query<NoticeParam>,
) -> Response {
    show_page(&a, &s, &id, FormErrors::default(), q.notice.as_deref()).await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SightingForm {
    #[serde(default)]
    kind: String,
    /// a checkbox: present when ticked
    anonymous: Option<String>,
    #[serde(default)]
    note: String,
}

pub async fn sight(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<IndicatorId>,
    Form(f): Form<SightingForm>,
) -> Response {
    let input = SightingInput {
        kind: f.kind,
        anonymous: f.anonymous.is_some(),
        note: opt(&f.note),
    };
    match sharing::sight(&s.app, &a.actor, &id, input).await {
        Ok(_) => see_other(&format!("/indicators/{id}"), "indicator-sighted"),
        Err(e @ AppError::Validation(_)) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            show_page(&a, &s, &id, errors, None).await
        }
        Err(e) => failure_page(&a.ctx, &e),
    }
}

pub async fn revoke(a: Authed, State(s): State<AppState>, Path(id): Path<IndicatorId>) -> Response {
    match sharing::revoke(&s.app, &a.actor, &id).await {
        Ok(_) => see_other(&format!("/indicators/{id}"), "indicator-revoked"),
        Err(e @ AppError::Conflict { .. }) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            show_page(&a, &s, &id, errors, None).await
        }
        Err(e) => failure_page(&a.ctx, &e),
    }
}

/// A page form with a file: its text fields and the file's bytes (empty when none was chosen).
async fn read_upload(mut form: Multipart) -> Result<(Vec<(String, String)>, Vec<u8>), AppError> {
    let bad = |_| AppError::invalid("file", "upload_unreadable");
    let (mut fields, mut file) = (Vec::new(), Vec::new());
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            file = field.bytes().await.map_err(bad)?.to_vec();
        } else {
            let text = field.text().await.map_err(bad)?;
            crate::text::field(&name, &text)?;
            fields.push((name, text));
        }
    }
    Ok((fields, file))
}

/// The uploaded file if one was chosen, else the named text field; UTF-8 either way.
fn text_of(fields: &[(String, String)], file: Vec<u8>, field: &str) -> Result<String, AppError> {
    let text = if file.is_empty() {
        super::value(fields, field).to_owned()
    } else {
        let text =
            String::from_utf8(file).map_err(|_| AppError::invalid("file", "invalid_text_body"))?;
        crate::text::field("file", &text)?;
        text
    };
    if text.trim().is_empty() {
        return Err(AppError::invalid("file", "required"));
    }
    Ok(text)
}

#[derive(Template)]
#[template(path = "indicator_lookup.html")]
struct LookupPage {
    l: Layout,
    values: String,
    result: Option<LookupResult>,
    errors: FormErrors,
    /// the unreadable lines, with their message
    invalid: Vec<(String, String)>,
}

pub async fn lookup_page(a: Authed) -> Response {
    render(&LookupPage {
        l: Layout::new(&a.ctx),
        values: String::new(),
        result: None,
        errors: FormErrors::default(),
        invalid: vec![],
    })
}

pub async fn lookup(a: Authed, State(s): State<AppState>, form: Multipart) -> Response {
    let mut page = LookupPage {
        l: Layout::new(&a.ctx),
        values: String::new(),
        result: None,
        errors: FormErrors::default(),
        invalid: vec![],
    };
    let outcome = match read_upload(form).await {
        Ok((fields, file)) => {
            page.values = super::value(&fields, "values").to_owned();
            match text_of(&fields, file, "values") {
                Ok(text) => lookup::lookup(&s.app, &a.actor, lookup::from_text(&text)).await,
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(r) => {
            page.invalid = r
                .invalid
                .iter()
                .map(|f| (f.field.clone(), crate::error::field_message(&a.ctx.tr, f)))
                .collect();
            page.result = Some(r);
            render(&page)
        }
        Err(e) => {
            page.errors = FormErrors::from_error(&a.ctx.tr, &e);
            render_status(crate::error::status_of(&e), &page)
        }
    }
}

#[derive(Template)]
#[template(path = "indicator_import.html")]
struct ImportPage {
    l: Layout,
    format: String,
    stix: Option<ImportSummary>,
    misp: Option<MispImportSummary>,
    errors: FormErrors,
}

fn import_page(a: &Authed, format: &str) -> ImportPage {
    ImportPage {
        l: Layout::new(&a.ctx),
        format: format.to_owned(),
        stix: None,
        misp: None,
        errors: FormErrors::default(),
    }
}

pub async fn import_form(a: Authed) -> Response {
    render(&import_page(&a, "stix"))
}

pub async fn import(a: Authed, State(s): State<AppState>, form: Multipart) -> Response {
    let (fields, file) = match read_upload(form).await {
        Ok(x) => x,
        Err(e) => {
            let mut p = import_page(&a, "stix");
            p.errors = FormErrors::from_error(&a.ctx.tr, &e);
            return render_status(crate::error::status_of(&e), &p);
        }
    };
    let format = super::value(&fields, "format");
    let mut p = import_page(&a, if format == "misp" { "misp" } else { "stix" });
    // A NUL in the file is named where it is in the document (`objects[<id>].<property>`), as
    // the API names it, rather than as "the file".
    let text = crate::text::exchange(&file).and_then(|()| text_of(&fields, file, "content"));
    let outcome = match text {
        Ok(text) if format == "misp" => misp::import(&s.app, &a.actor, text)
            .await
            .map(|m| p.misp = Some(m)),
        Ok(text) => stix::import(&s.app, &a.actor, text)
            .await
            .map(|m| p.stix = Some(m)),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => render(&p),
        Err(e) => {
            p.errors = FormErrors::from_error(&a.ctx.tr, &e);
            render_status(crate::error::status_of(&e), &p)
        }
    }
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/indicators", axum::routing::get(list))
        .route(
            "/indicators/lookup",
            axum::routing::get(lookup_page).post(lookup),
        )
        .route(
            "/indicators/import",
            axum::routing::get(import_form).post(import),
        )
        .route("/indicators/{id}", axum::routing::get(show))
        .route("/indicators/{id}/sightings", axum::routing::post(sight))
        .route("/indicators/{id}/revoke", axum::routing::post(revoke))
}
