//! Information systems: what incidents hit and live-fire drills target. Private to the owner and
//! operator organisations (and, as for all the directory's private part, their cluster lead, the
//! coordinator and administrators); to anyone else a system does not exist.

use chrono::NaiveDate;
use irnet_domain::net::{DomainName, IpRange, SecurityLevel, WebUrl};
use irnet_domain::text;
use irnet_store::DbConn;
use irnet_store::directory::orgs;
use irnet_store::directory::systems::{self, SystemChanges, SystemRow};
use irnet_store::time::to_db;

use super::orgs::org_ref;
use crate::audit::{self, Change};
use crate::error::Problems;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SystemView {
    pub id: String,
    pub owner_org_id: String,
    pub operator_org_id: Option<String>,
    pub name: String,
    pub purpose: Option<String>,
    pub information_classes: Vec<String>,
    /// 1 to 5 (Decree 85/2016)
    pub proposed_level: Option<i32>,
    pub approved_level: Option<i32>,
    pub approver: Option<String>,
    pub approval_decision: Option<String>,
    pub approval_date: Option<NaiveDate>,
    pub public_urls: Vec<String>,
    pub domains: Vec<String>,
    pub ip_ranges: Vec<String>,
    pub internet_facing: bool,
    pub critical: bool,
    /// operating system and its version (Mẫu 03 item 11)
    pub os: Option<String>,
    pub os_version: Option<String>,
}

fn list_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

pub fn view(r: SystemRow) -> SystemView {
    SystemView {
        information_classes: list_of(&r.information_classes),
        public_urls: list_of(&r.public_urls),
        domains: list_of(&r.domains),
        ip_ranges: list_of(&r.ip_ranges),
        id: r.id,
        owner_org_id: r.owner_org_id,
        operator_org_id: r.operator_org_id,
        name: r.name,
        purpose: r.purpose,
        proposed_level: r.proposed_level,
        approved_level: r.approved_level,
        approver: r.approver,
        approval_decision: r.approval_decision,
        approval_date: r.approval_date,
        internet_facing: r.internet_facing,
        critical: r.critical,
        os: r.os,
        os_version: r.os_version,
    }
}

#[derive(Debug, Clone, Default)]
pub struct NewSystem {
    pub operator_org_id: Option<String>,
    pub name: String,
    pub purpose: Option<String>,
    pub information_classes: Vec<String>,
    pub proposed_level: Option<i64>,
    pub approved_level: Option<i64>,
    pub approver: Option<String>,
    pub approval_decision: Option<String>,
    pub approval_date: Option<NaiveDate>,
    pub public_urls: Vec<String>,
    pub domains: Vec<String>,
    pub ip_ranges: Vec<String>,
    pub internet_facing: bool,
    pub critical: bool,
    pub os: Option<String>,
    pub os_version: Option<String>,
}

fn may_read(conn: &mut DbConn, app: &App, actor: &Actor, s: &SystemRow) -> Result<bool, AppError> {
    if actor
        .principal
        .may_read_org_private(&org_ref(conn, app, &s.owner_org_id)?)
    {
        return Ok(true);
    }
    match &s.operator_org_id {
        Some(op) => Ok(actor
            .principal
            .may_read_org_private(&org_ref(conn, app, op)?)),
        None => Ok(false),
    }
}

/// Systems an organisation owns or operates; not found unless its private part is readable.
pub async fn list(app: &App, actor: &Actor, org_id: &str) -> Result<Vec<SystemView>, AppError> {
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .read(move |conn| {
            orgs::get(conn, &org_id)?.ok_or(AppError::NotFound)?;
            if !actor2
                .principal
                .may_read_org_private(&org_ref(conn, &app2, &org_id)?)
            {
                return Err(AppError::NotFound);
            }
            Ok(systems::of_org(conn, &org_id)?
                .into_iter()
                .map(view)
                .collect())
        })
        .await
}

pub async fn get(app: &App, actor: &Actor, system_id: &str) -> Result<SystemView, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), system_id.to_owned());
    app.store
        .read(move |conn| {
            let s = systems::get(conn, &id)?.ok_or(AppError::NotFound)?;
            if may_read(conn, &app2, &actor2, &s)? {
                Ok(view(s))
            } else {
                Err(AppError::NotFound)
            }
        })
        .await
}

fn clean_opt(s: Option<&String>) -> Option<String> {
    s.map(|v| text::nfc(v.trim())).filter(|v| !v.is_empty())
}

