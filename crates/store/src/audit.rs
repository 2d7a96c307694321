//! The audit trail: every change is appended in the transaction that makes it, and every entry
//! commits to the one before it (SHA-256 over the previous hash and the entry's fields), so an
//! edited or deleted row breaks the chain at a point `verify` names. `audit_head` records the newest
//! entry, so deleting the tail is caught too.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::page::{Page, decode_cursor, encode_cursor, paginate};
use crate::schema::{audit_head, audit_log};
use crate::time::to_db;
use crate::{DbConn, StoreError};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Key of the PostgreSQL advisory lock that serialises appends across instances.
const CHAIN_LOCK: i64 = 0x6972_6e65_7401;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub seq: i64,
    pub id: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub actor: String,
    pub actor_org_id: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub object_org_id: Option<String>,
    pub summary: String,
    pub request_id: Option<String>,
    pub client_addr: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
struct NewRow<'a> {
    id: &'a str,
    at: NaiveDateTime,
    actor_id: Option<&'a str>,
    actor: &'a str,
    actor_org_id: Option<&'a str>,
    action: &'a str,
    object_type: &'a str,
    object_id: Option<&'a str>,
    object_org_id: Option<&'a str>,
    summary: &'a str,
    request_id: Option<&'a str>,
    client_addr: Option<&'a str>,
    prev_hash: &'a str,
    hash: &'a str,
}

/// What a use-case says about a change.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    /// who, readably: an email, or "system" / "cli" for changes without a signed-in person
    pub actor: String,
    pub actor_org_id: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    /// the organisation the changed object belongs to, so org admins can read their part of the log
    pub object_org_id: Option<String>,
    pub summary: serde_json::Value,
    pub request_id: Option<String>,
    pub client_addr: Option<String>,
}

struct Fields<'a> {
    id: &'a str,
    at: NaiveDateTime,
    actor_id: Option<&'a str>,
    actor: &'a str,
    actor_org_id: Option<&'a str>,
    action: &'a str,
    object_type: &'a str,
    object_id: Option<&'a str>,
    object_org_id: Option<&'a str>,
    summary: &'a str,
    request_id: Option<&'a str>,
    client_addr: Option<&'a str>,
}

fn entry_hash(prev_hash: &str, f: &Fields<'_>) -> String {
    let mut h = Sha256::new();
    let mut put = |v: Option<&str>| {
        // A unit separator between fields and a distinct marker for "absent", so that moving text
        // between fields or replacing NULL by "" changes the hash.
        match v {
            Some(s) => {
                h.update([0x1f]);
                h.update(s.as_bytes());
            }
            None => h.update([0x1e]),
        }
    };
    let at = f.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    put(Some(prev_hash));
    put(Some(f.id));
    put(Some(&at));
    put(f.actor_id);
    put(Some(f.actor));
    put(f.actor_org_id);
    put(Some(f.action));
    put(Some(f.object_type));
    put(f.object_id);
    put(f.object_org_id);
    put(Some(f.summary));
    put(f.request_id);
    put(f.client_addr);
    hex::encode(h.finalize())
}

fn row_fields(r: &AuditRow) -> Fields<'_> {
    Fields {
        id: &r.id,
        at: r.at,
        actor_id: r.actor_id.as_deref(),
        actor: &r.actor,
        actor_org_id: r.actor_org_id.as_deref(),
        action: &r.action,
        object_type: &r.object_type,
        object_id: r.object_id.as_deref(),
        object_org_id: r.object_org_id.as_deref(),
        summary: &r.summary,
        request_id: r.request_id.as_deref(),
        client_addr: r.client_addr.as_deref(),
    }
}

/// Appends one entry. Call it inside the transaction of the change it records.
pub fn append(conn: &mut DbConn, e: &NewAuditEntry) -> QueryResult<String> {
    let mut ids = append_many(conn, std::slice::from_ref(e))?;
    Ok(ids.pop().unwrap_or_default())
}

