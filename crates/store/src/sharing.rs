//! Indicators, their observables and sightings. Every read here takes the caller's read rule
//! (`Principal::read_rule`) and compiles it with `tlp_visible!`, so the list, the count, lookup,
//! exports and TAXII collections admit exactly the indicators a direct read admits.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use irnet_domain::ids::{AlertId, IncidentId, IndicatorId};
use irnet_domain::{ReadRule, Tlp};

use crate::DbConn;
use crate::page::{Page, decode_cursor, encode_cursor, paginate};
use crate::schema::{indicator_observables, indicator_sightings, indicators, record_shares};

/// The record kind of indicators in `record_shares`.
pub const KIND: &str = "indicator";

/// Values per `IN` list in a lookup: well under SQLite's and PostgreSQL's parameter limits, with
/// room for the read rule's own parameters.
pub const LOOKUP_CHUNK: usize = 5_000;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = indicators, treat_none_as_null = true)]
pub struct IndicatorRow {
    pub id: IndicatorId,
    pub stix_id: String,
    pub owner_org_id: String,
    pub created_by: Option<String>,
    pub tlp: Tlp,
    pub value_key: String,
    pub value: String,
    pub pattern: String,
    pub name: String,
    pub description: Option<String>,
    pub confidence: Option<i32>,
    pub valid_from: NaiveDateTime,
    pub valid_until: Option<NaiveDateTime>,
    pub revoked: bool,
    pub incident_id: Option<IncidentId>,
    pub alert_id: Option<AlertId>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub modified_at: NaiveDateTime,
    pub added_at: NaiveDateTime,
    /// MISP's "for intrusion detection": false for context imported as an observable
    pub to_ids: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = indicator_sightings)]
