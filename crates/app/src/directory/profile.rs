//! The member profile (Mẫu 01) as one document: organisation, contacts, 24/7 focal points, the
//! incident response team, capabilities, information systems with their levels, staff counts and
//! experts. The whole profile is the member's private part, so it is read in one transaction after
//! one access check, and exported as JSON or DOCX from the same data.

use chrono::{DateTime, NaiveDate, Utc};
use irnet_domain::text;
use irnet_store::directory::clusters as clusters_store;
use irnet_store::directory::history;
use irnet_store::directory::orgs;
use irnet_store::directory::people as people_store;
use irnet_store::directory::profile as store;
use irnet_store::directory::systems as systems_store;
use irnet_store::time::{from_db, to_db};

use super::people::{FocalPointView, PersonView, editable, focal_views, readable, view};
use super::staff::{ExpertView, StaffView, expert_views, staff_view};
use super::systems::{self, SystemView};
use super::team::{CapabilityView, TeamView, capability_views, team_view};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProfileCluster {
    pub id: String,
    pub number: i32,
    pub name_vi: String,
    pub name_en: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProfileOrg {
    pub id: String,
    /// the names it had on the day the profile is read as of
    pub name_vi: String,
    pub name_en: Option<String>,
    pub short_name: Option<String>,
    pub kind: String,
    pub member_code: Option<String>,
    /// the clusters it belonged to that day
    pub clusters: Vec<ProfileCluster>,
}

/// The organisation's address, phone, e-mail and head, as Mẫu 01 asks for them.
#[derive(
    Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(default)]
pub struct OrgDetails {
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// the head of the organisation ("Nguyễn Văn A") and the title ("Giám đốc")
    pub head_name: Option<String>,
    pub head_title: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MemberProfile {
    /// the day the organisation's names and clusters are read as of
    pub as_of: NaiveDate,
    pub organisation: ProfileOrg,
    /// the member's people, sorted by given name
    pub contacts: Vec<PersonView>,
    /// main first, then backup; each with since and last confirmed
    pub focal_points: Vec<FocalPointView>,
    pub team: TeamView,
    pub capabilities: Vec<CapabilityView>,
    /// address, phone, e-mail and head
    pub details: OrgDetails,
    /// systems it owns or operates, with their security levels
    pub systems: Vec<SystemView>,
    /// the names (as of the profile's day) of the systems' owners and operators, by id
    pub system_orgs: std::collections::BTreeMap<String, String>,
    pub staff: StaffView,
    pub experts: Vec<ExpertView>,
    /// when any section of the profile last changed
    pub updated_at: Option<DateTime<Utc>>,
    /// when the member last confirmed the profile as current (it does so yearly)
    pub confirmed_on: Option<NaiveDate>,
}

pub(crate) fn load(
    conn: &mut irnet_store::DbConn,
    org_id: &str,
    day: NaiveDate,
) -> Result<MemberProfile, AppError> {
    let org = orgs::get(conn, org_id)?.ok_or(AppError::NotFound)?;
    let named = history::names_on(conn, std::slice::from_ref(&org.id), day)?.remove(&org.id);
    let (name_vi, name_en, short_name) = match named {
        Some(n) => (n.name_vi, n.name_en, n.short_name),
        None => (
            org.name_vi.clone(),
            org.name_en.clone(),
            org.short_name.clone(),
        ),
    };
    let mut clusters = Vec::new();
    for id in clusters_store::clusters_of_org(conn, org_id, day)? {
        if let Some(c) = clusters_store::get(conn, &id)? {
            clusters.push(ProfileCluster {
                id: c.id,
                number: c.number,
                name_vi: c.name_vi,
                name_en: c.name_en,
            });
        }
    }
    let mut contacts: Vec<PersonView> = people_store::of_orgs(conn, std::slice::from_ref(&org.id))?
        .into_iter()
        .map(view)
        .collect();
    contacts.sort_by_key(|p| text::given_name_sort_key(&p.full_name));
    let profile = store::profile(conn, org_id)?;
    let details = store::details(conn, org_id)?.map_or_else(OrgDetails::default, |d| OrgDetails {
        address: d.address,
        phone: d.phone,
        email: d.email,
        head_name: d.head_name,
        head_title: d.head_title,
    });
    let systems: Vec<SystemView> = systems_store::of_org(conn, org_id)?
        .into_iter()
        .map(systems::view)
        .collect();
    let parties: Vec<String> = systems
        .iter()
        .flat_map(|s| std::iter::once(s.owner_org_id.clone()).chain(s.operator_org_id.clone()))
        .collect();
    let system_orgs = super::names::names_on(conn, &parties, day, day)?
        .into_iter()
        .map(|(id, n)| (id, n.name_vi))
        .collect();
    Ok(MemberProfile {
        as_of: day,
        organisation: ProfileOrg {
            id: org.id.clone(),
            name_vi,
            name_en,
            short_name,
            kind: org.kind,
            member_code: org.member_code,
            clusters,
        },
        contacts,
        focal_points: focal_views(conn, org_id)?,
        team: team_view(conn, org_id)?,
        capabilities: capability_views(conn, org_id)?,
        details,
        systems,
        system_orgs,
        staff: staff_view(conn, org_id)?,
        experts: expert_views(conn, org_id)?,
        updated_at: profile.as_ref().map(|p| from_db(p.updated_at)),
        confirmed_on: profile.and_then(|p| p.confirmed_on),
    })
}

/// Everything Mẫu 01 asks for, with the organisation's names and clusters as of `day`.
pub async fn get(
    app: &App,
    actor: &Actor,
    org_id: &str,
    day: NaiveDate,
) -> Result<MemberProfile, AppError> {
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .read(move |conn| {
            readable(conn, &app2, &actor2, &org_id)?;
            load(conn, &org_id, day)
        })
        .await
}

/// Records that the member confirmed today that its profile is current.
pub async fn confirm(app: &App, actor: &Actor, org_id: &str) -> Result<MemberProfile, AppError> {
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .write(move |conn| {
            editable(conn, &app2, &actor2, &org_id)?;
            let today = app2.today();
            store::touch(conn, &org_id, to_db(app2.now()), Some(today))?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "member_profile.confirmed",
                    object_type: "organisation",
                    object_id: Some(&org_id),
                    object_org_id: Some(&org_id),
                    summary: serde_json::json!({ "confirmed_on": today }),
                },
            )?;
            load(conn, &org_id, today)
        })
        .await
}

