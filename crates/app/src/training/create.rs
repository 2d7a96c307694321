//! Creating a programme, and changing its title, topic, audience and invited members. The
//! organiser is a member, the lead of a cluster in the programme's year (for that cluster), or
//! the coordinator; its org admins and the coordinator run it (`may_manage_training_of`).

use irnet_domain::OrgKind;
use irnet_domain::ids::{OrgId, ProgrammeId};
use irnet_domain::training::OrganiserKind;
use irnet_store::DbConn;
use irnet_store::directory::{clusters, orgs};
use irnet_store::time::to_db;
use irnet_store::training::{self as store, ProgrammeRow};

use super::{ProgrammeSummary, clean, managed};
use crate::audit::{self, Change};
use crate::error::Problems;
use crate::{Actor, App, AppError};

/// A new programme, or the changes to one (the organiser, cluster and year are kept on change).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeInput {
    /// the organising organisation; default: the actor's own
    #[serde(default)]
    pub organiser_org_id: Option<String>,
    /// for a programme a cluster lead organises for its cluster
    #[serde(default)]
    pub cluster_id: Option<String>,
    pub title: String,
    #[serde(default)]
    pub topic: String,
    /// who it is for, in words ("the provinces' incident response teams")
    #[serde(default)]
    pub audience: String,
    pub year: i32,
    /// the member organisations invited (their people may attend)
    #[serde(default)]
    pub invited: Vec<String>,
}

struct Checked {
    title: String,
    topic: String,
    audience: String,
    invited: Vec<String>,
}

fn check(conn: &mut DbConn, input: &ProgrammeInput) -> Result<Checked, AppError> {
    let mut p = Problems::default();
    let (title, topic, audience) = (
        clean(&input.title),
        clean(&input.topic),
        clean(&input.audience),
    );
    p.text("title", &title, true, 200);
    p.text("topic", &topic, false, 500);
    p.text("audience", &audience, false, 500);
    if !(2000..=2100).contains(&input.year) {
        p.add("year", "invalid_year");
    }
    let mut invited: Vec<String> = Vec::new();
    for (i, org) in input.invited.iter().enumerate() {
        match orgs::get(conn, org.trim())? {
            Some(o) if !invited.contains(&o.id) => invited.push(o.id),
            Some(_) => {}
            None => p.add(&format!("invited[{i}]"), "unknown_org"),
        }
    }
    p.into_result()?;
    Ok(Checked {
        title,
        topic,
        audience,
        invited,
    })
}

/// Where the organiser stands: the coordinator, the lead of `cluster` in `year`, or a member.
fn organiser_kind(
    conn: &mut DbConn,
    organiser: &str,
    cluster: Option<&str>,
    year: i32,
) -> Result<OrganiserKind, AppError> {
    let org = orgs::get(conn, organiser)?
        .ok_or_else(|| AppError::invalid("organiser_org_id", "unknown_org"))?;
    if let Some(cluster) = cluster {
        let leads = clusters::lead_in(conn, cluster, year)?.is_some_and(|l| l.org_id == org.id);
        return if leads {
            Ok(OrganiserKind::ClusterLead)
        } else {
            Err(AppError::invalid("cluster_id", "not_cluster_lead"))
        };
    }
    Ok(if org.kind == OrgKind::NationalCoordinator.as_str() {
        OrganiserKind::Coordinator
    } else {
        OrganiserKind::Member
    })
}

pub async fn create(
    app: &App,
    actor: &Actor,
    input: ProgrammeInput,
) -> Result<ProgrammeSummary, AppError> {
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            let organiser = input
                .organiser_org_id
                .clone()
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty())
                .unwrap_or_else(|| actor2.principal.org_id.as_str().to_owned());
            if !actor2.principal.may_write() {
                return Err(AppError::ReadOnly);
            }
            if !actor2
                .principal
                .may_manage_training_of(&OrgId::from_trusted(organiser.clone()))
            {
                return Err(AppError::Forbidden);
            }
            let c = check(conn, &input)?;
            let cluster = input
                .cluster_id
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty());
            let kind = organiser_kind(conn, &organiser, cluster, input.year)?;
            let now = to_db(app2.now());
            let row = ProgrammeRow {
                id: ProgrammeId::new(),
                organiser_org_id: organiser.clone(),
                organiser_kind: kind.as_str().to_owned(),
                cluster_id: cluster.map(str::to_owned),
                title: c.title,
                topic: c.topic,
                audience: c.audience,
                year: input.year,
                created_by: Some(actor2.principal.user_id.as_str().to_owned()),
                created_at: now,
                updated_at: now,
            };
            store::insert_programme(conn, &row, &c.invited)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "training.programme_created",
                    object_type: "training_programme",
                    object_id: Some(row.id.as_str()),
                    object_org_id: Some(&organiser),
                    // the title stays with the programme's readers: the log names the year only
                    summary: serde_json::json!({ "year": row.year, "invited": c.invited.len() }),
                },
            )?;
            super::get::summary_of(conn, &row, app2.today())
        })
        .await
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: &ProgrammeId,
    input: ProgrammeInput,
) -> Result<ProgrammeSummary, AppError> {
    let (app2, actor2, id2) = (app.clone(), actor.clone(), id.clone());
    app.store
        .write(move |conn| {
            let (mut row, _) = managed(conn, &actor2, &id2)?;
            let c = check(
                conn,
                &ProgrammeInput {
                    year: row.year,
                    ..input
                },
            )?;
            row.title = c.title;
            row.topic = c.topic;
            row.audience = c.audience;
            row.updated_at = to_db(app2.now());
            store::update_programme(conn, &row, &c.invited)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "training.programme_updated",
                    object_type: "training_programme",
                    object_id: Some(row.id.as_str()),
                    object_org_id: Some(&row.organiser_org_id),
                    summary: serde_json::json!({ "year": row.year, "invited": c.invited.len() }),
                },
            )?;
            super::get::summary_of(conn, &row, app2.today())
        })
        .await
}
