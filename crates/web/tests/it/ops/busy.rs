//! A write that cannot get the database in time — another writer holds the lock for longer than
//! irnet waits (10 s on both databases) — is answered 503 with Retry-After and a message in the
//! user's language, and nothing of it is stored; the same request succeeds once the lock is gone.

use irnet_store::diesel::connection::SimpleConnection;
use irnet_store::diesel::{Connection, PgConnection, SqliteConnection};
use irnet_testkit::{Backend, Problem, both, spawn_app};
use serde_json::json;

/// Another session holding the write lock of the incidents until dropped.
#[allow(dead_code)] // held for its lock, never read
enum Holder {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

fn hold_write_lock(backend: Backend, url: &str) -> Holder {
    match backend {
        Backend::Sqlite => {
            let mut c = SqliteConnection::establish(url).unwrap();
            c.batch_execute("BEGIN IMMEDIATE").unwrap();
            Holder::Sqlite(c)
        }
        Backend::Postgres => {
            let mut c = PgConnection::establish(url).unwrap();
            c.batch_execute("BEGIN; LOCK TABLE incidents IN EXCLUSIVE MODE")
                .unwrap();
            Holder::Pg(c)
        }
    }
}

#[both]
async fn a_write_stuck_behind_a_lock_is_answered_busy_and_nothing_is_stored(backend: Backend) {
    let (app, db) = spawn_app(backend).await;
    irnet_app::demo::load(&app.app).await.unwrap();
    app.set_local_time(2024, 12, 20, 10, 30);
    let responder = app.client_of("ungcuu.langson@demo.irnet.vn").await;
    let notice = json!({"title": "Máy chủ thư bị dò quét mật khẩu", "detected_at": "2024-12-20T09:00", "submit": true});
    let in_vietnamese = responder.lang("vi");
    let post = || in_vietnamese.post_json("/api/v1/incidents", &notice);

    // The token's first use is recorded now, as it would have been long before.
    let (_, list) = responder.get("/api/v1/incidents?limit=50").await.parts();
    assert_eq!(list["items"], json!([]));

    let holder = hold_write_lock(backend, db.target.url());
    let res = post().await;
    let (status, retry) = (res.status(), res.headers().get("retry-after").cloned());
    let body: Problem = res.json();
    assert_eq!(status, 503, "{backend:?}: {body:?}");
    assert_eq!(retry.unwrap(), "2");
    assert_eq!(body.code, "busy", "{body:?}");
    assert!(body.title.starts_with("Hệ thống đang bận"), "{body:?}");
    drop(holder);

    let (_, list) = responder.get("/api/v1/incidents?limit=50").await.parts();
    assert_eq!(list["items"], json!([]), "{backend:?}: nothing was stored");
    let res = post().await;
    assert_eq!(
        res.status(),
        201,
        "{backend:?}: the same request, sent again"
    );
    let (_, list) = responder.get("/api/v1/incidents?limit=50").await.parts();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}
