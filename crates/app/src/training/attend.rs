//! Marking a person present at a session, or taking the mark back. The person is of the
//! organiser or an invited member, and the reader may record their attendance
//! (`may_record_attendance`); the hours count for the person's organisation in the session's
//! year (`record_hours`).

use irnet_domain::ids::{ProgrammeId, TrainingSessionId};
use irnet_domain::training::HoursSource;
use irnet_store::directory::people as people_store;
use irnet_store::training as store;

use super::readable;
use crate::audit::{self, Change};
use crate::directory::orgs::org_ref;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceInput {
    /// a person of the directory
    pub person_id: String,
    /// present (true) or not (false: takes a mark back)
    #[serde(default = "yes")]
    pub attended: bool,
}

fn yes() -> bool {
    true
}

pub async fn mark(
    app: &App,
    actor: &Actor,
    programme: &ProgrammeId,
    session: &TrainingSessionId,
    input: AttendanceInput,
) -> Result<(), AppError> {
    let (app2, actor2, pid, sid) = (
        app.clone(),
        actor.clone(),
        programme.clone(),
        session.clone(),
    );
    app.store
        .write(move |conn| {
            let (row, invited) = readable(conn, &actor2, &pid)?;
            let s = store::get_session(conn, &sid)?
                .filter(|s| s.programme_id == row.id)
                .ok_or(AppError::NotFound)?;
            if !actor2.principal.may_write() {
                return Err(AppError::ReadOnly);
            }
            // A person the reader may not know of is refused as an unknown one.
            let person = people_store::get(conn, input.person_id.trim())?
                .ok_or_else(|| AppError::invalid("person_id", "unknown_person"))?;
            let target = org_ref(conn, &app2, &person.org_id)?;
            if !actor2.principal.may_read_org_private(&target) {
                return Err(AppError::invalid("person_id", "unknown_person"));
            }
            if person.org_id != row.organiser_org_id && !invited.contains(&person.org_id) {
                return Err(AppError::invalid("person_id", "not_invited"));
            }
            let runs =
                actor2
                    .principal
                    .may_manage_training_of(&irnet_domain::ids::OrgId::from_trusted(
                        row.organiser_org_id,
                    ));
            if !actor2.principal.may_record_attendance(runs, &target) {
                return Err(AppError::Forbidden);
            }
            if input.attended {
                super::record_hours(
                    conn,
                    &app2,
                    &person.id,
                    s.held_on,
                    s.minutes,
                    HoursSource::Session,
                    s.id.as_str(),
                )?;
            } else {
                store::remove_hours(conn, HoursSource::Session, s.id.as_str(), &person.id)?;
            }
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: if input.attended {
                        "training.attendance_marked"
                    } else {
                        "training.attendance_unmarked"
                    },
                    object_type: "training_attendance",
                    object_id: Some(&person.id),
                    object_org_id: Some(&person.org_id),
                    summary: serde_json::json!({ "held_on": s.held_on, "minutes": s.minutes }),
                },
            )?;
            Ok::<_, AppError>(())
        })
        .await
}