fn parse_all<T>(
    p: &mut Problems,
    field: &str,
    items: &[String],
    parse: impl Fn(&str) -> Result<T, irnet_domain::DomainError>,
    show: impl Fn(&T) -> String,
) -> Vec<String> {
    items
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            p.check(&format!("{field}[{i}]"), parse(v))
                .map(|t| show(&t))
        })
        .collect()
}

/// A system's fields once checked: the one validation the API, the pages and the import share.
#[derive(Debug, Clone)]
pub(crate) struct ValidSystem {
    operator_org_id: Option<String>,
    name: String,
    purpose: Option<String>,
    information_classes: Vec<String>,
    proposed_level: Option<i32>,
    approved_level: Option<i32>,
    approver: Option<String>,
    approval_decision: Option<String>,
    approval_date: Option<NaiveDate>,
    public_urls: Vec<String>,
    domains: Vec<String>,
    ip_ranges: Vec<String>,
    internet_facing: bool,
    critical: bool,
    os: Option<String>,
    os_version: Option<String>,
}

impl ValidSystem {
    pub(crate) fn operator(&self) -> Option<&str> {
        self.operator_org_id.as_deref()
    }
}

pub(crate) fn validate(input: NewSystem) -> Result<ValidSystem, AppError> {
    let mut p = Problems::default();
    let name = text::nfc(input.name.trim());
    p.text("name", &name, true, 300);
    let proposed = input
        .proposed_level
        .and_then(|l| p.check("proposed_level", SecurityLevel::new(l)));
    let approved = input
        .approved_level
        .and_then(|l| p.check("approved_level", SecurityLevel::new(l)));
    let urls = parse_all(
        &mut p,
        "public_urls",
        &input.public_urls,
        WebUrl::parse,
        |u| u.as_str().to_owned(),
    );
    let domains = parse_all(&mut p, "domains", &input.domains, DomainName::parse, |d| {
        d.as_str().to_owned()
    });
    let ranges = parse_all(
        &mut p,
        "ip_ranges",
        &input.ip_ranges,
        IpRange::parse,
        ToString::to_string,
    );
    p.into_result()?;
    Ok(ValidSystem {
        operator_org_id: clean_opt(input.operator_org_id.as_ref()),
        name,
        purpose: clean_opt(input.purpose.as_ref()),
        information_classes: input
            .information_classes
            .iter()
            .map(|c| text::nfc(c.trim()))
            .filter(|c| !c.is_empty())
            .collect(),
        proposed_level: proposed.map(|l| i32::from(l.get())),
        approved_level: approved.map(|l| i32::from(l.get())),
        approver: clean_opt(input.approver.as_ref()),
        approval_decision: clean_opt(input.approval_decision.as_ref()),
        approval_date: input.approval_date,
        public_urls: urls,
        domains,
        ip_ranges: ranges,
        internet_facing: input.internet_facing,
        critical: input.critical,
        os: clean_opt(input.os.as_ref()),
        os_version: clean_opt(input.os_version.as_ref()),
    })
}

fn json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// A new system's row, from validated input.
pub(crate) fn new_row(owner: &str, v: ValidSystem, now: chrono::NaiveDateTime) -> SystemRow {
    SystemRow {
        id: uuid::Uuid::now_v7().to_string(),
        owner_org_id: owner.to_owned(),
        operator_org_id: v.operator_org_id,
        name: v.name,
        purpose: v.purpose,
        information_classes: json(&v.information_classes),
        proposed_level: v.proposed_level,
        approved_level: v.approved_level,
        approver: v.approver,
        approval_decision: v.approval_decision,
        approval_date: v.approval_date,
        public_urls: json(&v.public_urls),
        domains: json(&v.domains),
        ip_ranges: json(&v.ip_ranges),
        internet_facing: v.internet_facing,
        critical: v.critical,
        created_at: now,
        updated_at: now,
        os: v.os,
        os_version: v.os_version,
    }
}

