//! One connection type over SQLite and PostgreSQL, a pool of them, and the two ways use-cases touch
//! the database: `read` and `write` (one transaction, immediate on SQLite so that a read followed by
//! a write cannot fail with a busy snapshot).

use std::fmt;
use std::path::Path;

use deadpool::Runtime;
use deadpool::managed::{self, Metrics, RecycleError, RecycleResult};
use deadpool_sync::SyncWrapper;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::StoreError;
use crate::events::{self, EventBus, Listener};

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Pg(_) => Backend::Postgres,
            DbConn::Sqlite(_) => Backend::Sqlite,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Where the data lives. `Debug` hides the PostgreSQL password.
#[derive(Clone, PartialEq, Eq)]
pub struct DbTarget {
    backend: Backend,
    url: String,
}

impl DbTarget {
    pub fn sqlite_file(path: &Path) -> Self {
        Self {
            backend: Backend::Sqlite,
            url: path.to_string_lossy().into_owned(),
        }
    }

    /// `postgres://…` or `postgresql://…` for PostgreSQL; `sqlite://PATH` or a bare path for SQLite.
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self {
                backend: Backend::Postgres,
                url: url.to_owned(),
            })
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            Ok(Self {
                backend: Backend::Sqlite,
                url: path.to_owned(),
            })
        } else if url.is_empty() || url.contains("://") {
            Err(StoreError::Config(format!(
                "unsupported database URL {}",
                redact(url)
            )))
        } else {
            Ok(Self {
                backend: Backend::Sqlite,
                url: url.to_owned(),
            })
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

impl fmt::Debug for DbTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.backend.as_str(), redact(&self.url))
    }
}

/// Replaces the password of a `scheme://user:password@host` URL with `***`. The user information
/// is taken to end at the last `@`, so that a password holding an unencoded `@` or `/` is hidden
/// whole; an `@` later in the URL makes it hide more than the password, never less.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// How long a PostgreSQL statement waits for a lock before failing ("busy, try again").
pub(crate) const PG_LOCK_TIMEOUT: &str = "10s";

fn establish(target: &DbTarget) -> ConnectionResult<DbConn> {
    match target.backend {
        Backend::Sqlite => {
            let mut conn = SqliteConnection::establish(&target.url)?;
            // WAL lets readers run beside the writer; synchronous=FULL makes every acknowledged
            // commit durable across a power cut, not only a process crash. Reads go through a
            // memory map (up to SQLite's 2 GB bound) and a 16 MB page cache per connection:
            // with the default 2 MB cache, a search at a million incidents spent 40 % of its
            // time copying pages the operating system already held.
            // A new file is made with incremental auto-vacuum (the pragma must come before its
            // first table and does nothing to an existing file), so that the housekeeping job
            // can give the pages of deleted rows back (`housekeeping::reclaim`).
            // The busy timeout comes first, so that no later pragma fails at once on a locked file.
            conn.batch_execute(
                "PRAGMA busy_timeout = 10000; PRAGMA auto_vacuum = INCREMENTAL; \
                 PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                 PRAGMA mmap_size = 2147418112; PRAGMA cache_size = -16384;",
            )
            .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
            Ok(DbConn::Sqlite(conn))
        }
        Backend::Postgres => {
            let mut conn = PgConnection::establish(&target.url)?;
            // No JIT: irnet's statements are short, and the cost estimates of generic plans (the
            // read rule's subplans that never run) crossed `jit_above_cost`, so PostgreSQL spent
            // 10–30 ms compiling a lookup statement that then ran in less.
            // A lock waited for as long as SQLite's busy_timeout fails the same way there, so a
            // write stuck behind another is answered "busy, try again" (503) on both databases.
            conn.batch_execute(&format!(
                "SET jit = off; SET lock_timeout = '{PG_LOCK_TIMEOUT}'"
            ))
            .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
            Ok(DbConn::Pg(conn))
        }
    }
}

pub struct Manager {
    target: DbTarget,
}

impl managed::Manager for Manager {
    type Type = SyncWrapper<DbConn>;
    type Error = StoreError;

    async fn create(&self) -> Result<Self::Type, Self::Error> {
        let target = self.target.clone();
        SyncWrapper::new(Runtime::Tokio1, move || {
            establish(&target).map_err(|e| StoreError::Connection(e.to_string()))
        })
        .await
    }

    async fn recycle(&self, obj: &mut Self::Type, _: &Metrics) -> RecycleResult<Self::Error> {
        if obj.is_mutex_poisoned() {
            return Err(RecycleError::message("connection mutex poisoned"));
        }
        // The connection is idle here, so its lock is free; the check only reads in-memory state,
        // which spares every checkout a hop to a blocking thread.
        let broken = match obj.try_lock() {
            Ok(mut conn) => {
                <DbConn as Connection>::TransactionManager::is_broken_transaction_manager(&mut conn)
            }
            Err(_) => true,
        };
        if broken {
            return Err(RecycleError::message(
                "connection left inside a transaction",
            ));
        }
        Ok(())
    }
}

pub type Pool = managed::Pool<Manager>;

/// The application's handle on its database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    target: DbTarget,
    events: EventBus,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct PoolStatus {
    pub max_size: usize,
    pub size: usize,
    pub available: usize,
}

