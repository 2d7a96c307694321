//! Outgoing mail over SMTP (lettre). Mail is never sent from a request: use-cases enqueue an
//! `email` job in the same transaction as the change that causes it, and the jobs worker sends it
//! with retries, so a slow or absent mail server neither delays users nor loses messages.

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use irnet_store::jobs::JobRow;

use crate::jobs::{Jobs, Kind, Outcome};
use crate::{App, Settings};

/// One message to one recipient, rendered in the recipient's language when it was enqueued.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    /// plain text
    pub body: String,
    /// The record the mail names, if any: the worker reads it again as the recipient when it
    /// sends (`notify::cut`) and sends `About::sealed` instead when they may not read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<About>,
}

/// What a mail is about, and what it says instead to a recipient who may not read that.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct About {
    /// the recipient's account, whose read rule decides
    pub user_id: String,
    /// `incident`, `alert`, `message`
    pub object_type: String,
    pub object_id: String,
    /// subject and body naming nothing of the record
    pub sealed_subject: String,
    pub sealed_body: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// Nothing to retry: the operator has not configured SMTP.
    #[error("no SMTP server is configured (smtp_url)")]
    NotConfigured,
    /// Nothing to retry: the message itself is wrong (address, URL).
    #[error("{0}")]
    Invalid(String),
    /// Worth retrying: the server refused or could not be reached.
    #[error("{0}")]
    Transient(String),
}

pub async fn send(settings: &Settings, mail: &Mail) -> Result<(), MailError> {
    let url = settings
        .smtp_url
        .as_deref()
        .ok_or(MailError::NotConfigured)?;
    let from: Mailbox = settings
        .mail_from
        .parse()
        .map_err(|e| MailError::Invalid(format!("mail_from: {e}")))?;
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| MailError::Invalid(format!("recipient {}: {e}", mail.to)))?;
    // 8bit keeps Vietnamese readable in the raw message. lettre allows it only when every line
    // fits in 75 octets with its break, so lines are wrapped at spaces first; a line that cannot be (a very
    // long address) makes lettre choose quoted-printable or base64 instead.
    let body = Body::new_with_encoding(wrap(&mail.body), ContentTransferEncoding::EightBit)
        .unwrap_or_else(Body::new);
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| MailError::Invalid(e.to_string()))?;
    // `smtp://host:port` speaks plain SMTP (a relay on the same host or network), `smtps://` TLS
    // from the first byte, `smtp://…?tls=required` STARTTLS (lettre's URL forms).
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| MailError::Invalid(format!("smtp_url: {e}")))?
        .build();
    transport
        .send(message)
        .await
        .map(drop)
        .map_err(|e| MailError::Transient(e.to_string()))
}

/// Wraps each line at spaces so that no line is longer than 72 octets where a space allows it;
/// continuation lines keep the line's indentation (list items stay readable).
fn wrap(text: &str) -> String {
    // lettre (email-encoding) counts a line with its line break and wants fewer than 76.
    const MAX: usize = 72;
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines() {
        if line.len() <= MAX {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let hang = if body.starts_with("- ") {
            format!("{indent}  ")
        } else {
            indent.to_owned()
        };
        let mut current = indent.to_owned();
        for word in body.split(' ') {
            let fresh = current.trim().is_empty();
            if !fresh && current.len() + 1 + word.len() > MAX {
                out.push_str(current.trim_end());
                out.push('\n');
                current = hang.clone();
            } else if !fresh {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push_str(&current);
        out.push('\n');
    }
    out
}

/// The job kind that sends one mail.
pub const JOB: &str = "email";

/// Mail is sent by the jobs worker, so that a mail server that is down delays it, never loses it.
pub const JOBS: Jobs = Jobs {
    kinds: &[Kind {
        name: JOB,
        run: |app, job| Box::pin(send_job(app, job)),
    }],
    periodic: &[],
};

async fn send_job(app: &App, job: &JobRow) -> Outcome {
    let m = match serde_json::from_str::<Mail>(&job.payload) {
        Ok(m) => m,
        Err(e) => return Outcome::GiveUp(format!("payload: {e}")),
    };
    // Cut by the recipient's read rule as it is now, not as it was when enqueued.
    match crate::notify::cut::mail_to_send(app, m).await {
        Ok(Some(m)) => match send(&app.settings, &m).await {
            Ok(()) => Outcome::Done,
            Err(e @ MailError::Transient(_)) => Outcome::Retry(e.to_string()),
            Err(e) => Outcome::GiveUp(e.to_string()),
        },
        Ok(None) => Outcome::Done,
        Err(e) => Outcome::Retry(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn long_lines_wrap_at_spaces_within_72_octets_and_keep_every_word() {
        let line = "  - Đầu mối chính: Nguyễn Văn An, xác nhận lần cuối ngày 02/03/2026 (đã 107 ngày) và còn nhiều chữ nữa";
        let wrapped = wrap(&format!(
            "Ngắn.\n{line}\nhttps://irnet.example.vn/orgs/01a2106e-607f-75bf-8334-614c7b000d80"
        ));
        assert!(wrapped.lines().all(|l| l.len() <= 72), "{wrapped}");
        assert!(
            wrapped
                .lines()
                .nth(2)
                .is_some_and(|l| l.starts_with("    ")),
            "hanging indent: {wrapped}"
        );
        let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            words(&wrapped),
            words(&format!(
                "Ngắn. {line} https://irnet.example.vn/orgs/01a2106e-607f-75bf-8334-614c7b000d80"
            ))
        );
    }
}
