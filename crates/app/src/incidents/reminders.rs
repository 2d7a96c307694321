//! Deadline reminders: a periodic check (every few minutes, once across all instances) finds the
//! incidents whose earliest open deadline has passed and mails whoever must act — the coordinator
//! for an acknowledgement, the owner's responders and org admins for a report, the author for a
//! draft's notice — each once per deadline, in their own language. A TLP:RED incident's title
//! never goes by mail (its reminder names only its number), and each mail is cut again by its
//! recipient's read rule when the worker sends it (`notify::cut`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use irnet_domain::incident::{Deadline, DeadlineKind};
use irnet_domain::{Locale, Tlp};
use irnet_store::DbConn;
use irnet_store::identity::{grants, users};
use irnet_store::incidents::{self as store, IncidentRow};
use irnet_store::time::to_db;

use crate::jobs;
use crate::mail::JOB as EMAIL;
use crate::mail::{About, Mail};
use crate::messages::{text, text_args};
use crate::notify::cut::sealed_texts;
use crate::{App, AppError, Settings};

/// Incidents reminded per write transaction: a sweep after a long pause (or the first one after
/// an upgrade) may find hundreds of thousands overdue, and one transaction for all of them would
/// hold SQLite's write lock for longer than other writers wait.
const INCIDENTS_PER_TX: usize = 200;

/// Sends the reminders of every incident whose reminder mark has passed, in transactions of
/// `INCIDENTS_PER_TX` incidents, moving each mark to its next open deadline still ahead; returns
/// how many overdue deadlines were reminded. An interrupted sweep loses nothing: the marks not
/// yet moved are read again by the next one.
pub async fn check(app: &App) -> Result<usize, AppError> {
    let now = app.now();
    let mut overdue = 0;
    loop {
        let app2 = app.clone();
        let (read, reminded) = app
            .store
            .write(move |conn| {
                let rows = store::due_for_reminders(conn, to_db(now), INCIDENTS_PER_TX as i64)?;
                let mut reminded = 0;
                let book = crate::rules::book(conn, &app2)?;
                for r in &rows {
                    for d in super::deadlines::of(&book, &app2, r) {
                        if d.open() && d.overdue(now) {
                            reminded += 1;
                            remind(conn, &app2.settings, r, &d, now)?;
                        }
                    }
                    let next = super::deadlines::next_due_after(&book, &app2, r, Some(now));
                    store::set_remind_at(conn, &r.id, next)?;
                }
                Ok::<_, AppError>((rows.len(), reminded))
            })
            .await?;
        overdue += reminded;
        if read < INCIDENTS_PER_TX {
            return Ok(overdue);
        }
    }
}

/// Who must act on a deadline, by address, with their language and account.
fn recipients(
    conn: &mut DbConn,
    r: &IncidentRow,
    kind: DeadlineKind,
) -> Result<BTreeMap<String, (Locale, String)>, AppError> {
    let mut people = Vec::new();
    match kind {
        DeadlineKind::Acknowledgement => {
            people.extend(grants::holders(conn, "coordinator", "network", "")?);
        }
        DeadlineKind::Notice if r.submitted_at.is_none() => {
            people.extend(users::get(conn, &r.created_by)?);
        }
        _ => {
            for role in ["org_admin", "responder"] {
                people.extend(grants::holders(conn, role, "org", &r.owner_org_id)?);
            }
        }
    }
    Ok(people
        .into_iter()
        .filter(|u| u.active)
        .map(|u| {
            (
                u.email.to_lowercase(),
                (Locale::parse(&u.locale).unwrap_or(Locale::Vi), u.id),
            )
        })
        .collect())
}

fn remind(
    conn: &mut DbConn,
    settings: &Settings,
    r: &IncidentRow,
    d: &Deadline,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let what = d.kind.as_str();
    let number = r.number.clone().unwrap_or_else(|| "—".to_owned());
    let red = r.tlp == Tlp::Red;
    let (subject_key, intro_key) = if red {
        (
            "incident-overdue-restricted-subject",
            "incident-overdue-restricted-intro",
        )
    } else {
        ("incident-overdue-subject", "incident-overdue-intro")
    };
    for (to, (locale, user_id)) in recipients(conn, r, d.kind)? {
        let mut args = vec![
            ("number", number.clone()),
            (
                "what",
                text(locale, &format!("deadline-{}", what.replace('_', "-"))),
            ),
            ("due", d.due.format("%H:%M %d/%m/%Y").to_string()),
        ];
        if !red {
            args.push(("title", r.title.clone()));
        }
        let footer = ["-- ".to_owned(), text(locale, "mail-footer")];
        let body = [
            text_args(locale, intro_key, &args),
            String::new(),
            text_args(
                locale,
                "incident-overdue-action",
                &[(
                    "link",
                    format!("{}/incidents/{}", settings.public_url, r.id),
                )],
            ),
            String::new(),
        ]
        .into_iter()
        .chain(footer.clone())
        .collect::<Vec<_>>()
        .join("\n");
        let (sealed_subject, sealed_body) = sealed_texts(locale, "incident");
        let mail = Mail {
            subject: text_args(locale, subject_key, &args),
            body,
            to: to.clone(),
            about: Some(About {
                user_id,
                object_type: "incident".to_owned(),
                object_id: r.id.to_string(),
                sealed_subject,
                sealed_body: [sealed_body, String::new()]
                    .into_iter()
                    .chain(footer)
                    .collect::<Vec<_>>()
                    .join("\n"),
            }),
        };
        jobs::enqueue(
            conn,
            now,
            EMAIL,
            &mail,
            Some(format!("incident-reminder:{}:{what}:{to}", r.id)),
            now,
        )?;
    }
    Ok(())
}

/// The deadline check: acknowledgement is due within hours, so it runs every five minutes.
pub const JOB: &str = "incident_deadline_check";

/// Registered in `crate::pillars`.
pub const JOBS: crate::jobs::Jobs = crate::jobs::Jobs {
    kinds: &[crate::jobs::Kind {
        name: JOB,
        run: |app, _| {
            Box::pin(async move { crate::jobs::Outcome::retry_on_error(check(app).await) })
        },
    }],
    periodic: &[crate::jobs::Periodic {
        kind: JOB,
        every: crate::jobs::Every::Minutes(5),
    }],
};