/// Sets the organisation's address, phone, e-mail and head (those who edit its profile).
pub async fn set_details(
    app: &App,
    actor: &Actor,
    org_id: &str,
    input: OrgDetails,
) -> Result<MemberProfile, AppError> {
    let mut p = crate::error::Problems::default();
    let mut clean = |field: &str, v: &Option<String>, max: usize| {
        let v = v.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
        p.text(field, v, false, max);
        Some(text::nfc(v))
    };
    let address = clean("address", &input.address, 300);
    let phone = clean("phone", &input.phone, 50);
    let head_name = clean("head_name", &input.head_name, 200);
    let head_title = clean("head_title", &input.head_title, 200);
    let email = input
        .email
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .and_then(|e| p.check("email", irnet_domain::Email::parse(e)))
        .map(|e| e.as_str().to_owned());
    if head_title.is_some() && head_name.is_none() {
        p.add("head_name", "required");
    }
    p.into_result()?;
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .write(move |conn| {
            editable(conn, &app2, &actor2, &org_id)?;
            let now = to_db(app2.now());
            store::replace_details(
                conn,
                &store::DetailsRow {
                    org_id: org_id.clone(),
                    address,
                    phone,
                    email,
                    head_name,
                    head_title,
                    updated_at: now,
                },
            )?;
            store::touch(conn, &org_id, now, None)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "member_profile.details_updated",
                    object_type: "organisation",
                    object_id: Some(&org_id),
                    object_org_id: Some(&org_id),
                    summary: serde_json::json!({}),
                },
            )?;
            load(conn, &org_id, app2.today())
        })
        .await
}

/// A file to download: its bytes, an ASCII file name and the name in Vietnamese.
#[derive(Debug, Clone)]
pub struct Download {
    pub bytes: Vec<u8>,
    pub ascii_name: String,
    pub name: String,
}

/// The profile as a Mẫu 01 DOCX, in Vietnamese, rendered from today's data and so marked as a
/// draft (what the member confirms is filed: `profile_filing`).
pub async fn docx(
    app: &App,
    actor: &Actor,
    org_id: &str,
    day: NaiveDate,
) -> Result<Download, AppError> {
    let p = get(app, actor, org_id, day).await?;
    let (issued, offset) = (app.today(), app.settings.local_offset);
    let bytes = tokio::task::spawn_blocking(move || {
        super::profile_document::render_as(
            &p,
            issued,
            offset,
            None,
            &crate::filing::Filing::default(),
            true,
        )
        .map(|b| (b, p))
    })
    .await
    .map_err(AppError::internal)?;
    let (bytes, p) = bytes?;
    crate::audit::exported(
        app,
        actor,
        "docx_mau_01",
        Some(("org_private", org_id)),
        serde_json::json!({ "org_id": org_id, "day": day }),
    )
    .await?;
    let label = p
        .organisation
        .short_name
        .clone()
        .unwrap_or_else(|| p.organisation.name_vi.clone());
    let ascii: String = text::fold(&label)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let stamp = day.format("%Y-%m-%d");
    Ok(Download {
        bytes,
        ascii_name: format!("mau-01-{ascii}-{stamp}.docx"),
        name: format!("Mẫu 01 - {} - {stamp}.docx", p.organisation.name_vi),
    })
}

/// What everyone in the network may see of an organisation: its record, its names over time, its
/// successions and the clusters it belongs to on `day`.
#[derive(Debug, Clone)]
pub struct PublicPart {
    pub org: super::orgs::OrgView,
    pub history: super::orgs::OrgHistory,
    pub clusters: Vec<ProfileCluster>,
}

pub async fn public_part(
    app: &App,
    actor: &Actor,
    org_id: &str,
    day: NaiveDate,
) -> Result<PublicPart, AppError> {
    let org = super::orgs::get(app, actor, org_id).await?;
    let history = super::orgs::history(app, actor, org_id).await?;
    let id = org_id.to_owned();
    let clusters = app
        .store
        .read(move |conn| {
            let mut out = Vec::new();
            for cid in clusters_store::clusters_of_org(conn, &id, day)? {
                if let Some(c) = clusters_store::get(conn, &cid)? {
                    out.push(ProfileCluster {
                        id: c.id,
                        number: c.number,
                        name_vi: c.name_vi,
                        name_en: c.name_en,
                    });
                }
            }
            Ok::<_, AppError>(out)
        })
        .await?;
    Ok(PublicPart {
        org,
        history,
        clusters,
    })
}
