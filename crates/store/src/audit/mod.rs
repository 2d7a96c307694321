//! The audit trail: every change is appended in the transaction that makes it, and every entry
//! commits to the one before it with an HMAC-SHA256 keyed with a key kept outside the database
//! (`key.rs`), so an edited or deleted row breaks the chain at a point `verify` names and nobody
//! without the key can recompute the chain after an edit. `audit_head` records the newest entry;
//! signed checkpoints written outside the database (`checkpoint.rs`) remember how far the log
//! reached, so a cut tail or an emptied log is caught too.
//!
//! Entries written before the chain was keyed (databases from before migration
//! `2026-12-07-000001_audit_keyed`) keep their unkeyed SHA-256 hashes and stay verifiable by them;
//! the first append after the upgrade writes a marker entry (`audit.chain_keyed`) that starts the
//! keyed chain, and no unkeyed entry is accepted after a keyed one.

pub mod checkpoint;
pub mod key;
pub mod readable;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use hmac::Mac;
use sha2::{Digest, Sha256};

pub use checkpoint::Checkpoint;
pub use key::AuditKey;

use crate::page::{Page, decode_cursor, encode_cursor, paginate};
use crate::schema::{audit_head, audit_log};
use crate::time::to_db;
use crate::{DbConn, StoreError};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The action of the entry that starts the keyed chain of an upgraded database.
pub const KEYED_MARKER: &str = "audit.chain_keyed";
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
    pub record_kind: Option<String>,
    pub record_id: Option<String>,
    pub anonymous: bool,
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
    record_kind: Option<&'a str>,
    record_id: Option<&'a str>,
    anonymous: bool,
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
    /// the shareable record the entry is about (`readable.rs`): its details are shown only to
    /// readers who may read that record
    pub record_kind: Option<String>,
    pub record_id: Option<String>,
    /// the actor acted anonymously (an anonymous sighting): masked when the log is read
    pub anonymous: bool,
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
    record_kind: Option<&'a str>,
    record_id: Option<&'a str>,
    anonymous: bool,
}

/// Feeds the fields with a unit separator between them and a distinct marker for "absent", so
/// that moving text between fields or replacing NULL by "" changes the hash.
fn feed(put: &mut dyn FnMut(&[u8]), prev_hash: &str, f: &Fields<'_>, keyed: bool) {
    let mut field = |v: Option<&str>| match v {
        Some(s) => {
            put(&[0x1f]);
            put(s.as_bytes());
        }
        None => put(&[0x1e]),
    };
    let at = f.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    field(Some(prev_hash));
    field(Some(f.id));
    field(Some(&at));
    field(f.actor_id);
    field(Some(f.actor));
    field(f.actor_org_id);
    field(Some(f.action));
    field(Some(f.object_type));
    field(f.object_id);
    field(f.object_org_id);
    field(Some(f.summary));
    field(f.request_id);
    field(f.client_addr);
    if keyed {
        field(f.record_kind);
        field(f.record_id);
        field(Some(if f.anonymous { "1" } else { "0" }));
    }
}

/// The keyed hash of an entry (HMAC-SHA256 over the previous hash and the entry's fields).
fn keyed_hash(key: &AuditKey, prev_hash: &str, f: &Fields<'_>) -> String {
    let mut m = key.mac();
    feed(&mut |b| m.update(b), prev_hash, f, true);
    hex::encode(m.finalize().into_bytes())
}

/// The unkeyed SHA-256 of entries written before the chain was keyed.
fn legacy_hash(prev_hash: &str, f: &Fields<'_>) -> String {
    let mut h = Sha256::new();
    feed(&mut |b| h.update(b), prev_hash, f, false);
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
        record_kind: r.record_kind.as_deref(),
        record_id: r.record_id.as_deref(),
        anonymous: r.anonymous,
    }
}

/// Appends one entry. Call it inside the transaction of the change it records.
pub fn append(conn: &mut DbConn, key: &AuditKey, e: &NewAuditEntry) -> QueryResult<String> {
    let mut ids = append_many(conn, key, std::slice::from_ref(e))?;
    Ok(ids.pop().unwrap_or_default())
}

/// Entries per `INSERT` of `append_many` (17 columns each: well under both databases' limits).
const ENTRIES_PER_INSERT: usize = 1_000;