/// Entries per `INSERT` of `append_many` (14 columns each: well under both databases' limits).
const ENTRIES_PER_INSERT: usize = 1_000;

/// Appends entries in order, chained as that many `append`s would chain them, with one read and
/// one update of the head and multi-row inserts (bulk imports write one entry per record).
pub fn append_many(conn: &mut DbConn, entries: &[NewAuditEntry]) -> QueryResult<Vec<String>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    if let DbConn::Pg(_) = conn {
        // SQLite's write transaction already serialises appends; PostgreSQL needs a lock so that
        // two instances never chain onto the same predecessor.
        diesel::sql_query(format!("SELECT pg_advisory_xact_lock({CHAIN_LOCK})")).execute(conn)?;
    }
    let head: Option<(String, String)> = audit_head::table
        .find(1)
        .select((audit_head::last_id, audit_head::hash))
        .first(conn)
        .optional()?;
    let mut prev_hash = head.map_or_else(|| GENESIS_HASH.to_owned(), |(_, h)| h);
    let ids: Vec<String> = entries
        .iter()
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let summaries: Vec<String> = entries.iter().map(|e| e.summary.to_string()).collect();
    let mut chain: Vec<(String, String)> = Vec::with_capacity(entries.len());
    for ((e, id), summary) in entries.iter().zip(&ids).zip(&summaries) {
        let hash = entry_hash(&prev_hash, &fields_of(e, id, summary));
        chain.push((std::mem::replace(&mut prev_hash, hash.clone()), hash));
    }
    let rows: Vec<NewRow<'_>> = entries
        .iter()
        .zip(&ids)
        .zip(&summaries)
        .zip(&chain)
        .map(|(((e, id), summary), (prev, hash))| {
            let f = fields_of(e, id, summary);
            NewRow {
                id: f.id,
                at: f.at,
                actor_id: f.actor_id,
                actor: f.actor,
                actor_org_id: f.actor_org_id,
                action: f.action,
                object_type: f.object_type,
                object_id: f.object_id,
                object_org_id: f.object_org_id,
                summary: f.summary,
                request_id: f.request_id,
                client_addr: f.client_addr,
                prev_hash: prev,
                hash,
            }
        })
        .collect();
    for chunk in rows.chunks(ENTRIES_PER_INSERT) {
        let insert = diesel::insert_into(audit_log::table).values(chunk);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Pg(c) => insert.execute(c)?,
        };
    }
    let (last_id, last_hash) = (&ids[ids.len() - 1], &prev_hash);
    let updated = diesel::update(audit_head::table.find(1))
        .set((
            audit_head::last_id.eq(last_id),
            audit_head::hash.eq(last_hash),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(audit_head::table)
            .values((
                audit_head::id.eq(1),
                audit_head::last_id.eq(last_id),
                audit_head::hash.eq(last_hash),
            ))
            .execute(conn)?;
    }
    Ok(ids)
}

