//! Importing the directory from CSV or XLSX: organisations, people and information systems. Every
//! problem is reported by row (as a spreadsheet shows it: the header is row 1), column and reason,
//! and nothing is stored while any remains; a clean file is stored in one transaction. Rows are
//! checked by the same validation as the single-record use-cases.
//!
//! A column is recognised by its key (`family_name`) or by its header in either language (the
//! web layer passes the locales' headers as `ColumnNames`), so that an exported file imports
//! unchanged.

pub mod orgs;
pub mod people;
pub mod provinces;
pub mod systems;

use std::collections::HashMap;

use chrono::NaiveDate;
use irnet_domain::text;
use irnet_store::DbConn;
use irnet_store::directory::orgs as org_store;

use crate::sheet::read::{self, as_text};
use crate::sheet::{Cell, Sheet, SheetRow};
use crate::{Actor, App, AppError};

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 20_000;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RowProblem {
    /// 1 is the header row
    pub row: usize,
    /// the column's key (e.g. `phones`), or the header as written for an unknown column
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

/// An uploaded file: its bytes and the content type it came with (the bytes decide when they
/// carry a signature).
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
}

impl Upload {
    pub fn csv(text: &str) -> Self {
        Upload {
            bytes: text.as_bytes().to_vec(),
            content_type: Some("text/csv".into()),
        }
    }
}

/// Headers a file may use for each column key, beyond the key itself: folded header → key.
#[derive(Debug, Clone, Default)]
pub struct ColumnNames(pub HashMap<String, String>);

impl ColumnNames {
    pub fn add(&mut self, header: &str, key: &str) {
        self.0.insert(text::fold(header), key.to_owned());
    }
}

/// The columns of one kind of import.
pub struct Spec {
    pub columns: &'static [&'static str],
    pub required: &'static [&'static str],
}

pub(crate) fn problem(row: usize, column: &str, code: &str) -> RowProblem {
    RowProblem {
        row,
        column: column.to_owned(),
        code: code.to_owned(),
    }
}

/// A checked file: the rows ready to store (all of them only when no problem remains), every
/// problem, and how many rows the file has.
pub(crate) type Checked<T> = (Vec<T>, Vec<RowProblem>, usize);

/// Where each known column is in the file.
pub(crate) struct Columns(HashMap<&'static str, usize>);

/// Reads the file and maps its header; `None` (with the problems said) when no row can be read.
pub(crate) fn open(
    upload: &Upload,
    spec: &Spec,
    names: &ColumnNames,
    problems: &mut Vec<RowProblem>,
) -> Option<(Sheet, Columns)> {
    let sheet = match read::read(&upload.bytes, upload.content_type.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            problems.push(problem(1, "file", e.code()));
            return None;
        }
    };
    let mut found: HashMap<&'static str, usize> = HashMap::new();
    for (i, h) in sheet.header.iter().enumerate() {
        let h = h.trim();
        if h.is_empty() {
            continue;
        }
        let folded = text::fold(h);
        let key = spec
            .columns
            .iter()
            .find(|k| **k == folded || names.0.get(&folded).is_some_and(|n| n == *k));
        match key {
            Some(k) if found.contains_key(k) => {
                problems.push(problem(sheet.header_row, k, "duplicate_column"));
            }
            Some(k) => {
                found.insert(k, i);
            }
            None => problems.push(problem(sheet.header_row, h, "unknown_column")),
        }
    }
    let mut complete = true;
    for k in spec.required {
        if !found.contains_key(k) {
            problems.push(problem(sheet.header_row, k, "missing_column"));
            complete = false;
        }
    }
    if sheet.rows.len() > MAX_ROWS {
        problems.push(problem(sheet.header_row, "file", "too_many_rows"));
        return None;
    }
    complete.then_some((sheet, Columns(found)))
}

/// One data row, read column by column; problems are collected, not returned one at a time.
pub(crate) struct Row<'a> {
    pub number: usize,
    cells: &'a [Cell],
    columns: &'a Columns,
    pub problems: Vec<RowProblem>,
}

impl<'a> Row<'a> {
    pub(crate) fn new(r: &'a SheetRow, columns: &'a Columns) -> Self {
        let mut problems = vec![];
        // A CSV record that could not be parsed comes as one NUL cell.
        if r.cells == [Cell::Text("\u{0}".into())] {
            problems.push(problem(r.number, "row", "csv_unreadable"));
        } else {
            // PostgreSQL cannot store a NUL (SQLite can): it is this cell's problem on both.
            let mut with_nul: Vec<&str> = columns
                .0
                .iter()
                .filter(
                    |(_, i)| matches!(r.cells.get(**i), Some(Cell::Text(t)) if t.contains('\0')),
                )
                .map(|(k, _)| *k)
                .collect();
            with_nul.sort_unstable();
            for column in with_nul {
                problems.push(problem(r.number, column, "nul_character"));
            }
        }
        Row {
            number: r.number,
            cells: &r.cells,
            columns,
            problems,
        }
    }

    fn cell(&self, key: &str) -> &Cell {
        self.columns
            .0
            .get(key)
            .and_then(|i| self.cells.get(*i))
            .unwrap_or(&Cell::Empty)
    }

    pub(crate) fn add(&mut self, column: &str, code: &str) {
        self.problems.push(problem(self.number, column, code));
    }

    /// The cell as trimmed NFC text, absent when empty.
    pub(crate) fn text(&self, key: &str) -> Option<String> {
        // A NUL was named a problem of its cell (`new`): the row is not stored, and lookups made
        // while checking it must not carry the NUL to the database either.
        Some(text::nfc(&as_text(self.cell(key)).replace('\0', ""))).filter(|t| !t.is_empty())
    }

