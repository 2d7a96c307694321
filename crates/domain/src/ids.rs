//! Opaque identifiers. Each kind of record gets its own newtype so an organisation id
//! can never be passed where a user id is expected; the compiler catches the mix-up.
//!
//! Ids are UUIDv7 (time-ordered, so indexes stay compact and lists sort by creation),
//! stored and exchanged as lowercase hyphenated text. Minting one reads the system time
//! inside the `uuid` crate: the only place this crate touches time, because an id's
//! embedded timestamp is an ordering hint, never a fact any rule depends on.

use crate::error::DomainError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        #[cfg_attr(feature = "diesel", derive(diesel::AsExpression, diesel::FromSqlRow))]
        #[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A fresh UUIDv7.
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7().hyphenated().to_string())
            }

            /// Parses untrusted input: any UUID text form is accepted and normalised to
            /// lowercase hyphenated, so equal ids always compare equal as strings.
            pub fn parse(s: &str) -> Result<Self, DomainError> {
                uuid::Uuid::try_parse(s)
                    .map(|u| Self(u.hyphenated().to_string()))
                    .map_err(|_| DomainError::InvalidId { field: $field })
            }

            /// For values read back from our own database, which only ever stores
            /// ids that went through `new` or `parse`; re-checking them would be waste.
            pub fn from_trusted(s: String) -> Self {
                Self(s)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        // The database holds what `new` or `parse` made, so reading back trusts it.
        #[cfg(feature = "diesel")]
        crate::sql::stored_as_text!($name, |id| id.as_str(), |s| Ok($name::from_trusted(s)));
    };
}

id_type!(
    /// A person with an account.
    UserId,
    "user_id"
);
id_type!(
    /// A member organisation (or the coordinator) of the network.
    OrgId,
    "org_id"
);
id_type!(
    /// A regional cluster (cụm) of member organisations.
    ClusterId,
    "cluster_id"
);
id_type!(
    /// A browser session.
    SessionId,
    "session_id"
);
id_type!(
    /// An API token.
    TokenId,
    "token_id"
);
id_type!(
    /// One role grant of a user.
    GrantId,
    "grant_id"
);
id_type!(
    /// One entry of the hash-chained audit log.
    AuditId,
    "audit_id"
);
id_type!(
    /// An incident filed by a member.
    IncidentId,
    "incident_id"
);
id_type!(
    /// A warning the coordinator sends to members.
    AlertId,
    "alert_id"
);
id_type!(
    /// A shared indicator of compromise.
    IndicatorId,
    "indicator_id"
);
id_type!(
    /// A message posted in a discussion channel.
    MessageId,
    "message_id"
);
id_type!(
    /// A drill (scenario, live-fire or external).
    DrillId,
    "drill_id"
);
id_type!(
    /// A task released to a scenario drill's teams.
    InjectId,
    "inject_id"
);

// Training (issue 20): programmes, their sessions, and certificates held by people.
id_type!(
    /// A training programme organised by a member, a cluster lead or the coordinator.
    ProgrammeId,
    "programme_id"
);
id_type!(
    /// One session of a training programme.
    TrainingSessionId,
    "session_id"
);
id_type!(
    /// A certificate held by a person of the directory.
    CertificateId,
    "certificate_id"
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn new_is_lowercase_hyphenated_v7() {
        let id = UserId::new();
        let u = uuid::Uuid::parse_str(id.as_str()).unwrap();
        assert_eq!(u.get_version_num(), 7);
        assert_eq!(id.as_str(), u.hyphenated().to_string());
        assert_eq!(id.as_str().len(), 36);
        assert_ne!(UserId::new(), UserId::new());
    }

    #[test]
    fn parse_normalises_every_uuid_form() {
        let canonical = "0190c3a2-7b1e-7cc0-8a5f-1234567890ab";
        for form in [
            canonical,
            "0190C3A2-7B1E-7CC0-8A5F-1234567890AB",
            "0190c3a27b1e7cc08a5f1234567890ab",
            "{0190c3a2-7b1e-7cc0-8a5f-1234567890ab}",
            "urn:uuid:0190c3a2-7b1e-7cc0-8a5f-1234567890ab",
        ] {
            assert_eq!(OrgId::parse(form).unwrap().as_str(), canonical, "{form}");
        }
    }

    #[test]
    fn parse_refuses_non_uuids_naming_the_field() {
        for bad in [
            "",
            "abc",
            "0190c3a2-7b1e-7cc0-8a5f-1234567890a",
            " 0190c3a2-7b1e-7cc0-8a5f-1234567890ab",
        ] {
            assert_eq!(
                ClusterId::parse(bad),
                Err(DomainError::InvalidId {
                    field: "cluster_id"
                })
            );
        }
        assert_eq!(
            AuditId::parse("x"),
            Err(DomainError::InvalidId { field: "audit_id" })
        );
    }

    #[test]
    fn display_and_from_str_round_trip() {
        let id = TokenId::parse("0190c3a2-7b1e-7cc0-8a5f-1234567890ab").unwrap();
        assert_eq!(id.to_string(), "0190c3a2-7b1e-7cc0-8a5f-1234567890ab");
        assert_eq!(id.to_string().parse::<TokenId>().unwrap(), id);
    }

    proptest! {
        #[test]
        fn parse_round_trips_any_uuid(bytes in any::<[u8; 16]>()) {
            let u = uuid::Uuid::from_bytes(bytes);
            let upper = u.hyphenated().to_string().to_uppercase();
            let id = GrantId::parse(&upper).unwrap();
            prop_assert_eq!(id.as_str(), u.hyphenated().to_string());
            prop_assert_eq!(GrantId::parse(id.as_str()).unwrap(), id);
        }
    }
}
