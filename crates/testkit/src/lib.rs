//! Starts the real irnet on a random port with a fresh database, for tests that talk HTTP like a
//! user's client would. A test that needs a database is declared `#[irnet_testkit::both]` and runs
//! as two cases, on SQLite and on PostgreSQL (`IRNET_TEST_POSTGRES_URL`; a fresh database per
//! test, dropped afterwards): see [`cases`].

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod cases;
pub mod client;
pub mod smtp;
pub mod sse;

pub use client::{Client, Problem, Reply, fields};

pub use irnet_testkit_macros::{both, postgres_only};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use diesel::{Connection, PgConnection, RunQueryDsl};
use irnet_app::identity::tokens::{self, NewToken};
use irnet_app::identity::users::{self, NewUser};
use irnet_app::{Actor, App, Settings};
use irnet_domain::{FixedClock, Grant, Role, Scope, TokenScope};
use irnet_store::{DbTarget, Store};
use irnet_web::{AppState, WebConfig};
use tokio::sync::oneshot;

pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh database, removed when dropped.
pub struct TestDb {
    pub target: DbTarget,
    dir: Option<PathBuf>,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub fn new(backend: Backend) -> Self {
        let name = format!("irnet_test_{}", uuid::Uuid::now_v7().simple());
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).unwrap();
                TestDb {
                    target: DbTarget::sqlite_file(&dir.join("irnet.db")),
                    dir: Some(dir),
                    pg: None,
                }
            }
            Backend::Postgres => {
                let admin = std::env::var(cases::POSTGRES_URL).expect(cases::POSTGRES_URL);
                let mut conn = PgConnection::establish(&admin)
                    .expect("PostgreSQL reachable at IRNET_TEST_POSTGRES_URL");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .unwrap();
                let url = match admin.rsplit_once('/') {
                    Some((base, _)) => format!("{base}/{name}"),
                    None => panic!("IRNET_TEST_POSTGRES_URL must end with /database"),
                };
                TestDb {
                    target: DbTarget::parse(&url).unwrap(),
                    dir: None,
                    pg: Some((admin, name)),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some((admin, name)) = self.pg.take() {
            // Drop runs on an async thread; the blocking connection gets its own.
            let _ = std::thread::spawn(move || {
                if let Ok(mut c) = PgConnection::establish(&admin) {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut c);
                }
            })
            .join();
        }
    }
}

/// One running instance of irnet.
pub struct TestApp {
    pub url: String,
    pub app: App,
    pub clock: Arc<FixedClock>,
    shutdown: Option<oneshot::Sender<()>>,
    /// hears events committed by every instance on the database, as `irnet serve` does
    _events: irnet_store::events::Listener,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A fixed, known instant for tests (they move the clock themselves).
pub fn test_epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap()
}

/// Starts an instance on `db`. Several instances on the same database behave as one deployment.
pub async fn start(db: &TestDb, clock: Arc<FixedClock>, settings: Settings) -> TestApp {
    start_with(db, clock, settings, WebConfig::default()).await
}

/// A Prometheus handle of its own (no global recorder: tests run side by side).
pub fn metrics_handle() -> metrics_exporter_prometheus::PrometheusHandle {
    metrics_exporter_prometheus::PrometheusBuilder::new()
        .build_recorder()
        .handle()
}

/// `start`, deployed with `config` (e.g. a metrics token).
pub async fn start_with(
    db: &TestDb,
    clock: Arc<FixedClock>,
    settings: Settings,
    config: WebConfig,
) -> TestApp {
    let store = Store::open(db.target.clone(), 8).await.unwrap();
    store.migrate().await.unwrap();
    let events = store.listen().await.unwrap();
    let app = App::new(store, clock.clone(), settings);
    irnet_app::rules::ensure_first(&app).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let state = AppState {
        app: app.clone(),
        config: Arc::new(config),
        metrics: Some(metrics_handle()),
    };
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = irnet_web::serve(state, listener, async {
            let _ = rx.await;
        })
        .await;
    });
    TestApp {
        url: format!("http://{addr}"),
        app,
        clock,
        shutdown: Some(tx),
        _events: events,
    }
}

/// A clock of its own, set to [`test_epoch`].
pub fn test_clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(test_epoch()))
}

/// A fresh database and one instance on it.
pub async fn spawn_app(backend: Backend) -> (TestApp, TestDb) {
    spawn_with(backend, Settings::default()).await
}

/// A fresh database and one instance on it with `settings`.
pub async fn spawn_with(backend: Backend, settings: Settings) -> (TestApp, TestDb) {
    let db = TestDb::new(backend);
    let app = start(&db, test_clock(), settings).await;
    (app, db)
}

/// A grant of `role` for the organisation `org`.
pub fn org_grant(role: Role, org: &str) -> Grant {
    Grant::new(role, Scope::Org(org.parse().unwrap())).unwrap()
}

pub struct Account {
    pub id: String,
    pub email: String,
    pub org_id: String,
    pub password: String,
}

impl TestApp {
    pub fn api(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }

