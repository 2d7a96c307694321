//! Who hears of an alert, and how. Focal points get mail with their own one-click
//! acknowledgement link (in their account's language, Vietnamese otherwise); the people who act
//! for a recipient get a notification in the app (live over the event bus); the lead of a
//! recipient's cluster is told when the recipient stays silent. A TLP:RED alert's content never
//! leaves the platform: its mail only says there is an alert to read after signing in.

use irnet_domain::{Locale, Tlp};
use irnet_store::DbConn;
use irnet_store::alerts::{self as store, AckTokenRow, AlertRow, RecipientRow};
use irnet_store::directory::people as people_store;
use irnet_store::identity::{grants, users};
use irnet_store::time::{from_db, to_db};

use super::link;
use crate::directory::names::OrgName;
use crate::directory::people;
use crate::jobs;
use crate::mail::JOB as EMAIL;
use crate::mail::{About, Mail};
use crate::messages::{text, text_args};
use crate::notify::{Notice, notify};
use crate::{App, AppError};

/// Which focal-point mail: the alert itself (main and backup), the reminder (main), the
/// escalation (backup).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MailKind {
    Alert,
    Reminder,
    EscalateBackup,
}

impl MailKind {
    fn slots(self) -> &'static [&'static str] {
        match self {
            MailKind::Alert => &["main", "backup"],
            MailKind::Reminder => &["main"],
            MailKind::EscalateBackup => &["backup"],
        }
    }

    fn key(self) -> &'static str {
        match self {
            MailKind::Alert => "alert",
            MailKind::Reminder => "alert-reminder",
            MailKind::EscalateBackup => "alert-escalation",
        }
    }
}

fn locale_of_user(conn: &mut DbConn, user_id: Option<&str>) -> Result<Locale, AppError> {
    Ok(match user_id {
        Some(u) => users::get(conn, u)?
            .and_then(|u| Locale::parse(&u.locale).ok())
            .unwrap_or(Locale::Vi),
        None => Locale::Vi,
    })
}

/// The accounts of an organisation's focal points (people linked to an account).
pub(crate) fn focal_accounts(conn: &mut DbConn, org_id: &str) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for f in people_store::focal_points_of(conn, org_id)? {
        if let Some(u) = people_store::get(conn, &f.person_id)?.and_then(|p| p.user_id) {
            out.push(u);
        }
    }
    Ok(out)
}

fn deadline_text(app: &App, a: &AlertRow, locale: Locale) -> String {
    a.action_deadline.map_or_else(
        || text(locale, "alert-mail-no-deadline"),
        |d| {
            from_db(d)
                .with_timezone(&app.settings.local_offset)
                .format("%H:%M %d/%m/%Y")
                .to_string()
        },
    )
}

fn list(json: &str) -> String {
    let v: Vec<String> = serde_json::from_str(json).unwrap_or_default();
    if v.is_empty() {
        "—".to_owned()
    } else {
        v.join(", ")
    }
}

/// The body of a focal-point mail for `kind` in `locale`, with the person's link.
fn body(
    app: &App,
    a: &AlertRow,
    kind: MailKind,
    locale: Locale,
    (ack_link, expires): (&str, &str),
    (sender, org): (&OrgName, &OrgName),
) -> String {
    let red = a.tlp == Tlp::Red;
    let sender = sender.label(locale);
    let org = org.label(locale);
    let alert_link = format!("{}/alerts/{}", app.settings.public_url, a.id);
    let mut lines = Vec::new();
    match kind {
        MailKind::Alert => lines.push(text_args(
            locale,
            "alert-mail-intro",
            &[("sender", sender), ("org", org)],
        )),
        MailKind::Reminder => {
            lines.push(text_args(locale, "alert-reminder-intro", &[("org", org)]))
        }
        MailKind::EscalateBackup => {
            lines.push(text_args(locale, "alert-escalation-intro", &[("org", org)]))
        }
    }
    lines.push(String::new());
    if red {
        lines.push(text(locale, "alert-mail-red"));
        lines.push(alert_link);
    } else {
        let field = |key: &str, value: String| format!("{}: {value}", text(locale, key));
        lines.push(field("alert-mail-title", a.title.clone()));
        lines.push(field("alert-mail-severity", a.severity.clone()));
        lines.push(format!("TLP: {}", a.tlp));
        lines.push(field("alert-mail-products", list(&a.products)));
        lines.push(field("alert-mail-cves", list(&a.cves)));
        lines.push(field("alert-mail-deadline", deadline_text(app, a, locale)));
        lines.push(String::new());
        lines.push(a.description.clone());
        lines.push(String::new());
        lines.push(text(locale, "alert-mail-actions"));
        lines.push(a.actions.clone());
        lines.push(String::new());
        lines.push(field("alert-mail-details", alert_link));
    }
    lines.push(String::new());
    lines.push(text_args(
        locale,
        "alert-mail-ack",
        &[
            ("link", ack_link.to_owned()),
            ("expires", expires.to_owned()),
        ],
    ));
    lines.push(String::new());
    lines.push("-- ".to_owned());
    lines.push(text(locale, "mail-footer"));
    lines.join("\n")
}

