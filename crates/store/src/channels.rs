//! Channel messages and read markers. Every read takes the reader's message rule
//! (`Principal::message_read_rule`) and compiles it with `tlp_visible!`, so the list, the unread
//! counts and the live stream admit exactly the messages a direct read admits. Whether the
//! reader may read the channel at all is the use-case's check, made before.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use irnet_domain::ids::MessageId;
use irnet_domain::{Channel, ReadRule, Tlp};

use crate::DbConn;
use crate::page::{Page, decode_cursor, paginate};
use crate::schema::{channel_messages, channel_reads};

/// The record kind of messages in `record_shares` (and of their files in `attachments`).
pub const KIND: &str = "message";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = channel_messages)]
pub struct MessageRow {
    pub id: MessageId,
    pub channel: Channel,
    pub owner_org_id: String,
    pub created_by: String,
    pub tlp: Tlp,
    pub body: String,
    /// JSON array of indicator ids
    pub indicator_ids: String,
    /// JSON array of user ids
    pub mentions: String,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &MessageRow) -> QueryResult<()> {
    diesel::insert_into(channel_messages::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: &MessageId) -> QueryResult<Option<MessageRow>> {
    channel_messages::table
        .find(id)
        .select(MessageRow::as_select())
        .first(conn)
        .optional()
}

macro_rules! visible_in {
    ($rule:expr, $channel:expr) => {{
        let rule: &ReadRule = $rule;
        let channel: &Channel = $channel;
        channel_messages::table
            .filter(channel_messages::channel.eq(channel.clone()))
            .filter(crate::tlp_visible!(
                rule,
                KIND,
                channel_messages::id,
                channel_messages::owner_org_id,
                channel_messages::tlp
            ))
            .into_boxed()
    }};
}

/// A page of the channel's messages `rule` admits, newest first (ids are time-ordered).
pub fn list(
    conn: &mut DbConn,
    channel: &Channel,
    rule: &ReadRule,
    cursor: Option<&str>,
    limit: i64,
) -> QueryResult<Page<MessageRow>> {
    let mut q = visible_in!(rule, channel);
    if let Some(parts) = cursor.and_then(|c| decode_cursor(c, 1)) {
        q = q.filter(channel_messages::id.lt(parts[0].clone()));
    }
    let rows = q
        .order(channel_messages::id.desc())
        .limit(limit + 1)
        .select(MessageRow::as_select())
        .load(conn)?;
    Ok(paginate(rows, limit, |r| {
        crate::page::encode_cursor(&[r.id.as_str()])
    }))
}

/// The messages `rule` admits after `after` (exclusive), oldest first, at most `limit`: what a
/// live stream re-reads after it may have missed events.
pub fn after(
    conn: &mut DbConn,
    channel: &Channel,
    rule: &ReadRule,
    after: Option<&MessageId>,
    limit: i64,
) -> QueryResult<Vec<MessageRow>> {
    let mut q = visible_in!(rule, channel);
    if let Some(a) = after {
        q = q.filter(channel_messages::id.gt(a.clone()));
    }
    q.order(channel_messages::id.asc())
        .limit(limit)
        .select(MessageRow::as_select())
        .load(conn)
}

/// The newest message `rule` admits in the channel.
pub fn newest_id(
    conn: &mut DbConn,
    channel: &Channel,
    rule: &ReadRule,
) -> QueryResult<Option<MessageId>> {
    visible_in!(rule, channel)
        .order(channel_messages::id.desc())
        .select(channel_messages::id)
        .first(conn)
        .optional()
}

/// Messages `rule` admits that `user` did not post and has not read (newer than the marker).
pub fn unread(
    conn: &mut DbConn,
    channel: &Channel,
    rule: &ReadRule,
    user: &str,
) -> QueryResult<i64> {
    let mut q = visible_in!(rule, channel).filter(channel_messages::created_by.ne(user.to_owned()));
    if let Some(marker) = marker(conn, user, channel)? {
        q = q.filter(channel_messages::id.gt(marker));
    }
    q.count().get_result(conn)
}

/// The newest message `user` has read in the channel.
pub fn marker(conn: &mut DbConn, user: &str, channel: &Channel) -> QueryResult<Option<MessageId>> {
    channel_reads::table
        .find((user, channel.key()))
        .select(channel_reads::message_id)
        .first(conn)
        .optional()
}

/// Moves the marker forward to `message_id` (never back).
pub fn mark_read(
    conn: &mut DbConn,
    user: &str,
    channel: &Channel,
    message_id: &MessageId,
    now: NaiveDateTime,
) -> QueryResult<()> {
    match marker(conn, user, channel)? {
        Some(m) if m >= *message_id => Ok(()),
        Some(_) => diesel::update(channel_reads::table.find((user, channel.key())))
            .set((
                channel_reads::message_id.eq(message_id),
                channel_reads::read_at.eq(now),
            ))
            .execute(conn)
            .map(drop),
        None => diesel::insert_into(channel_reads::table)
            .values((
                channel_reads::user_id.eq(user),
                channel_reads::channel.eq(channel),
                channel_reads::message_id.eq(message_id),
                channel_reads::read_at.eq(now),
            ))
            .execute(conn)
            .map(drop),
    }
}
