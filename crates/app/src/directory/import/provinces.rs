//! Loading provinces (coordinators and administrators), through the same machinery as the
//! directory's imports. Each row is one version of a province: `code` (statistics code),
//! `name_vi`, `name_en`, `province_kind` (province or city), `valid_from`, `valid_until` (its last
//! day, empty while it holds), and for a province absorbed by a merger `merged_into` (the
//! surviving code, which keeps its number) and `decision` (e.g. `202/2025/QH15`). The merger takes
//! effect the day after `valid_until`.
//!
//! A file describes the provinces it names completely: loading it replaces their versions and
//! mergers, so loading the same file twice changes nothing.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use irnet_domain::province::{self, ProvinceKind};
use irnet_domain::text;
use irnet_store::DbConn;
use irnet_store::directory::provinces::{self as store, ProvinceRow, SuccessionRow, VersionRow};

use super::{Checked, ColumnNames, ImportReport, Row, Spec, Upload, open, problem, report};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

pub const SPEC: Spec = Spec {
    columns: &[
        "code",
        "name_vi",
        "name_en",
        "province_kind",
        "valid_from",
        "valid_until",
        "merged_into",
        "decision",
    ],
    required: &["code", "name_vi", "province_kind", "valid_from"],
};

/// Our own list: the 63 provinces until 30/06/2025 and the 34 from 01/07/2025.
pub const BUNDLED: &str = include_str!("../../../../../data/provinces-vn.csv");

/// One checked row: a version of a province.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    number: usize,
    code: String,
    name_vi: String,
    name_en: Option<String>,
    kind: ProvinceKind,
    from: NaiveDate,
    /// the first day it no longer holds
    to: Option<NaiveDate>,
    merged_into: Option<String>,
    decision: Option<String>,
}

impl Line {
    fn holds_on(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|t| day < t)
    }
}

fn text_of(row: &mut Row<'_>, key: &str, max: usize) -> Option<String> {
    let v = row.text(key);
    if v.as_ref().is_some_and(|v| v.chars().count() > max) {
        row.add(key, "invalid_length");
    }
    v
}

fn check_row(row: &mut Row<'_>) -> Option<Line> {
    let code = match row.text("code") {
        None => {
            row.add("code", "required");
            None
        }
        Some(c) => province::parse_code(&c).or_else(|| {
            row.add("code", "invalid_province_code");
            None
        }),
    };
    let name_vi = text_of(row, "name_vi", 300);
    if name_vi.is_none() {
        row.add("name_vi", "required");
    }
    let name_en = text_of(row, "name_en", 300);
    let kind = match row.text("province_kind") {
        None => {
            row.add("province_kind", "required");
            None
        }
        Some(k) => ProvinceKind::parse(&k).or_else(|| {
            row.add("province_kind", "invalid_province_kind");
            None
        }),
    };
    let from = row.date("valid_from");
    if from.is_none() && row.text("valid_from").is_none() {
        row.add("valid_from", "required");
    }
    let until = row.date("valid_until");
    if let (Some(f), Some(u)) = (from, until)
        && u < f
    {
        row.add("valid_until", "invalid_period");
    }
    let merged_into = match row.text("merged_into") {
        None => None,
        Some(m) => province::parse_code(&m).or_else(|| {
            row.add("merged_into", "invalid_province_code");
            None
        }),
    };
    if merged_into.is_some() && until.is_none() {
        // A merger ends the province: its last day says when.
        row.add("valid_until", "required");
    }
    if merged_into.is_some() && merged_into == code {
        row.add("merged_into", "merged_into_self");
    }
    let decision = text_of(row, "decision", 300);
    if decision.is_some() && row.text("merged_into").is_none() {
        row.add("decision", "decision_without_merger");
    }
    if !row.problems.is_empty() {
        return None;
    }
    Some(Line {
        number: row.number,
        code: code?,
        name_vi: name_vi?,
        name_en,
        kind: kind?,
        from: from?,
        to: until.and_then(|u| u.checked_add_days(Days::new(1))),
        merged_into,
        decision,
    })
}

/// Checks every row, then what rows say of each other: one version at a time per code, and a
/// merger into a province that exists from its effective day.
fn check(
    conn: &mut DbConn,
    upload: &Upload,
    names: &ColumnNames,
) -> Result<Checked<Line>, AppError> {
    let mut problems = Vec::new();
    let Some((sheet, columns)) = open(upload, &SPEC, names, &mut problems) else {
        return Ok((vec![], problems, 0));
    };
    let mut lines = Vec::new();
    for r in &sheet.rows {
        let mut row = Row::new(r, &columns);
        if let Some(line) = check_row(&mut row) {
            lines.push(line);
        }
        problems.append(&mut row.problems);
    }
    let mut by_code: HashMap<&str, Vec<&Line>> = HashMap::new();
    for l in &lines {
        by_code.entry(l.code.as_str()).or_default().push(l);
    }
    for versions in by_code.values_mut() {
        versions.sort_by_key(|l| l.from);
        for pair in versions.windows(2) {
            if pair[0].to.is_none_or(|t| pair[1].from < t) {
                problems.push(problem(pair[1].number, "valid_from", "overlapping_period"));
            }
        }
    }
    let known: HashSet<String> = store::codes(conn)?.into_iter().collect();
    for l in &lines {
        let (Some(into), Some(effective)) = (&l.merged_into, l.to) else {
            continue;
        };
        let found = match by_code.get(into.as_str()) {
            Some(versions) => versions.iter().any(|v| v.holds_on(effective)),
            None => known.contains(into),
        };
        if !found {
            problems.push(problem(l.number, "merged_into", "unknown_province"));
        }
    }
    Ok((lines, problems, sheet.rows.len()))
}