pub struct SightingRow {
    pub id: String,
    pub indicator_id: IndicatorId,
    pub org_id: String,
    pub reported_by: String,
    pub kind: String,
    pub anonymous: bool,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn get(conn: &mut DbConn, id: &IndicatorId) -> QueryResult<Option<IndicatorRow>> {
    indicators::table
        .find(id)
        .select(IndicatorRow::as_select())
        .first(conn)
        .optional()
}

/// Rows per multi-row `INSERT` of indicators (20 columns each: well under both databases'
/// parameter limits).
const ROWS_PER_INSERT: usize = 1_000;

/// The indicators of an organisation with any of these normalised values that `rule` admits:
/// those an upsert may make a new version of. A value held only by a record hidden from the
/// poster is not found, so the poster creates a record of its own and learns nothing of the
/// hidden one (the query is the same whether or not one exists).
pub fn by_values(
    conn: &mut DbConn,
    rule: &ReadRule,
    owner_org_id: &str,
    value_keys: &[String],
) -> QueryResult<Vec<IndicatorRow>> {
    let mut out = Vec::new();
    for chunk in value_keys.chunks(LOOKUP_CHUNK) {
        out.extend(
            indicators::table
                .filter(indicators::owner_org_id.eq(owner_org_id))
                .filter(indicators::value_key.eq_any(chunk))
                .filter(crate::tlp_visible!(
                    rule,
                    KIND,
                    indicators::id,
                    indicators::owner_org_id,
                    indicators::tlp
                ))
                .select(IndicatorRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// The indicators of an organisation carrying any of these STIX ids that `rule` admits (a
/// producer's new version of an object the poster may read).
pub fn by_stix_ids(
    conn: &mut DbConn,
    rule: &ReadRule,
    owner_org_id: &str,
    stix_ids: &[String],
) -> QueryResult<Vec<IndicatorRow>> {
    let mut out = Vec::new();
    for chunk in stix_ids.chunks(LOOKUP_CHUNK) {
        out.extend(
            indicators::table
                .filter(indicators::owner_org_id.eq(owner_org_id))
                .filter(indicators::stix_id.eq_any(chunk))
                .filter(crate::tlp_visible!(
                    rule,
                    KIND,
                    indicators::id,
                    indicators::owner_org_id,
                    indicators::tlp
                ))
                .select(IndicatorRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// The indicators carrying any of these STIX ids that `rule` admits, whoever owns them: the
/// projections of stored STIX objects the importer may read.
pub fn readable_by_stix_ids(
    conn: &mut DbConn,
    rule: &ReadRule,
    stix_ids: &[String],
) -> QueryResult<Vec<IndicatorRow>> {
    let mut out = Vec::new();
    for chunk in stix_ids.chunks(LOOKUP_CHUNK) {
        out.extend(
            indicators::table
                .filter(indicators::stix_id.eq_any(chunk))
                .filter(crate::tlp_visible!(
                    rule,
                    KIND,
                    indicators::id,
                    indicators::owner_org_id,
                    indicators::tlp
                ))
                .select(IndicatorRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// The indicator carrying this STIX id, whoever may read it: (id, owner, modified), for the
/// importer's identity decision only (`app::sharing::project`), never served.
pub fn projection_of(
    conn: &mut DbConn,
    stix_id: &str,
) -> QueryResult<Option<(IndicatorId, String, NaiveDateTime)>> {
    indicators::table
        .filter(indicators::stix_id.eq(stix_id))
        .select((
            indicators::id,
            indicators::owner_org_id,
            indicators::modified_at,
        ))
        .first(conn)
        .optional()
}

/// Which of these STIX ids some indicator already carries, whoever owns it: the ids only, never
/// the rows (they are unique, so a new indicator cannot take one).
pub fn stix_ids_taken(conn: &mut DbConn, stix_ids: &[String]) -> QueryResult<Vec<String>> {
    let mut out = Vec::new();
    for chunk in stix_ids.chunks(LOOKUP_CHUNK) {
        out.extend(
            indicators::table
                .filter(indicators::stix_id.eq_any(chunk))
                .select(indicators::stix_id)
                .load::<String>(conn)?,
        );
    }
    Ok(out)
}

/// Stores new indicators with their observables (`(indicator id, kind, value)`, canonical) in
/// multi-row inserts.
pub fn insert_many(
    conn: &mut DbConn,
    rows: &[IndicatorRow],
    observables: &[(IndicatorId, String, String)],
) -> QueryResult<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let insert = diesel::insert_into(indicators::table).values(chunk);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Pg(c) => insert.execute(c)?,
        };
    }
    put_observables(conn, observables)
}

fn put_observables(
    conn: &mut DbConn,
    observables: &[(IndicatorId, String, String)],
) -> QueryResult<()> {
    let values: Vec<_> = observables
        .iter()
        .map(|(id, kind, value)| {
            (
                indicator_observables::indicator_id.eq(id),
                indicator_observables::kind.eq(kind),
                indicator_observables::value.eq(value),
            )
        })
        .collect();
    for chunk in values.chunks(ROWS_PER_INSERT * 5) {
        let insert = diesel::insert_into(indicator_observables::table).values(chunk);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Pg(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// Stores a new indicator with its observables (`(kind, value)`, canonical).
pub fn insert(
    conn: &mut DbConn,
    row: &IndicatorRow,
    observables: &[(String, String)],
) -> QueryResult<()> {
    insert_many(
        conn,
        std::slice::from_ref(row),
        &with_id(&row.id, observables),
    )
}

/// Writes a new version of an indicator (the use-case read it in the same transaction).
pub fn save(
    conn: &mut DbConn,
    row: &IndicatorRow,
    observables: &[(String, String)],
) -> QueryResult<()> {
    diesel::update(indicators::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    diesel::delete(
        indicator_observables::table.filter(indicator_observables::indicator_id.eq(&row.id)),
    )
    .execute(conn)?;
    put_observables(conn, &with_id(&row.id, observables))
}

fn with_id(
    id: &IndicatorId,
    observables: &[(String, String)],
) -> Vec<(IndicatorId, String, String)> {
    observables
        .iter()
        .map(|(k, v)| (id.clone(), k.clone(), v.clone()))
        .collect()
}

/// Adds an organisation or a named person to an indicator's audience, once.
pub fn share_with(
    conn: &mut DbConn,
    id: &IndicatorId,
    org_id: Option<&str>,
    user_id: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let mut existing = record_shares::table
        .filter(record_shares::record_kind.eq(KIND))
        .filter(record_shares::record_id.eq(id))
        .into_boxed();
    existing = match org_id {
        Some(o) => existing.filter(record_shares::org_id.eq(o.to_owned())),
        None => existing.filter(record_shares::org_id.is_null()),
    };
    existing = match user_id {
        Some(u) => existing.filter(record_shares::user_id.eq(u.to_owned())),
        None => existing.filter(record_shares::user_id.is_null()),
    };
    let already: i64 = existing.count().get_result(conn)?;
    if already > 0 {
        return Ok(());
    }
    crate::access::share_with(conn, KIND, id.as_str(), org_id, user_id, now)
}

/// The audience beyond the owner: (organisations, people).
pub fn audience(conn: &mut DbConn, id: &IndicatorId) -> QueryResult<(Vec<String>, Vec<String>)> {
    crate::access::audience(conn, KIND, id.as_str())
}

/// What a list asks for, beyond what the reader may see.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub owner_org_id: Option<String>,
    /// only these TLP levels (e.g. a TAXII collection's)
    pub tlp: Option<Vec<Tlp>>,
    /// only indicators with an observable of this kind
    pub kind: Option<String>,
    pub revoked: Option<bool>,
    pub incident_id: Option<IncidentId>,
    /// only indicators whose owner is one of these (a cluster's members)
    pub owners: Option<Vec<String>>,
    /// only AMBER-and-above indicators owned by or shared with this organisation
    pub audience_org: Option<String>,
    /// exclusive, on the date added
    pub added_after: Option<NaiveDateTime>,
    /// only these STIX ids (TAXII `match[id]`)
    pub stix_ids: Option<Vec<String>>,
    /// only these indicators (the references of a channel message)
    pub ids: Option<Vec<IndicatorId>>,
    /// a LIKE pattern on the name, or lower-cased on the value (canonical values are lower
    /// case); the caller escapes it with `\\`
    pub search: Option<String>,
    /// only indicators irnet built itself (no stored STIX object carries their id): TAXII serves
    /// the others from the object store, as their producer made them
    pub built_only: bool,
}

macro_rules! filtered {
    ($rule:expr, $filter:expr) => {{
        let rule: &ReadRule = $rule;
        let f: &Filter = $filter;
        let mut q = indicators::table
            .filter(crate::tlp_visible!(
                rule,
                KIND,
                indicators::id,
                indicators::owner_org_id,
                indicators::tlp
            ))
            .into_boxed();
        if let Some(o) = &f.owner_org_id {
            q = q.filter(indicators::owner_org_id.eq(o.clone()));
        }
        if let Some(levels) = &f.tlp {
            q = q.filter(indicators::tlp.eq_any(levels.clone()));
        }
        if let Some(k) = &f.kind {
            q = q.filter(
                indicators::id.eq_any(
                    indicator_observables::table
                        .filter(indicator_observables::kind.eq(k.clone()))
                        .select(indicator_observables::indicator_id),
                ),
            );
        }
        if let Some(r) = f.revoked {
            q = q.filter(indicators::revoked.eq(r));
        }
        if let Some(i) = &f.incident_id {
            q = q.filter(indicators::incident_id.eq(i.clone()));
        }
        if let Some(owners) = &f.owners {
            q = q.filter(indicators::owner_org_id.eq_any(owners.clone()));
        }
        if let Some(org) = &f.audience_org {
            q = q.filter(
                indicators::owner_org_id
                    .eq(org.clone())
                    .or(indicators::id.eq_any(
                        record_shares::table
                            .filter(record_shares::record_kind.eq(KIND))
                            .filter(record_shares::org_id.eq(org.clone()))
                            .select(record_shares::record_id),
                    )),
            );
        }
        if let Some(at) = f.added_after {
            q = q.filter(indicators::added_at.gt(at));
        }
        if let Some(ids) = &f.stix_ids {
            q = q.filter(indicators::stix_id.eq_any(ids.clone()));
        }
        if let Some(ids) = &f.ids {
            q = q.filter(indicators::id.eq_any(ids.clone()));
        }
        if f.built_only {
            q = q.filter(diesel::dsl::not(indicators::stix_id.eq_any(
                crate::schema::stix_objects::table.select(crate::schema::stix_objects::stix_id),
            )));
        }
        if let Some(p) = &f.search {
            q = q.filter(
                indicators::name
                    .like(p.clone())
                    .escape('\\')
                    .or(indicators::value.like(p.to_lowercase()).escape('\\')),
            );
        }
        q
    }};
}

/// A page of the indicators `rule` admits, newest first.
pub fn list(
    conn: &mut DbConn,
    rule: &ReadRule,
    filter: &Filter,
    cursor: Option<&str>,
    limit: i64,
) -> QueryResult<Page<IndicatorRow>> {
    let mut q = filtered!(rule, filter);
    if let Some(parts) = cursor.and_then(|c| decode_cursor(c, 1)) {
        q = q.filter(indicators::id.lt(parts[0].clone()));
    }
    let rows = q
        .order(indicators::id.desc())
        .limit(limit + 1)
        .select(IndicatorRow::as_select())
        .load(conn)?;
    Ok(paginate(rows, limit, |r| encode_cursor(&[r.id.as_str()])))
}

/// A page in the order TAXII serves: by date added, then id; the cursor is the last (date, id).
pub fn list_by_added(
    conn: &mut DbConn,
    rule: &ReadRule,
    filter: &Filter,
    cursor: Option<&str>,
    limit: i64,
) -> QueryResult<Page<IndicatorRow>> {
    let mut q = filtered!(rule, filter);
    if let Some(parts) = cursor.and_then(|c| decode_cursor(c, 2))
        && let Ok(at) = NaiveDateTime::parse_from_str(&parts[0], "%Y-%m-%dT%H:%M:%S%.6f")
    {
        let id = parts[1].clone();
        q = q.filter(
            indicators::added_at
                .gt(at)
                .or(indicators::added_at.eq(at).and(indicators::id.gt(id))),
        );
    }
    let rows = q
        .order((indicators::added_at.asc(), indicators::id.asc()))
        .limit(limit + 1)
        .select(IndicatorRow::as_select())
        .load(conn)?;
    Ok(paginate(rows, limit, |r| {
        let at = r.added_at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string();
        encode_cursor(&[&at, r.id.as_str()])
    }))
}

/// Every indicator `rule` admits under `filter`, oldest added first (exports).
pub fn all(conn: &mut DbConn, rule: &ReadRule, filter: &Filter) -> QueryResult<Vec<IndicatorRow>> {
    filtered!(rule, filter)
        .order((indicators::added_at.asc(), indicators::id.asc()))
        .select(IndicatorRow::as_select())
        .load(conn)
}

pub fn count(conn: &mut DbConn, rule: &ReadRule, filter: &Filter) -> QueryResult<i64> {
    filtered!(rule, filter).count().get_result(conn)
}

/// One observable of a readable, unrevoked indicator that a lookup value matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupHit {
    pub kind: String,
    pub value: String,
    pub indicator_id: IndicatorId,
    pub stix_id: String,
    pub tlp: Tlp,
}

/// The matches of canonical `values` among the observables of the indicators `rule` admits:
/// one query per chunk of values, never one per value.
pub fn lookup(
    conn: &mut DbConn,
    rule: &ReadRule,
    values: &[String],
) -> QueryResult<Vec<LookupHit>> {
    let mut out = Vec::new();
    for chunk in values.chunks(LOOKUP_CHUNK) {
        // Two queries, each answered from an index: the observables by value, then the
        // indicators they belong to by id under the read rule. As one join with the rule,
        // PostgreSQL scanned both tables whole for every chunk (a lookup of 100,000 values
        // against 1,000,000 indicators ran into the 30 s request timeout).
        let found: Vec<(IndicatorId, String, String)> = indicator_observables::table
            .filter(indicator_observables::value.eq_any(chunk.to_vec()))
            .select((
                indicator_observables::indicator_id,
                indicator_observables::kind,
                indicator_observables::value,
            ))
            .load(conn)?;
        if found.is_empty() {
            continue;
        }
        let mut ids: Vec<IndicatorId> = found.iter().map(|(id, _, _)| id.clone()).collect();
        ids.sort_unstable();
        ids.dedup();
        // A value may belong to many indicators: the ids are bound in chunks too.
        let mut visible: HashMap<IndicatorId, (String, Tlp)> = HashMap::new();
        for ids in ids.chunks(LOOKUP_CHUNK) {
            let rows: Vec<(IndicatorId, String, Tlp)> = indicators::table
                .filter(indicators::id.eq_any(ids.to_vec()))
                .filter(indicators::revoked.eq(false))
                .filter(crate::tlp_visible!(
                    rule,
                    KIND,
                    indicators::id,
                    indicators::owner_org_id,
                    indicators::tlp
                ))
                .select((indicators::id, indicators::stix_id, indicators::tlp))
                .load(conn)?;
            visible.extend(
                rows.into_iter()
                    .map(|(id, stix_id, tlp)| (id, (stix_id, tlp))),
            );
        }
        out.extend(found.into_iter().filter_map(|(indicator_id, kind, value)| {
            let (stix_id, tlp) = visible.get(&indicator_id)?.clone();
            Some(LookupHit {
                kind,
                value,
                indicator_id,
                stix_id,
                tlp,
            })
        }));
    }
    Ok(out)
}

pub fn add_sighting(conn: &mut DbConn, row: &SightingRow) -> QueryResult<()> {
    diesel::insert_into(indicator_sightings::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn sightings(conn: &mut DbConn, indicator_id: &IndicatorId) -> QueryResult<Vec<SightingRow>> {
    indicator_sightings::table
        .filter(indicator_sightings::indicator_id.eq(indicator_id))
        .order((
            indicator_sightings::created_at.asc(),
            indicator_sightings::id.asc(),
        ))
        .select(SightingRow::as_select())
        .load(conn)
}

/// Keeps a TAXII status resource for the person who posted.
pub fn put_status(
    conn: &mut DbConn,
    id: &str,
    user_id: &str,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    use crate::schema::taxii_statuses as t;
    diesel::insert_into(t::table)
        .values((
            t::id.eq(id),
            t::user_id.eq(user_id),
            t::body.eq(body),
            t::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// A status resource, only for the person who posted it.
pub fn status(conn: &mut DbConn, id: &str, user_id: &str) -> QueryResult<Option<String>> {
    use crate::schema::taxii_statuses as t;
    t::table
        .filter(t::id.eq(id))
        .filter(t::user_id.eq(user_id))
        .select(t::body)
        .first(conn)
        .optional()
}
