//! How a setting's value is written under its key: durations as whole units named in the key
//! (`session_idle_hours = 12`), roles as a list or comma-separated (as in the environment).
//!
//! The top-level durations and counts count as at least one, as they always have (a 0 there means
//! "as short as possible", not "never"); the pillars' sections refuse 0 instead (see
//! `super::positive`).

use chrono::Duration;
use irnet_domain::Role;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

macro_rules! unit {
    ($name:ident, $ctor:ident, $count:ident) => {
        pub(super) mod $name {
            use super::*;

            pub(crate) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(d.$count())
            }

            pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
                d: D,
            ) -> Result<Duration, D::Error> {
                Ok(Duration::$ctor(i64::deserialize(d)?.max(1)))
            }
        }
    };
}

unit!(minutes, minutes, num_minutes);
unit!(hours, hours, num_hours);
unit!(days, days, num_days);

/// A count of at least one (`lockout_threshold`).
pub(super) mod at_least_one {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(n: &i32, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(*n)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
        Ok(i32::deserialize(d)?.max(1))
    }
}

/// A URL that other paths are appended to: kept without its trailing slash.
pub(super) mod base_url {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(url: &str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(url)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(String::deserialize(d)?.trim_end_matches('/').to_owned())
    }
}

/// Roles: a TOML list (`["admin", "coordinator"]`) or one comma-separated string
/// (`IRNET_MFA_REQUIRED_ROLES=admin,coordinator`); blanks are skipped.
pub(super) mod roles {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(roles: &[Role], s: S) -> Result<S::Ok, S::Error> {
        roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Role>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Listed(Vec<String>),
            Joined(String),
        }
        let names = match Written::deserialize(d)? {
            Written::Listed(names) => names,
            Written::Joined(joined) => joined.split(',').map(str::to_owned).collect(),
        };
        names
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .map(|n| Role::parse(n).map_err(de::Error::custom))
            .collect()
    }
}
