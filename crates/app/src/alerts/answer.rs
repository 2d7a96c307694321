//! A recipient's answers: the acknowledgement (who, when) and the action report (what it did, with
//! a note, updatable). Signed in, through the API or the page; or without signing in, through the
//! one-click link mailed to a focal point, which acknowledges as that person.

use irnet_domain::Tlp;
use irnet_domain::alert::ActionStatus;
use irnet_domain::ids::AlertId;
use irnet_store::DbConn;
use irnet_store::alerts::{self as store, AlertRow, RecipientRow};
use irnet_store::time::{from_db, to_db};

use super::link;
use super::{AlertView, Loaded, with_alert};
use crate::audit::{self, Change};
use crate::directory::names::OrgName;
use crate::{Actor, App, AppError, RequestMeta};

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct ActionReport {
    /// not_affected, patched, mitigated, in_progress
    pub status: String,
    pub note: Option<String>,
}

fn acknowledge_row(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    r: &mut RecipientRow,
    by_person: Option<&str>,
    by_name: &str,
    via: &str,
) -> Result<(), AppError> {
    if r.acknowledged_at.is_some() {
        // The first acknowledgement stands; acknowledging again changes nothing.
        return Ok(());
    }
    r.acknowledged_at = Some(to_db(app.now()));
    r.acknowledged_by_user = actor.user_id().map(str::to_owned);
    r.acknowledged_by_person = by_person.map(str::to_owned);
    r.acknowledged_by_name = Some(by_name.to_owned());
    store::save_recipient(conn, r)?;
    audit::record(
        conn,
        app,
        actor,
        Change {
            action: "alert.acknowledged",
            object_type: "alert",
            object_id: Some(r.alert_id.as_str()),
            object_org_id: Some(&r.org_id),
            summary: serde_json::json!({ "by": by_name, "via": via }),
        },
    )
}

/// The reader's organisation must be a recipient of the sent alert, and the reader must act for it.
fn answerable(actor: &Actor, l: &Loaded) -> Result<RecipientRow, AppError> {
    let p = &actor.principal;
    match &l.mine {
        Some(mine) if p.may_act_for(&p.org_id) => Ok(mine.clone()),
        _ => Err(AppError::Forbidden),
    }
}

fn name_of(actor: &Actor, conn: &mut DbConn) -> Result<String, AppError> {
    Ok(actor
        .user_id()
        .map(|u| irnet_store::identity::users::get(conn, u))
        .transpose()?
        .flatten()
        .map_or_else(|| actor.label.clone(), |u| u.display_name))
}

/// Acknowledges the alert for the reader's organisation.
pub async fn acknowledge(app: &App, actor: &Actor, id: &AlertId) -> Result<AlertView, AppError> {
    with_alert(app, actor, id, |conn, app, actor, l| {
        let mut mine = answerable(actor, l)?;
        let name = name_of(actor, conn)?;
        acknowledge_row(conn, app, actor, &mut mine, None, &name, "account")
    })
    .await
}

/// Reports (or updates) what the reader's organisation did; it acknowledges too if not yet done.
pub async fn report(
    app: &App,
    actor: &Actor,
    id: &AlertId,
    input: ActionReport,
) -> Result<AlertView, AppError> {
    let status = ActionStatus::parse(&input.status).map_err(|e| AppError::field("status", &e))?;
    let note = input
        .note
        .map(|n| irnet_domain::text::nfc(n.trim()))
        .filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > 5000) {
        return Err(AppError::invalid("note", "invalid_length"));
    }
    with_alert(app, actor, id, move |conn, app, actor, l| {
        let mut mine = answerable(actor, l)?;
        let name = name_of(actor, conn)?;
        acknowledge_row(conn, app, actor, &mut mine, None, &name, "account")?;
        mine.action_status = Some(status);
        mine.action_note = note;
        mine.reported_at = Some(to_db(app.now()));
        mine.reported_by_user = actor.user_id().map(str::to_owned);
        store::save_recipient(conn, &mine)?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "alert.action_reported",
                object_type: "alert",
                object_id: Some(mine.alert_id.as_str()),
                object_org_id: Some(&mine.org_id),
                summary: serde_json::json!({ "status": status.as_str(), "note": mine.action_note }),
            },
        )
    })
    .await
}

