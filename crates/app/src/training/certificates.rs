//! A member's certificates — its private part — with where each stands against its expiry; and
//! recording or removing one (those who keep the member's directory: `may_manage_certificates_of`).

use chrono::NaiveDate;
use irnet_domain::ids::CertificateId;
use irnet_domain::text;
use irnet_domain::training::{check_validity, expiry_state};
use irnet_store::directory::people as people_store;
use irnet_store::time::to_db;
use irnet_store::training::{self as store, CertificateRow};

use super::{clean, date};
use crate::audit::{self, Change};
use crate::directory::orgs::org_ref;
use crate::directory::people::{full_name, readable as org_readable};
use crate::error::Problems;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CertificateView {
    #[schema(value_type = String)]
    pub id: CertificateId,
    pub person_id: String,
    pub full_name: String,
    pub name: String,
    pub issuer: String,
    pub number: String,
    pub issued_on: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    /// permanent, valid, expires_soon or expired (today, against the reminder window)
    pub state: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CertificateList {
    pub certificates: Vec<CertificateView>,
    /// the reader records and removes certificates of this member
    pub may_manage: bool,
}

/// A certificate as given by a form or the API: days as yyyy-mm-dd; `valid_until` empty or
/// absent for one that does not expire.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateInput {
    pub person_id: String,
    pub name: String,
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub number: String,
    pub issued_on: String,
    #[serde(default)]
    pub valid_until: Option<String>,
}

pub async fn list(app: &App, actor: &Actor, org_id: &str) -> Result<CertificateList, AppError> {
    let (app2, actor2, org, today) = (app.clone(), actor.clone(), org_id.to_owned(), app.today());
    let days = app.settings.sections.training.reminder_days();
    app.store
        .read(move |conn| {
            org_readable(conn, &app2, &actor2, &org)?;
            let may_manage = actor2
                .principal
                .may_manage_certificates_of(&org_ref(conn, &app2, &org)?);
            let rows = store::certificates_of_org(conn, &org)?;
            let ids: Vec<String> = rows.iter().map(|r| r.person_id.clone()).collect();
            let people = people_store::get_many(conn, &ids)?;
            let mut certificates: Vec<CertificateView> = rows
                .into_iter()
                .map(|r| CertificateView {
                    full_name: people
                        .iter()
                        .find(|x| x.id == r.person_id)
                        .map(full_name)
                        .unwrap_or_default(),
                    state: expiry_state(r.valid_until, today, days).as_str().to_owned(),
                    id: r.id,
                    person_id: r.person_id,
                    name: r.name,
                    issuer: r.issuer,
                    number: r.number,
                    issued_on: r.issued_on,
                    valid_until: r.valid_until,
                })
                .collect();
            // the soonest expiry first, as stored; people in Vietnamese order within a day
            certificates.sort_by(|a, b| {
                (a.valid_until.is_none(), a.valid_until)
                    .cmp(&(b.valid_until.is_none(), b.valid_until))
                    .then_with(|| {
                        text::given_name_sort_key(&a.full_name)
                            .cmp(&text::given_name_sort_key(&b.full_name))
                    })
            });
            Ok(CertificateList {
                certificates,
                may_manage,
            })
        })
        .await
}

/// Records a certificate of a person of `org_id`.
pub async fn add(
    app: &App,
    actor: &Actor,
    org_id: &str,
    input: CertificateInput,
) -> Result<CertificateId, AppError> {
    let mut p = Problems::default();
    let (name, issuer, number) = (
        clean(&input.name),
        clean(&input.issuer),
        clean(&input.number),
    );
    p.text("name", &name, true, 200);
    p.text("issuer", &issuer, true, 200);
    p.text("number", &number, false, 100);
    let issued_on = date(&mut p, "issued_on", &input.issued_on);
    let valid_until = match input.valid_until.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => date(&mut p, "valid_until", v),
    };
    if let Some(issued) = issued_on {
        p.check("valid_until", check_validity(issued, valid_until));
    }
    let (app2, actor2, org) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .write(move |conn| {
            org_readable(conn, &app2, &actor2, &org)?;
            if !actor2.principal.may_write() {
                return Err(AppError::ReadOnly);
            }
            if !actor2
                .principal
                .may_manage_certificates_of(&org_ref(conn, &app2, &org)?)
            {
                return Err(AppError::Forbidden);
            }
            let person = people_store::get(conn, input.person_id.trim())?
                .filter(|x| x.org_id == org);
            if person.is_none() {
                p.add("person_id", "unknown_person");
            }
            p.into_result()?;
            let (Some(person), Some(issued_on)) = (person, issued_on) else {
                return Err(AppError::invalid("person_id", "unknown_person"));
            };
            let now = to_db(app2.now());
            let row = CertificateRow {
                id: CertificateId::new(),
                person_id: person.id,
                org_id: org.clone(),
                name,
                issuer,
                number,
                issued_on,
                valid_until,
                reminded_for: None,
                created_at: now,
                updated_at: now,
            };
            store::insert_certificate(conn, &row)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "training.certificate_added",
                    object_type: "training_certificate",
                    object_id: Some(row.id.as_str()),
                    object_org_id: Some(&org),
                    summary: serde_json::json!({ "name": row.name, "valid_until": row.valid_until }),
                },
            )?;
            Ok(row.id)
        })
        .await
}

/// Removes a certificate of a person of `org_id`.
pub async fn remove(
    app: &App,
    actor: &Actor,
    org_id: &str,
    id: &CertificateId,
) -> Result<(), AppError> {
    let (app2, actor2, org, id) = (app.clone(), actor.clone(), org_id.to_owned(), id.clone());
    app.store
        .write(move |conn| {
            org_readable(conn, &app2, &actor2, &org)?;
            let row = store::get_certificate(conn, &id)?
                .filter(|r| r.org_id == org)
                .ok_or(AppError::NotFound)?;
            if !actor2.principal.may_write() {
                return Err(AppError::ReadOnly);
            }
            if !actor2
                .principal
                .may_manage_certificates_of(&org_ref(conn, &app2, &org)?)
            {
                return Err(AppError::Forbidden);
            }
            store::delete_certificate(conn, &id)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "training.certificate_removed",
                    object_type: "training_certificate",
                    object_id: Some(row.id.as_str()),
                    object_org_id: Some(&org),
                    summary: serde_json::json!({ "name": row.name }),
                },
            )?;
            Ok(())
        })
        .await
}
