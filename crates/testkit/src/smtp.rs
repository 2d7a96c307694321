//! A local SMTP sink for tests: a real SMTP server on a loopback port that accepts every message
//! and keeps it, so tests check what irnet actually sent over the wire (envelope, headers, body).
//! It speaks just enough RFC 5321 for a conforming client: EHLO/HELO, MAIL, RCPT, DATA, RSET,
//! NOOP, QUIT, with dot-unstuffing.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The sender of the tests' mail.
pub const MAIL_FROM: &str = "irnet <irnet@vncert.vn>";

/// The address the tests' irnet is reached at, in links of mail.
pub const PUBLIC_URL: &str = "https://irnet.example.vn";

#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// the message as transmitted: headers, blank line, body (CRLF line ends)
    pub data: String,
}

impl Received {
    /// The value of the first header called `name` (case-insensitive), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut() {
                if line.starts_with([' ', '\t']) {
                    v.push_str(line);
                    continue;
                }
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case(name)
            {
                value = Some(v.trim().to_owned());
            }
        }
        value
    }

    /// The body after the headers.
    pub fn body(&self) -> &str {
        self.data.split_once("\r\n\r\n").map_or("", |(_, b)| b)
    }

    /// The body with line breaks and runs of spaces as single spaces: what a reader reads,
    /// whatever the sender's line wrapping.
    pub fn text(&self) -> String {
        self.body().split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    messages: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind SMTP sink");
        let port = listener.local_addr().expect("sink address").port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let store = messages.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, store.clone()));
            }
        });
        Self { port, messages }
    }

    /// `smtp://127.0.0.1:<port>`, for `Settings::smtp_url`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Settings that send mail to this sink, from the network's address, with links to
    /// [`PUBLIC_URL`].
    pub fn settings(&self) -> irnet_app::Settings {
        irnet_app::Settings {
            smtp_url: Some(self.url()),
            mail_from: MAIL_FROM.to_owned(),
            public_url: PUBLIC_URL.to_owned(),
            ..irnet_app::Settings::default()
        }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.messages.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

async fn session(stream: TcpStream, store: Arc<Mutex<Vec<Received>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let reply = |s: &str| format!("{s}\r\n");
    if write
        .write_all(reply("220 irnet-test-sink ESMTP").as_bytes())
        .await
        .is_err()
    {
        return;
    }
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let cmd = line.trim_end().to_owned();
        let upper = cmd.to_ascii_uppercase();
        let answer = if upper.starts_with("EHLO") {
            "250-irnet-test-sink\r\n250-8BITMIME\r\n250 SMTPUTF8".to_owned()
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            "250 OK".to_owned()
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&cmd["MAIL FROM:".len()..]);
            to.clear();
            "250 OK".to_owned()
        } else if upper.starts_with("RCPT TO:") {
            to.push(address(&cmd["RCPT TO:".len()..]));
            "250 OK".to_owned()
        } else if upper.starts_with("RSET") {
            from.clear();
            to.clear();
            "250 OK".to_owned()
        } else if upper == "DATA" {
            if write
                .write_all(reply("354 end with <CRLF>.<CRLF>").as_bytes())
                .await
                .is_err()
            {
                return;
            }
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                // Dot-stuffing (RFC 5321 4.5.2): a leading dot was doubled by the client.
                data.push_str(
                    line.strip_prefix('.')
                        .filter(|_| line.starts_with(".."))
                        .unwrap_or(&line),
                );
            }
            if let Ok(mut m) = store.lock() {
                m.push(Received {
                    from: from.clone(),
                    to: std::mem::take(&mut to),
                    data,
                });
            }
            "250 OK queued".to_owned()
        } else if upper.starts_with("QUIT") {
            let _ = write.write_all(reply("221 bye").as_bytes()).await;
            return;
        } else {
            "502 command not implemented".to_owned()
        };
        if write.write_all(reply(&answer).as_bytes()).await.is_err() {
            return;
        }
    }
}

/// `<a@b> SIZE=…` → `a@b`
fn address(arg: &str) -> String {
    let arg = arg.trim();
    match (arg.find('<'), arg.find('>')) {
        (Some(a), Some(b)) if a < b => arg[a + 1..b].to_owned(),
        _ => arg.split_whitespace().next().unwrap_or("").to_owned(),
    }
}
