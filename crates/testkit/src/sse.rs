//! A client's open server-sent event stream, for tests of the live streams: `next` returns the
//! next event (comments skipped) or fails the test after a wait.

use std::time::Duration;

use serde_json::Value;

/// How long a test waits for an event before it fails.
pub const WAIT: Duration = Duration::from_secs(10);

/// One server-sent event.
#[derive(Debug)]
pub struct SseEvent {
    pub event: String,
    pub id: String,
    pub data: Value,
}

pub struct EventStream {
    res: reqwest::Response,
    buf: String,
}

impl EventStream {
    /// Opens `url` with a bearer token (and `Last-Event-ID`); fails the test unless it is a
    /// `200 text/event-stream`.
    pub async fn open(url: &str, token: &str, last_event_id: Option<&str>) -> EventStream {
        let res = Self::request(url, token, last_event_id).await;
        assert_eq!(res.status(), 200, "{url}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap_or_default()
                .starts_with("text/event-stream")
        );
        EventStream {
            res,
            buf: String::new(),
        }
    }

    /// The answer to opening a stream, whatever it is (to check refusals).
    pub async fn request(url: &str, token: &str, last_event_id: Option<&str>) -> reqwest::Response {
        let mut req = reqwest::Client::new().get(url).bearer_auth(token);
        if let Some(id) = last_event_id {
            req = req.header("Last-Event-ID", id);
        }
        req.send().await.expect("the stream request")
    }

    /// The next event (comments skipped), waiting at most `WAIT`.
    pub async fn next(&mut self) -> SseEvent {
        tokio::time::timeout(WAIT, async {
            loop {
                while let Some(end) = self.buf.find("\n\n") {
                    let block: String = self.buf.drain(..end + 2).collect();
                    let (mut event, mut id, mut data) =
                        (String::new(), String::new(), String::new());
                    for line in block.lines() {
                        if let Some(v) = line.strip_prefix("event:") {
                            event = v.trim().to_owned();
                        } else if let Some(v) = line.strip_prefix("id:") {
                            id = v.trim().to_owned();
                        } else if let Some(v) = line.strip_prefix("data:") {
                            data.push_str(v.trim_start());
                        }
                    }
                    if !event.is_empty() {
                        return SseEvent {
                            event,
                            id,
                            data: serde_json::from_str(&data).expect("JSON data"),
                        };
                    }
                }
                let chunk = self
                    .res
                    .chunk()
                    .await
                    .expect("the stream")
                    .expect("stream ended");
                self.buf
                    .push_str(std::str::from_utf8(&chunk).expect("UTF-8"));
            }
        })
        .await
        .expect("an event within the wait")
    }
}
