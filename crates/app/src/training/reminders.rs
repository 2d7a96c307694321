//! The daily certificate check: a certificate whose last valid day is within
//! `training.certificate_reminder_days` is reminded once per expiry day — by mail to its holder
//! (the person's addresses in the directory, in Vietnamese) and in the app and by mail to their
//! organisation's admins (`crate::notify`). A renewal (a new last valid day) is reminded again.

use chrono::Duration;
use irnet_domain::Role;
use irnet_domain::training::reminder_due;
use irnet_store::directory::people as people_store;
use irnet_store::identity::grants;
use irnet_store::training as store;

use crate::directory::names::name_on;
use crate::directory::people::{full_name, view};
use crate::jobs;
use crate::mail::JOB as EMAIL;
use crate::mail::Mail;
use crate::messages::{text, text_args};
use crate::notify::{Notice, notify};
use crate::{App, AppError};

/// Sends the reminders due today; returns how many certificates were reminded.
pub async fn check(app: &App) -> Result<usize, AppError> {
    let (app2, now, today) = (app.clone(), app.now(), app.today());
    let days = app.settings.sections.training.reminder_days();
    app.store
        .write(move |conn| {
            let ahead = today + Duration::days(i64::from(days));
            let mut sent = 0;
            for c in store::certificates_expiring(conn, today, ahead)? {
                let Some(until) = c.valid_until else { continue };
                if !reminder_due(Some(until), today, days) || c.reminded_for == Some(until) {
                    continue;
                }
                let Some(person) = people_store::get(conn, &c.person_id)? else {
                    continue;
                };
                let org = name_on(conn, &c.org_id, today, today)?;
                let args = vec![
                    ("person".to_owned(), full_name(&person)),
                    ("certificate".to_owned(), c.name.clone()),
                    ("issuer".to_owned(), c.issuer.clone()),
                    ("until".to_owned(), until.format("%d/%m/%Y").to_string()),
                    ("org".to_owned(), org.name_vi.clone()),
                ];
                let link = format!("/orgs/{}/training", c.org_id);
                let refs: Vec<(&str, String)> =
                    args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
                for address in view(person.clone()).emails {
                    let locale = irnet_domain::Locale::Vi;
                    let body = [
                        text_args(locale, "training-certificate-expiring-body", &refs),
                        String::new(),
                        format!("{}{link}", app2.settings.public_url),
                        String::new(),
                        "-- ".to_owned(),
                        text(locale, "mail-footer"),
                    ]
                    .join("\n");
                    let mail = Mail {
                        subject: text_args(locale, "training-certificate-expiring-subject", &refs),
                        body,
                        to: address.to_lowercase(),
                        about: None,
                    };
                    let key = format!(
                        "certificate-expiry:{}:{until}:{}",
                        c.id,
                        address.to_lowercase()
                    );
                    jobs::enqueue(conn, now, EMAIL, &mail, Some(key), now)?;
                }
                let admins = grants::holders(conn, Role::OrgAdmin.as_str(), "org", &c.org_id)?
                    .into_iter()
                    .map(|u| u.id)
                    .collect();
                notify(
                    conn,
                    &app2,
                    &Notice {
                        kind: "training.certificate_expiring".to_owned(),
                        object_type: "training_certificate".to_owned(),
                        object_id: c.id.as_str().to_owned(),
                        org_id: Some(c.org_id.clone()),
                        link,
                        message: "training-certificate-expiring".to_owned(),
                        args,
                        recipients: admins,
                        email: true,
                        restricted: false,
                    },
                )?;
                store::mark_reminded(conn, &c.id, until)?;
                sent += 1;
            }
            Ok::<_, AppError>(sent)
        })
        .await
}

/// The daily check of certificates about to expire.
pub const JOB: &str = "training_certificate_reminder";

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