fn fields_of<'a>(e: &'a NewAuditEntry, id: &'a str, summary: &'a str) -> Fields<'a> {
    Fields {
        id,
        at: to_db(e.at),
        actor_id: e.actor_id.as_deref(),
        actor: &e.actor,
        actor_org_id: e.actor_org_id.as_deref(),
        action: &e.action,
        object_type: &e.object_type,
        object_id: e.object_id.as_deref(),
        object_org_id: e.object_org_id.as_deref(),
        summary,
        request_id: e.request_id.as_deref(),
        client_addr: e.client_addr.as_deref(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact {
        entries: u64,
    },
    Broken {
        seq: Option<i64>,
        id: Option<String>,
        reason: String,
    },
}

/// Walks the whole chain in order and reports the first entry that does not hold.
pub fn verify(conn: &mut DbConn) -> Result<Verification, StoreError> {
    const BATCH: i64 = 2000;
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut last: Option<(i64, String)> = None;
    let mut count = 0u64;
    loop {
        let after = last.as_ref().map_or(i64::MIN, |(s, _)| *s);
        let rows: Vec<AuditRow> = audit_log::table
            .filter(audit_log::seq.gt(after))
            .order(audit_log::seq)
            .limit(BATCH)
            .select(AuditRow::as_select())
            .load(conn)?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            if r.prev_hash != expected_prev {
                return Ok(Verification::Broken {
                    seq: Some(r.seq),
                    id: Some(r.id.clone()),
                    reason: "does not follow the entry before it (an entry was deleted or edited)"
                        .into(),
                });
            }
            if entry_hash(&r.prev_hash, &row_fields(r)) != r.hash {
                return Ok(Verification::Broken {
                    seq: Some(r.seq),
                    id: Some(r.id.clone()),
                    reason: "its content does not match its hash (the entry was edited)".into(),
                });
            }
            expected_prev.clone_from(&r.hash);
            count += 1;
        }
        last = rows.last().map(|r| (r.seq, r.id.clone()));
    }
    let head: Option<(String, String)> = audit_head::table
        .find(1)
        .select((audit_head::last_id, audit_head::hash))
        .first(conn)
        .optional()?;
    match (head, last) {
        (None, None) => Ok(Verification::Intact { entries: 0 }),
        (Some((head_id, head_hash)), Some((seq, id))) if head_id == id && head_hash == expected_prev => {
            let _ = seq;
            Ok(Verification::Intact { entries: count })
        }
        (Some((head_id, _)), last) => Ok(Verification::Broken {
            seq: last.as_ref().map(|(s, _)| *s),
            id: Some(head_id),
            reason: "the newest recorded entry is missing or was altered (entries were deleted from the end)"
                .into(),
        }),
        (None, Some((seq, id))) => Ok(Verification::Broken {
            seq: Some(seq),
            id: Some(id),
            reason: "the chain head is missing".into(),
        }),
    }
}

/// Which part of the log a reader may see, as the policy decided.
#[derive(Debug, Clone)]
pub enum Visibility {
    All,
    /// entries about these organisations' objects or made by their people
    Orgs(Vec<String>),
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

/// Newest first.
pub fn list(
    conn: &mut DbConn,
    visibility: &Visibility,
    filter: &AuditFilter,
    cursor: Option<&str>,
    limit: i64,
) -> QueryResult<Page<AuditRow>> {
    let mut q = audit_log::table.select(AuditRow::as_select()).into_boxed();
    if let Visibility::Orgs(orgs) = visibility {
        q = q.filter(
            audit_log::object_org_id
                .eq_any(orgs.clone())
                .or(audit_log::actor_org_id.eq_any(orgs.clone())),
        );
    }
    if let Some(v) = &filter.actor_id {
        q = q.filter(audit_log::actor_id.eq(v.clone()));
    }
    if let Some(v) = &filter.action {
        q = q.filter(audit_log::action.eq(v.clone()));
    }
    if let Some(v) = &filter.object_type {
        q = q.filter(audit_log::object_type.eq(v.clone()));
    }
    if let Some(v) = &filter.object_id {
        q = q.filter(audit_log::object_id.eq(v.clone()));
    }
    if let Some(v) = filter.from {
        q = q.filter(audit_log::at.ge(v));
    }
    if let Some(v) = filter.to {
        q = q.filter(audit_log::at.lt(v));
    }
    if let Some(seq) = cursor
        .and_then(|c| decode_cursor(c, 1))
        .and_then(|p| p[0].parse::<i64>().ok())
    {
        q = q.filter(audit_log::seq.lt(seq));
    }
    let rows = q.order(audit_log::seq.desc()).limit(limit + 1).load(conn)?;
    Ok(paginate(rows, limit, |r| {
        encode_cursor(&[&r.seq.to_string()])
    }))
}
