//! The deadline sweep on a network with years of incidents: it reminds a backlog of overdue
//! deadlines (as after an upgrade) in several short transactions, then reads only what has
//! fallen due since — not every overdue incident of the network at every run.

use irnet_app::Actor;
use irnet_app::incidents::reminders;
use irnet_domain::ids::IncidentId;
use irnet_store::diesel::prelude::*;
use irnet_store::schema::incidents;
use irnet_store::time::to_db;
use irnet_testkit::{Backend, both, spawn_app};

#[both]
async fn the_sweep_works_through_a_backlog_in_batches_then_only_what_fell_due(backend: Backend) {
    let (app, _db) = spawn_app(backend).await;
    irnet_app::incidents::synthetic::seed(&app.app, &Actor::operator(), 3, 4_000, |_| {})
        .await
        .unwrap();
    let now = to_db(app.app.now());
    let pending = |at| {
        let app = app.app.clone();
        async move {
            app.store
                .read(move |c| {
                    Ok::<_, irnet_app::AppError>(
                        irnet_store::incidents::due_for_reminders(c, at, 100_000)?.len(),
                    )
                })
                .await
                .unwrap()
        }
    };

    // The seeded history counts as reminded: nothing is due now.
    assert_eq!(pending(now).await, 0, "{backend:?}");
    assert_eq!(reminders::check(&app.app).await.unwrap(), 0, "{backend:?}");

    // As after the upgrade: every open incident's mark back at its earliest open deadline.
    let overdue = app
        .app
        .store
        .write(move |c| {
            let open: Vec<(IncidentId, Option<chrono::NaiveDateTime>)> = incidents::table
                .filter(incidents::status.ne("closed"))
                .select((incidents::id, incidents::next_due_at))
                .load(c)?;
            irnet_store::incidents::set_remind_many(c, &open)?;
            Ok::<_, irnet_app::AppError>(
                open.iter()
                    .filter(|(_, d)| d.is_some_and(|d| d < now))
                    .count(),
            )
        })
        .await
        .unwrap();
    assert!(
        overdue > 200,
        "{backend:?}: {overdue} overdue: more than one batch of 200"
    );
    assert_eq!(pending(now).await, overdue);

    let reminded = reminders::check(&app.app).await.unwrap();
    assert!(
        reminded >= overdue,
        "{backend:?}: {reminded} deadlines for {overdue} incidents"
    );
    assert_eq!(pending(now).await, 0, "{backend:?}: every mark moved on");
    assert_eq!(
        reminders::check(&app.app).await.unwrap(),
        0,
        "{backend:?}: nothing twice"
    );

    // A week later, what fell due in between — and only that — is reminded.
    let later = now + chrono::Duration::days(7);
    let falling_due = pending(later).await;
    assert!(
        falling_due > 0,
        "{backend:?}: some deadlines fall due within a week"
    );
    app.clock.advance(chrono::Duration::days(7));
    assert!(reminders::check(&app.app).await.unwrap() >= falling_due);
    assert_eq!(pending(later).await, 0);
}
