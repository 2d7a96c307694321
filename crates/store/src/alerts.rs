//! Alerts, their recipients and the acknowledgement links mailed to focal points. Lists and counts
//! are filtered in SQL by `Principal::alert_read_rule` (passed in by the caller), so they agree
//! with what a single read allows.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use irnet_domain::alert::{ActionStatus, Status};
use irnet_domain::ids::AlertId;
use irnet_domain::{AlertReadRule, Tlp};

use crate::DbConn;
use crate::page::{Page, decode_cursor, encode_cursor, paginate};
use crate::schema::{alert_ack_tokens, alert_recipients, alerts, server_keys};

/// The record kind of alerts in `record_shares`.
pub const KIND: &str = "alert";

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = alerts, treat_none_as_null = true)]
pub struct AlertRow {
    pub id: AlertId,
    pub sender_org_id: String,
    pub created_by: String,
    pub status: Status,
    pub tlp: Tlp,
    pub title: String,
    pub description: String,
    pub severity: String,
    /// JSON array of text
    pub products: String,
    /// JSON array of CVE identifiers
    pub cves: String,
    pub actions: String,
    pub action_deadline: Option<NaiveDateTime>,
    /// JSON: what the sender addressed (see `app::alerts::Audience`)
    pub audience: String,
    pub sent_at: Option<NaiveDateTime>,
    pub sent_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = alert_recipients, treat_none_as_null = true)]
pub struct RecipientRow {
    pub id: String,
    pub alert_id: AlertId,
    pub org_id: String,
    pub org_name_vi: String,
    pub org_name_en: Option<String>,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub acknowledged_by_user: Option<String>,
    pub acknowledged_by_person: Option<String>,
    pub acknowledged_by_name: Option<String>,
    pub action_status: Option<ActionStatus>,
    pub action_note: Option<String>,
    pub reported_at: Option<NaiveDateTime>,
    pub reported_by_user: Option<String>,
    pub chase_step: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = alert_ack_tokens)]
