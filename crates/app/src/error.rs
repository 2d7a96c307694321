//! What can go wrong in a use-case, in terms a user can be told. The web layer turns each into an
//! RFC 9457 problem document with a machine-readable `code`; internal causes are logged, never shown.

use chrono::{DateTime, Utc};
use irnet_domain::DomainError;
use irnet_store::StoreError;

/// One problem with one input field. `code` is also the suffix of the message key in the locales.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    /// values the message may mention (e.g. a minimum length)
    #[serde(skip_serializing_if = "Vec::is_empty")]
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
    #[error("request body too large")]
    PayloadTooLarge,
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
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
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
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::Validation(_) => "validation",
            AppError::Conflict { code, .. } => code,
            AppError::Busy(_) => "busy",
            AppError::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Query(q) => q.into(),
            StoreError::Pool(_) => AppError::Busy(e.to_string()),
            _ => AppError::Internal(e.to_string()),
        }
    }
}

impl From<irnet_store::diesel::result::Error> for AppError {
    fn from(e: irnet_store::diesel::result::Error) -> Self {
        if irnet_store::is_busy(&e) {
            AppError::Busy(e.to_string())
        } else {
            AppError::Internal(e.to_string())
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