fn subject(a: &AlertRow, org: &OrgName, kind: MailKind, locale: Locale) -> String {
    let title = if a.tlp == Tlp::Red {
        "TLP:RED".to_owned()
    } else {
        a.title.clone()
    };
    let key = match kind {
        MailKind::Alert => "alert-mail-subject",
        MailKind::Reminder => "alert-reminder-subject",
        MailKind::EscalateBackup => "alert-escalation-subject",
    };
    text_args(locale, key, &[("title", title), ("org", org.label(locale))])
}

/// Mails the recipient's focal points for `kind`, each with a fresh signed link naming them;
/// returns how many mails were enqueued. Each (kind, person, address) is mailed once.
pub(crate) fn mail_focal_points(
    conn: &mut DbConn,
    app: &App,
    a: &AlertRow,
    r: &RecipientRow,
    kind: MailKind,
) -> Result<usize, AppError> {
    let now = app.now();
    // Named as on the alert's send day, with today's names beside them where they differ.
    let sender = super::name_of(conn, app, a, &a.sender_org_id)?;
    let org = super::name_of(conn, app, a, &r.org_id)?;
    let points = people_store::focal_points_of(conn, &r.org_id)?;
    let mut sent = 0;
    for slot in kind.slots() {
        let Some(point) = points.iter().find(|p| p.kind == *slot) else {
            continue;
        };
        let Some(person) = people_store::get(conn, &point.person_id)? else {
            continue;
        };
        let locale = locale_of_user(conn, person.user_id.as_deref())?;
        let view = people::view(person);
        if view.emails.is_empty() {
            continue;
        }
        let expires_at = now + app.settings.alert_ack_link_lifetime;
        let token = AckTokenRow {
            id: link::new_id(),
            recipient_id: r.id.clone(),
            person_id: view.id.clone(),
            person_name: view.full_name.clone(),
            email: view.emails.join(", "),
            expires_at: to_db(expires_at),
            used_at: None,
            created_at: to_db(now),
        };
        store::insert_token(conn, &token)?;
        let signed = link::sign(conn, now, &token)?;
        let ack_link = format!("{}/alerts/ack/{signed}", app.settings.public_url);
        let expires = expires_at
            .with_timezone(&app.settings.local_offset)
            .format("%H:%M %d/%m/%Y")
            .to_string();
        for email in &view.emails {
            let to = email.to_lowercase();
            let mail = Mail {
                to: to.clone(),
                subject: subject(a, &org, kind, locale),
                body: body(app, a, kind, locale, (&ack_link, &expires), (&sender, &org)),
                about: None,
            };
            let key = format!("{}:{}:{}:{to}", kind.key(), r.id, view.id);
            if jobs::enqueue(conn, now, EMAIL, &mail, Some(key), now)? {
                sent += 1;
            }
        }
    }
    Ok(sent)
}

