//! People and 24/7 focal points of member organisations — the directory's private part, visible
//! to the organisation itself, the lead of a cluster it belongs to, the coordinator and
//! administrators (`Principal::may_read_org_private`). To anyone else an organisation's people do
//! not exist: 404, never 403.

use chrono::{DateTime, Utc};
use irnet_domain::text;
use irnet_store::DbConn;
use irnet_store::directory::orgs;
use irnet_store::directory::people::{self, FocalPointRow, PersonChanges, PersonRow};
use irnet_store::time::{from_db, to_db};

use super::orgs::org_ref;
use crate::audit::{self, Change};
use crate::error::Problems;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PersonView {
    pub id: String,
    pub org_id: String,
    pub family_name: String,
    pub middle_name: Option<String>,
    pub given_name: String,
    /// family, middle and given names in Vietnamese order
    pub full_name: String,
    pub title: Option<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub has_account: bool,
}

/// Family, middle and given names in Vietnamese order.
pub fn full_name(p: &PersonRow) -> String {
    [
        Some(p.family_name.as_str()),
        p.middle_name.as_deref(),
        Some(p.given_name.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
}

pub fn view(p: PersonRow) -> PersonView {
    let full_name = full_name(&p);
    PersonView {
        phones: serde_json::from_str(&p.phones).unwrap_or_default(),
        emails: serde_json::from_str(&p.emails).unwrap_or_default(),
        has_account: p.user_id.is_some(),
        id: p.id,
        org_id: p.org_id,
        family_name: p.family_name,
        middle_name: p.middle_name,
        given_name: p.given_name,
        full_name,
        title: p.title,
    }
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FocalPointView {
    /// main or backup
    pub kind: String,
    pub person: PersonView,
    pub since: DateTime<Utc>,
    /// when the organisation last confirmed it is current
    pub confirmed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    pub family_name: String,
    pub middle_name: Option<String>,
    pub given_name: String,
    pub title: Option<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
}

/// Checks that the organisation exists and that its private part is the actor's to read.
pub(crate) fn readable(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    org_id: &str,
) -> Result<(), AppError> {
    orgs::get(conn, org_id)?.ok_or(AppError::NotFound)?;
    if actor
        .principal
        .may_read_org_private(&org_ref(conn, app, org_id)?)
    {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// …and to change (its org admins, the coordinator, administrators).
pub(crate) fn editable(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    org_id: &str,
) -> Result<(), AppError> {
    readable(conn, app, actor, org_id)?;
    if !actor.principal.may_write() {
        return Err(AppError::ReadOnly);
    }
    if actor.principal.may_edit_org(&org_ref(conn, app, org_id)?) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// An organisation's people, sorted by given name with Vietnamese collation.
pub async fn list(app: &App, actor: &Actor, org_id: &str) -> Result<Vec<PersonView>, AppError> {
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    let mut people: Vec<PersonView> = app
        .store
        .read(move |conn| {
            readable(conn, &app2, &actor2, &org_id)?;
            Ok::<_, AppError>(people::of_orgs(conn, std::slice::from_ref(&org_id))?)
        })
        .await?
        .into_iter()
        .map(view)
        .collect();
    people.sort_by_key(|p| text::given_name_sort_key(&p.full_name));
    Ok(people)
}

fn clean(s: &str) -> String {
    text::nfc(s.trim())
}

/// The checks every way in shares (the API, the pages, the import): names, phones, emails.
pub(crate) fn validate(input: NewPerson) -> Result<NewPerson, AppError> {
    let mut p = Problems::default();
    let family_name = clean(&input.family_name);
    let given_name = clean(&input.given_name);
    for (field, v) in [("family_name", &family_name), ("given_name", &given_name)] {
        p.text(field, v, true, 100);
    }
    let middle_name = input
        .middle_name
        .as_deref()
        .map(clean)
        .filter(|m| !m.is_empty());
    let title = input.title.as_deref().map(clean).filter(|t| !t.is_empty());
    let mut phones = Vec::new();
    for (i, phone) in input.phones.iter().enumerate() {
        let phone = phone.trim().to_owned();
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed = phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if !allowed || !(6..=15).contains(&digits) || phone.len() > 25 {
            p.add(&format!("phones[{i}]"), "invalid_phone");
        }
        phones.push(phone);
    }
    let mut emails = Vec::new();
    for (i, email) in input.emails.iter().enumerate() {
        if let Some(e) = p.check(&format!("emails[{i}]"), irnet_domain::Email::parse(email)) {
            emails.push(e.as_str().to_owned());
        }
    }
    p.into_result()?;
    Ok(NewPerson {
        family_name,
        middle_name,
        given_name,
        title,
        phones,
        emails,
    })
}

/// A new person's row, from validated input.
pub(crate) fn new_row(org_id: &str, input: NewPerson, now: chrono::NaiveDateTime) -> PersonRow {
    PersonRow {
        id: uuid::Uuid::now_v7().to_string(),
        org_id: org_id.to_owned(),
        family_name: input.family_name,
        middle_name: input.middle_name,
        given_name: input.given_name,
        title: input.title,
        phones: json_list(&input.phones),
        emails: json_list(&input.emails),
        user_id: None,
        created_at: now,
        updated_at: now,
    }
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

pub async fn create(
    app: &App,
    actor: &Actor,
    org_id: &str,
    input: NewPerson,
) -> Result<PersonView, AppError> {
    let input = validate(input)?;
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .write(move |conn| {
            editable(conn, &app2, &actor2, &org_id)?;
            let row = new_row(&org_id, input, to_db(app2.now()));
            people::insert(conn, &row)?;
            let v = view(row);
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "person.created",
                    object_type: "person",
                    object_id: Some(&v.id),
                    object_org_id: Some(&org_id),
                    summary: serde_json::json!({ "full_name": v.full_name, "title": v.title }),
                },
            )?;
            Ok(v)
        })
        .await
}

/// One person, if the actor may read its organisation's private part.
pub async fn get(app: &App, actor: &Actor, person_id: &str) -> Result<PersonView, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), person_id.to_owned());
    app.store
        .read(move |conn| {
            let p = people::get(conn, &id)?.ok_or(AppError::NotFound)?;
            readable(conn, &app2, &actor2, &p.org_id)?;
            Ok(view(p))
        })
        .await
}

/// Replaces a person's names, title, phones and emails (checked as on creation). The
/// organisation and the account link stay.
pub async fn update(
    app: &App,
    actor: &Actor,
    person_id: &str,
    input: NewPerson,
) -> Result<PersonView, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), person_id.to_owned());
    // Existence and access first, so that an outsider learns nothing from validation messages.
    app.store
        .read({
            let (app2, actor2, id) = (app2.clone(), actor2.clone(), id.clone());
            move |conn| {
                let p = people::get(conn, &id)?.ok_or(AppError::NotFound)?;
                editable(conn, &app2, &actor2, &p.org_id)
            }
        })
        .await?;
    let input = validate(input)?;
    app.store
        .write(move |conn| {
            let before = people::get(conn, &id)?.ok_or(AppError::NotFound)?;
            editable(conn, &app2, &actor2, &before.org_id)?;
            people::update(
                conn,
                &id,
                &PersonChanges {
                    family_name: input.family_name,
                    middle_name: input.middle_name,
                    given_name: input.given_name,
                    title: input.title,
                    phones: json_list(&input.phones),
                    emails: json_list(&input.emails),
                    updated_at: to_db(app2.now()),
                },
            )?;
            let after = view(people::get(conn, &id)?.ok_or(AppError::NotFound)?);
            let before = view(before);
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "person.updated",
                    object_type: "person",
                    object_id: Some(&id),
                    object_org_id: Some(&after.org_id),
                    summary: serde_json::json!({
                        "before": { "full_name": before.full_name, "title": before.title, "phones": before.phones, "emails": before.emails },
                        "after": { "full_name": after.full_name, "title": after.title, "phones": after.phones, "emails": after.emails },
                    }),
                },
            )?;
            Ok(after)
        })
        .await
}

