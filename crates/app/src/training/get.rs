//! One programme as its reader may see it: its sessions, and for each the attendees whose
//! organisation's private part the reader may read (filtered in SQL), and — for those who may
//! record attendance — the people they may mark present.

use chrono::NaiveDate;
use irnet_domain::ids::{OrgId, ProgrammeId, TrainingSessionId};
use irnet_domain::text;
use irnet_domain::training::{HoursSource, hours_text};
use irnet_store::DbConn;
use irnet_store::directory::people as people_store;
use irnet_store::training::{self as store, ProgrammeRow};

use super::{ProgrammeSummary, programme_day, readable};
use crate::directory::names::{OrgName, names_on, unknown};
use crate::directory::orgs::org_ref;
use crate::directory::people::full_name;
use crate::{Actor, App, AppError};

/// A person marked present at a session.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AttendeeView {
    pub person_id: String,
    pub full_name: String,
    /// the person's organisation as named on the session's day
    pub org: OrgName,
    /// the reader may take the mark back
    pub may_unmark: bool,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SessionView {
    #[schema(value_type = String)]
    pub id: TrainingSessionId,
    pub held_on: NaiveDate,
    pub place: String,
    pub minutes: i32,
    /// the length in hours, one decimal at most ("3.5")
    pub hours: String,
    pub topic: String,
    pub trainer: String,
    /// the attendees the reader may know of (their organisation's private part)
    pub attendees: Vec<AttendeeView>,
}

/// Someone the reader may mark present: a person of the organiser or an invited member whose
/// attendance the reader may record.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AttendablePerson {
    pub person_id: String,
    pub full_name: String,
    pub org: OrgName,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProgrammeView {
    pub programme: ProgrammeSummary,
    /// the invited members, as named on the programme's day
    pub invited: Vec<OrgName>,
    pub sessions: Vec<SessionView>,
    /// the reader runs the programme: edits it and adds sessions
    pub may_manage: bool,
    pub attendable: Vec<AttendablePerson>,
}

/// The summary of a programme row, its organiser named on the programme's day.
pub(crate) fn summary_of(
    conn: &mut DbConn,
    row: &ProgrammeRow,
    today: NaiveDate,
) -> Result<ProgrammeSummary, AppError> {
    let day = programme_day(conn, row, today)?;
    let organiser = crate::directory::names::name_on(conn, &row.organiser_org_id, day, today)
        .unwrap_or_else(|_| unknown(&row.organiser_org_id));
    Ok(ProgrammeSummary {
        id: row.id.clone(),
        title: row.title.clone(),
        topic: row.topic.clone(),
        audience: row.audience.clone(),
        year: row.year,
        organiser_kind: row.organiser_kind.clone(),
        organiser,
    })
}

pub async fn summary(
    app: &App,
    actor: &Actor,
    id: &ProgrammeId,
) -> Result<ProgrammeSummary, AppError> {
    let (actor2, id2, today) = (actor.clone(), id.clone(), app.today());
    app.store
        .read(move |conn| {
            let (row, _) = readable(conn, &actor2, &id2)?;
            summary_of(conn, &row, today)
        })
        .await
}

pub async fn get(app: &App, actor: &Actor, id: &ProgrammeId) -> Result<ProgrammeView, AppError> {
    let (app2, actor2, id2, today) = (app.clone(), actor.clone(), id.clone(), app.today());
    app.store
        .read(move |conn| {
            let (row, invited) = readable(conn, &actor2, &id2)?;
            let p = &actor2.principal;
            let may_manage =
                p.may_manage_training_of(&OrgId::from_trusted(row.organiser_org_id.clone()));
            let programme = summary_of(conn, &row, today)?;
            let day = programme_day(conn, &row, today)?;
            let invited_names = {
                let names = names_on(conn, &invited, day, today)?;
                invited
                    .iter()
                    .map(|o| names.get(o).cloned().unwrap_or_else(|| unknown(o)))
                    .collect()
            };
            // Whose attendance the reader may record: the organiser's and invited members' people.
            let mut orgs_markable = Vec::new();
            for org in std::iter::once(&row.organiser_org_id).chain(invited.iter()) {
                if !orgs_markable.contains(org)
                    && p.may_record_attendance(may_manage, &org_ref(conn, &app2, org)?)
                {
                    orgs_markable.push(org.clone());
                }
            }
            let rows = store::sessions_of(conn, &row.id)?;
            let ids: Vec<String> = rows.iter().map(|s| s.id.as_str().to_owned()).collect();
            let hours = store::hours_of_sources(
                conn,
                HoursSource::Session,
                &ids,
                &p.private_read_rule(),
                today,
            )?;
            let person_ids: Vec<String> = hours.iter().map(|h| h.person_id.clone()).collect();
            let people = people_store::get_many(conn, &person_ids)?;
            let name_of = |id: &str| {
                people
                    .iter()
                    .find(|x| x.id == id)
                    .map(full_name)
                    .unwrap_or_default()
            };
            let mut sessions = Vec::with_capacity(rows.len());
            for s in rows {
                let mine: Vec<_> = hours
                    .iter()
                    .filter(|h| h.source_id == s.id.as_str())
                    .collect();
                let orgs: Vec<String> = mine.iter().map(|h| h.org_id.clone()).collect();
                let names = names_on(conn, &orgs, s.held_on, today)?;
                let mut attendees: Vec<AttendeeView> = mine
                    .iter()
                    .map(|h| AttendeeView {
                        person_id: h.person_id.clone(),
                        full_name: name_of(&h.person_id),
                        org: names
                            .get(&h.org_id)
                            .cloned()
                            .unwrap_or_else(|| unknown(&h.org_id)),
                        may_unmark: orgs_markable.contains(&h.org_id),
                    })
                    .collect();
                attendees.sort_by_key(|a| text::given_name_sort_key(&a.full_name));
                sessions.push(SessionView {
                    hours: hours_text(i64::from(s.minutes)),
                    id: s.id,
                    held_on: s.held_on,
                    place: s.place,
                    minutes: s.minutes,
                    topic: s.topic,
                    trainer: s.trainer,
                    attendees,
                });
            }
            let markable_names = names_on(conn, &orgs_markable, day, today)?;
            let mut attendable: Vec<AttendablePerson> =
                people_store::of_orgs(conn, &orgs_markable)?
                    .iter()
                    .map(|x| AttendablePerson {
                        person_id: x.id.clone(),
                        full_name: full_name(x),
                        org: markable_names
                            .get(&x.org_id)
                            .cloned()
                            .unwrap_or_else(|| unknown(&x.org_id)),
                    })
                    .collect();
            attendable.sort_by_key(|a| text::given_name_sort_key(&a.full_name));
            Ok(ProgrammeView {
                programme,
                invited: invited_names,
                sessions,
                may_manage: may_manage && p.may_write(),
                attendable,
            })
        })
        .await
}
