//! Directory files for both faces (API and pages): which columns each import reads and how they
//! are headed in each language, the import report in the reader's language, and XLSX downloads.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use irnet_app::directory::export;
use irnet_app::directory::import::{self, ColumnNames, ImportReport, Spec, Upload};
use irnet_app::sheet::write;
use irnet_app::{Actor, App, AppError};
use irnet_domain::Locale;
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::Tr;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Organisations,
    People,
    Systems,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Organisations, Kind::People, Kind::Systems];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Organisations => "organisations",
            Kind::People => "people",
            Kind::Systems => "systems",
        }
    }

    pub fn spec(self) -> &'static Spec {
        match self {
            Kind::Organisations => &import::orgs::SPEC,
            Kind::People => &import::people::SPEC,
            Kind::Systems => &import::systems::SPEC,
        }
    }
}

/// A column's header in the reader's language.
pub fn column_label(tr: &Tr, key: &str) -> String {
    tr.t(&format!("column-{}", key.replace('_', "-")))
}

/// Every header either language gives a column: a file exported in English imports for a
/// Vietnamese reader and the other way round.
pub fn column_names(tr: &Tr, kind: Kind) -> ColumnNames {
    spec_column_names(tr, kind.spec())
}

/// `column_names` for any import's columns (provinces are reference data, not a directory kind).
pub fn spec_column_names(tr: &Tr, spec: &Spec) -> ColumnNames {
    let mut names = ColumnNames::default();
    for locale in Locale::ALL {
        let tr = Tr::new(locale, tr.offset);
        for key in spec.columns {
            names.add(&column_label(&tr, key), key);
        }
    }
    names
}

/// One problem of an import, in the reader's language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportProblem {
    /// the row as a spreadsheet shows it (the header is row 1)
    pub row: usize,
    /// the column's key, or the header as written for an unknown column
    pub column: String,
    /// the column's header in the reader's language
    pub header: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportResult {
    pub dry_run: bool,
    pub rows: usize,
    /// rows stored (0 on a dry run or while any problem remains)
    pub imported: usize,
    pub problems: Vec<ImportProblem>,
}

pub fn localise(tr: &Tr, kind: Kind, r: ImportReport) -> ImportResult {
    localise_spec(tr, kind.spec(), r)
}

/// `localise` for any import's columns.
pub fn localise_spec(tr: &Tr, spec: &Spec, r: ImportReport) -> ImportResult {
    let problems = r
        .problems
        .into_iter()
        .map(|p| {
            let known = spec.columns.contains(&p.column.as_str());
            ImportProblem {
                header: if known {
                    column_label(tr, &p.column)
                } else if p.column == "row" || p.column == "file" {
                    tr.t(&format!("import-{}", p.column))
                } else {
                    p.column.clone()
                },
                message: tr.t(&format!("error-{}", p.code.replace('_', "-"))),
                row: p.row,
                column: p.column,
                code: p.code,
            }
        })
        .collect();
    ImportResult {
        dry_run: r.dry_run,
        rows: r.rows,
        imported: r.imported,
        problems,
    }
}

pub async fn import(
    app: &App,
    actor: &Actor,
    tr: &Tr,
    kind: Kind,
    upload: Upload,
    dry_run: bool,
) -> Result<ImportResult, AppError> {
    let names = column_names(tr, kind);
    let report = match kind {
        Kind::Organisations => import::orgs::import(app, actor, upload, names, dry_run).await?,
        Kind::People => import::people::import(app, actor, upload, names, dry_run).await?,
        Kind::Systems => import::systems::import(app, actor, upload, names, dry_run).await?,
    };
    Ok(localise(tr, kind, report))
}

/// The export as an XLSX download, headed in the reader's language.
pub async fn export(app: &App, actor: &Actor, tr: &Tr, kind: Kind) -> Result<Response, AppError> {
    let table = match kind {
        Kind::Organisations => export::organisations(app, actor).await?,
        Kind::People => export::people(app, actor).await?,
        Kind::Systems => export::systems(app, actor).await?,
    };
    let sheet = tr.t(&format!("sheet-{}", kind.as_str()));
    let bytes = workbook(table, sheet, tr).await?;
    Ok(download(bytes, kind.as_str(), app.today()))
}

/// An export table as a workbook headed in the reader's language (`column-<key>`).
pub async fn workbook(
    table: irnet_app::sheet::Table,
    sheet: String,
    tr: &Tr,
) -> Result<Vec<u8>, AppError> {
    let tr2 = *tr;
    tokio::task::spawn_blocking(move || write::xlsx(&table, &sheet, |k| column_label(&tr2, k)))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

/// A workbook as a download named `irnet-<what>-<day>.xlsx`.
pub fn download(bytes: Vec<u8>, what: &str, day: chrono::NaiveDate) -> Response {
    let name = format!(
        "attachment; filename=\"irnet-{what}-{}.xlsx\"",
        day.format("%Y-%m-%d")
    );
    let mut r = bytes.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(XLSX));
    if let Ok(v) = HeaderValue::from_str(&name) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_column_has_a_header_in_both_languages() {
        let offset = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
        for locale in Locale::ALL {
            let tr = Tr::new(locale, offset);
            for key in import::provinces::SPEC.columns {
                assert!(!column_label(&tr, key).starts_with("column-"), "{key}");
            }
            for kind in Kind::ALL {
                for key in kind.spec().columns {
                    let label = column_label(&tr, key);
                    assert!(!label.starts_with("column-"), "{locale:?} {key}");
                }
                assert!(
                    !tr.t(&format!("sheet-{}", kind.as_str()))
                        .starts_with("sheet-")
                );
            }
        }
    }
}