/// The owner must exist and be the actor's to read (else: not found) and to edit.
pub(crate) fn editable(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    owner: &str,
) -> Result<(), AppError> {
    orgs::get(conn, owner)?.ok_or(AppError::NotFound)?;
    let target = org_ref(conn, app, owner)?;
    if !actor.principal.may_read_org_private(&target) {
        return Err(AppError::NotFound);
    }
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    if !actor.principal.may_edit_org(&target) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// An existing system: not found unless readable (through its owner or its operator), then
/// changed only by those who may edit its owner.
fn editable_system(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    s: &SystemRow,
) -> Result<(), AppError> {
    if !may_read(conn, app, actor, s)? {
        return Err(AppError::NotFound);
    }
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    if !actor
        .principal
        .may_edit_org(&org_ref(conn, app, &s.owner_org_id)?)
    {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

fn check_operator(conn: &mut DbConn, v: &ValidSystem) -> Result<(), AppError> {
    if let Some(op) = v.operator() {
        orgs::get(conn, op)?.ok_or_else(|| AppError::invalid("operator_org_id", "unknown_org"))?;
    }
    Ok(())
}

pub async fn create(
    app: &App,
    actor: &Actor,
    owner_org_id: &str,
    input: NewSystem,
) -> Result<SystemView, AppError> {
    let v = validate(input)?;
    let (app2, actor2, owner) = (app.clone(), actor.clone(), owner_org_id.to_owned());
    app.store
        .write(move |conn| {
            editable(conn, &app2, &actor2, &owner)?;
            check_operator(conn, &v)?;
            let row = new_row(&owner, v, to_db(app2.now()));
            systems::insert(conn, &row)?;
            let v = view(row);
            audit::record(conn, &app2, &actor2, Change {
                action: "system.created",
                object_type: "information_system",
                object_id: Some(&v.id),
                object_org_id: Some(&owner),
                summary: serde_json::json!({ "name": v.name, "approved_level": v.approved_level, "internet_facing": v.internet_facing }),
            })?;
            Ok(v)
        })
        .await
}

/// Replaces a system's fields (checked as on creation); the owner stays. Its owner's org admins,
/// the coordinator and administrators may; to whoever may not read it, it does not exist.
pub async fn update(
    app: &App,
    actor: &Actor,
    system_id: &str,
    input: NewSystem,
) -> Result<SystemView, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), system_id.to_owned());
    // Existence and access first, so that an outsider learns nothing from validation messages.
    app.store
        .read({
            let (app2, actor2, id) = (app2.clone(), actor2.clone(), id.clone());
            move |conn| {
                let s = systems::get(conn, &id)?.ok_or(AppError::NotFound)?;
                editable_system(conn, &app2, &actor2, &s)
            }
        })
        .await?;
    let v = validate(input)?;
    app.store
        .write(move |conn| {
            let before = systems::get(conn, &id)?.ok_or(AppError::NotFound)?;
            editable_system(conn, &app2, &actor2, &before)?;
            check_operator(conn, &v)?;
            systems::update(conn, &id, &SystemChanges {
                operator_org_id: v.operator_org_id,
                name: v.name,
                purpose: v.purpose,
                information_classes: json(&v.information_classes),
                proposed_level: v.proposed_level,
                approved_level: v.approved_level,
                approver: v.approver,
                approval_decision: v.approval_decision,
                approval_date: v.approval_date,
                public_urls: json(&v.public_urls),
                domains: json(&v.domains),
                ip_ranges: json(&v.ip_ranges),
                internet_facing: v.internet_facing,
                critical: v.critical,
                os: v.os,
                os_version: v.os_version,
                updated_at: to_db(app2.now()),
            })?;
            let after = view(systems::get(conn, &id)?.ok_or(AppError::NotFound)?);
            let before = view(before);
            audit::record(conn, &app2, &actor2, Change {
                action: "system.updated",
                object_type: "information_system",
                object_id: Some(&id),
                object_org_id: Some(&after.owner_org_id),
                summary: serde_json::json!({
                    "before": { "name": before.name, "approved_level": before.approved_level, "internet_facing": before.internet_facing, "critical": before.critical },
                    "after": { "name": after.name, "approved_level": after.approved_level, "internet_facing": after.internet_facing, "critical": after.critical },
                }),
            })?;
            Ok(after)
        })
        .await
}

pub async fn delete(app: &App, actor: &Actor, system_id: &str) -> Result<(), AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), system_id.to_owned());
    app.store
        .write(move |conn| {
            let before = systems::get(conn, &id)?.ok_or(AppError::NotFound)?;
            editable_system(conn, &app2, &actor2, &before)?;
            systems::delete(conn, &id)?;
            audit::record(conn, &app2, &actor2, Change {
                action: "system.deleted",
                object_type: "information_system",
                object_id: Some(&id),
                object_org_id: Some(&before.owner_org_id),
                summary: serde_json::json!({ "name": before.name, "approved_level": before.approved_level }),
            })?;
            Ok(())
        })
        .await
}
