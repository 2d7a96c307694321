//! The daily reminder of periodic reports (Mẫu 05): when a report of the rule set in force today
//! falls due within its `reminder_days_before` (half-year by 20/06, year by 15/12 by default),
//! every organisation existing today — the coordinator's aside — is reminded once per report and
//! due day, by mail to its org admins (in their language) and its 24/7 focal points.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use irnet_domain::{Locale, OrgKind, Role};
use irnet_store::directory::history;
use irnet_store::directory::orgs;
use irnet_store::directory::people as people_store;
use irnet_store::identity::grants;

use crate::directory::people;
use crate::jobs;
use crate::mail::JOB as EMAIL;
use crate::mail::Mail;
use crate::messages::{text, text_args};
use crate::{App, AppError};

/// The reports due within their reminder window on `today`: (period, due day).
pub fn due_soon(set: &irnet_domain::rules::RuleSet, today: NaiveDate) -> Vec<(String, NaiveDate)> {
    let ahead = Duration::days(i64::from(set.periodic_reports.reminder_days_before));
    [today.year(), today.year() + 1]
        .into_iter()
        .flat_map(|y| set.periodic_due(y))
        .filter(|(_, due)| *due >= today && *due - ahead <= today)
        .collect()
}

/// Enqueues the reminders due today; returns how many mails were enqueued.
pub async fn check(app: &App) -> Result<usize, AppError> {
    let (app2, now, today) = (app.clone(), app.now(), app.today());
    app.store
        .write(move |conn| {
            let rules = super::on(conn, &app2, today)?;
            let due = due_soon(&rules.set, today);
            if due.is_empty() {
                return Ok(0);
            }
            // The coordinator receives Mẫu 05, it does not file one: the directory's centre and
            // the organisation the rule set in force names, if it moved the role.
            let mut coordinators: Vec<String> =
                orgs::of_kind(conn, OrgKind::NationalCoordinator.as_str())?
                    .into_iter()
                    .map(|o| o.id)
                    .collect();
            coordinators.extend(rules.set.coordinator_org_id.clone());
            let existing: Vec<String> = history::orgs_existing_on(conn, today)?
                .into_iter()
                .filter(|o| !coordinators.contains(o))
                .collect();
            let names = history::names_on(conn, &existing, today)?;
            let mut sent = 0;
            for org_id in &existing {
                let org_name = names
                    .get(org_id)
                    .map(|n| n.name_vi.clone())
                    .unwrap_or_default();
                let mut to: BTreeMap<String, Locale> = BTreeMap::new();
                for u in grants::holders(conn, Role::OrgAdmin.as_str(), "org", org_id)? {
                    to.insert(
                        u.email.to_lowercase(),
                        Locale::parse(&u.locale).unwrap_or(Locale::Vi),
                    );
                }
                for p in people_store::focal_points_of(conn, org_id)? {
                    if let Some(person) = people_store::get(conn, &p.person_id)? {
                        for email in people::view(person).emails {
                            to.entry(email.to_lowercase()).or_insert(Locale::Vi);
                        }
                    }
                }
                for (period, day) in &due {
                    let key = format!("periodic-report:{period}:{day}:{org_id}:");
                    if irnet_store::jobs::last_enqueued(conn, &key)?.is_some() {
                        continue;
                    }
                    for (address, locale) in &to {
                        let args = [
                            (
                                "period",
                                text(*locale, &format!("periodic-{}", period.replace('_', "-"))),
                            ),
                            ("due", day.format("%d/%m/%Y").to_string()),
                            ("org", org_name.clone()),
                            ("link", format!("{}/incidents", app2.settings.public_url)),
                        ];
                        let body = [
                            text_args(*locale, "focal-greeting", &args[2..3]),
                            String::new(),
                            text_args(*locale, "periodic-body", &args),
                            String::new(),
                            "-- ".to_owned(),
                            text(*locale, "mail-footer"),
                        ]
                        .join("\n");
                        let mail = Mail {
                            subject: text_args(*locale, "periodic-subject", &args),
                            body,
                            to: address.clone(),
                            about: None,
                        };
                        if jobs::enqueue(
                            conn,
                            now,
                            EMAIL,
                            &mail,
                            Some(format!("{key}{address}")),
                            now,
                        )? {
                            sent += 1;
                        }
                    }
                }
            }
            Ok::<_, AppError>(sent)
        })
        .await
}

/// The daily check of periodic reports falling due.
pub const JOB: &str = "periodic_report_reminder";

/// Registered in `crate::pillars`.
pub const JOBS: crate::jobs::Jobs = crate::jobs::Jobs {
    kinds: &[crate::jobs::Kind {
        name: JOB,
        run: |app, _| {
            Box::pin(
                async move { crate::jobs::Outcome::retry_on_error(check(app).await.map(|_| ())) },
            )
        },
    }],
    periodic: &[crate::jobs::Periodic {
        kind: JOB,
        every: crate::jobs::Every::Day,
    }],
};

#[cfg(test)]
mod tests {
    use super::*;
    use irnet_domain::rules::RuleSet;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reports_are_reminded_in_the_week_before_they_fall_due() {
        let set = RuleSet::default();
        assert!(due_soon(&set, d(2026, 6, 12)).is_empty());
        assert_eq!(
            due_soon(&set, d(2026, 6, 13)),
            vec![("half_year".to_owned(), d(2026, 6, 20))]
        );
        assert_eq!(
            due_soon(&set, d(2026, 12, 15)),
            vec![("year".to_owned(), d(2026, 12, 15))]
        );
        assert!(due_soon(&set, d(2026, 12, 16)).is_empty());
    }
}
