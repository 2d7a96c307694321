//! The read rule at delivery. A notification (and its mail) names a record — an incident, an
//! alert, a channel message — that its recipient could read when it was made; audiences change
//! (an acceptance revoked, a membership ended), and some notices reach people who never could (an
//! escalation to coordinators not named on a TLP:RED incident). So whenever a notification is
//! delivered — listed, read, sent on the live stream — or its mail is rendered by the jobs
//! worker, the record is read again through the policy as the recipient, and a recipient who may
//! not read it gets only "something happened in an incident you cannot open": no title, no text,
//! no id, no link to it.
//!
//! Only notices written for organisations outside the audience (a support request, a
//! coordinator's instruction: `incidents::tell::ADDRESSED`) keep their texts, which carry what
//! was written for those organisations and nothing of the incident.

use irnet_domain::ids::{AlertId, IncidentId, MessageId};
use irnet_domain::{Locale, Principal, TokenScope};
use irnet_store::DbConn;

use super::inbox::NotificationView;
use crate::context::RequestMeta;
use crate::mail::Mail;
use crate::messages::text;
use crate::{Actor, App, AppError};

/// Where a sealed notification points: the reader's own list, which reveals nothing.
pub const SEALED_LINK: &str = "/notifications";

/// Whether the notice kind's texts are cut by the read rule of the record it names.
pub fn cut_applies(kind: &str) -> bool {
    !crate::incidents::tell::ADDRESSED.contains(&kind)
}

/// Whether `p` may read the record `object_type`/`object_id` now, as the use-cases that open it
/// decide (`domain::policy`). Objects that are not shareable records (an organisation, a
/// webhook) are told only to those who manage them and are not cut.
pub(crate) fn may_read(
    conn: &mut DbConn,
    app: &App,
    p: &Principal,
    object_type: &str,
    object_id: &str,
) -> Result<bool, AppError> {
    let actor = Actor {
        principal: p.clone(),
        label: String::new(),
        is_operator: false,
        session_id: None,
        meta: RequestMeta::default(),
    };
    let found = match object_type {
        // `object_id` comes from our own rows (a notice or an audit entry).
        "incident" => {
            let id = IncidentId::from_trusted(object_id.to_owned());
            crate::incidents::load(conn, &actor, &id).map(drop)
        }
        "alert" => {
            let id = AlertId::from_trusted(object_id.to_owned());
            crate::alerts::load(conn, &actor, &id).map(drop)
        }
        "message" => {
            let id = MessageId::from_trusted(object_id.to_owned());
            crate::channels::readable(conn, app, p, &id)
        }
        _ => Ok(()),
    };
    match found {
        Ok(()) => Ok(true),
        Err(AppError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The texts of a notice about a record the recipient cannot open: (subject, body).
pub fn sealed_texts(locale: Locale, object_type: &str) -> (String, String) {
    let noun = match object_type {
        "incident" | "alert" | "message" => object_type,
        _ => "record",
    };
    (
        text(locale, &format!("notice-sealed-{noun}-subject")),
        text(locale, &format!("notice-sealed-{noun}-body")),
    )
}

/// `v` as its reader may see it: unchanged when they may read its record, else sealed.
pub(crate) fn view_for(
    conn: &mut DbConn,
    app: &App,
    p: &Principal,
    locale: Locale,
    v: NotificationView,
) -> Result<NotificationView, AppError> {
    if !cut_applies(&v.kind) || may_read(conn, app, p, &v.object_type, &v.object_id)? {
        return Ok(v);
    }
    let (title, body) = sealed_texts(locale, &v.object_type);
    Ok(NotificationView {
        title,
        body,
        object_id: String::new(),
        org_id: None,
        link: SEALED_LINK.to_owned(),
        ..v
    })
}

/// The mail to send now: `m` when it names no record or its recipient may read the record, its
/// sealed form when they may not, nothing when their account is gone or disabled.
pub async fn mail_to_send(app: &App, mut m: Mail) -> Result<Option<Mail>, AppError> {
    let Some(about) = m.about.take() else {
        return Ok(Some(m));
    };
    let (app2, a) = (app.clone(), about.clone());
    let readable = app
        .store
        .read(move |conn| {
            let reader =
                crate::identity::principal::load(conn, &app2, &a.user_id, TokenScope::Read)?;
            match reader {
                None => Ok::<_, AppError>(None),
                Some(r) => {
                    may_read(conn, &app2, &r.principal, &a.object_type, &a.object_id).map(Some)
                }
            }
        })
        .await?;
    Ok(match readable {
        None => None,
        Some(true) => Some(m),
        Some(false) => Some(Mail {
            to: m.to,
            subject: about.sealed_subject,
            body: about.sealed_body,
            about: None,
        }),
    })
}
