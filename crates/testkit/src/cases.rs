//! One test, two named cases: a test that needs a database is written once, as
//!
//! ```ignore
//! #[irnet_testkit::both]
//! async fn a_member_sees_its_own_incidents(backend: Backend) {
//!     let (app, _db) = spawn_app(backend).await;
//!     // …
//! }
//! ```
//!
//! and runs as the tests `a_member_sees_its_own_incidents::sqlite` and `…::postgres`. A
//! PostgreSQL failure then says so in its name, and CI runs the PostgreSQL cases alone with the
//! filter `::postgres`. `#[irnet_testkit::postgres_only]` makes only the `postgres` case, for
//! what SQLite cannot do (several instances hearing each other through `LISTEN`/`NOTIFY`).
//!
//! Without `IRNET_TEST_POSTGRES_URL` a PostgreSQL case says loudly that it was skipped and
//! passes, so that `cargo test` works on a fresh machine; under `CI=true` it fails instead, since
//! CI always has PostgreSQL (its SQLite step leaves these cases out with `--skip ::postgres`).

use std::future::Future;
use std::io::Write as _;

use crate::Backend;

/// The variable naming the PostgreSQL server the PostgreSQL cases create their databases on.
pub const POSTGRES_URL: &str = "IRNET_TEST_POSTGRES_URL";

/// Whether the PostgreSQL case of `test` can run. Without `IRNET_TEST_POSTGRES_URL` it says so past
/// the harness's capture (a skip nobody sees is a test that cannot fail) and returns false; under
/// `CI=true` it fails the test.
pub fn postgres_configured(test: &str) -> bool {
    if std::env::var(POSTGRES_URL).is_ok_and(|v| !v.is_empty()) {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{test}::postgres: {POSTGRES_URL} is not set, and CI always has PostgreSQL \
         (run the SQLite step with `-- --skip ::postgres`)"
    );
    let _ = writeln!(
        std::io::stderr(),
        "*** SKIPPED {test}::postgres: {POSTGRES_URL} is not set ***"
    );
    false
}

/// Runs one case of a [`both`](crate::both) test: `case(backend)` on a runtime of its own with
/// `threads` workers (1: the current thread, as `#[tokio::test]` does). `test` names the test in
/// messages.
pub fn run<F, Fut>(backend: Backend, test: &str, threads: usize, case: F)
where
    F: FnOnce(Backend) -> Fut,
    Fut: Future<Output = ()>,
{
    if backend == Backend::Postgres && !postgres_configured(test) {
        return;
    }
    let mut builder = if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        b.worker_threads(threads);
        b
    };
    let runtime = builder.enable_all().build().expect("a tokio runtime");
    // Boxed: a whole scenario is a large future, and the test thread's stack is small.
    runtime.block_on(Box::pin(case(backend)));
}
