//! Granting a part in one drill (organisers): a member team taking part, or a person as judge,
//! observer or fellow organiser. The grant reaches that drill only.

use irnet_domain::drills::DrillRole;
use irnet_domain::ids::{DrillId, OrgId, UserId};
use irnet_store::drills::{self as store, MemberRow};
use irnet_store::time::to_db;

use super::read::{DrillView, view};
use crate::audit::{self, Change};
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    /// participant, observer, judge or organiser
    pub role: String,
    /// a member team (all its people); or
    #[serde(default)]
    pub org_id: Option<String>,
    /// one person, by account id; or
    #[serde(default)]
    pub user_id: Option<String>,
    /// one person, by the email address of their account (what an organiser knows)
    #[serde(default)]
    pub email: Option<String>,
}

pub async fn add_member(
    app: &App,
    actor: &Actor,
    id: &DrillId,
    input: MemberInput,
) -> Result<DrillView, AppError> {
    let role = DrillRole::parse(&input.role).map_err(|e| AppError::field("role", &e))?;
    let org = match input.org_id.as_deref() {
        Some(o) => Some(OrgId::parse(o).map_err(|e| AppError::field("org_id", &e))?),
        None => None,
    };
    let user = match input.user_id.as_deref() {
        Some(u) => Some(UserId::parse(u).map_err(|e| AppError::field("user_id", &e))?),
        None => None,
    };
    let email = input
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_lowercase);
    let by_email = email.is_some();
    // A team takes part as a whole; the other parts are given to people.
    match (&org, user.is_some() || by_email, role) {
        (Some(_), false, DrillRole::Participant) | (None, true, _) => {}
        (None, false, _) => return Err(AppError::invalid("org_id", "required")),
        _ => return Err(AppError::invalid("role", "invalid_value")),
    }
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.clone());
    app.store
        .write(move |conn| {
            let d = super::load(conn, &actor2, &id)?;
            super::allowed(&actor2, actor2.principal.may_run_drill(&d.facts))?;
            if role == DrillRole::Participant && !d.row.state.open_to_changes() {
                return Err(AppError::Conflict {
                    code: "drill_takes_no_teams",
                    field: Some("org_id"),
                });
            }
            if let Some(o) = &org
                && irnet_store::directory::orgs::get(conn, o.as_str())?.is_none()
            {
                return Err(AppError::invalid("org_id", "unknown_org"));
            }
            if let Some(u) = &user
                && irnet_store::identity::users::get(conn, u.as_str())?.is_none()
            {
                return Err(AppError::invalid("user_id", "unknown_user"));
            }
            let user = match &email {
                None => user,
                Some(e) => {
                    let found = irnet_store::identity::users::by_email(conn, e)?
                        .ok_or_else(|| AppError::invalid("email", "unknown_user"))?;
                    Some(UserId::from_trusted(found.id))
                }
            };
            let now = to_db(app2.now());
            store::add_member(
                conn,
                &MemberRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    drill_id: d.row.id.clone(),
                    role,
                    org_id: org.as_ref().map(|o| o.as_str().to_owned()),
                    user_id: user.as_ref().map(|u| u.as_str().to_owned()),
                    created_at: now,
                },
            )
            .map_err(|e| {
                if irnet_store::is_unique_violation(&e) {
                    AppError::Conflict {
                        code: "drill_member_exists",
                        field: Some("role"),
                    }
                } else {
                    e.into()
                }
            })?;
            if let (Some(o), DrillRole::Participant) = (&org, role) {
                store::add_team(conn, &d.row.id, o.as_str())?;
            }
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "drill.member_added",
                    object_type: "drill",
                    object_id: Some(d.row.id.as_str()),
                    object_org_id: org.as_ref().map(|o| o.as_str()),
                    summary: serde_json::json!({ "role": role.as_str(), "user": user.as_ref().map(|u| u.as_str()) }),
                },
            )?;
            let d = super::load(conn, &actor2, &id)?;
            view(conn, &app2, &actor2, &d)
        })
        .await
}