    /// An organisation created by the operator.
    pub async fn org(&self, name: &str) -> String {
        irnet_app::directory::orgs::find_or_create(&self.app, name, true)
            .await
            .unwrap()
            .0
            .id
    }

    /// Sets the clock to a local time of the network (Vietnam, UTC+7).
    pub fn set_local_time(&self, y: i32, m: u32, d: u32, h: u32, min: u32) {
        let zone = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
        self.clock.set(
            zone.with_ymd_and_hms(y, m, d, h, min, 0)
                .unwrap()
                .with_timezone(&Utc),
        );
    }

    /// Runs `f` with the clock at 09:00 local time of a day, then puts the clock back: for
    /// making a record on a day it could be made (an account of a province that merged away on
    /// 01/07/2025 takes none after that day).
    pub async fn on_day<T>(
        &self,
        y: i32,
        m: u32,
        d: u32,
        f: impl std::future::Future<Output = T>,
    ) -> T {
        let now = irnet_domain::Clock::now(&*self.clock);
        self.set_local_time(y, m, d, 9, 0);
        let out = f.await;
        self.clock.set(now);
        out
    }

    /// The id of the demo organisation with this short name (after `demo::load`).
    pub async fn demo_org(&self, short: &str) -> String {
        let wanted = short.to_owned();
        self.app
            .store
            .read(move |c| {
                Ok::<_, irnet_app::AppError>(
                    irnet_store::directory::orgs::all(c)?
                        .into_iter()
                        .find(|o| o.short_name.as_deref() == Some(wanted.as_str()))
                        .map(|o| o.id),
                )
            })
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no demo organisation {short}"))
    }

    /// An account with `grants`, in organisation `org_id`.
    pub async fn account(&self, email: &str, org_id: &str, grants: Vec<Grant>) -> Account {
        let input = NewUser {
            email: email.to_owned(),
            display_name: email.split('@').next().unwrap_or(email).to_owned(),
            org_id: org_id.to_owned(),
            locale: None,
            password: PASSWORD.to_owned(),
            grants,
        };
        let u = users::create(&self.app, &Actor::operator(), input)
            .await
            .unwrap();
        Account {
            id: u.id,
            email: u.email,
            org_id: u.org_id,
            password: PASSWORD.to_owned(),
        }
    }

    /// A responder of `org` with a write token; returns the token.
    pub async fn responder(&self, email: &str, org: &str) -> String {
        self.account(email, org, vec![org_grant(Role::Responder, org)])
            .await;
        self.token(email, TokenScope::Write).await
    }

    /// An account in `org` speaking `locale`, named by its whole address, with `grants`.
    pub async fn person(
        &self,
        email: &str,
        org: &str,
        locale: &str,
        grants: Vec<Grant>,
    ) -> Account {
        let input = NewUser {
            email: email.to_owned(),
            display_name: email.to_owned(),
            org_id: org.to_owned(),
            locale: Some(locale.to_owned()),
            password: PASSWORD.to_owned(),
            grants,
        };
        let u = users::create(&self.app, &Actor::operator(), input)
            .await
            .unwrap();
        Account {
            id: u.id,
            email: u.email,
            org_id: u.org_id,
            password: PASSWORD.to_owned(),
        }
    }

    /// A write token of `email`, as a client.
    pub async fn client_of(&self, email: &str) -> Client {
        self.bearer(&self.token(email, TokenScope::Write).await)
    }

    pub async fn token(&self, email: &str, scope: TokenScope) -> String {
        tokens::operator_issue(
            &self.app,
            email,
            NewToken {
                name: "test".into(),
                scope,
                expires_at: None,
            },
        )
        .await
        .unwrap()
        .token
    }
}

/// The fields a problem document names, in order.
pub fn problem_fields(problem: &serde_json::Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A `multipart/form-data` body as a browser sends a file form: the text fields, then the file.
/// Returns the content type (with its boundary) and the body.
pub fn multipart_body(
    fields: &[(&str, &str)],
    filename: &str,
    content_type: &str,
    file: &[u8],
) -> (String, Vec<u8>) {
    let boundary = "----irnet-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The value of `name="csrf_token"` in a page.
pub fn form_token(html: &str) -> String {
    let at = html
        .find("name=\"csrf_token\" value=\"")
        .expect("a form with csrf_token");
    let rest = &html[at + "name=\"csrf_token\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// The `word/document.xml` of a DOCX: where the text a reader sees is.
pub fn docx_xml(docx: &[u8]) -> String {
    use std::io::Read as _;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a DOCX is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The real-world test data folder (`shared/testdata` beside the repository, or
/// `IRNET_TESTDATA`), or `None` after saying loudly that `test` was skipped. Under `CI=true`,
/// where the folder is always present, its absence fails the test instead.
pub fn shared_testdata(test: &str) -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("IRNET_TESTDATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata")
        });
    if dir.is_dir() {
        return Some(dir);
    }
    let message = format!("{test}: {} is missing (set IRNET_TESTDATA)", dir.display());
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{message}; required under CI=true"
    );
    // Past the harness's capture: a skip nobody sees is a test that cannot fail.
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "*** SKIPPED {message} ***");
    None
}
