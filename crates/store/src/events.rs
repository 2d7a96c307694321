//! The event bus: how an instance learns that something it serves live (a user's new
//! notification, later scoreboards) was committed — by itself or by another instance.
//!
//! One interface, two implementations chosen by the database:
//! - PostgreSQL: `publish` issues `pg_notify` inside the caller's transaction, so PostgreSQL
//!   delivers it only if and when that transaction commits, to every instance; each instance's
//!   `Listener` (one dedicated connection running `LISTEN`) fans it out to its subscribers.
//! - SQLite (one instance): `publish` keeps the event beside the transaction, and `Store::write`
//!   hands it to the in-process channel after the commit succeeded; a rollback drops it.
//!
//! An event only names what changed (topic, whom it concerns, the row's id); subscribers read the
//! row itself from the database, where the access rules apply. When events may have been lost (a
//! subscriber lagged, the listening connection was re-established) subscribers get `Resync` and
//! re-read what they show.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::Text;
use tokio::sync::{broadcast, oneshot};

use crate::{DbConn, StoreError};

/// The PostgreSQL channel all instances listen on.
pub const CHANNEL: &str = "irnet_events";
/// How often the listening connection's socket is read for notifications. diesel exposes no
/// waitable socket (and this workspace forbids `unsafe`), so the listener polls; a poll reads
/// what the server already sent and makes no round trip.
const POLL: Duration = Duration::from_millis(50);
/// How often the listening connection is checked with a query, to notice a silent break.
const HEALTH_CHECK: Duration = Duration::from_secs(30);
const CAPACITY: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    /// what happened, e.g. `notification`
    pub topic: String,
    /// whom it concerns (for a notification: the recipient's user id)
    pub key: String,
    /// the committed row it is about
    pub id: String,
}

/// What subscribers receive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    Event(Event),
    /// Events may have been missed: re-read from the database.
    Resync,
}

/// The instance's fan-out point. Cheap to clone.
#[derive(Debug, Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Signal>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new()
    }
}

impl EventBus {
    pub fn new() -> Self {
        Self {
            tx: broadcast::channel(CAPACITY).0,
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Signal> {
        self.tx.subscribe()
    }

    fn deliver(&self, signal: Signal) {
        // No subscriber is not an error: nobody is watching.
        let _ = self.tx.send(signal);
    }
}

thread_local! {
    /// Events published by the SQLite transaction running on this thread, sent after its commit.
    /// A transaction runs on one blocking thread from begin to commit, so the list is its own.
    static PENDING: RefCell<Vec<Event>> = const { RefCell::new(Vec::new()) };
}

/// Announces `event` when the caller's transaction commits; never if it rolls back. Call it
/// inside `Store::write`.
pub fn publish(conn: &mut DbConn, event: &Event) -> QueryResult<()> {
    match conn {
        DbConn::Pg(c) => {
            let payload = serde_json::to_string(event)
                .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
            diesel::sql_query("SELECT pg_notify($1, $2)")
                .bind::<Text, _>(CHANNEL)
                .bind::<Text, _>(payload)
                .execute(c)
                .map(drop)
        }
        DbConn::Sqlite(_) => {
            PENDING.with(|p| p.borrow_mut().push(event.clone()));
            Ok(())
        }
    }
}

/// Forgets events left by an earlier transaction on this thread (one that ended outside
/// `Store::write`).
pub(crate) fn discard_pending() {
    PENDING.with(|p| p.borrow_mut().clear());
}

/// After a commit: hands this thread's pending events to the bus.
pub(crate) fn deliver_pending(bus: &EventBus) {
    for event in PENDING.with(|p| std::mem::take(&mut *p.borrow_mut())) {
        bus.deliver(Signal::Event(event));
    }
}

/// Keeps an instance's PostgreSQL `LISTEN` running; stops it when dropped. On SQLite it holds
/// nothing: the bus is fed after each commit.
#[derive(Debug)]
pub struct Listener {
    stop: Arc<AtomicBool>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Starts listening (PostgreSQL) and returns once `LISTEN` is in place, so that everything
/// committed afterwards reaches this instance.
pub(crate) async fn listen(
    backend: crate::Backend,
    url: String,
    bus: EventBus,
) -> Result<Listener, StoreError> {
    let stop = Arc::new(AtomicBool::new(false));
    if backend == crate::Backend::Sqlite {
        return Ok(Listener { stop });
    }
    let (ready_tx, ready_rx) = oneshot::channel();
    let flag = stop.clone();
    std::thread::Builder::new()
        .name("irnet-listen".to_owned())
        .spawn(move || listen_loop(&url, &bus, &flag, ready_tx))
        .map_err(|e| StoreError::Connection(format!("listener thread: {e}")))?;
    ready_rx
        .await
        .map_err(|_| StoreError::Connection("listener stopped".to_owned()))??;
    Ok(Listener { stop })
}

fn connect(url: &str) -> Result<PgConnection, StoreError> {
    let mut conn =
        PgConnection::establish(url).map_err(|e| StoreError::Connection(e.to_string()))?;
    diesel::sql_query(format!("LISTEN {CHANNEL}")).execute(&mut conn)?;
    Ok(conn)
}

fn listen_loop(
    url: &str,
    bus: &EventBus,
    stop: &AtomicBool,
    ready: oneshot::Sender<Result<(), StoreError>>,
) {
    let mut ready = Some(ready);
    let mut wait = Duration::from_millis(200);
    while !stop.load(Ordering::Relaxed) {
        match connect(url) {
            Ok(mut conn) => {
                match ready.take() {
                    Some(r) => {
                        let _ = r.send(Ok(()));
                    }
                    // Reconnected: whatever was committed meanwhile was not heard.
                    None => bus.deliver(Signal::Resync),
                }
                wait = Duration::from_millis(200);
                if let Err(e) = pump(&mut conn, bus, stop) {
                    tracing::warn!(error = %e, "event listener lost its connection; reconnecting");
                }
            }
            Err(e) => {
                if let Some(r) = ready.take() {
                    let _ = r.send(Err(e));
                    return;
                }
                tracing::warn!(error = %e, "event listener cannot reconnect");
                let until = Instant::now() + wait;
                while Instant::now() < until && !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(POLL);
                }
                wait = (wait * 2).min(Duration::from_secs(10));
            }
        }
    }
}

/// Forwards notifications until `stop` or a broken connection.
fn pump(conn: &mut PgConnection, bus: &EventBus, stop: &AtomicBool) -> Result<(), StoreError> {
    let mut checked = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        for n in conn.notifications_iter() {
            let n = n?;
            match serde_json::from_str::<Event>(&n.payload) {
                Ok(event) => bus.deliver(Signal::Event(event)),
                Err(e) => tracing::warn!(error = %e, "event listener: unreadable payload"),
            }
        }
        if checked.elapsed() > HEALTH_CHECK {
            diesel::sql_query("SELECT 1").execute(conn)?;
            checked = Instant::now();
        }
        std::thread::sleep(POLL);
    }
    Ok(())
}
