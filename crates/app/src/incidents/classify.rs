//! Classifying an incident (the owner).

use irnet_domain::Tlp;
use irnet_domain::ids::IncidentId;
use irnet_domain::incident::{DataLoss, Effect, Severity};

use super::{IncidentView, clean, deadlines, event, require, save, types, with_incident};
use crate::audit::{self, Change};
use crate::error::Problems;
use crate::{Actor, App, AppError};

/// Classification: type, severity, TLP, effects, capacity, data loss. The serious-incident
/// proposal is recomputed from the system's level and the effects.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct Classification {
    pub type_key: Option<String>,
    pub severity: Option<String>,
    pub tlp: Option<String>,
    #[serde(default)]
    pub effects: Vec<String>,
    #[serde(default)]
    pub exceeds_capacity: bool,
    /// none / confirmed / unknown
    pub data_loss: Option<String>,
    pub data_loss_detail: Option<String>,
    pub damage_estimate: Option<String>,
    #[serde(default)]
    pub helped_by_foreign: bool,
}

pub async fn classify(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    c: Classification,
) -> Result<IncidentView, AppError> {
    let mut p = Problems::default();
    if let Some(t) = &c.type_key
        && types::find(&app.settings, t).is_none()
    {
        p.add("type_key", "unknown_incident_type");
    }
    let severity = c
        .severity
        .as_deref()
        .and_then(|s| p.check("severity", Severity::parse(s)));
    let tlp = c.tlp.as_deref().and_then(|t| p.check("tlp", Tlp::parse(t)));
    let effects: Vec<Effect> = c
        .effects
        .iter()
        .enumerate()
        .filter_map(|(i, e)| p.check(&format!("effects[{i}]"), Effect::parse(e)))
        .collect();
    let data_loss = c
        .data_loss
        .as_deref()
        .and_then(|d| p.check("data_loss", DataLoss::parse(d)));
    p.into_result()?;
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).manage)?;
        let r = &mut l.row;
        r.type_key = c.type_key.clone();
        r.severity = severity.map(|s| s.as_str().to_owned());
        if let Some(t) = tlp {
            r.tlp = t;
        }
        let mut keys: Vec<&str> = effects.iter().map(|e| e.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        r.effects = serde_json::to_string(&keys).unwrap_or_else(|_| "[]".into());
        r.exceeds_capacity = c.exceeds_capacity;
        if let Some(d) = data_loss {
            r.data_loss = d.as_str().to_owned();
        }
        r.data_loss_detail = clean(c.data_loss_detail.as_deref());
        r.damage_estimate = clean(c.damage_estimate.as_deref());
        r.helped_by_foreign = c.helped_by_foreign;
        deadlines::refresh_serious(conn, app, r)?;
        save(conn, app, r)?;
        event(conn, app, actor, &r.id, "classified", None, serde_json::json!({
            "type": r.type_key, "severity": r.severity, "tlp": r.tlp, "data_loss": r.data_loss,
            "serious_proposed": r.serious_proposed,
        }))?;
        audit::record(conn, app, actor, Change {
            action: "incident.classified",
            object_type: "incident",
            object_id: Some(r.id.as_str()),
            object_org_id: Some(&r.owner_org_id),
            summary: serde_json::json!({ "type": r.type_key, "tlp": r.tlp, "data_loss": r.data_loss }),
        })
    })
    .await
}
