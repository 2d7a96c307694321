//! The STIX object store: every version of every imported STIX object, its JSON as its producer
//! made it. A version is a shareable record of its own (owner, TLP, audience under `KIND`), so
//! every read here compiles the caller's read rule with `tlp_visible!`, as indicator reads do.
//! The one exception is `versions_of`, which the importer uses to decide identity (is this
//! version already held, by whom, who created the object) and which never serves a row.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use irnet_domain::{ReadRule, Tlp};

use crate::DbConn;
use crate::page::{decode_cursor, encode_cursor};
use crate::schema::{record_shares, stix_objects};

/// The record kind of stored STIX object versions in `record_shares`.
pub const KIND: &str = "stix_object";

/// STIX ids per `IN` list (well under both databases' parameter limits).
const CHUNK: usize = 5_000;

/// Versions per multi-row `INSERT` (11 columns each).
const ROWS_PER_INSERT: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = stix_objects)]
pub struct StixObjectRow {
    pub id: String,
    pub stix_id: String,
    pub object_type: String,
    /// `modified` with nine fraction digits; empty when the object has no `modified`
    pub version_key: String,
    pub owner_org_id: String,
    pub created_by_ref: Option<String>,
    pub tlp: Tlp,
    /// the object's JSON as received
    pub body: String,
    pub latest: bool,
    pub earliest: bool,
    pub added_at: NaiveDateTime,
}

/// Every stored version of these STIX ids, whoever may read them: for the importer's identity
/// decisions only (one object per STIX id across the network), never to be served.
pub fn versions_of(conn: &mut DbConn, stix_ids: &[String]) -> QueryResult<Vec<StixObjectRow>> {
    let mut out = Vec::new();
    for chunk in stix_ids.chunks(CHUNK) {
        out.extend(
            stix_objects::table
                .filter(stix_objects::stix_id.eq_any(chunk))
                .select(StixObjectRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// Stores new versions (their `latest`/`earliest` flags as the caller computed them).
pub fn insert_many(conn: &mut DbConn, rows: &[StixObjectRow]) -> QueryResult<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let insert = diesel::insert_into(stix_objects::table).values(chunk);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Pg(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// Sets which versions of a STIX id are its newest and its oldest (after a version was added).
pub fn set_ends(conn: &mut DbConn, stix_id: &str, latest: &str, earliest: &str) -> QueryResult<()> {
    diesel::update(stix_objects::table.filter(stix_objects::stix_id.eq(stix_id)))
        .set((
            stix_objects::latest.eq(stix_objects::version_key.eq(latest.to_owned())),
            stix_objects::earliest.eq(stix_objects::version_key.eq(earliest.to_owned())),
        ))
        .execute(conn)
        .map(drop)
}

/// The audience of a version beyond its owner: (organisations, people).
pub fn audience(conn: &mut DbConn, id: &str) -> QueryResult<(Vec<String>, Vec<String>)> {
    crate::access::audience(conn, KIND, id)
}

/// Which versions to serve of each object (TAXII `match[version]`).
#[derive(Debug, Clone, Default)]
pub struct Versions {
    pub all: bool,
    pub first: bool,
    pub last: bool,
    /// exact versions, as version keys
    pub exact: Vec<String>,
}

/// What a list asks for, beyond what the reader may see (a TAXII collection and its filters).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// only these TLP levels
    pub tlp: Option<Vec<Tlp>>,
    /// only versions whose owner is one of these (a cluster's members)
    pub owners: Option<Vec<String>>,
    /// only versions owned by or shared with this organisation
    pub audience_org: Option<String>,
    /// exclusive, on the date added, at the stored precision (microseconds)
    pub added_after: Option<NaiveDateTime>,
    pub stix_ids: Option<Vec<String>>,
    pub types: Option<Vec<String>>,
    pub versions: Versions,
}

/// One page in the order TAXII serves, by date added then id, of the versions `rule` admits.
/// The cursor is the last (date added, id), in the same form as the indicators' TAXII cursor,
/// so that a page can merge both.
pub fn list_by_added(
    conn: &mut DbConn,
    rule: &ReadRule,
    f: &Filter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<StixObjectRow>> {
    use stix_objects as s;
    let mut q = s::table
        .filter(crate::tlp_visible!(
            rule,
            KIND,
            s::id,
            s::owner_org_id,
            s::tlp
        ))
        .into_boxed();
    if let Some(levels) = &f.tlp {
        q = q.filter(s::tlp.eq_any(levels.clone()));
    }
    if let Some(owners) = &f.owners {
        q = q.filter(s::owner_org_id.eq_any(owners.clone()));
    }
    if let Some(org) = &f.audience_org {
        q = q.filter(
            s::owner_org_id.eq(org.clone()).or(s::id.eq_any(
                record_shares::table
                    .filter(record_shares::record_kind.eq(KIND))
                    .filter(record_shares::org_id.eq(org.clone()))
                    .select(record_shares::record_id),
            )),
        );
    }
    if let Some(at) = f.added_after {
        q = q.filter(s::added_at.gt(at));
    }
    if let Some(ids) = &f.stix_ids {
        q = q.filter(s::stix_id.eq_any(ids.clone()));
    }
    if let Some(types) = &f.types {
        q = q.filter(s::object_type.eq_any(types.clone()));
    }
    let v = &f.versions;
    if !v.all {
        // `latest = true AND latest = <asked>`: the column test when asked, false otherwise.
        q = q.filter(
            s::latest
                .eq(true)
                .and(s::latest.eq(v.last))
                .or(s::earliest.eq(true).and(s::earliest.eq(v.first)))
                .or(s::version_key.eq_any(v.exact.clone())),
        );
    }
    if let Some((at, id)) = after {
        q = q.filter(s::added_at.gt(at).or(s::added_at.eq(at).and(s::id.gt(id))));
    }
    q.order((s::added_at.asc(), s::id.asc()))
        .limit(limit)
        .select(StixObjectRow::as_select())
        .load(conn)
}

/// A page cursor in the TAXII form: (date added with microseconds, id).
pub fn cursor_of(at: NaiveDateTime, id: &str) -> String {
    let at = at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string();
    encode_cursor(&[&at, id])
}

/// The (date added, id) a TAXII cursor names.
pub fn decode(cursor: &str) -> Option<(NaiveDateTime, String)> {
    let parts = decode_cursor(cursor, 2)?;
    let at = NaiveDateTime::parse_from_str(&parts[0], "%Y-%m-%dT%H:%M:%S%.6f").ok()?;
    Some((at, parts[1].clone()))
}
