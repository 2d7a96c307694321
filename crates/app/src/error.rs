//! What can go wrong in a use-case, in terms a user can be told. The web layer turns each into an
//! RFC 9457 problem document with a machine-readable `code`; internal causes are logged, never shown.

use std::error::Error;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use irnet_domain::DomainError;
use irnet_store::StoreError;

/// One problem with one input field. `code` is also the suffix of the message key in the locales.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    /// values the message may mention (e.g. a minimum length)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<(String, String)>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    #[error("authentication required")]
    Unauthenticated,
    #[error("wrong email or password")]
    InvalidCredentials,
    #[error("wrong or already used code")]
    InvalidCode,
    #[error("too many failed attempts; locked until {until}")]
    Locked { until: DateTime<Utc> },
    #[error("a second factor must be enrolled first")]
    MfaEnrolmentRequired,
    #[error("not allowed")]
    Forbidden,
    #[error("this credential may only read")]
    ReadOnly,
    /// Credentials are managed in a signed-in browser session, never with an API token.
    #[error("credentials are managed in a signed-in browser session")]
    SessionRequired,
    /// The session's last password or second-factor check is too old to manage credentials.
    #[error("confirm your password first")]
    ReauthRequired,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The body is over `limit` bytes, the limit of the address it was sent to (which the
    /// message names: the limits differ by route).
    #[error("request body too large (limit {limit} bytes)")]
    PayloadTooLarge { limit: usize },
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("conflict: {code}")]
    Conflict {
        code: &'static str,
        field: Option<&'static str>,
    },
    /// The database could not take the request in time (a write lock held too long, or no free
    /// connection): nothing was written, and the same request may simply be sent again.
    #[error("database busy: {0}")]
    Busy(String),
    /// Something broke inside; the user is told only that, with the request id, and the log shows
    /// the cause with its sources (`{:#}`).
    #[error("internal error: {0:#}")]
    Internal(Cause),
}

/// What went wrong inside, kept whole: the error itself with its chain of sources (or a message,
/// where an invariant broke), for the log and for code that asks what it was. Shared rather than
/// owned because a failure travels in a response's extensions, which must be `Clone`.
///
/// Its `Display` is its own message; with `{:#}`, the message and each source's, joined by ": ",
/// as the log and the CLI show it. `AppError::Internal` shows it that way in its own message
/// instead of offering it as its `source()`, so that no cause is printed twice.
#[derive(Debug, Clone)]
pub struct Cause(Arc<dyn Error + Send + Sync>);

/// An error explained by what was being done when it happened.
#[derive(Debug, thiserror::Error)]
#[error("{what}")]
struct Context {
    what: String,
    #[source]
    source: Box<dyn Error + Send + Sync>,
}

impl Cause {
    /// An error (kept with its sources), or a message for a broken invariant.
    pub fn new(e: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Cause(Arc::from(e.into()))
    }

    /// `e`, explained by `what` was being done.
    pub fn context(what: impl Into<String>, e: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Cause::new(Context {
            what: what.into(),
            source: e.into(),
        })
    }

    /// The error as it was raised, for those who ask what it was (`downcast_ref`).
    pub fn error(&self) -> &(dyn Error + Send + Sync + 'static) {
        self.0.as_ref()
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        if f.alternate() {
            let mut next = self.0.source();
            while let Some(e) = next {
                write!(f, ": {e}")?;
                next = e.source();
            }
        }
        Ok(())
    }
}

impl Error for Cause {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.0.source()
    }
}

impl AppError {
    /// An internal failure and its cause: an error (its sources kept) or, where an invariant
    /// broke, a message.
    pub fn internal(cause: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        AppError::Internal(Cause::new(cause))
    }

    /// An internal failure: `e`, explained by `what` was being done.
    pub fn internal_in(
        what: impl Into<String>,
        e: impl Into<Box<dyn Error + Send + Sync>>,
    ) -> Self {
        AppError::Internal(Cause::context(what, e))
    }

