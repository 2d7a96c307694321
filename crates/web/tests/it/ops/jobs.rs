//! The jobs queue shared by several instances on one database: each job runs once, whichever
//! instance claims it, and mail reaches the SMTP server exactly once per job.

use std::collections::BTreeSet;
use std::sync::Arc;

use irnet_app::mail::Mail;
use irnet_app::{AppError, Settings, jobs};
use irnet_domain::FixedClock;
use irnet_testkit::smtp::SmtpSink;
use irnet_testkit::{Backend, TestDb, both, start, test_epoch};

#[both]
async fn two_instances_draining_one_queue_send_each_mail_once(backend: Backend) {
    let sink = SmtpSink::start().await;
    let db = TestDb::new(backend);
    let clock = Arc::new(FixedClock::new(test_epoch()));
    let settings = Settings {
        smtp_url: Some(sink.url()),
        ..Settings::default()
    };
    let a = start(&db, clock.clone(), settings.clone()).await;
    let b = start(&db, clock.clone(), settings).await;
    let now = a.app.now();
    a.app
        .store
        .write(move |conn| {
            for i in 0..24 {
                let mail = Mail {
                    to: format!("member{i}@example.vn"),
                    subject: format!("Thư số {i}"),
                    body: "Xin chào.".to_owned(),
                    about: None,
                };
                jobs::enqueue(conn, now, irnet_app::mail::JOB, &mail, None, now)?;
            }
            Ok::<_, AppError>(())
        })
        .await
        .unwrap();
    let (ran_a, ran_b) = tokio::join!(
        jobs::run_due(&a.app, "instance-a"),
        jobs::run_due(&b.app, "instance-b")
    );
    assert_eq!(
        ran_a.unwrap() + ran_b.unwrap(),
        24,
        "{backend:?}: every job ran once"
    );
    let got = sink.messages();
    assert_eq!(got.len(), 24, "{backend:?}");
    let to: BTreeSet<String> = got.iter().map(|m| m.to[0].clone()).collect();
    assert_eq!(to.len(), 24, "{backend:?}: no recipient got a mail twice");
    assert_eq!(
        jobs::run_due(&a.app, "instance-a").await.unwrap(),
        0,
        "nothing left"
    );
}
