//! An organisation's webhooks and the log of their deliveries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{cursor_of, decode};
use crate::DbConn;
use crate::page::{Page, paginate};
use crate::schema::{webhook_deliveries, webhooks};

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    pub id: String,
    pub org_id: String,
    pub url: String,
    pub secret: String,
    /// JSON array of notice kinds; empty for all
    pub kinds: String,
    pub active: bool,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub webhook_id: String,
    pub event_id: String,
    pub kind: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub last_attempt_at: Option<NaiveDateTime>,
    pub delivered_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, row: &WebhookRow) -> QueryResult<()> {
    diesel::insert_into(webhooks::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<WebhookRow>> {
    webhooks::table
        .find(id)
        .select(WebhookRow::as_select())
        .first(conn)
        .optional()
}

/// An organisation's webhooks, oldest first.
pub fn of_org(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<WebhookRow>> {
    webhooks::table
        .filter(webhooks::org_id.eq(org_id))
        .order((webhooks::created_at.asc(), webhooks::id.asc()))
        .select(WebhookRow::as_select())
        .load(conn)
}

/// The active webhooks of these organisations.
pub fn active_of_orgs(conn: &mut DbConn, org_ids: &[String]) -> QueryResult<Vec<WebhookRow>> {
    webhooks::table
        .filter(webhooks::org_id.eq_any(org_ids))
        .filter(webhooks::active.eq(true))
        .order((webhooks::org_id.asc(), webhooks::id.asc()))
        .select(WebhookRow::as_select())
        .load(conn)
}

/// Removes a webhook and its delivery log.
pub fn delete(conn: &mut DbConn, id: &str) -> QueryResult<usize> {
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::webhook_id.eq(id)))
        .execute(conn)?;
    diesel::delete(webhooks::table.find(id)).execute(conn)
}

pub fn insert_delivery(conn: &mut DbConn, row: &DeliveryRow) -> QueryResult<()> {
    diesel::insert_into(webhook_deliveries::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// A delivery with its webhook (none when the webhook was removed meanwhile).
pub fn delivery_with_webhook(
    conn: &mut DbConn,
    id: &str,
) -> QueryResult<Option<(DeliveryRow, WebhookRow)>> {
    webhook_deliveries::table
        .inner_join(webhooks::table)
        .filter(webhook_deliveries::id.eq(id))
        .select((DeliveryRow::as_select(), WebhookRow::as_select()))
        .first(conn)
        .optional()
}

/// Records one attempt: its HTTP status (if an answer came), its error (if it failed), and the
/// delivery's state after it.
pub struct Attempt<'a> {
    pub at: NaiveDateTime,
    pub http_status: Option<i32>,
    pub error: Option<&'a str>,
    pub status: &'a str,
}

pub fn record_attempt(conn: &mut DbConn, id: &str, a: &Attempt<'_>) -> QueryResult<()> {
    diesel::update(webhook_deliveries::table.find(id))
        .set((
            webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
            webhook_deliveries::last_status.eq(a.http_status),
            webhook_deliveries::last_error.eq(a.error),
            webhook_deliveries::status.eq(a.status),
            webhook_deliveries::last_attempt_at.eq(Some(a.at)),
            webhook_deliveries::delivered_at.eq((a.status == DELIVERED).then_some(a.at)),
        ))
        .execute(conn)
        .map(drop)
}

/// A webhook's deliveries, newest first.
pub fn deliveries(
    conn: &mut DbConn,
    webhook_id: &str,
    cursor: Option<&str>,
    limit: i64,
) -> QueryResult<Page<DeliveryRow>> {
    let mut q = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .select(DeliveryRow::as_select())
        .into_boxed();
    if let Some((at, id)) = decode(cursor) {
        q = q.filter(
            webhook_deliveries::created_at
                .lt(at)
                .or(webhook_deliveries::created_at
                    .eq(at)
                    .and(webhook_deliveries::id.lt(id))),
        );
    }
    let rows = q
        .order((
            webhook_deliveries::created_at.desc(),
            webhook_deliveries::id.desc(),
        ))
        .limit(limit + 1)
        .load(conn)?;
    Ok(paginate(rows, limit, |r| cursor_of(r.created_at, &r.id)))
}
