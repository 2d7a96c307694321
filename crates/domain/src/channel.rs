//! Discussion channels: one for the whole network and one per cluster, derived from the
//! directory (a cluster has its channel from the day it exists; nobody creates channels).
//! Who reads a channel and who reads a message inside it is decided by `domain::policy`
//! (`Principal::may_read_channel`, `Principal::message_read_rule`); this module holds the
//! channel's identity and the rules of a message's text.

use crate::error::DomainError;
use crate::ids::ClusterId;

/// The id of the network-wide channel; a cluster's channel is named by the cluster's id.
pub const NETWORK: &str = "network";

/// The longest message body, in characters.
pub const MAX_BODY_CHARS: usize = 10_000;

/// Which channel.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "diesel", derive(diesel::AsExpression, diesel::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum Channel {
    Network,
    Cluster(ClusterId),
}

// Stored as its key; a stored key that is neither `network` nor a UUID fails the read.
#[cfg(feature = "diesel")]
crate::sql::stored_as_text!(Channel, |c| c.key(), |s| Channel::parse(&s)
    .map_err(|_| format!("unknown channel {s:?} in the database").into()));

impl Channel {
    /// `network`, or a cluster id (any UUID spelling, normalised).
    pub fn parse(s: &str) -> Result<Channel, DomainError> {
        if s == NETWORK {
            return Ok(Channel::Network);
        }
        ClusterId::parse(s).map(Channel::Cluster)
    }

    /// The stored and exchanged form: `network` or the cluster id.
    pub fn key(&self) -> &str {
        match self {
            Channel::Network => NETWORK,
            Channel::Cluster(c) => c.as_str(),
        }
    }
}

/// A message body: trimmed, in NFC, not empty, at most `MAX_BODY_CHARS` characters. `None`
/// when it is empty or too long.
pub fn body(text: &str) -> Option<String> {
    let t = crate::text::nfc(text.trim());
    (!t.is_empty() && t.chars().count() <= MAX_BODY_CHARS).then_some(t)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn channel_ids_round_trip() {
        assert_eq!(Channel::parse("network").unwrap(), Channel::Network);
        let c = Channel::parse("0193A5B2-0000-7000-8000-000000000001").unwrap();
        assert_eq!(c.key(), "0193a5b2-0000-7000-8000-000000000001");
        assert!(Channel::parse("Network").is_err());
        assert!(Channel::parse("cluster-1").is_err());
    }

    #[test]
    fn bodies_are_trimmed_and_bounded() {
        assert_eq!(body("  xin chào \n").as_deref(), Some("xin chào"));
        assert_eq!(body(" \n\t "), None);
        assert!(body(&"a".repeat(MAX_BODY_CHARS)).is_some());
        assert_eq!(body(&"ạ".repeat(MAX_BODY_CHARS + 1)), None);
    }
}