/// Removes a person. A focal point cannot go until someone else is named in their place: a
/// member must always know whom the network calls at 3 a.m.
pub async fn delete(app: &App, actor: &Actor, person_id: &str) -> Result<(), AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), person_id.to_owned());
    app.store
        .write(move |conn| {
            let before = people::get(conn, &id)?.ok_or(AppError::NotFound)?;
            editable(conn, &app2, &actor2, &before.org_id)?;
            if !people::focal_roles_of(conn, &id)?.is_empty() {
                return Err(AppError::Conflict {
                    code: "person_is_focal_point",
                    field: None,
                });
            }
            if irnet_store::directory::profile::mentions_person(conn, &id)? {
                return Err(AppError::Conflict {
                    code: "person_in_profile",
                    field: None,
                });
            }
            people::delete(conn, &id)?;
            let before = view(before);
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "person.deleted",
                    object_type: "person",
                    object_id: Some(&id),
                    object_org_id: Some(&before.org_id),
                    summary: serde_json::json!({ "full_name": before.full_name, "title": before.title }),
                },
            )?;
            Ok(())
        })
        .await
}

pub(crate) fn focal_views(
    conn: &mut DbConn,
    org_id: &str,
) -> Result<Vec<FocalPointView>, AppError> {
    let mut out = Vec::new();
    for f in people::focal_points_of(conn, org_id)? {
        if let Some(p) = people::get(conn, &f.person_id)? {
            out.push(FocalPointView {
                kind: f.kind,
                person: view(p),
                since: from_db(f.since),
                confirmed_at: from_db(f.confirmed_at),
            });
        }
    }
    Ok(out)
}

