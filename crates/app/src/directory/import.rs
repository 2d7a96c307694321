//! Importing organisations from CSV: every problem is reported (row, column, what is wrong) and
//! nothing is stored while any remains; a clean file is stored in one transaction.
//!
//! Columns (header row required, any order): `name_vi` (required), `name_en`, `short_name`, `kind`
//! (default `other`), `member_code`. Rows are numbered as a spreadsheet shows them: the header is
//! row 1, the first organisation row 2.

use std::collections::HashMap;

use irnet_domain::{OrgKind, text};
use irnet_store::directory::history;
use irnet_store::directory::orgs::{self, OrgRow};
use irnet_store::time::to_db;

use super::orgs::name_version;
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 20_000;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RowProblem {
    /// 1 is the header row
    pub row: usize,
    pub column: String,
    /// machine-readable reason (the message key suffix)
    pub code: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    pub rows: usize,
    /// rows stored (0 on a dry run or when any problem remains)
    pub imported: usize,
    pub problems: Vec<RowProblem>,
}

const COLUMNS: [&str; 5] = ["name_vi", "name_en", "short_name", "kind", "member_code"];

fn problem(row: usize, column: &str, code: &str) -> RowProblem {
    RowProblem {
        row,
        column: column.to_owned(),
        code: code.to_owned(),
    }
}

/// Reads and checks a file; returns the rows ready to store, or every problem found.
fn parse(
    csv_text: &str,
    existing_codes: &HashMap<String, String>,
) -> (Vec<OrgRow>, Vec<RowProblem>, usize) {
    let text_body = csv_text.strip_prefix('\u{feff}').unwrap_or(csv_text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text_body.as_bytes());
    let mut problems = Vec::new();
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(_) => return (vec![], vec![problem(1, "header", "csv_unreadable")], 0),
    };
    for h in &header {
        if !COLUMNS.contains(&h.as_str()) {
            problems.push(problem(1, h, "unknown_column"));
        }
    }
    let Some(name_col) = header.iter().position(|h| h == "name_vi") else {
        problems.push(problem(1, "name_vi", "missing_column"));
        return (vec![], problems, 0);
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let mut rows = Vec::new();
    let mut codes_in_file: HashMap<String, usize> = HashMap::new();
    let mut count = 0;
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        count += 1;
        if count > MAX_ROWS {
            problems.push(problem(row, "row", "too_many_rows"));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                problems.push(problem(row, "row", "csv_unreadable"));
                continue;
            }
        };
        let get = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(|v| text::nfc(v.trim()))
                .filter(|v| !v.is_empty())
        };
        let name_vi = get(Some(name_col));
        match &name_vi {
            None => problems.push(problem(row, "name_vi", "required")),
            Some(n) if n.chars().count() > 300 => {
                problems.push(problem(row, "name_vi", "invalid_length"))
            }
            _ => {}
        }
        let kind = match get(col("kind")) {
            None => Some(OrgKind::Other),
            Some(k) => match OrgKind::parse(&k) {
                Ok(k) => Some(k),
                Err(_) => {
                    problems.push(problem(row, "kind", "invalid_org_kind"));
                    None
                }
            },
        };
        let member_code = get(col("member_code"));
        if let Some(code) = &member_code {
            if existing_codes.contains_key(code) {
                problems.push(problem(row, "member_code", "member_code_taken"));
            } else if let Some(first) = codes_in_file.insert(code.clone(), row) {
                let _ = first;
                problems.push(problem(row, "member_code", "member_code_repeated"));
            }
        }
        if let (Some(name_vi), Some(kind)) = (name_vi, kind) {
            rows.push(OrgRow {
                id: String::new(),
                name_folded: text::fold(&name_vi),
                name_vi,
                name_en: get(col("name_en")),
                short_name: get(col("short_name")),
                kind: kind.as_str().to_owned(),
                created_at: chrono::NaiveDateTime::default(),
                updated_at: chrono::NaiveDateTime::default(),
                member_code,
            });
        }
    }
    (rows, problems, count)
}

/// Imports organisations (coordinators and administrators). With `dry_run`, or while any problem
/// remains, nothing is stored.
pub async fn organisations(
    app: &App,
    actor: &Actor,
    csv_text: String,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    if !actor.principal.may_create_org() {
        return Err(AppError::Forbidden);
    }
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            let existing: HashMap<String, String> = orgs::member_codes(conn)?.into_iter().collect();
            let (rows, problems, count) = parse(&csv_text, &existing);
            if dry_run || !problems.is_empty() {
                return Ok(ImportReport {
                    dry_run,
                    rows: count,
                    imported: 0,
                    problems,
                });
            }
            let now = to_db(app2.now());
            let today = app2.today();
            for mut row in rows {
                row.id = uuid::Uuid::now_v7().to_string();
                row.created_at = now;
                row.updated_at = now;
                orgs::insert(conn, &row)?;
                history::insert_name(conn, &name_version(&row, today, "founding"))?;
            }
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "org.imported",
                    object_type: "organisation",
                    object_id: None,
                    object_org_id: None,
                    summary: serde_json::json!({ "rows": count }),
                },
            )?;
            Ok(ImportReport {
                dry_run,
                rows: count,
                imported: count,
                problems,
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_named_by_row_and_column() {
        let file = "\u{feff}name_vi,kind,member_code,colour\nSở A,provincial_department,A01,x\n,other,A02,x\nSở C,ministry,A01,x\n";
        let (rows, problems, count) = parse(file, &HashMap::new());
        assert_eq!(count, 3);
        assert_eq!(rows.len(), 1, "only row 2 is clean");
        assert_eq!(
            problems,
            vec![
                problem(1, "colour", "unknown_column"),
                problem(3, "name_vi", "required"),
                problem(4, "kind", "invalid_org_kind"),
                problem(4, "member_code", "member_code_repeated"),
            ]
        );
    }

    #[test]
    fn a_file_without_the_name_column_is_refused_at_the_header() {
        let (_, problems, _) = parse("name,kind\nX,other\n", &HashMap::new());
        assert!(problems.contains(&problem(1, "name_vi", "missing_column")));
    }
}
