//! Importing people into the organisations the actor may edit. Columns: `org` (member code or
//! id, required), `org_name` (ignored: the export writes it for the reader), `family_name`,
//! `middle_name`, `given_name`, `title`, `phones` and `emails` (several separated by `;`). A row
//! for an organisation the actor may not edit is a problem of that row, never skipped silently.

use std::collections::BTreeMap;

use irnet_store::DbConn;
use irnet_store::directory::people::{self as store, PersonRow};
use irnet_store::time::to_db;

use super::{Checked, ColumnNames, EditableOrgs, ImportReport, Row, Spec, Upload, open, report};
use crate::audit::{self, Change};
use crate::directory::people::{NewPerson, editable, new_row, validate};
use crate::{Actor, App, AppError};

pub const SPEC: Spec = Spec {
    columns: &[
        "org",
        "org_name",
        "family_name",
        "middle_name",
        "given_name",
        "title",
        "phones",
        "emails",
    ],
    required: &["org", "family_name", "given_name"],
};

fn check(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    upload: &Upload,
    names: &ColumnNames,
) -> Result<Checked<(String, NewPerson)>, AppError> {
    let mut problems = Vec::new();
    let Some((sheet, columns)) = open(upload, &SPEC, names, &mut problems) else {
        return Ok((vec![], problems, 0));
    };
    let mut orgs = EditableOrgs::new(editable);
    let mut rows = Vec::new();
    for r in &sheet.rows {
        let mut row = Row::new(r, &columns);
        let org = orgs.find(conn, app, actor, &mut row, "org")?;
        let input = NewPerson {
            family_name: row.text("family_name").unwrap_or_default(),
            middle_name: row.text("middle_name"),
            given_name: row.text("given_name").unwrap_or_default(),
            title: row.text("title"),
            phones: row.list("phones"),
            emails: row.list("emails"),
        };
        match validate(input) {
            Ok(valid) => {
                if let (Some(org), true) = (org, row.problems.is_empty()) {
                    rows.push((org, valid));
                }
            }
            Err(e) => row.absorb(e, |f| f)?,
        }
        problems.append(&mut row.problems);
    }
    Ok((rows, problems, sheet.rows.len()))
}

/// Imports people. With `dry_run`, or while any problem remains, nothing is stored.
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
    let (app2, actor2) = (app.clone(), actor.clone());
    let run = move |conn: &mut DbConn| {
        let (rows, problems, count) = check(conn, &app2, &actor2, &upload, &names)?;
        if dry_run || !problems.is_empty() {
            return Ok(report(dry_run, count, 0, problems));
        }
        let now = to_db(app2.now());
        let mut per_org: BTreeMap<String, usize> = BTreeMap::new();
        for (org, input) in rows {
            let row: PersonRow = new_row(&org, input, now);
            store::insert(conn, &row)?;
            *per_org.entry(org).or_default() += 1;
        }
        // One entry per organisation, so that each member's org admins see it in their trail.
        for (org, n) in &per_org {
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "person.imported",
                    object_type: "organisation",
                    object_id: Some(org),
                    object_org_id: Some(org),
                    summary: serde_json::json!({ "rows": n }),
                },
            )?;
        }
        Ok(report(dry_run, count, count, problems))
    };
    if dry_run {
        app.store.read(run).await
    } else {
        app.store.write(run).await
    }
}
