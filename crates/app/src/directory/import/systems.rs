//! Importing information systems into the organisations the actor may edit. Columns: `owner`
//! (member code or id, required), `operator` (member code or id), `owner_name` and
//! `operator_name` (ignored: the export writes them for the reader), `name`, `purpose`,
//! `information_classes`, `proposed_level`, `approved_level` (1–5), `approver`,
//! `approval_decision`, `approval_date` (a date cell, dd/mm/yyyy or yyyy-mm-dd), `public_urls`,
//! `domains`, `ip_ranges` (several separated by `;`), `internet_facing`, `critical` (yes/no).

use std::collections::BTreeMap;

use irnet_store::DbConn;
use irnet_store::directory::systems as store;
use irnet_store::time::to_db;

use super::{Checked, ColumnNames, EditableOrgs, ImportReport, Row, Spec, Upload, open, report};
use crate::audit::{self, Change};
use crate::directory::systems::{NewSystem, ValidSystem, editable, new_row, validate};
use crate::{Actor, App, AppError};

pub const SPEC: Spec = Spec {
    columns: &[
        "owner",
        "owner_name",
        "operator",
        "operator_name",
        "name",
        "purpose",
        "information_classes",
        "proposed_level",
        "approved_level",
        "approver",
        "approval_decision",
        "approval_date",
        "public_urls",
        "domains",
        "ip_ranges",
        "internet_facing",
        "critical",
    ],
    required: &["owner", "name"],
};

/// The use-case's field names, as this file's columns.
fn column_of(field: &str) -> &str {
    match field {
        "operator_org_id" => "operator",
        other => other,
    }
}

fn check(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    upload: &Upload,
    names: &ColumnNames,
) -> Result<Checked<(String, ValidSystem)>, AppError> {
    let mut problems = Vec::new();
    let Some((sheet, columns)) = open(upload, &SPEC, names, &mut problems) else {
        return Ok((vec![], problems, 0));
    };
    let mut orgs = EditableOrgs::new(editable);
    let mut rows = Vec::new();
    for r in &sheet.rows {
        let mut row = Row::new(r, &columns);
        let owner = orgs.find(conn, app, actor, &mut row, "owner")?;
        let operator = match row.text("operator") {
            None => None,
            Some(v) => {
                let found = orgs.lookup.find(conn, &v)?;
                if found.is_none() {
                    row.add("operator", "unknown_org");
                }
                found
            }
        };
        let input = NewSystem {
            operator_org_id: operator,
            name: row.text("name").unwrap_or_default(),
            purpose: row.text("purpose"),
            information_classes: row.list("information_classes"),
            proposed_level: row.int("proposed_level"),
            approved_level: row.int("approved_level"),
            approver: row.text("approver"),
            approval_decision: row.text("approval_decision"),
            approval_date: row.date("approval_date"),
            public_urls: row.list("public_urls"),
            domains: row.list("domains"),
            ip_ranges: row.list("ip_ranges"),
            internet_facing: row.flag("internet_facing"),
            critical: row.flag("critical"),
            os: row.text("os"),
            os_version: row.text("os_version"),
        };
        match validate(input) {
            Ok(valid) => {
                if let (Some(owner), true) = (owner, row.problems.is_empty()) {
                    rows.push((owner, valid));
                }
            }
            Err(e) => row.absorb(e, column_of)?,
        }
        problems.append(&mut row.problems);
    }
    Ok((rows, problems, sheet.rows.len()))
}

/// Imports information systems. With `dry_run`, or while any problem remains, nothing is stored.
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
        for (owner, valid) in rows {
            store::insert(conn, &new_row(&owner, valid, now))?;
            *per_org.entry(owner).or_default() += 1;
        }
        for (org, n) in &per_org {
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "system.imported",
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