    /// A list in one cell, separated by `;` (or line breaks).
    pub(crate) fn list(&self, key: &str) -> Vec<String> {
        self.text(key)
            .map(|t| {
                t.split([';', '\n'])
                    .map(|p| p.trim().to_owned())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(crate) fn int(&mut self, key: &str) -> Option<i64> {
        let value = match self.cell(key) {
            Cell::Int(i) => Some(*i),
            #[allow(clippy::cast_possible_truncation)] // only integral values are taken
            Cell::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(*f as i64),
            Cell::Empty => return None,
            other => as_text(other).parse().ok(),
        };
        if value.is_none() && self.text(key).is_some() {
            self.add(key, "invalid_number");
        }
        value
    }

    /// Yes/no: a boolean cell, or true/false, yes/no, có/không, 1/0, x; empty is no.
    pub(crate) fn flag(&mut self, key: &str) -> bool {
        match self.cell(key) {
            Cell::Bool(b) => *b,
            Cell::Empty => false,
            other => match text::fold(&as_text(other)).as_str() {
                "" | "false" | "no" | "khong" | "0" | "sai" => false,
                "true" | "yes" | "co" | "1" | "x" | "dung" => true,
                _ => {
                    self.add(key, "invalid_flag");
                    false
                }
            },
        }
    }

    /// A date cell, or text as dd/mm/yyyy or yyyy-mm-dd.
    pub(crate) fn date(&mut self, key: &str) -> Option<NaiveDate> {
        match self.cell(key) {
            Cell::Date(d) => Some(*d),
            Cell::Empty => None,
            other => {
                let t = as_text(other);
                let d = NaiveDate::parse_from_str(&t, "%d/%m/%Y")
                    .or_else(|_| NaiveDate::parse_from_str(&t, "%Y-%m-%d"))
                    .ok();
                if d.is_none() && !t.is_empty() {
                    self.add(key, "invalid_date");
                }
                d
            }
        }
    }

    /// A use-case's validation failure, attributed to this row's columns (`phones[1]` → `phones`).
    pub(crate) fn absorb(
        &mut self,
        e: AppError,
        column_of: impl Fn(&str) -> &str,
    ) -> Result<(), AppError> {
        match e {
            AppError::Validation(fields) => {
                for f in fields {
                    let field = f.field.split('[').next().unwrap_or(&f.field).to_owned();
                    self.add(column_of(&field), &f.code);
                }
                Ok(())
            }
            AppError::Internal(_) => Err(e),
            other => {
                self.add("row", other.code());
                Ok(())
            }
        }
    }
}

/// Finds organisations named in a file by member code or id, once per distinct value.
#[derive(Default)]
pub(crate) struct OrgLookup {
    by_code: Option<HashMap<String, String>>,
    found: HashMap<String, Option<String>>,
}

impl OrgLookup {
    pub(crate) fn find(
        &mut self,
        conn: &mut DbConn,
        value: &str,
    ) -> Result<Option<String>, AppError> {
        if let Some(hit) = self.found.get(value) {
            return Ok(hit.clone());
        }
        if self.by_code.is_none() {
            let codes = org_store::member_codes(conn)?.into_iter().collect();
            self.by_code = Some(codes);
        }
        let mut hit = self.by_code.as_ref().and_then(|c| c.get(value)).cloned();
        if hit.is_none() {
            hit = org_store::get(conn, value)?.map(|o| o.id);
        }
        self.found.insert(value.to_owned(), hit.clone());
        Ok(hit)
    }
}

/// The organisations a file's rows are for, each checked once: does it exist, and may the actor
/// edit its directory (`check` is the use-case's own access check)?
pub(crate) struct EditableOrgs {
    pub lookup: OrgLookup,
    allowed: HashMap<String, bool>,
    check: fn(&mut DbConn, &App, &Actor, &str) -> Result<(), AppError>,
}

impl EditableOrgs {
    pub(crate) fn new(check: fn(&mut DbConn, &App, &Actor, &str) -> Result<(), AppError>) -> Self {
        EditableOrgs {
            lookup: OrgLookup::default(),
            allowed: HashMap::new(),
            check,
        }
    }

    /// The organisation the row's `column` names, if the actor may edit it; otherwise the row's
    /// problem (an unknown organisation, or one not the actor's to edit), never a silent skip.
    pub(crate) fn find(
        &mut self,
        conn: &mut DbConn,
        app: &App,
        actor: &Actor,
        row: &mut Row<'_>,
        column: &str,
    ) -> Result<Option<String>, AppError> {
        let Some(value) = row.text(column) else {
            row.add(column, "required");
            return Ok(None);
        };
        let Some(org_id) = self.lookup.find(conn, &value)? else {
            row.add(column, "unknown_org");
            return Ok(None);
        };
        let ok = match self.allowed.get(&org_id) {
            Some(ok) => *ok,
            None => {
                let ok = match (self.check)(conn, app, actor, &org_id) {
                    Ok(()) => true,
                    Err(AppError::Internal(e)) => return Err(AppError::Internal(e)),
                    Err(_) => false,
                };
                self.allowed.insert(org_id.clone(), ok);
                ok
            }
        };
        if ok {
            Ok(Some(org_id))
        } else {
            row.add(column, "org_not_editable");
            Ok(None)
        }
    }
}

/// What every import returns once the rows are checked.
pub(crate) fn report(
    dry_run: bool,
    rows: usize,
    imported: usize,
    mut problems: Vec<RowProblem>,
) -> ImportReport {
    problems.sort_by_key(|p| p.row);
    ImportReport {
        dry_run,
        rows,
        imported,
        problems,
    }
}