/// What a mailed link leads to, for its confirmation page.
#[derive(Debug, Clone)]
pub enum LinkState {
    /// not a link irnet signed (or altered)
    Invalid,
    Expired,
    /// already used: when, and who acknowledged the alert
    Used,
    /// valid: the page offers the button. The title is absent for TLP:RED (no sign-in here).
    Valid {
        /// the recipient, by its name on the alert's send day
        org: OrgName,
        person_name: String,
        title: Option<String>,
        already_acknowledged: bool,
    },
    /// just acknowledged through it
    Acknowledged {
        org: OrgName,
        person_name: String,
    },
}

/// Checks a link without using it (the confirmation page a GET shows: mail scanners fetch links,
/// so only the POST acknowledges).
pub async fn peek(app: &App, token: &str) -> Result<LinkState, AppError> {
    let (app2, token) = (app.clone(), token.to_owned());
    app.store
        .write(move |conn| {
            let (row, r, state) = match check(conn, &app2, &token)? {
                Checked::Ok(found) => {
                    let (t, r, a) = *found;
                    (a, r, t)
                }
                Checked::Not(s) => return Ok(s),
            };
            Ok(LinkState::Valid {
                org: super::name_of(conn, &app2, &row, &r.org_id)?,
                person_name: state.person_name,
                title: (row.tlp != Tlp::Red).then_some(row.title),
                already_acknowledged: r.acknowledged_at.is_some(),
            })
        })
        .await
}

enum Checked {
    Ok(Box<(store::AckTokenRow, RecipientRow, AlertRow)>),
    Not(LinkState),
}

fn check(conn: &mut DbConn, app: &App, token: &str) -> Result<Checked, AppError> {
    let now = app.now();
    let Some(t) = link::verify(conn, now, token)? else {
        return Ok(Checked::Not(LinkState::Invalid));
    };
    if t.used_at.is_some() {
        return Ok(Checked::Not(LinkState::Used));
    }
    if now >= from_db(t.expires_at) {
        return Ok(Checked::Not(LinkState::Expired));
    }
    let Some(r) = store::recipient(conn, &t.recipient_id)? else {
        return Ok(Checked::Not(LinkState::Invalid));
    };
    let Some(a) = store::get(conn, &r.alert_id)? else {
        return Ok(Checked::Not(LinkState::Invalid));
    };
    Ok(Checked::Ok(Box::new((t, r, a))))
}

/// Uses a link: acknowledges as the person it names, once. Audited, with the request's address.
pub async fn acknowledge_by_link(
    app: &App,
    token: &str,
    meta: RequestMeta,
) -> Result<LinkState, AppError> {
    let (app2, token) = (app.clone(), token.to_owned());
    app.store
        .write(move |conn| {
            let (t, mut r, a) = match check(conn, &app2, &token)? {
                Checked::Ok(found) => {
                    let (t, r, a) = *found;
                    (t, r, a)
                }
                Checked::Not(s) => return Ok(s),
            };
            if !store::use_token(conn, &t.id, to_db(app2.now()))? {
                return Ok(LinkState::Used);
            }
            // The person is not signed in: the audit trail names them as the link did.
            let actor = Actor {
                label: format!("{} ({})", t.person_name, t.email),
                ..Actor::system(meta)
            };
            acknowledge_row(
                conn,
                &app2,
                &actor,
                &mut r,
                Some(&t.person_id),
                &t.person_name,
                "mail_link",
            )?;
            audit::record(
                conn,
                &app2,
                &actor,
                Change {
                    action: "alert.ack_link_used",
                    object_type: "alert",
                    object_id: Some(r.alert_id.as_str()),
                    object_org_id: Some(&r.org_id),
                    summary: serde_json::json!({ "person_id": t.person_id, "link": t.id }),
                },
            )?;
            Ok(LinkState::Acknowledged {
                org: super::name_of(conn, &app2, &a, &r.org_id)?,
                person_name: t.person_name,
            })
        })
        .await
}
