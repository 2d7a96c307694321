//! Housekeeping: after a month, the sessions that expired, the jobs that finished and the sign-in
//! windows that closed are deleted by the periodic clean-up, and the database gives the space
//! back; what is still in use (a job scheduled for later, a session signed in today) stays.

use std::sync::Arc;

use chrono::Duration;
use irnet_app::mail::{self, Mail};
use irnet_app::{AppError, Settings, jobs};
use irnet_domain::FixedClock;
use irnet_store::diesel::prelude::*;
use irnet_store::housekeeping::database_bytes;
use irnet_store::identity::sessions::{self, SessionRow};
use irnet_store::time::to_db;
use irnet_store::{DbConn, schema};
use irnet_testkit::{Backend, TestDb, both, start, test_epoch};

#[both]
async fn a_database_a_month_old_shrinks_after_the_clean_up(backend: Backend) {
    let db = TestDb::new(backend);
    let clock = Arc::new(FixedClock::new(test_epoch()));
    let t = start(&db, clock.clone(), Settings::default()).await;
    let org = t.org("Sở Khoa học và Công nghệ tỉnh Lạng Sơn").await;
    let user = t.account("ungcuu@langson.gov.vn", &org, vec![]).await;
    let now = t.app.now();

    // A job for next quarter, enqueued first, and a month of use: sessions, mail.
    let user_id = user.id.clone();
    t.app
        .store
        .write(move |conn| {
            let later = now + Duration::days(90);
            jobs::enqueue(conn, now, "not_yet", &serde_json::json!({}), None, later)?;
            for i in 0..3000 {
                let at = now + Duration::minutes(i);
                sessions::insert(
                    conn,
                    &SessionRow {
                        id: uuid::Uuid::now_v7().to_string(),
                        token_hash: format!("{i:064x}"),
                        user_id: user_id.clone(),
                        stage: "full".to_owned(),
                        csrf_token: format!("csrf-{i:060}"),
                        created_at: to_db(at),
                        last_seen_at: to_db(at),
                        expires_at: to_db(at + Duration::hours(12)),
                        client_addr: Some("203.0.113.7".to_owned()),
                        user_agent: Some(format!("Mozilla/5.0 (X11; Linux x86_64) Chromium/{i}")),
                        checked_at: None,
                    },
                )?;
                let mail = Mail {
                    to: format!("member{i}@example.vn"),
                    subject: format!("[irnet] Nhắc việc số {i}"),
                    body: "Xin chào. ".repeat(60),
                    about: None,
                };
                jobs::enqueue(conn, now, mail::JOB, &mail, None, now)?;
            }
            Ok::<_, AppError>(())
        })
        .await
        .unwrap();
    // The mail is tried (no SMTP server here: each is given up, which finishes it too).
    assert!(jobs::run_due(&t.app, "worker").await.unwrap() >= 3000);
    let before = t
        .app
        .store
        .read(|c| Ok::<_, AppError>(database_bytes(c)?))
        .await
        .unwrap();

    // A month later someone signs in again, and the worker's periodic jobs run.
    clock.advance(Duration::days(31));
    let (fresh, _) = t.sign_in(&user.email, &user.password).await;
    jobs::schedule(&t.app).await.unwrap();
    jobs::run_due(&t.app, "worker").await.unwrap();

    let (after, sessions_left, old_jobs, pending) = t
        .app
        .store
        .read(move |c| {
            let old = jobs_finished_before(c, now + Duration::days(1));
            let pending = schema::jobs::table
                .filter(schema::jobs::kind.eq("not_yet"))
                .count()
                .get_result::<i64>(c)?;
            let sessions = schema::sessions::table.count().get_result::<i64>(c)?;
            Ok::<_, AppError>((database_bytes(c)?, sessions, old, pending))
        })
        .await
        .unwrap();
    assert_eq!(
        old_jobs, 0,
        "{backend:?}: jobs finished a month ago are deleted"
    );
    assert_eq!(pending, 1, "{backend:?}: a job not yet run is kept");
    assert_eq!(
        sessions_left, 1,
        "{backend:?}: only today's session is left"
    );
    assert!(
        after < before,
        "{backend:?}: the database shrinks after the clean-up ({before} → {after} bytes)"
    );
    // …and today's session still works.
    let me = fresh.get("/api/v1/me").await;
    assert_eq!(me.status(), 200, "{backend:?}: the live session is kept");
}

fn jobs_finished_before(c: &mut DbConn, at: chrono::DateTime<chrono::Utc>) -> i64 {
    schema::jobs::table
        .filter(schema::jobs::finished_at.le(to_db(at)))
        .count()
        .get_result::<i64>(c)
        .unwrap()
}
