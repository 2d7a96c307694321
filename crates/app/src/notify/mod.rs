//! Telling people that something happened: in the app (live through the event bus), by email,
//! and to their organisations' webhooks. Other use-cases call `notify` inside their own write
//! transaction, after choosing the recipients through the policy; everything it does — the
//! notifications, the mail jobs, the webhook deliveries, the live event — commits or rolls back
//! with the caller's change.
//!
//! Texts come from `app/locales/{vi,en}/messages.ftl`: `{message}-subject` (the title, also the
//! mail subject) and `{message}-body`, rendered with the notice's arguments in each recipient's
//! language when the notice is made. What a recipient receives is cut again by their read rule of
//! the record when it is delivered (`cut`): listed, streamed, or mailed by the jobs worker.

pub mod cut;
pub mod inbox;
pub mod webhooks;

use irnet_domain::Locale;
use irnet_domain::webhook::NoticeKind;
use irnet_store::DbConn;
use irnet_store::events::{self, Event};
use irnet_store::identity::users::{self, UserRow};
use irnet_store::notify::notifications::{self, NotificationRow};
use irnet_store::time::to_db;

use crate::jobs;
use crate::mail::JOB as EMAIL;
use crate::mail::{About, Mail};
use crate::messages::{text, text_args};
use crate::{App, AppError};

/// The event bus topic of a new in-app notification (`Event::key` is the recipient's user id).
pub const TOPIC: &str = "notification";

/// Something to tell some people.
#[derive(Debug, Clone, Default)]
pub struct Notice {
    /// what happened, e.g. `incident.reported` (webhooks filter on it)
    pub kind: String,
    /// the object it is about, e.g. `incident` and its id
    pub object_type: String,
    pub object_id: String,
    /// the object's organisation, if it has one
    pub org_id: Option<String>,
    /// where to look, as a path of irnet (`/incidents/{id}`); mail and webhooks make it absolute
    pub link: String,
    /// the `messages.ftl` key prefix of the texts: `{message}-subject` and `{message}-body`
    pub message: String,
    pub args: Vec<(String, String)>,
    /// user ids, chosen by the caller through the policy; inactive accounts are skipped
    pub recipients: Vec<String>,
    /// also by email, one mail per recipient
    pub email: bool,
    /// Its texts must not leave the platform (TLP:RED): the mail says only that there is
    /// something to read, with the link, and no webhook is called.
    pub restricted: bool,
}

/// Stores one notification per active recipient in their language, enqueues their mail (when
/// `email`) and the deliveries to their organisations' webhooks, and announces each
/// notification on the event bus once the transaction commits. Call inside `Store::write`.
pub fn notify(conn: &mut DbConn, app: &App, notice: &Notice) -> Result<(), AppError> {
    let kind = NoticeKind::parse(&notice.kind).map_err(|e| AppError::internal_in("notice", e))?;
    if !notice.link.starts_with('/') || notice.link.starts_with("//") {
        return Err(AppError::internal(format!(
            "notice link must be a path: {}",
            notice.link
        )));
    }
    let now = app.now();
    let event_id = uuid::Uuid::now_v7().to_string();
    let mut ids = notice.recipients.clone();
    ids.sort();
    ids.dedup();
    let recipients = users::active_by_ids(conn, &ids)?;
    for user in &recipients {
        let locale = Locale::parse(&user.locale).unwrap_or(Locale::Vi);
        let (title, body) = render(locale, notice);
        let row = NotificationRow {
            id: uuid::Uuid::now_v7().to_string(),
            user_id: user.id.clone(),
            event_id: event_id.clone(),
            kind: kind.as_str().to_owned(),
            object_type: notice.object_type.clone(),
            object_id: notice.object_id.clone(),
            org_id: notice.org_id.clone(),
            link: notice.link.clone(),
            title: title.clone(),
            body: body.clone(),
            created_at: to_db(now),
            read_at: None,
        };
        notifications::insert(conn, &row)?;
        events::publish(
            conn,
            &Event {
                topic: TOPIC.to_owned(),
                key: user.id.clone(),
                id: row.id.clone(),
            },
        )?;
        if notice.email {
            let mut mail = mail(app, locale, user, notice, title, body);
            if cut::cut_applies(&notice.kind) {
                mail.about = Some(about(app, locale, user, notice));
            }
            jobs::enqueue(
                conn,
                now,
                EMAIL,
                &mail,
                Some(format!("notice:{event_id}:{}", user.id)),
                now,
            )?;
        }
    }
    if !notice.restricted {
        webhooks::enqueue(conn, app, notice, &event_id, &recipients)?;
    }
    Ok(())
}

fn render(locale: Locale, notice: &Notice) -> (String, String) {
    let args: Vec<(&str, String)> = notice
        .args
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    (
        text_args(locale, &format!("{}-subject", notice.message), &args),
        text_args(locale, &format!("{}-body", notice.message), &args),
    )
}

fn mail(
    app: &App,
    locale: Locale,
    user: &UserRow,
    notice: &Notice,
    title: String,
    body: String,
) -> Mail {
    let link = format!("{}{}", app.settings.public_url, notice.link);
    let (subject, body) = if notice.restricted {
        (
            text(locale, "notice-restricted-subject"),
            text(locale, "notice-restricted-body"),
        )
    } else {
        (title, body)
    };
    Mail {
        to: user.email.clone(),
        subject,
        body: [
            body,
            String::new(),
            text_args(locale, "notice-link", &[("link", link)]),
            String::new(),
            "-- ".to_owned(),
            text(locale, "mail-footer"),
        ]
        .join("\n"),
        about: None,
    }
}

/// What the mail says instead to a recipient who may not read its record when it is sent: that
/// something happened in a record they cannot open, with a link to their notifications only.
fn about(app: &App, locale: Locale, user: &UserRow, notice: &Notice) -> About {
    let (subject, body) = cut::sealed_texts(locale, &notice.object_type);
    let link = format!("{}{}", app.settings.public_url, cut::SEALED_LINK);
    About {
        user_id: user.id.clone(),
        object_type: notice.object_type.clone(),
        object_id: notice.object_id.clone(),
        sealed_subject: subject,
        sealed_body: [
            body,
            String::new(),
            text_args(locale, "notice-link", &[("link", link)]),
            String::new(),
            "-- ".to_owned(),
            text(locale, "mail-footer"),
        ]
        .join("\n"),
    }
}