/// The entry that starts the keyed chain after entries hashed without the key.
fn keyed_marker(at: DateTime<Utc>, legacy_entries: i64, legacy_head: &str) -> NewAuditEntry {
    NewAuditEntry {
        at,
        actor_id: None,
        actor: "system".to_owned(),
        actor_org_id: None,
        action: KEYED_MARKER.to_owned(),
        object_type: "audit_log".to_owned(),
        object_id: None,
        object_org_id: None,
        summary: serde_json::json!({ "legacy_entries": legacy_entries, "legacy_head": legacy_head }),
        request_id: None,
        client_addr: None,
        record_kind: None,
        record_id: None,
        anonymous: false,
    }
}

/// Appends entries in order, chained as that many `append`s would chain them, with one read and
/// one update of the head and multi-row inserts (bulk imports write one entry per record).
pub fn append_many(
    conn: &mut DbConn,
    key: &AuditKey,
    entries: &[NewAuditEntry],
) -> QueryResult<Vec<String>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    if let DbConn::Pg(_) = conn {
        // SQLite's write transaction already serialises appends; PostgreSQL needs a lock so that
        // two instances never chain onto the same predecessor.
        diesel::sql_query(format!("SELECT pg_advisory_xact_lock({CHAIN_LOCK})")).execute(conn)?;
    }
    let head: Option<(String, String, bool)> = audit_head::table
        .find(1)
        .select((audit_head::last_id, audit_head::hash, audit_head::keyed))
        .first(conn)
        .optional()?;
    let marker = match &head {
        Some((_, hash, false)) => {
            let legacy: i64 = audit_log::table.count().get_result(conn)?;
            Some(keyed_marker(entries[0].at, legacy, hash))
        }
        _ => None,
    };
    let entries: Vec<&NewAuditEntry> = marker.iter().chain(entries.iter()).collect();
    let mut prev_hash = head.map_or_else(|| GENESIS_HASH.to_owned(), |(_, h, _)| h);
    let ids: Vec<String> = entries
        .iter()
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let summaries: Vec<String> = entries.iter().map(|e| e.summary.to_string()).collect();
    let mut chain: Vec<(String, String)> = Vec::with_capacity(entries.len());
    for ((e, id), summary) in entries.iter().zip(&ids).zip(&summaries) {
        let hash = keyed_hash(key, &prev_hash, &fields_of(e, id, summary));
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
                record_kind: f.record_kind,
                record_id: f.record_id,
                anonymous: f.anonymous,
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
            audit_head::keyed.eq(true),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(audit_head::table)
            .values((
                audit_head::id.eq(1),
                audit_head::last_id.eq(last_id),
                audit_head::hash.eq(last_hash),
                audit_head::keyed.eq(true),
            ))
            .execute(conn)?;
    }
    // The marker's id is the caller's business only through the chain.
    Ok(ids
        .into_iter()
        .skip(usize::from(marker.is_some()))
        .collect())
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
        record_kind: e.record_kind.as_deref(),
        record_id: e.record_id.as_deref(),
        anonymous: e.anonymous,
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

fn broken(seq: Option<i64>, id: Option<String>, reason: String) -> Verification {
    Verification::Broken { seq, id, reason }
}

/// The newest entry of the log and how many entries it holds: what a checkpoint records.
pub fn head(conn: &mut DbConn) -> QueryResult<Option<(i64, u64, String)>> {
    let last: Option<(i64, String)> = audit_log::table
        .order(audit_log::seq.desc())
        .select((audit_log::seq, audit_log::hash))
        .first(conn)
        .optional()?;
    let Some((seq, hash)) = last else {
        return Ok(None);
    };
    let n: i64 = audit_log::table
        .filter(audit_log::seq.le(seq))
        .count()
        .get_result(conn)?;
    Ok(Some((seq, u64::try_from(n).unwrap_or(0), hash)))
}

/// Whether the log still holds what `cp` recorded — the entry it names, with its hash and as
/// many entries up to it — so that a new checkpoint may extend it. A cheap check (two indexed
/// reads and a count) for the periodic job; `verify` walks the whole chain.
pub fn extends(conn: &mut DbConn, cp: &Checkpoint) -> QueryResult<Option<String>> {
    let at: Option<String> = audit_log::table
        .filter(audit_log::seq.eq(cp.seq))
        .select(audit_log::hash)
        .first(conn)
        .optional()?;
    let n: i64 = audit_log::table
        .filter(audit_log::seq.le(cp.seq))
        .count()
        .get_result(conn)?;
    Ok(match at {
        None => Some(format!(
            "entry #{} of checkpoint #{} is missing",
            cp.seq, cp.seq
        )),
        Some(h) if h != cp.hash => Some(format!(
            "entry #{} differs from checkpoint #{} (the log was rewritten)",
            cp.seq, cp.seq
        )),
        Some(_) if u64::try_from(n).ok() != Some(cp.entries) => Some(format!(
            "checkpoint #{} counts {} entries up to it, the log {n} (entries were deleted)",
            cp.seq, cp.entries
        )),
        Some(_) => None,
    })
}

