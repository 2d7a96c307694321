//! Adding a session to a programme (those who run it): its day, place, length, topic, trainer.

use irnet_domain::ids::{ProgrammeId, TrainingSessionId};
use irnet_domain::training::parse_hours;
use irnet_store::time::to_db;
use irnet_store::training::{self as store, SessionRow};

use super::{clean, date, managed};
use crate::audit::{self, Change};
use crate::error::Problems;
use crate::{Actor, App, AppError};

/// A session as given by a form or the API: the day as yyyy-mm-dd, the length in hours as a
/// decimal ("3.5" or "3,5").
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    pub hours: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub trainer: String,
}

pub async fn add(
    app: &App,
    actor: &Actor,
    programme: &ProgrammeId,
    input: SessionInput,
) -> Result<TrainingSessionId, AppError> {
    let mut p = Problems::default();
    let held_on = date(&mut p, "held_on", &input.held_on);
    let minutes = p.check("hours", parse_hours(&input.hours));
    let (place, topic, trainer) = (
        clean(&input.place),
        clean(&input.topic),
        clean(&input.trainer),
    );
    p.text("place", &place, true, 200);
    p.text("topic", &topic, false, 500);
    p.text("trainer", &trainer, false, 200);
    let (app2, actor2, id) = (app.clone(), actor.clone(), programme.clone());
    app.store
        .write(move |conn| {
            // Refuse those who may not before telling them what is wrong with their input.
            let (row, _) = managed(conn, &actor2, &id)?;
            p.into_result()?;
            let (Some(held_on), Some(minutes)) = (held_on, minutes) else {
                return Err(AppError::invalid("held_on", "required"));
            };
            let s = SessionRow {
                id: TrainingSessionId::new(),
                programme_id: row.id.clone(),
                held_on,
                place,
                minutes,
                topic,
                trainer,
                created_at: to_db(app2.now()),
            };
            store::insert_session(conn, &s)?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "training.session_added",
                    object_type: "training_programme",
                    object_id: Some(row.id.as_str()),
                    object_org_id: Some(&row.organiser_org_id),
                    summary: serde_json::json!({ "held_on": held_on, "minutes": minutes }),
                },
            )?;
            Ok(s.id)
        })
        .await
}
