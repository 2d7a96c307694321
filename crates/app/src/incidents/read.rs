//! An incident as its audience reads it: the view, with the reader's abilities, and the
//! read of one incident.

use chrono::NaiveDateTime;
use irnet_domain::ids::IncidentId;
use irnet_store::DbConn;
use irnet_store::directory::systems;

use super::{InitialReportFields, Loaded, deadlines, load};
use crate::{Actor, App, AppError};

/// An incident as its audience sees it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct IncidentView {
    pub id: String,
    /// given on submission, per member and year, e.g. "LS-2026-0003" (incidents submitted
    /// before per-member numbering keep their network-wide "2024-000001")
    pub number: Option<String>,
    pub owner_org_id: String,
    /// the owner's Vietnamese name on the detection day (`directory::names`)
    pub owner_name: String,
    /// the owner's name on the detection day, with today's beside it where it differs
    pub owner: crate::directory::names::OrgName,
    pub status: String,
    pub tlp: String,
    pub title: String,
    pub summary: Option<String>,
    pub type_key: Option<String>,
    pub severity: Option<String>,
    /// in the network's time zone
    pub detected_at: String,
    pub system_id: Option<String>,
    pub system_name: Option<String>,
    pub system_level: Option<i32>,
    pub effects: Vec<String>,
    pub exceeds_capacity: bool,
    pub serious_proposed: bool,
    /// `null` until the coordinator decides
    pub serious_confirmed: Option<bool>,
    pub data_loss: String,
    pub data_loss_detail: Option<String>,
    pub damage_estimate: Option<String>,
    pub helped_by_foreign: bool,
    pub report: InitialReportFields,
    pub submitted_at: Option<String>,
    pub escalated_at: Option<String>,
    pub acknowledged_at: Option<String>,
    pub response_ended_at: Option<String>,
    pub closed_at: Option<String>,
    pub deadlines: Vec<deadlines::DeadlineView>,
    /// whom the submitted notice reached, and who acknowledged it
    pub notice: super::notice::NoticeView,
    /// what the reader may do here
    pub may: Abilities,
}

/// The reader's abilities on one incident, as `domain::policy` decides them
/// (`Principal::incident_abilities`), so pages and clients need not re-derive the policy.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Abilities {
    /// edit the report, classify, file reports, ask for support (the owner)
    pub manage: bool,
    /// add tasks, observables, comments, attachments (owner and accepted supporters)
    pub work: bool,
    /// acknowledge, confirm seriousness, instruct (the coordinator once reported)
    pub coordinate: bool,
    pub close: bool,
}

fn list_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

pub(crate) fn view(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    l: &Loaded,
) -> Result<IncidentView, AppError> {
    let r = &l.row;
    let owner = crate::directory::names::name_on(
        conn,
        &r.owner_org_id,
        crate::directory::names::day_of(app, r.detected_at),
        app.today(),
    )?;
    let owner_name = owner.name_vi.clone();
    let system_name = match &r.system_id {
        Some(s) => systems::get(conn, s)?.map(|s| s.name),
        None => None,
    };
    let at = |t: Option<NaiveDateTime>| t.map(|t| app.local(t));
    Ok(IncidentView {
        id: r.id.to_string(),
        number: r.number.clone(),
        owner_org_id: r.owner_org_id.clone(),
        owner_name,
        owner,
        status: r.status.as_str().to_owned(),
        tlp: r.tlp.as_str().to_owned(),
        title: r.title.clone(),
        summary: r.summary.clone(),
        type_key: r.type_key.clone(),
        severity: r.severity.clone(),
        detected_at: app.local(r.detected_at),
        system_id: r.system_id.clone(),
        system_name,
        system_level: r.system_level,
        effects: list_of(&r.effects),
        exceeds_capacity: r.exceeds_capacity,
        serious_proposed: r.serious_proposed,
        serious_confirmed: r.serious_confirmed,
        data_loss: r.data_loss.clone(),
        data_loss_detail: r.data_loss_detail.clone(),
        damage_estimate: r.damage_estimate.clone(),
        helped_by_foreign: r.helped_by_foreign,
        report: serde_json::from_str(&r.report).unwrap_or_default(),
        submitted_at: at(r.submitted_at),
        escalated_at: at(r.escalated_at),
        acknowledged_at: at(r.acknowledged_at),
        response_ended_at: at(r.response_ended_at),
        closed_at: at(r.closed_at),
        deadlines: deadlines::views(conn, app, r)?,
        notice: super::notice::view(conn, app, actor, l)?,
        may: l.abilities(actor),
    })
}

pub async fn get(app: &App, actor: &Actor, id: &IncidentId) -> Result<IncidentView, AppError> {
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .read(move |conn| {
            let l = load(conn, &actor2, &id)?;
            view(conn, &app2, &actor2, &l)
        })
        .await
}