/// Walks the whole chain in order with `key` and reports the first entry that does not hold,
/// then compares the end of the log with the audit head and with `checkpoint` (the latest one
/// written outside the database), naming what is wrong.
pub fn verify(
    conn: &mut DbConn,
    key: &AuditKey,
    checkpoint: Option<&Checkpoint>,
) -> Result<Verification, StoreError> {
    const BATCH: i64 = 2000;
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut last: Option<(i64, String)> = None;
    let mut count = 0u64;
    // Unkeyed entries are accepted only before the first keyed one (an upgraded database).
    let mut keyed_seen = false;
    let mut legacy = 0u64;
    let mut checkpoint_seen = false;
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
            let (seq, id) = (Some(r.seq), Some(r.id.clone()));
            if r.prev_hash != expected_prev {
                return Ok(broken(
                    seq,
                    id,
                    format!(
                        "entry #{} does not follow the entry before it (an entry was deleted or edited)",
                        r.seq
                    ),
                ));
            }
            if keyed_hash(key, &r.prev_hash, &row_fields(r)) == r.hash {
                if r.action == KEYED_MARKER && !keyed_seen {
                    let said = serde_json::from_str::<serde_json::Value>(&r.summary)
                        .ok()
                        .and_then(|v| v["legacy_entries"].as_u64());
                    if said != Some(legacy) {
                        return Ok(broken(
                            seq,
                            id,
                            format!(
                                "the keyed chain started after {} unkeyed entries, the log holds {legacy} before it (entries were deleted or added)",
                                said.unwrap_or(0)
                            ),
                        ));
                    }
                }
                keyed_seen = true;
            } else if !keyed_seen && legacy_hash(&r.prev_hash, &row_fields(r)) == r.hash {
                legacy += 1;
            } else {
                return Ok(broken(
                    seq,
                    id,
                    format!("entry #{} does not match its keyed hash (edited)", r.seq),
                ));
            }
            if let Some(cp) = checkpoint.filter(|cp| cp.seq == r.seq) {
                checkpoint_seen = true;
                if cp.hash != r.hash || cp.entries != count + 1 {
                    return Ok(broken(
                        seq,
                        id,
                        format!(
                            "entry #{} differs from checkpoint #{} (the log was rewritten)",
                            r.seq, cp.seq
                        ),
                    ));
                }
            }
            expected_prev.clone_from(&r.hash);
            count += 1;
        }
        last = rows.last().map(|r| (r.seq, r.id.clone()));
    }
    let head: Option<(String, String, bool)> = audit_head::table
        .find(1)
        .select((audit_head::last_id, audit_head::hash, audit_head::keyed))
        .first(conn)
        .optional()?;
    if let Some(cp) = checkpoint.filter(|_| !checkpoint_seen) {
        return Ok(match &last {
            None => broken(
                None,
                None,
                format!("the log is empty but checkpoint #{} exists", cp.seq),
            ),
            Some((seq, id)) if *seq < cp.seq => broken(
                Some(*seq),
                Some(id.clone()),
                format!(
                    "entries after #{seq} missing (checkpoint says #{}, log ends at #{seq})",
                    cp.seq
                ),
            ),
            Some(_) => broken(
                Some(cp.seq),
                None,
                format!(
                    "entry #{} of checkpoint #{} is missing (an entry was deleted)",
                    cp.seq, cp.seq
                ),
            ),
        });
    }
    if legacy > 0 && !keyed_seen && head.as_ref().is_some_and(|h| h.2) {
        // The head says the chain was keyed, yet no entry carries the key: it was rewritten.
        return Ok(broken(
            None,
            None,
            format!(
                "none of the {legacy} entries matches its keyed hash (the chain was recomputed without the key)"
            ),
        ));
    }
    match (head, last) {
        (None, None) => Ok(Verification::Intact { entries: 0 }),
        (Some((head_id, head_hash, _)), Some((_, id)))
            if head_id == id && head_hash == expected_prev =>
        {
            Ok(Verification::Intact { entries: count })
        }
        (Some((head_id, _, _)), last) => Ok(broken(
            last.as_ref().map(|(s, _)| *s),
            Some(head_id),
            "the newest recorded entry is missing or was altered (entries were deleted from the end)"
                .into(),
        )),
        (None, Some((seq, id))) => Ok(broken(
            Some(seq),
            Some(id),
            "the chain head is missing".into(),
        )),
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
