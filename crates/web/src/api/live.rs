//! Live streams (server-sent events): the machinery the notification stream and the channel
//! streams share. A stream subscribes to the event bus before deciding where to start; on an
//! event that concerns it, it re-reads that one row through its `Source` — the use-case, under
//! the reader's rules — so it can only ever send what the reader may read. On `Resync` or when it
//! lagged it re-reads everything after the last item it sent; it remembers the last ids it sent
//! so nothing goes twice.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::Stream;
use irnet_app::AppError;
use irnet_store::events::{self, Signal};
use serde::Serialize;
use tokio::sync::broadcast::{self, error::RecvError};

/// How often an idle stream sends a comment, so proxies keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Ids a stream remembers having sent, so a re-read after a resync sends nothing twice.
const REMEMBERED: usize = 256;

/// What one kind of stream sends, read under the reader's rules.
pub trait Source: Send + Sync + 'static {
    type Item: Serialize + Send + Sync;
    /// the SSE event name of each item
    const EVENT: &'static str;
    fn id(item: &Self::Item) -> &str;
    /// Whether a bus event may concern this stream (the item is still re-read).
    fn wants(&self, e: &events::Event) -> bool;
    /// The item the event names, if the reader may read it.
    fn one(&self, id: &str) -> impl Future<Output = Result<Option<Self::Item>, AppError>> + Send;
    /// What the reader may read after `anchor`, oldest first.
    fn after(
        &self,
        anchor: Option<&str>,
    ) -> impl Future<Output = Result<Vec<Self::Item>, AppError>> + Send;
}

/// Starts a stream: `rx` was subscribed before `anchor` (the last item the client has) and
/// `backlog` (what it missed) were read, so nothing committed in between is lost.
pub fn stream<S: Source>(
    source: S,
    rx: broadcast::Receiver<Signal>,
    anchor: Option<String>,
    backlog: Vec<S::Item>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut live = Live {
        source,
        rx,
        queue: VecDeque::new(),
        anchor,
        sent: VecDeque::new(),
    };
    // A first line at once, so the client knows the stream is open.
    live.queue.push_back(Event::default().comment("irnet"));
    for item in &backlog {
        live.push(item);
    }
    let events = futures_util::stream::unfold(live, |mut live| async move {
        live.next().await.map(|e| (Ok(e), live))
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}

/// `Last-Event-ID`, when the client sends a plausible one.
pub fn resume_from(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 64)
        .map(str::to_owned)
}

/// One open stream: its source, its bus subscription, what it has sent.
struct Live<S: Source> {
    source: S,
    rx: broadcast::Receiver<Signal>,
    queue: VecDeque<Event>,
    /// the last item sent (or the newest when the stream opened): where a re-read starts
    anchor: Option<String>,
    sent: VecDeque<String>,
}

impl<S: Source> Live<S> {
    fn push(&mut self, item: &S::Item) {
        let id = S::id(item).to_owned();
        if self.sent.contains(&id) {
            return;
        }
        match Event::default()
            .event(S::EVENT)
            .id(id.clone())
            .json_data(item)
        {
            Ok(e) => self.queue.push_back(e),
            Err(e) => tracing::warn!(error = %e, stream = S::EVENT, "live stream: cannot encode"),
        }
        if self.sent.len() == REMEMBERED {
            self.sent.pop_front();
        }
        self.sent.push_back(id.clone());
        self.anchor = Some(id);
    }

    /// The next event to send; `None` ends the stream.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(e) = self.queue.pop_front() {
                return Some(e);
            }
            let found: Result<Vec<S::Item>, AppError> = match self.rx.recv().await {
                Ok(Signal::Event(e)) if self.source.wants(&e) => {
                    if self.sent.contains(&e.id) {
                        continue;
                    }
                    self.source
                        .one(&e.id)
                        .await
                        .map(|n| n.into_iter().collect())
                }
                Ok(Signal::Event(_)) => continue,
                // Events may have been lost: read what is newer than the last one sent.
                Ok(Signal::Resync) | Err(RecvError::Lagged(_)) => {
                    self.source.after(self.anchor.as_deref()).await
                }
                Err(RecvError::Closed) => return None,
            };
            match found {
                Ok(list) => {
                    for item in &list {
                        self.push(item);
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, stream = S::EVENT, "live stream: read failed; closing");
                    return None;
                }
            }
        }
    }
}