/// Tells the lead of the recipient's cluster (as of the send day) that the recipient has not
/// acknowledged; returns how many mails were enqueued. The lead learns the member and the title
/// (not the content, which is the recipients'); at TLP:RED not even the title.
pub(crate) fn mail_cluster_lead(
    conn: &mut DbConn,
    app: &App,
    a: &AlertRow,
    r: &RecipientRow,
) -> Result<usize, AppError> {
    let now = app.now();
    let sent_day = super::names_day(app, a);
    let org = super::name_of(conn, app, a, &r.org_id)?;
    let year = chrono::Datelike::year(&sent_day);
    let mut count = 0;
    for cluster in irnet_store::directory::clusters::clusters_of_org(conn, &r.org_id, sent_day)? {
        let Some(lead_org) = super::lead_of(conn, &cluster, year)? else {
            continue;
        };
        for u in grants::holders(conn, "cluster_lead", "cluster", &cluster)? {
            // The lead of that year only: a grant kept by last year's lead confers nothing.
            if u.org_id != lead_org || u.org_id == r.org_id {
                continue;
            }
            let locale = Locale::parse(&u.locale).unwrap_or(Locale::Vi);
            // The lead chases a member and is not always in the alert's audience (an AMBER alert
            // to that member alone). The mail names the alert by its title only if the lead may
            // read it when the worker sends it (`notify::cut`); otherwise by its marking, which
            // still tells the lead which member to call.
            let mail_titled = |title: String| {
                let args = [
                    ("title", title),
                    ("org", org.label(locale)),
                    (
                        "hours",
                        app.settings
                            .alert_chase
                            .escalate_lead
                            .num_hours()
                            .to_string(),
                    ),
                ];
                let body = [
                    text_args(locale, "alert-lead-intro", &args),
                    String::new(),
                    text_args(
                        locale,
                        "alert-lead-action",
                        &[(
                            "link",
                            format!("{}/orgs/{}", app.settings.public_url, r.org_id),
                        )],
                    ),
                    String::new(),
                    "-- ".to_owned(),
                    text(locale, "mail-footer"),
                ]
                .join("\n");
                (text_args(locale, "alert-lead-subject", &args), body)
            };
            let marking = format!("TLP:{}", a.tlp);
            let (sealed_subject, sealed_body) = mail_titled(marking.clone());
            let (subject, body) = if a.tlp == Tlp::Red {
                (sealed_subject.clone(), sealed_body.clone())
            } else {
                mail_titled(a.title.clone())
            };
            let to = u.email.to_lowercase();
            let mail = Mail {
                to: to.clone(),
                subject,
                body,
                about: Some(About {
                    user_id: u.id.clone(),
                    object_type: "alert".to_owned(),
                    object_id: a.id.to_string(),
                    sealed_subject,
                    sealed_body,
                }),
            };
            let key = format!("alert-lead:{}:{to}", r.id);
            if jobs::enqueue(conn, now, EMAIL, &mail, Some(key), now)? {
                count += 1;
            }
        }
    }
    Ok(count)
}

/// One notification per person acting for a recipient (in the app, live). At TLP:RED only the
/// people named on the alert are told, and the text carries no title.
pub(crate) fn notify_recipients(
    conn: &mut DbConn,
    app: &App,
    a: &AlertRow,
    recipients: &[RecipientRow],
) -> Result<(), AppError> {
    let red = a.tlp == Tlp::Red;
    let (_, named) = store::audience(conn, &a.id)?;
    let sender = super::name_of(conn, app, a, &a.sender_org_id)?.label(Locale::Vi);
    for r in recipients {
        let mut people = crate::incidents::tell::people_of(conn, app, &r.org_id)?;
        if red {
            people.retain(|p| named.contains(p));
        }
        if people.is_empty() {
            continue;
        }
        notify(
            conn,
            app,
            &Notice {
                kind: "alert.sent".to_owned(),
                object_type: "alert".to_owned(),
                object_id: a.id.to_string(),
                org_id: Some(r.org_id.clone()),
                link: format!("/alerts/{}", a.id),
                message: if red { "alert-sent-red" } else { "alert-sent" }.to_owned(),
                args: vec![
                    ("sender".to_owned(), sender.clone()),
                    (
                        "title".to_owned(),
                        if red { String::new() } else { a.title.clone() },
                    ),
                    ("deadline".to_owned(), deadline_text(app, a, Locale::Vi)),
                ],
                recipients: people,
                email: false,
                restricted: red,
            },
        )?;
    }
    Ok(())
}
