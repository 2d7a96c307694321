//! The directory's import and export page: a file upload (CSV or XLSX) with a dry-run box that
//! shows every problem by row and column, and the XLSX exports. Works without JavaScript.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use irnet_app::AppError;
use irnet_app::directory::import::Upload;

use super::{FormErrors, Layout, render_status};
use crate::AppState;
use crate::extract::Authed;
use crate::sheets::{self, ImportResult, Kind};

#[derive(Template)]
#[template(path = "directory_files.html")]
struct FilesPage {
    l: Layout,
    may_import: bool,
    may_import_orgs: bool,
    kind: String,
    dry_run: bool,
    result: Option<ImportResult>,
    errors: FormErrors,
}

impl FilesPage {
    /// One sentence on the outcome: checked, imported, or how many problems in how many rows.
    fn summary(&self, r: &ImportResult) -> String {
        let tr = &self.l.tr;
        let rows = ("rows", r.rows.to_string());
        if !r.problems.is_empty() {
            tr.t_args(
                "files-problems",
                &[("count", r.problems.len().to_string()), rows],
            )
        } else if r.dry_run {
            tr.t_args("files-dry-run-clean", &[rows])
        } else {
            tr.t_args("files-imported", &[("rows", r.imported.to_string())])
        }
    }
}

/// Importing needs an organisation to edit: org admins, the coordinator, administrators.
fn may_import(a: &Authed) -> (bool, bool) {
    let p = &a.auth.principal;
    (p.may_import_directory_files(), p.may_create_org())
}

fn page(a: &Authed, kind: &str, dry_run: bool) -> FilesPage {
    let (may_import, may_import_orgs) = may_import(a);
    FilesPage {
        l: Layout::new(&a.ctx),
        may_import,
        may_import_orgs,
        kind: kind.to_owned(),
        dry_run,
        result: None,
        errors: FormErrors::default(),
    }
}

pub async fn show(a: Authed) -> Response {
    render_status(StatusCode::OK, &page(&a, "people", true))
}

/// What the form sent: the kind, the dry-run box and the file.
async fn read_form(mut form: Multipart) -> Result<(String, bool, Upload), AppError> {
    let (mut kind, mut dry_run, mut upload) = (String::new(), false, None);
    let bad = |_| AppError::invalid("file", "upload_unreadable");
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name() {
            Some("kind") => {
                kind = field.text().await.map_err(bad)?;
                crate::text::field("kind", &kind)?;
            }
            Some("dry_run") => dry_run = true,
            Some("file") => {
                let content_type = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(bad)?.to_vec();
                upload = Some(Upload {
                    bytes,
                    content_type,
                });
            }
            _ => {}
        }
    }
    let upload = upload
        .filter(|u| !u.bytes.is_empty())
        .ok_or_else(|| AppError::invalid("file", "required"))?;
    Ok((kind, dry_run, upload))
}

pub async fn import(a: Authed, State(s): State<AppState>, form: Multipart) -> Response {
    let (kind_name, dry_run, upload) = match read_form(form).await {
        Ok(f) => f,
        Err(e) => {
            let mut p = page(&a, "people", true);
            p.errors = FormErrors::from_error(&a.ctx.tr, &e);
            return render_status(crate::error::status_of(&e), &p);
        }
    };
    let kind = match kind_name.as_str() {
        "organisations" => Kind::Organisations,
        "systems" => Kind::Systems,
        _ => Kind::People,
    };
    let mut p = page(&a, kind.as_str(), dry_run);
    match sheets::import(&s.app, &a.actor, &a.ctx.tr, kind, upload, dry_run).await {
        Ok(result) => {
            let status = if result.problems.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            p.result = Some(result);
            render_status(status, &p)
        }
        Err(e) => {
            p.errors = FormErrors::from_error(&a.ctx.tr, &e);
            render_status(crate::error::status_of(&e), &p)
        }
    }
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new().route("/directory/import", axum::routing::get(show).post(import))
}
