//! Importing organisations (coordinators and administrators). Columns: `name_vi` (required),
//! `name_en`, `short_name`, `kind` (default `other`), `member_code` (unique in the network).

use std::collections::HashMap;

use irnet_domain::{OrgKind, text};
use irnet_store::DbConn;
use irnet_store::directory::history;
use irnet_store::directory::orgs::{self, OrgRow};
use irnet_store::time::to_db;

use super::{Checked, ColumnNames, ImportReport, Row, Spec, Upload, open, report};
use crate::audit::{self, Change};
use crate::directory::orgs::name_version;
use crate::{Actor, App, AppError};

pub const SPEC: Spec = Spec {
    columns: &["name_vi", "name_en", "short_name", "kind", "member_code"],
    required: &["name_vi"],
};

/// Checks every row; the rows ready to store (complete only when no problem remains).
fn check(
    conn: &mut DbConn,
    upload: &Upload,
    names: &ColumnNames,
) -> Result<Checked<OrgRow>, AppError> {
    let mut problems = Vec::new();
    let Some((sheet, columns)) = open(upload, &SPEC, names, &mut problems) else {
        return Ok((vec![], problems, 0));
    };
    let existing: HashMap<String, String> = orgs::member_codes(conn)?.into_iter().collect();
    let mut codes_in_file: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::new();
    for r in &sheet.rows {
        let mut row = Row::new(r, &columns);
        let name_vi = row.text("name_vi");
        match &name_vi {
            None => row.add("name_vi", "required"),
            Some(n) if n.chars().count() > 300 => row.add("name_vi", "invalid_length"),
            _ => {}
        }
        let short = |key: &str, row: &mut Row<'_>| {
            let v = row.text(key);
            if v.as_ref().is_some_and(|v| v.chars().count() > 300) {
                row.add(key, "invalid_length");
            }
            v
        };
        let name_en = short("name_en", &mut row);
        let short_name = short("short_name", &mut row);
        let kind = match row.text("kind") {
            None => Some(OrgKind::Other),
            Some(k) => OrgKind::parse(&k)
                .map_err(|_| row.add("kind", "invalid_org_kind"))
                .ok(),
        };
        let member_code = row.text("member_code");
        if let Some(code) = &member_code {
            if existing.contains_key(code) {
                row.add("member_code", "member_code_taken");
            } else if codes_in_file.insert(code.clone(), row.number).is_some() {
                row.add("member_code", "member_code_repeated");
            }
        }
        if let (Some(name_vi), Some(kind), true) = (name_vi, kind, row.problems.is_empty()) {
            rows.push(OrgRow {
                id: String::new(),
                name_folded: text::fold(&name_vi),
                name_vi,
                name_en,
                short_name,
                kind: kind.as_str().to_owned(),
                created_at: chrono::NaiveDateTime::default(),
                updated_at: chrono::NaiveDateTime::default(),
                member_code,
            });
        }
        problems.append(&mut row.problems);
    }
    Ok((rows, problems, sheet.rows.len()))
}

/// Imports organisations. With `dry_run`, or while any problem remains, nothing is stored.
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
    if !actor.principal.may_create_org() {
        return Err(AppError::Forbidden);
    }
    let (app2, actor2) = (app.clone(), actor.clone());
    let run = move |conn: &mut DbConn| {
        let (rows, problems, count) = check(conn, &upload, &names)?;
        if dry_run || !problems.is_empty() {
            return Ok(report(dry_run, count, 0, problems));
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
        Ok(report(dry_run, count, count, problems))
    };
    if dry_run {
        app.store.read(run).await
    } else {
        app.store.write(run).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::{RowProblem, problem};
    use super::*;

    fn check_only(file: &str) -> (usize, Vec<RowProblem>) {
        let mut problems = Vec::new();
        let (sheet, _) = open(
            &Upload::csv(file),
            &SPEC,
            &ColumnNames::default(),
            &mut problems,
        )
        .map_or((None, None), |(s, c)| (Some(s), Some(c)));
        (sheet.map_or(0, |s| s.rows.len()), problems)
    }

    #[test]
    fn unknown_and_missing_columns_are_named_at_the_header() {
        let (_, problems) = check_only("name,kind,colour\nX,other,red\n");
        assert_eq!(
            problems,
            vec![
                problem(1, "name", "unknown_column"),
                problem(1, "colour", "unknown_column"),
                problem(1, "name_vi", "missing_column"),
            ]
        );
    }

    #[test]
    fn headers_in_the_readers_language_are_recognised() {
        let mut names = ColumnNames::default();
        names.add("Tên tiếng Việt", "name_vi");
        let mut problems = Vec::new();
        let opened = open(
            &Upload::csv("TÊN TIẾNG VIỆT\nSở A\n"),
            &SPEC,
            &names,
            &mut problems,
        );
        assert!(opened.is_some() && problems.is_empty(), "{problems:?}");
    }
}