/// The organisation's main and backup 24/7 focal points (main first).
pub async fn focal_points(
    app: &App,
    actor: &Actor,
    org_id: &str,
) -> Result<Vec<FocalPointView>, AppError> {
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .read(move |conn| {
            readable(conn, &app2, &actor2, &org_id)?;
            focal_views(conn, &org_id)
        })
        .await
}

/// Names a person of the organisation as its main or backup focal point.
pub async fn set_focal_point(
    app: &App,
    actor: &Actor,
    org_id: &str,
    kind: &str,
    person_id: &str,
) -> Result<Vec<FocalPointView>, AppError> {
    if kind != "main" && kind != "backup" {
        return Err(AppError::invalid("kind", "invalid_focal_point_kind"));
    }
    let (app2, actor2, org_id, kind, person_id) = (
        app.clone(),
        actor.clone(),
        org_id.to_owned(),
        kind.to_owned(),
        person_id.to_owned(),
    );
    app.store
        .write(move |conn| {
            editable(conn, &app2, &actor2, &org_id)?;
            let person = people::get(conn, &person_id)?
                .filter(|p| p.org_id == org_id)
                .ok_or_else(|| AppError::invalid("person_id", "unknown_person"))?;
            let now = to_db(app2.now());
            people::set_focal_point(
                conn,
                &FocalPointRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    org_id: org_id.clone(),
                    kind: kind.clone(),
                    person_id: person.id.clone(),
                    since: now,
                    confirmed_at: now,
                },
            )?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "focal_point.set",
                    object_type: "organisation",
                    object_id: Some(&org_id),
                    object_org_id: Some(&org_id),
                    summary: serde_json::json!({ "kind": kind, "person": person.id }),
                },
            )?;
            focal_views(conn, &org_id)
        })
        .await
}

/// Confirms that the focal points are current (members confirm them periodically).
pub async fn confirm_focal_points(
    app: &App,
    actor: &Actor,
    org_id: &str,
) -> Result<Vec<FocalPointView>, AppError> {
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .write(move |conn| {
            editable(conn, &app2, &actor2, &org_id)?;
            if people::confirm_focal_points(conn, &org_id, to_db(app2.now()))? == 0 {
                return Err(AppError::Conflict {
                    code: "no_focal_points",
                    field: None,
                });
            }
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "focal_point.confirmed",
                    object_type: "organisation",
                    object_id: Some(&org_id),
                    object_org_id: Some(&org_id),
                    summary: serde_json::json!({}),
                },
            )?;
            focal_views(conn, &org_id)
        })
        .await
}
