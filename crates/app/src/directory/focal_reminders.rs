//! The daily focal-point check: every organisation that exists today must have a main and a
//! backup 24/7 focal point, confirmed within `Settings::focal_point_max_age`. One whose focal
//! points are missing or unconfirmed is reminded by mail — its org admins (in their language) and
//! its named focal points — at most once per `Settings::reminder_repeat`.
//!
//! The mail only goes to the organisation's own people: it names the organisation's focal points,
//! which are its private part.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use irnet_domain::{Locale, Role};
use irnet_store::DbConn;
use irnet_store::directory::history;
use irnet_store::directory::people::{self as people_store, FocalPointRow};
use irnet_store::identity::grants;
use irnet_store::time::from_db;

use super::people;
use crate::jobs;
use crate::mail::JOB as EMAIL;
use crate::mail::Mail;
use crate::messages::{text, text_args};
use crate::{App, AppError, Settings};

/// What is wrong with one focal point slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    Missing,
    /// named, but last confirmed on that instant, too long ago
    Stale {
        name: String,
        confirmed_at: DateTime<Utc>,
    },
}

/// Checks every organisation and enqueues the reminders due; returns how many organisations
/// were found wanting (reminded now or earlier in the same period).
pub async fn check(app: &App) -> Result<usize, AppError> {
    let (now, today, settings) = (app.now(), app.today(), app.settings.clone());
    app.store
        .write(move |conn| {
            let mut wanting = 0;
            for org_id in history::orgs_existing_on(conn, today)? {
                let gaps = gaps(conn, &org_id, now, &settings)?;
                if gaps.is_empty() {
                    continue;
                }
                wanting += 1;
                remind(conn, &org_id, &gaps, now, today, &settings)?;
            }
            Ok(wanting)
        })
        .await
}

/// The main and backup slots that are missing or unconfirmed, in that order.
fn gaps(
    conn: &mut DbConn,
    org_id: &str,
    now: DateTime<Utc>,
    settings: &Settings,
) -> Result<Vec<(&'static str, Gap)>, AppError> {
    let points = people_store::focal_points_of(conn, org_id)?;
    let mut out = Vec::new();
    for kind in ["main", "backup"] {
        match points.iter().find(|p| p.kind == kind) {
            None => out.push((kind, Gap::Missing)),
            Some(p) if now - from_db(p.confirmed_at) > settings.focal_point_max_age => {
                out.push((
                    kind,
                    Gap::Stale {
                        name: person_name(conn, p)?,
                        confirmed_at: from_db(p.confirmed_at),
                    },
                ));
            }
            Some(_) => {}
        }
    }
    Ok(out)
}

fn person_name(conn: &mut DbConn, p: &FocalPointRow) -> Result<String, AppError> {
    Ok(people_store::get(conn, &p.person_id)?
        .map(|r| people::view(r).full_name)
        .unwrap_or_default())
}

/// Enqueues one mail per recipient, unless the organisation was reminded less than
/// `reminder_repeat` ago (the jobs table remembers when).
fn remind(
    conn: &mut DbConn,
    org_id: &str,
    gaps: &[(&'static str, Gap)],
    now: DateTime<Utc>,
    today: NaiveDate,
    settings: &Settings,
) -> Result<(), AppError> {
    let org_name = history::names_on(conn, &[org_id.to_owned()], today)?
        .remove(org_id)
        .map(|n| n.name_vi)
        .unwrap_or_default();
    // Recipients by address: org admins in their own language, focal points in Vietnamese.
    let mut recipients: BTreeMap<String, Locale> = BTreeMap::new();
    for u in grants::holders(conn, Role::OrgAdmin.as_str(), "org", org_id)? {
        recipients.insert(
            u.email.to_lowercase(),
            Locale::parse(&u.locale).unwrap_or(Locale::Vi),
        );
    }
    for p in people_store::focal_points_of(conn, org_id)? {
        if let Some(person) = people_store::get(conn, &p.person_id)? {
            for email in people::view(person).emails {
                recipients.entry(email.to_lowercase()).or_insert(Locale::Vi);
            }
        }
    }
    let key = format!("focal-reminder:{org_id}:");
    if let Some(last) = irnet_store::jobs::last_enqueued(conn, &key)?
        && now - from_db(last) < settings.reminder_repeat
    {
        return Ok(());
    }
    for (to, locale) in recipients {
        let mail = Mail {
            subject: text_args(locale, "focal-subject", &[("org", org_name.clone())]),
            body: body(locale, org_id, &org_name, gaps, now, settings),
            to: to.clone(),
            about: None,
        };
        jobs::enqueue(
            conn,
            now,
            EMAIL,
            &mail,
            Some(format!("{key}{today}:{to}")),
            now,
        )?;
    }
    Ok(())
}

fn body(
    locale: Locale,
    org_id: &str,
    org_name: &str,
    gaps: &[(&'static str, Gap)],
    now: DateTime<Utc>,
    settings: &Settings,
) -> String {
    let mut lines = vec![
        text_args(locale, "focal-greeting", &[("org", org_name.to_owned())]),
        String::new(),
        text_args(
            locale,
            "focal-intro",
            &[("days", settings.focal_point_max_age.num_days().to_string())],
        ),
    ];
    for (kind, gap) in gaps {
        let label = text(
            locale,
            if *kind == "main" {
                "focal-main"
            } else {
                "focal-backup"
            },
        );
        let state = match gap {
            Gap::Missing => text(locale, "focal-missing"),
            Gap::Stale { name, confirmed_at } => text_args(
                locale,
                "focal-stale",
                &[
                    ("name", name.clone()),
                    (
                        "date",
                        confirmed_at
                            .with_timezone(&settings.local_offset)
                            .format("%d/%m/%Y")
                            .to_string(),
                    ),
                    ("age", (now - *confirmed_at).num_days().to_string()),
                ],
            ),
        };
        lines.push(format!("  - {label}: {state}"));
    }
    lines.push(String::new());
    lines.push(text_args(
        locale,
        "focal-action",
        &[("link", format!("{}/orgs/{org_id}", settings.public_url))],
    ));
    lines.push(String::new());
    lines.push("-- ".to_owned());
    lines.push(text(locale, "mail-footer"));
    lines.join("\n")
}

/// The daily check of every member's focal points.
pub const JOB: &str = "focal_point_check";

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
        every: crate::jobs::Every::Day,
    }],
};