/// Stores checked rows, replacing what was known of their provinces.
fn store_lines(conn: &mut DbConn, lines: &[Line]) -> Result<usize, AppError> {
    let mut latest: HashMap<&str, &Line> = HashMap::new();
    for l in lines {
        let newer = latest.get(l.code.as_str()).is_none_or(|p| p.from < l.from);
        if newer {
            latest.insert(&l.code, l);
        }
    }
    let mut provinces: Vec<ProvinceRow> = latest
        .values()
        .map(|l| ProvinceRow {
            code: l.code.clone(),
            name_vi: l.name_vi.clone(),
            name_en: l.name_en.clone(),
            kind: l.kind.as_str().to_owned(),
        })
        .collect();
    provinces.sort_by(|a, b| a.code.cmp(&b.code));
    let versions: Vec<VersionRow> = lines
        .iter()
        .map(|l| VersionRow {
            id: uuid::Uuid::now_v7().to_string(),
            province_code: l.code.clone(),
            valid_from: l.from,
            valid_to: l.to,
            name_vi: l.name_vi.clone(),
            name_en: l.name_en.clone(),
            name_folded: text::fold(&l.name_vi),
            kind: l.kind.as_str().to_owned(),
        })
        .collect();
    let successions: Vec<SuccessionRow> = lines
        .iter()
        .filter_map(|l| {
            Some(SuccessionRow {
                id: uuid::Uuid::now_v7().to_string(),
                predecessor_code: l.code.clone(),
                successor_code: l.merged_into.clone()?,
                effective: l.to?,
                decision: l.decision.clone(),
            })
        })
        .collect();
    store::replace(conn, &provinces, &versions, &successions)?;
    Ok(provinces.len())
}

/// Checks the file and, unless it is a dry run or any problem remains, stores it with its audit
/// entry, inside the caller's transaction (the demo loads the bundled file this way).
pub(crate) fn run(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    upload: &Upload,
    names: &ColumnNames,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    let (lines, problems, count) = check(conn, upload, names)?;
    if dry_run || !problems.is_empty() {
        return Ok(report(dry_run, count, 0, problems));
    }
    let provinces = store_lines(conn, &lines)?;
    audit::record(
        conn,
        app,
        actor,
        Change {
            action: "province.imported",
            object_type: "province",
            object_id: None,
            object_org_id: None,
            summary: serde_json::json!({ "rows": count, "provinces": provinces }),
        },
    )?;
    Ok(report(dry_run, count, count, problems))
}

/// Loads provinces from CSV or XLSX. With `dry_run`, or while any problem remains, nothing is
/// stored.
pub async fn import(
    app: &App,
    actor: &Actor,
    upload: Upload,
    names: ColumnNames,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    if !actor.principal.may_load_reference_data() {
        return Err(AppError::Forbidden);
    }
    let (app2, actor2) = (app.clone(), actor.clone());
    let go = move |conn: &mut DbConn| run(conn, &app2, &actor2, &upload, &names, dry_run);
    if dry_run {
        app.store.read(go).await
    } else {
        app.store.write(go).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::{Columns, RowProblem};
    use super::*;

    /// Runs the per-row check over a file and returns the problems.
    fn row_problems(file: &str) -> Vec<RowProblem> {
        let mut problems = Vec::new();
        let (sheet, columns): (_, Columns) = open(
            &Upload::csv(file),
            &SPEC,
            &ColumnNames::default(),
            &mut problems,
        )
        .unwrap();
        for r in &sheet.rows {
            let mut row = Row::new(r, &columns);
            check_row(&mut row);
            problems.append(&mut row.problems);
        }
        problems
    }

    #[test]
    fn the_bundled_file_reads_without_a_problem() {
        let problems = row_problems(BUNDLED);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn each_bad_cell_is_named() {
        let file = "code,name_vi,province_kind,valid_from,valid_until,merged_into,decision\n\
                    A1,Bắc Kạn,tỉnh,2008-08-01,2025-06-30,,\n\
                    06,,huyện,01/08/2008,2007-01-01,06,202/2025/QH15\n\
                    07,Bắc Kạn,tỉnh,2008-08-01,,,202/2025/QH15\n";
        assert_eq!(
            row_problems(file),
            vec![
                problem(2, "code", "invalid_province_code"),
                problem(3, "name_vi", "required"),
                problem(3, "province_kind", "invalid_province_kind"),
                problem(3, "valid_until", "invalid_period"),
                problem(3, "merged_into", "merged_into_self"),
                problem(4, "decision", "decision_without_merger"),
            ]
        );
    }
}
