//! A member's staff counts (by field, by degree, by certificate) and its experts — the Mẫu 01
//! sections the statistics and support requests read. Private part of the member, like its people.

use std::collections::HashSet;

use irnet_domain::profile::{self, STAFF_DEGREES, STAFF_FIELDS};
use irnet_domain::text;
use irnet_store::DbConn;
use irnet_store::directory::people as people_store;
use irnet_store::directory::profile::{self as store, ExpertRow, StaffCountRow};
use irnet_store::time::to_db;

use super::people::{PersonView, editable, readable, view as person_view};
use crate::audit::{self, Change};
use crate::error::Problems;
use crate::{Actor, App, AppError};

/// Head counts by field of work.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(default, deny_unknown_fields)]
pub struct ByField {
    /// information technology
    pub it: i64,
    /// information security
    pub security: i64,
    pub other: i64,
}

/// Head counts by highest degree.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(default, deny_unknown_fields)]
pub struct ByDegree {
    pub doctorate: i64,
    pub master: i64,
    pub bachelor: i64,
    pub college: i64,
    pub other: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateCount {
    /// as written, e.g. CISSP, CEH, Security+
    pub name: String,
    /// how many staff hold it
    pub count: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct StaffView {
    pub by_field: ByField,
    pub by_degree: ByDegree,
    pub certificates: Vec<CertificateCount>,
}

impl ByField {
    fn lines(&self) -> [(&'static str, i64); 3] {
        [
            (STAFF_FIELDS[0], self.it),
            (STAFF_FIELDS[1], self.security),
            (STAFF_FIELDS[2], self.other),
        ]
    }
}

impl ByDegree {
    fn lines(&self) -> [(&'static str, i64); 5] {
        [
            (STAFF_DEGREES[0], self.doctorate),
            (STAFF_DEGREES[1], self.master),
            (STAFF_DEGREES[2], self.bachelor),
            (STAFF_DEGREES[3], self.college),
            (STAFF_DEGREES[4], self.other),
        ]
    }
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ExpertView {
    pub id: String,
    pub person: PersonView,
    /// field of expertise
    pub expertise: String,
    pub certificates: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ExpertInput {
    pub person_id: String,
    pub expertise: String,
    pub certificates: Vec<String>,
}

pub(crate) fn staff_view(conn: &mut DbConn, org_id: &str) -> Result<StaffView, AppError> {
    let mut v = StaffView::default();
    for r in store::staff(conn, org_id)? {
        let n = i64::from(r.head_count);
        match (r.category.as_str(), r.name.as_str()) {
            ("field", "it") => v.by_field.it = n,
            ("field", "security") => v.by_field.security = n,
            ("field", "other") => v.by_field.other = n,
            ("degree", "doctorate") => v.by_degree.doctorate = n,
            ("degree", "master") => v.by_degree.master = n,
            ("degree", "bachelor") => v.by_degree.bachelor = n,
            ("degree", "college") => v.by_degree.college = n,
            ("degree", "other") => v.by_degree.other = n,
            ("certificate", name) => v.certificates.push(CertificateCount {
                name: name.to_owned(),
                count: n,
            }),
            _ => {}
        }
    }
    v.certificates
        .sort_by_key(|c| text::vi_sort_key(&c.name.to_lowercase()));
    Ok(v)
}

pub(crate) fn expert_views(conn: &mut DbConn, org_id: &str) -> Result<Vec<ExpertView>, AppError> {
    let mut out = Vec::new();
    for e in store::experts_of(conn, org_id)? {
        if let Some(p) = people_store::get(conn, &e.person_id)? {
            out.push(ExpertView {
                id: e.id,
                person: person_view(p),
                expertise: e.expertise,
                certificates: serde_json::from_str(&e.certificates).unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

pub async fn get_staff(app: &App, actor: &Actor, org_id: &str) -> Result<StaffView, AppError> {
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .read(move |conn| {
            readable(conn, &app2, &actor2, &org_id)?;
            staff_view(conn, &org_id)
        })
        .await
}

/// Records the staff counts (replacing what was recorded).
pub async fn set_staff(
    app: &App,
    actor: &Actor,
    org_id: &str,
    input: StaffView,
) -> Result<StaffView, AppError> {
    let mut p = Problems::default();
    let mut lines: Vec<(&str, String, i32)> = Vec::new();
    for (name, n) in input.by_field.lines() {
        if let Some(n) = p.check(&format!("by_field.{name}"), profile::staff_count(n)) {
            lines.push(("field", name.to_owned(), n));
        }
    }
    for (name, n) in input.by_degree.lines() {
        if let Some(n) = p.check(&format!("by_degree.{name}"), profile::staff_count(n)) {
            lines.push(("degree", name.to_owned(), n));
        }
    }
    let mut seen = HashSet::new();
    for (i, c) in input.certificates.iter().enumerate() {
        let name = text::nfc(c.name.trim());
        if name.is_empty() || name.chars().count() > 100 {
            p.add(&format!("certificates[{i}].name"), "invalid_length");
        } else if !seen.insert(text::fold(&name)) {
            p.add(&format!("certificates[{i}].name"), "duplicate_certificate");
        }
        if let Some(n) = p.check(
            &format!("certificates[{i}].count"),
            profile::staff_count(c.count),
        ) {
            lines.push(("certificate", name, n));
        }
    }
    p.into_result()?;
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .write(move |conn| {
            editable(conn, &app2, &actor2, &org_id)?;
            let rows: Vec<StaffCountRow> = lines
                .into_iter()
                .map(|(category, name, head_count)| StaffCountRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    org_id: org_id.clone(),
                    category: category.to_owned(),
                    name,
                    head_count,
                })
                .collect();
            store::replace_staff(conn, &org_id, &rows)?;
            store::touch(conn, &org_id, to_db(app2.now()), None)?;
            let v = staff_view(conn, &org_id)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "staff_counts.set",
                    object_type: "organisation",
                    object_id: Some(&org_id),
                    object_org_id: Some(&org_id),
                    summary: serde_json::json!({ "by_field": v.by_field, "by_degree": v.by_degree, "certificates": v.certificates }),
                },
            )?;
            Ok(v)
        })
        .await
}

pub async fn list_experts(
    app: &App,
    actor: &Actor,
    org_id: &str,
) -> Result<Vec<ExpertView>, AppError> {
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .read(move |conn| {
            readable(conn, &app2, &actor2, &org_id)?;
            expert_views(conn, &org_id)
        })
        .await
}

/// Names a person of the organisation as one of its experts.
pub async fn add_expert(
    app: &App,
    actor: &Actor,
    org_id: &str,
    input: ExpertInput,
) -> Result<ExpertView, AppError> {
    let mut p = Problems::default();
    let expertise = text::nfc(input.expertise.trim());
    p.text("expertise", &expertise, true, 300);
    let mut certificates = Vec::new();
    for (i, c) in input.certificates.iter().enumerate() {
        let c = text::nfc(c.trim());
        if c.is_empty() || c.chars().count() > 100 {
            p.add(&format!("certificates[{i}]"), "invalid_length");
        }
        certificates.push(c);
    }
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    let person_id = input.person_id.trim().to_owned();
    app.store
        .write(move |conn| {
            editable(conn, &app2, &actor2, &org_id)?;
            let person = people_store::get(conn, &person_id)?.filter(|x| x.org_id == org_id);
            if person.is_none() {
                p.add("person_id", "unknown_person");
            } else if store::experts_of(conn, &org_id)?
                .iter()
                .any(|e| e.person_id == person_id)
            {
                p.add("person_id", "already_expert");
            }
            p.into_result()?;
            let now = to_db(app2.now());
            let row = ExpertRow {
                id: uuid::Uuid::now_v7().to_string(),
                org_id: org_id.clone(),
                person_id: person_id.clone(),
                expertise,
                certificates: serde_json::to_string(&certificates)
                    .unwrap_or_else(|_| "[]".into()),
                created_at: now,
            };
            store::insert_expert(conn, &row)?;
            store::touch(conn, &org_id, now, None)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "expert.added",
                    object_type: "organisation",
                    object_id: Some(&org_id),
                    object_org_id: Some(&org_id),
                    summary: serde_json::json!({ "expert": row.id, "person": person_id, "expertise": row.expertise, "certificates": certificates }),
                },
            )?;
            expert_views(conn, &org_id)?
                .into_iter()
                .find(|e| e.id == row.id)
                .ok_or(AppError::NotFound)
        })
        .await
}

pub async fn remove_expert(
    app: &App,
    actor: &Actor,
    org_id: &str,
    expert_id: &str,
) -> Result<(), AppError> {
    let (app2, actor2, org_id, expert_id) = (
        app.clone(),
        actor.clone(),
        org_id.to_owned(),
        expert_id.to_owned(),
    );
    app.store
        .write(move |conn| {
            editable(conn, &app2, &actor2, &org_id)?;
            if store::delete_expert(conn, &org_id, &expert_id)? == 0 {
                return Err(AppError::NotFound);
            }
            store::touch(conn, &org_id, to_db(app2.now()), None)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "expert.removed",
                    object_type: "organisation",
                    object_id: Some(&org_id),
                    object_org_id: Some(&org_id),
                    summary: serde_json::json!({ "expert": expert_id }),
                },
            )?;
            Ok(())
        })
        .await
}