impl Store {
    /// Opens a pool and checks that one connection can be made, so that a wrong URL fails at start.
    pub async fn open(target: DbTarget, max_connections: usize) -> Result<Self, StoreError> {
        if target.backend == Backend::Sqlite
            && let Some(parent) = Path::new(&target.url).parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(|e| {
                StoreError::Config(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        let pool = Pool::builder(Manager {
            target: target.clone(),
        })
        .max_size(max_connections.max(1))
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(std::time::Duration::from_secs(10)))
        .create_timeout(Some(std::time::Duration::from_secs(10)))
        .build()
        .map_err(|e| StoreError::Config(e.to_string()))?;
        let store = Self {
            pool,
            target,
            events: EventBus::new(),
        };
        store.read(|_| Ok::<_, StoreError>(())).await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.target.backend
    }

    pub fn target(&self) -> &DbTarget {
        &self.target
    }

    /// This instance's event bus: subscribe to hear of committed changes (see `events`).
    pub fn events(&self) -> &EventBus {
        &self.events
    }

    /// Starts hearing events committed by every instance (PostgreSQL `LISTEN`; nothing to start
    /// on SQLite). Returns once listening; listening stops when the `Listener` is dropped.
    pub async fn listen(&self) -> Result<Listener, StoreError> {
        events::listen(
            self.target.backend,
            self.target.url.clone(),
            self.events.clone(),
        )
        .await
    }

    pub fn pool_status(&self) -> PoolStatus {
        let s = self.pool.status();
        PoolStatus {
            max_size: s.max_size,
            size: s.size,
            available: s.available,
        }
    }

    /// Runs `f` on a pooled connection on a blocking thread.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let conn = self
            .pool
            .get()
            .await
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        conn.interact(f)
            .await
            .map_err(|e| StoreError::Pool(e.to_string()))?
    }

    /// Runs `f` in one transaction: all of it is stored, or none of it. Events it published
    /// (`events::publish`) are announced only after it committed.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + From<diesel::result::Error> + Send + 'static,
    {
        let bus = self.events.clone();
        self.read(move |conn| {
            events::discard_pending();
            let result = in_transaction(conn, f);
            if result.is_ok() {
                events::deliver_pending(&bus);
            } else {
                events::discard_pending();
            }
            result
        })
        .await
    }

    /// Applies pending migrations, then fills the search index for rows written before it
    /// existed (folding is Rust's, so SQL alone cannot build it).
    pub async fn migrate(&self) -> Result<Vec<String>, StoreError> {
        let applied = self
            .read(|conn| {
                let applied = conn
                    .run_pending_migrations(migrations_for(conn.backend()))
                    .map_err(|e| StoreError::Migration(e.to_string()))?;
                Ok::<_, StoreError>(applied.iter().map(ToString::to_string).collect::<Vec<_>>())
            })
            .await?;
        if let Some(n) = self
            .write(|conn| Ok::<_, StoreError>(crate::directory::reindex::backfill(conn)?))
            .await?
        {
            tracing::info!(
                entities = n,
                "search index built for existing directory rows"
            );
        }
        Ok(applied)
    }

    pub async fn has_pending_migrations(&self) -> Result<bool, StoreError> {
        self.read(|conn| {
            conn.has_pending_migration(migrations_for(conn.backend()))
                .map_err(|e| StoreError::Migration(e.to_string()))
        })
        .await
    }
}

/// The embedded migrations of a backend.
pub fn migrations_for(backend: Backend) -> EmbeddedMigrations {
    match backend {
        Backend::Sqlite => SQLITE_MIGRATIONS,
        Backend::Postgres => POSTGRES_MIGRATIONS,
    }
}

/// A transaction that takes the write lock up front on SQLite (`BEGIN IMMEDIATE`).
pub fn in_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => {
            let committed = match conn {
                DbConn::Sqlite(c) => AnsiTransactionManager::commit_transaction(c),
                DbConn::Pg(c) => AnsiTransactionManager::commit_transaction(c),
            };
            match committed {
                Ok(()) => Ok(value),
                Err(e) => {
                    rollback(conn);
                    Err(e.into())
                }
            }
        }
        Err(e) => {
            rollback(conn);
            Err(e)
        }
    }
}

fn rollback(conn: &mut DbConn) {
    let result = match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::rollback_transaction(c),
        DbConn::Pg(c) => AnsiTransactionManager::rollback_transaction(c),
    };
    if let Err(e) = result {
        // The pool's recycle check discards a connection whose transaction state is broken.
        tracing::warn!(error = %e, "rollback failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_targets_and_redacts_passwords() {
        let pg = DbTarget::parse("postgres://irnet:secret@db:5432/irnet").unwrap();
        assert_eq!(pg.backend(), Backend::Postgres);
        assert_eq!(
            format!("{pg:?}"),
            "postgres:postgres://irnet:***@db:5432/irnet"
        );
        // A password with an unencoded `@` or `/` is hidden whole.
        assert_eq!(
            redact("postgres://irnet:p@ss/w0rd@db:5432/irnet"),
            "postgres://irnet:***@db:5432/irnet"
        );
        let lite = DbTarget::parse("sqlite://data/irnet.db").unwrap();
        assert_eq!(lite.backend(), Backend::Sqlite);
        assert_eq!(lite.url(), "data/irnet.db");
        assert!(DbTarget::parse("mysql://x").is_err());
    }
}
