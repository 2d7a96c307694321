//! The single error type of the domain. Messages are for logs; users see a translated
//! text chosen by `code()`, so the wording here never reaches them directly.

/// Everything a domain parser or rule can refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("invalid identifier for {field}")]
    InvalidId { field: &'static str },
    #[error("unknown TLP marking {0:?}")]
    InvalidTlp(String),
    #[error("unknown role {0:?}")]
    InvalidRole(String),
    #[error("unknown scope {0:?}")]
    InvalidScope(String),
    #[error("role {role} cannot be granted at {scope} scope")]
    InvalidGrant {
        role: &'static str,
        scope: &'static str,
    },
    #[error("invalid email address")]
    InvalidEmail,
    #[error("password too short (minimum {min} characters)")]
    PasswordTooShort { min: usize },
    #[error("password too long (maximum {max} characters)")]
    PasswordTooLong { max: usize },
    #[error("unknown language {0:?}")]
    InvalidLocale(String),
    #[error("unknown organisation kind {0:?}")]
    InvalidOrgKind(String),
    #[error("not a valid domain name: {0:?}")]
    InvalidDomain(String),
    #[error("not a valid IP address or range: {0:?}")]
    InvalidIpRange(String),
    #[error("not a valid http(s) URL: {0:?}")]
    InvalidUrl(String),
    #[error("security level must be 1 to 5, not {0}")]
    InvalidSecurityLevel(i64),
    #[error("unknown team role {0:?}")]
    InvalidTeamRole(String),
    #[error("unknown skill {0:?}")]
    UnknownSkill(String),
    #[error("unknown skill level {0:?}")]
    InvalidSkillLevel(String),
    #[error("staff count out of range: {0}")]
    InvalidStaffCount(i64),
    /// A value outside a closed list or format; the code names which (e.g. `invalid_status`).
    #[error("invalid value ({0})")]
    Invalid(&'static str),
    #[error("not a webhook target irnet may post to: {0:?}")]
    InvalidWebhookUrl(String),
    #[error("not a valid notice kind: {0:?}")]
    InvalidNoticeKind(String),
}

impl DomainError {
    /// Machine-readable code used in API problem documents and as the i18n key suffix.
    /// Stable: clients and locale files depend on these strings.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::InvalidId { .. } => "invalid_id",
            DomainError::InvalidTlp(_) => "invalid_tlp",
            DomainError::InvalidRole(_) => "invalid_role",
            DomainError::InvalidScope(_) => "invalid_scope",
            DomainError::InvalidGrant { .. } => "invalid_grant",
            DomainError::InvalidEmail => "invalid_email",
            DomainError::PasswordTooShort { .. } => "password_too_short",
            DomainError::PasswordTooLong { .. } => "password_too_long",
            DomainError::InvalidLocale(_) => "invalid_locale",
            DomainError::InvalidOrgKind(_) => "invalid_org_kind",
            DomainError::InvalidDomain(_) => "invalid_domain",
            DomainError::InvalidIpRange(_) => "invalid_ip_range",
            DomainError::InvalidUrl(_) => "invalid_url",
            DomainError::InvalidSecurityLevel(_) => "invalid_security_level",
            DomainError::InvalidTeamRole(_) => "invalid_team_role",
            DomainError::UnknownSkill(_) => "unknown_skill",
            DomainError::InvalidSkillLevel(_) => "invalid_skill_level",
            DomainError::InvalidStaffCount(_) => "invalid_staff_count",
            DomainError::Invalid(code) => code,
            DomainError::InvalidWebhookUrl(_) => "invalid_webhook_url",
            DomainError::InvalidNoticeKind(_) => "invalid_notice_kind",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_snake_case() {
        let all = [
            DomainError::InvalidId { field: "user_id" },
            DomainError::InvalidTlp("x".into()),
            DomainError::InvalidRole("x".into()),
            DomainError::InvalidScope("x".into()),
            DomainError::InvalidGrant {
                role: "admin",
                scope: "org",
            },
            DomainError::InvalidEmail,
            DomainError::PasswordTooShort { min: 12 },
            DomainError::PasswordTooLong { max: 1024 },
            DomainError::InvalidLocale("x".into()),
        ];
        let mut codes: Vec<&str> = all.iter().map(DomainError::code).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'))
        );
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }

    #[test]
    fn messages_name_the_problem() {
        let e = DomainError::InvalidGrant {
            role: "admin",
            scope: "org",
        };
        assert_eq!(e.to_string(), "role admin cannot be granted at org scope");
        assert_eq!(
            DomainError::InvalidTlp("ORANGE".into()).to_string(),
            "unknown TLP marking \"ORANGE\""
        );
    }
}