    pub fn invalid(field: &str, code: &str) -> Self {
        AppError::Validation(vec![FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            params: vec![],
        }])
    }

    /// A domain parse failure, attributed to the input field it came from.
    pub fn field(field: &str, e: &DomainError) -> Self {
        let params = match e {
            DomainError::PasswordTooShort { min } => vec![("min".to_owned(), min.to_string())],
            DomainError::PasswordTooLong { max } => vec![("max".to_owned(), max.to_string())],
            _ => vec![],
        };
        AppError::Validation(vec![FieldError {
            field: field.to_owned(),
            code: e.code().to_owned(),
            params,
        }])
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::InvalidCode => "invalid_code",
            AppError::Locked { .. } => "locked",
            AppError::MfaEnrolmentRequired => "mfa_enrolment_required",
            AppError::Forbidden => "forbidden",
            AppError::ReadOnly => "read_only_token",
            AppError::SessionRequired => "session_required",
            AppError::ReauthRequired => "reauth_required",
            AppError::NotFound => "not_found",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::PayloadTooLarge { .. } => "payload_too_large",
            AppError::Validation(_) => "validation",
            AppError::Conflict { code, .. } => code,
            AppError::Busy(_) => "busy",
            AppError::Internal(_) => "internal",
        }
    }
}

/// Exchanged text that is not JSON (STIX, MISP, TAXII), as the field error of the `body`
/// saying where (line and column).
impl From<irnet_interop::json_text::NotJson> for AppError {
    fn from(e: irnet_interop::json_text::NotJson) -> Self {
        AppError::Validation(vec![FieldError {
            field: "body".to_owned(),
            code: e.code.to_owned(),
            params: e
                .params()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        }])
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Query(q) => q.into(),
            StoreError::Pool(_) => AppError::Busy(e.to_string()),
            _ => AppError::internal(e),
        }
    }
}

impl From<irnet_store::diesel::result::Error> for AppError {
    fn from(e: irnet_store::diesel::result::Error) -> Self {
        if irnet_store::is_busy(&e) {
            AppError::Busy(e.to_string())
        } else {
            AppError::internal(e)
        }
    }
}

/// Collects several field problems so that a form shows all of them at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn check<T>(&mut self, field: &str, r: Result<T, DomainError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                if let AppError::Validation(mut v) = AppError::field(field, &e) {
                    self.0.append(&mut v);
                }
                None
            }
        }
    }

    pub fn add(&mut self, field: &str, code: &str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            params: vec![],
        });
    }

    /// Checks a text's length: an empty required one is "required", one over `max` characters
    /// "too long" with the limit — so the form says what is wanted, not just that it is wrong.
    pub fn text(&mut self, field: &str, value: &str, required: bool, max: usize) {
        if required && value.trim().is_empty() {
            self.add(field, "required");
        } else if value.chars().count() > max {
            self.push(FieldError {
                field: field.to_owned(),
                code: "too_long".to_owned(),
                params: vec![("max".to_owned(), max.to_string())],
            });
        }
    }

    /// Adds a problem with its message parameters.
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn into_result(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::error::Error as _;
    use std::io;

    use super::{AppError, Cause};

    #[derive(Debug, thiserror::Error)]
    #[error("checkpoint not written")]
    struct Outer(#[source] io::Error);

    fn cause_of(e: &AppError) -> &Cause {
        match e {
            AppError::Internal(c) => c,
            other => panic!("not internal: {other:?}"),
        }
    }

    #[test]
    fn an_internal_error_keeps_its_cause_and_the_cause_its_sources() {
        let e = AppError::internal(Outer(io::Error::other("disk full")));
        // Every source once, in the message the log and the CLI print.
        assert_eq!(
            e.to_string(),
            "internal error: checkpoint not written: disk full"
        );
        let cause = cause_of(&e);
        assert_eq!(cause.to_string(), "checkpoint not written");
        assert!(cause.error().downcast_ref::<Outer>().is_some());
        let source = cause.source().expect("the io error");
        assert!(source.downcast_ref::<io::Error>().is_some());
        // The cause is in the message, so it is not offered again as the source.
        assert!(e.source().is_none());
    }

    #[test]
    fn context_explains_the_error_and_keeps_it_as_its_source() {
        let e = AppError::internal_in("writing the file", io::Error::other("disk full"));
        assert_eq!(e.to_string(), "internal error: writing the file: disk full");
        let cause = cause_of(&e);
        assert_eq!(cause.to_string(), "writing the file");
        assert_eq!(format!("{cause:#}"), "writing the file: disk full");
        assert!(
            cause
                .source()
                .and_then(|s| s.downcast_ref::<io::Error>())
                .is_some()
        );
    }

    #[test]
    fn a_broken_invariant_is_a_message() {
        let e = AppError::internal("validated input incomplete");
        assert_eq!(e.to_string(), "internal error: validated input incomplete");
        assert_eq!(e.code(), "internal");
        assert!(cause_of(&e).source().is_none());
    }
}
