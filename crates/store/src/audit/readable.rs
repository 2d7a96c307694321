//! Which of a page's audit entries describe a record its reader may read. An entry names the
//! shareable record it is about (`record_kind`, `record_id`); the reader's read rules — decided by
//! `domain::policy` and passed in as data — are compiled with the same macros that filter each
//! kind's own lists (`tlp_visible!`, `org_private_visible!`), in one query per kind present on
//! the page, so the log never shows more of a record than its own pages do.

use std::collections::HashSet;

use chrono::NaiveDate;
use diesel::prelude::*;
use irnet_domain::policy::{AlertReadRule, PrivateReadRule, ReadRule};

use super::AuditRow;
use crate::DbConn;
use crate::schema::{alerts, channel_messages, incidents, indicators, organisations};

pub const INCIDENT: &str = crate::incidents::KIND;
pub const ALERT: &str = crate::alerts::KIND;
pub const INDICATOR: &str = crate::sharing::KIND;
pub const MESSAGE: &str = crate::channels::KIND;
/// an organisation's private directory part (people, focal points, systems); the id is the
/// organisation's
pub const ORG_PRIVATE: &str = "org_private";

/// The reader's rules, one per record kind, as `domain::policy` states them.
pub struct ReaderRules<'a> {
    pub person: &'a str,
    pub own_org: &'a str,
    pub incident: ReadRule,
    pub indicator: ReadRule,
    pub alert: AlertReadRule,
    pub message: ReadRule,
    /// whether the reader reads the channel (`network` or a cluster id) a message was posted in
    pub channel: Box<dyn Fn(&str) -> bool + 'a>,
    pub private: PrivateReadRule,
    pub today: NaiveDate,
}

/// The `(kind, id)` of the records among `rows` that the reader may read. Entries about a kind
/// not listed here (none today) count as not readable.
pub fn readable(
    conn: &mut DbConn,
    rules: &ReaderRules<'_>,
    rows: &[AuditRow],
) -> QueryResult<HashSet<(String, String)>> {
    let ids_of = |kind: &str| -> Vec<String> {
        let mut ids: Vec<String> = rows
            .iter()
            .filter(|r| r.record_kind.as_deref() == Some(kind))
            .filter_map(|r| r.record_id.clone())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let mut out = HashSet::new();
    let mut add = |kind: &str, ids: Vec<String>| {
        out.extend(ids.into_iter().map(|id| (kind.to_owned(), id)));
    };

    let ids = ids_of(INCIDENT);
    if !ids.is_empty() {
        let rule = &rules.incident;
        let found: Vec<String> = incidents::table
            .filter(incidents::id.eq_any(ids))
            .filter(crate::tlp_visible!(
                rule,
                INCIDENT,
                incidents::id,
                incidents::owner_org_id,
                incidents::tlp
            ))
            // a draft is its author's until filed, as in the incident lists
            .filter(
                incidents::status
                    .ne("draft")
                    .or(incidents::created_by.eq(rules.person.to_owned())),
            )
            .select(incidents::id)
            .load(conn)?;
        add(INCIDENT, found);
    }

    let ids = ids_of(INDICATOR);
    if !ids.is_empty() {
        let rule = &rules.indicator;
        let found: Vec<String> = indicators::table
            .filter(indicators::id.eq_any(ids))
            .filter(crate::tlp_visible!(
                rule,
                INDICATOR,
                indicators::id,
                indicators::owner_org_id,
                indicators::tlp
            ))
            .select(indicators::id)
            .load(conn)?;
        add(INDICATOR, found);
    }

    let ids = ids_of(ALERT);
    if !ids.is_empty() {
        let rule = &rules.alert;
        let network: Vec<String> = rule
            .network_levels
            .iter()
            .map(|t| t.as_str().to_owned())
            .collect();
        let found: Vec<String> = alerts::table
            .filter(alerts::id.eq_any(ids))
            .filter(alerts::tlp.eq_any(network).or(crate::tlp_visible!(
                &rule.audience,
                ALERT,
                alerts::id,
                alerts::sender_org_id,
                alerts::tlp
            )))
            // a draft is its sender organisation's until sent, as in the alert lists
            .filter(
                alerts::status
                    .ne(irnet_domain::alert::Status::Draft)
                    .or(alerts::sender_org_id.eq(rules.own_org.to_owned())),
            )
            .select(alerts::id)
            .load(conn)?;
        add(ALERT, found);
    }

    let ids = ids_of(MESSAGE);
    if !ids.is_empty() {
        let rule = &rules.message;
        let found: Vec<(String, String)> = channel_messages::table
            .filter(channel_messages::id.eq_any(ids))
            .filter(crate::tlp_visible!(
                rule,
                MESSAGE,
                channel_messages::id,
                channel_messages::owner_org_id,
                channel_messages::tlp
            ))
            .select((channel_messages::id, channel_messages::channel))
            .load(conn)?;
        add(
            MESSAGE,
            found
                .into_iter()
                .filter(|(_, channel)| (rules.channel)(channel))
                .map(|(id, _)| id)
                .collect(),
        );
    }

    let ids = ids_of(ORG_PRIVATE);
    if !ids.is_empty() {
        let found: Vec<String> =
            match crate::org_private_visible!(&rules.private, rules.today, organisations::id) {
                None => ids,
                Some(visible) => organisations::table
                    .filter(organisations::id.eq_any(ids))
                    .filter(visible)
                    .select(organisations::id)
                    .load(conn)?,
            };
        add(ORG_PRIVATE, found);
    }
    Ok(out)
}

/// The incident a support request or an instruction belongs to: entries about them are entries
/// about the incident.
pub fn incident_of(conn: &mut DbConn, object_type: &str, id: &str) -> QueryResult<Option<String>> {
    use crate::schema::{incident_instructions, support_requests};
    match object_type {
        "support_request" => support_requests::table
            .find(id)
            .select(support_requests::incident_id)
            .first(conn)
            .optional(),
        "instruction" => incident_instructions::table
            .find(id)
            .select(incident_instructions::incident_id)
            .first(conn)
            .optional(),
        _ => Ok(None),
    }
}