pub struct AckTokenRow {
    pub id: String,
    pub recipient_id: String,
    pub person_id: String,
    pub person_name: String,
    pub email: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &AlertRow) -> QueryResult<()> {
    diesel::insert_into(alerts::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn save(conn: &mut DbConn, row: &AlertRow) -> QueryResult<()> {
    diesel::update(alerts::table.find(&row.id))
        .set(row)
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: &AlertId) -> QueryResult<Option<AlertRow>> {
    alerts::table
        .find(id)
        .select(AlertRow::as_select())
        .first(conn)
        .optional()
}

pub fn get_many(conn: &mut DbConn, ids: &[AlertId]) -> QueryResult<Vec<AlertRow>> {
    alerts::table
        .filter(alerts::id.eq_any(ids))
        .select(AlertRow::as_select())
        .load(conn)
}

/// Opens an alert to an organisation (a recipient) or a named person (TLP:RED).
pub fn share_with(
    conn: &mut DbConn,
    alert_id: &AlertId,
    org_id: Option<&str>,
    user_id: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::access::share_with(conn, KIND, alert_id.as_str(), org_id, user_id, now)
}

/// The audience beyond the sender: (organisations, people).
pub fn audience(conn: &mut DbConn, alert_id: &AlertId) -> QueryResult<(Vec<String>, Vec<String>)> {
    crate::access::audience(conn, KIND, alert_id.as_str())
}

/// What a list asks for, beyond what the reader may see.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// the reader's organisation: drafts are listed only for their sender organisation
    pub own_org: String,
    pub status: Option<Status>,
    /// only alerts this organisation sent
    pub sent_by: Option<String>,
    /// only alerts this organisation received
    pub received_by: Option<String>,
    /// only alerts this organisation received and has not acknowledged yet
    pub pending_for: Option<String>,
}

macro_rules! filtered {
    ($rule:expr, $filter:expr) => {{
        let rule: &AlertReadRule = $rule;
        let f: &Filter = $filter;
        let network: Vec<Tlp> = rule.network_levels.clone();
        let mut q = alerts::table
            .filter(alerts::tlp.eq_any(network).or(crate::tlp_visible!(
                &rule.audience,
                KIND,
                alerts::id,
                alerts::sender_org_id,
                alerts::tlp
            )))
            .filter(
                alerts::status
                    .ne(Status::Draft)
                    .or(alerts::sender_org_id.eq(f.own_org.clone())),
            )
            .into_boxed();
        if let Some(s) = &f.status {
            q = q.filter(alerts::status.eq(*s));
        }
        if let Some(o) = &f.sent_by {
            q = q.filter(alerts::sender_org_id.eq(o.clone()));
        }
        if let Some(o) = &f.received_by {
            q = q.filter(
                alerts::id.eq_any(
                    alert_recipients::table
                        .filter(alert_recipients::org_id.eq(o.clone()))
                        .select(alert_recipients::alert_id),
                ),
            );
        }
        if let Some(o) = &f.pending_for {
            q = q.filter(
                alerts::id.eq_any(
                    alert_recipients::table
                        .filter(alert_recipients::org_id.eq(o.clone()))
                        .filter(alert_recipients::acknowledged_at.is_null())
                        .select(alert_recipients::alert_id),
                ),
            );
        }
        q
    }};
}

/// A page of the alerts `rule` admits, newest first.
pub fn list(
    conn: &mut DbConn,
    rule: &AlertReadRule,
    filter: &Filter,
    cursor: Option<&str>,
    limit: i64,
) -> QueryResult<Page<AlertRow>> {
    let mut q = filtered!(rule, filter);
    if let Some(parts) = cursor.and_then(|c| decode_cursor(c, 1)) {
        q = q.filter(alerts::id.lt(parts[0].clone()));
    }
    let rows = q
        .order(alerts::id.desc())
        .limit(limit + 1)
        .select(AlertRow::as_select())
        .load(conn)?;
    Ok(paginate(rows, limit, |r| encode_cursor(&[r.id.as_str()])))
}

/// How many alerts `rule` admits under `filter`.
pub fn count(conn: &mut DbConn, rule: &AlertReadRule, filter: &Filter) -> QueryResult<i64> {
    filtered!(rule, filter).count().get_result(conn)
}

pub fn insert_recipient(conn: &mut DbConn, row: &RecipientRow) -> QueryResult<()> {
    diesel::insert_into(alert_recipients::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn save_recipient(conn: &mut DbConn, row: &RecipientRow) -> QueryResult<()> {
    diesel::update(alert_recipients::table.find(&row.id))
        .set(row)
        .execute(conn)
        .map(drop)
}

pub fn recipients(conn: &mut DbConn, alert_id: &AlertId) -> QueryResult<Vec<RecipientRow>> {
    alert_recipients::table
        .filter(alert_recipients::alert_id.eq(alert_id))
        .select(RecipientRow::as_select())
        .load(conn)
}

pub fn recipient(conn: &mut DbConn, id: &str) -> QueryResult<Option<RecipientRow>> {
    alert_recipients::table
        .find(id)
        .select(RecipientRow::as_select())
        .first(conn)
        .optional()
}

pub fn recipient_of(
    conn: &mut DbConn,
    alert_id: &AlertId,
    org_id: &str,
) -> QueryResult<Option<RecipientRow>> {
    alert_recipients::table
        .filter(alert_recipients::alert_id.eq(alert_id))
        .filter(alert_recipients::org_id.eq(org_id))
        .select(RecipientRow::as_select())
        .first(conn)
        .optional()
}

/// Recipients that have not acknowledged and still have chase steps to take (`below`: the last
/// step's number), for the reminder check.
pub fn to_chase(conn: &mut DbConn, below: i32) -> QueryResult<Vec<RecipientRow>> {
    alert_recipients::table
        .filter(alert_recipients::acknowledged_at.is_null())
        .filter(alert_recipients::chase_step.lt(below))
        .select(RecipientRow::as_select())
        .load(conn)
}

pub fn insert_token(conn: &mut DbConn, row: &AckTokenRow) -> QueryResult<()> {
    diesel::insert_into(alert_ack_tokens::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn token(conn: &mut DbConn, id: &str) -> QueryResult<Option<AckTokenRow>> {
    alert_ack_tokens::table
        .find(id)
        .select(AckTokenRow::as_select())
        .first(conn)
        .optional()
}

/// Marks a link used; false when it already was. One conditional update, so two clicks racing
/// on two instances cannot both succeed.
pub fn use_token(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        alert_ack_tokens::table
            .find(id)
            .filter(alert_ack_tokens::used_at.is_null()),
    )
    .set(alert_ack_tokens::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(n == 1)
}

/// The server's key called `name`, made from `fresh` on first use. Concurrent first uses on
/// several instances agree: the insert runs in a savepoint and the loser reads the winner's key.
pub fn server_key(
    conn: &mut DbConn,
    name: &str,
    fresh: &str,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let existing = server_keys::table
        .find(name)
        .select(server_keys::secret)
        .first::<String>(conn)
        .optional()?;
    if let Some(k) = existing {
        return Ok(k);
    }
    let inserted = conn.transaction(|c| {
        diesel::insert_into(server_keys::table)
            .values((
                server_keys::name.eq(name),
                server_keys::secret.eq(fresh),
                server_keys::created_at.eq(now),
            ))
            .execute(c)
            .map(drop)
    });
    match inserted {
        Ok(()) => Ok(fresh.to_owned()),
        Err(e) if crate::is_unique_violation(&e) => server_keys::table
            .find(name)
            .select(server_keys::secret)
            .first(conn),
        Err(e) => Err(e),
    }
}

/// Which of `ids` `rule` admits (under the list's own draft rule, `filter.own_org`), as rows: one
/// query for the alerts a page of other records (indicators, MISP events) links to.
pub fn readable_among(
    conn: &mut DbConn,
    rule: &AlertReadRule,
    filter: &Filter,
    ids: &[AlertId],
) -> QueryResult<Vec<AlertRow>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(crate::sharing::LOOKUP_CHUNK) {
        out.extend(
            filtered!(rule, filter)
                .filter(alerts::id.eq_any(chunk.to_vec()))
                .select(AlertRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}
