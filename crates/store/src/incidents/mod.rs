//! Incidents and what is filed in them. Every list here is filtered in SQL by the read rule the
//! caller passes (`Principal::incident_read_rule`), so lists, counts and searches agree with what
//! a direct read allows.

pub mod notice;
pub mod parts;
pub mod support;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use irnet_domain::ids::IncidentId;
use irnet_domain::incident::Status;
use irnet_domain::search::words;
use irnet_domain::{ReadPart, ReadRule, Tlp};

use crate::DbConn;
use crate::page::{Page, decode_cursor, encode_cursor, paginate};
use crate::schema::{
    incident_observables, incident_reminders, incidents, record_shares, search_terms,
};
use crate::words::{add_new, bound_of, replace};

/// The record kind of incidents in `record_shares` and `search_terms`.
pub const KIND: &str = "incident";

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = incidents, treat_none_as_null = true)]
pub struct IncidentRow {
    pub id: IncidentId,
    pub number: Option<String>,
    pub owner_org_id: String,
    pub created_by: String,
    pub status: Status,
    pub tlp: Tlp,
    pub title: String,
    pub summary: Option<String>,
    pub type_key: Option<String>,
    pub severity: Option<String>,
    pub detected_at: NaiveDateTime,
    pub system_id: Option<String>,
    pub system_level: Option<i32>,
    pub effects: String,
    pub exceeds_capacity: bool,
    pub serious_proposed: bool,
    pub serious_confirmed: Option<bool>,
    pub data_loss: String,
    pub data_loss_detail: Option<String>,
    pub damage_estimate: Option<String>,
    pub helped_by_foreign: bool,
    pub report: String,
    pub submitted_at: Option<NaiveDateTime>,
    pub escalated_at: Option<NaiveDateTime>,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub initial_report_at: Option<NaiveDateTime>,
    pub response_ended_at: Option<NaiveDateTime>,
    pub closing_report_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub next_due_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Stores a new incident and indexes its words.
pub fn insert(conn: &mut DbConn, row: &IncidentRow) -> QueryResult<()> {
    diesel::insert_into(incidents::table)
        .values(row)
        .execute(conn)?;
    index(conn, &row.id)
}

/// Writes every field of `row` (the use-case read it in the same transaction) and re-indexes it.
pub fn save(conn: &mut DbConn, row: &IncidentRow) -> QueryResult<()> {
    diesel::update(incidents::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    index(conn, &row.id)
}

pub fn get(conn: &mut DbConn, id: &IncidentId) -> QueryResult<Option<IncidentRow>> {
    incidents::table
        .find(id)
        .select(IncidentRow::as_select())
        .first(conn)
        .optional()
}

/// The next number of the member `org_id` (whose code is `code`) in `year`, e.g.
/// "LS-2026-0003". The counter row is updated in the caller's transaction, so two submissions
/// never share a number; members do not share a counter, so a number says nothing about how
/// many incidents other members filed.
pub fn next_number(conn: &mut DbConn, org_id: &str, code: &str, year: i32) -> QueryResult<String> {
    use crate::schema::incident_member_counters as c;
    // One statement that creates or bumps the row: on PostgreSQL the row lock it takes is held
    // to the end of the transaction, so a concurrent submission of the same member waits and
    // then reads the next value; there is no window between "no row yet" and the insert.
    let upsert = diesel::insert_into(c::table)
        .values((c::org_id.eq(org_id), c::year.eq(year), c::last.eq(1)))
        .on_conflict((c::org_id, c::year))
        .do_update()
        .set(c::last.eq(c::last + 1));
    match conn {
        DbConn::Sqlite(c) => upsert.execute(c)?,
        DbConn::Pg(c) => upsert.execute(c)?,
    };
    let last: i32 = c::table.find((org_id, year)).select(c::last).first(conn)?;
    Ok(number(code, year, last))
}

/// A member's incident number: its code, the year and its count in that year ("LS-2026-0003").
pub fn number(code: &str, year: i32, n: i32) -> String {
    format!("{code}-{year}-{n:04}")
}

/// Adds organisations and people to an incident's audience.
pub fn share_with(
    conn: &mut DbConn,
    incident_id: &IncidentId,
    org_id: Option<&str>,
    user_id: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::access::share_with(conn, KIND, incident_id.as_str(), org_id, user_id, now)
}

/// Names `user_id` in the audience of every escalated incident that does not name them yet (a
/// person given the coordinator role joins the coordinators escalation named). One statement,
/// so a grant costs the same at a hundred escalated incidents as at a hundred thousand.
pub fn name_on_escalated(
    conn: &mut DbConn,
    user_id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let named: Vec<String> = record_shares::table
        .filter(record_shares::record_kind.eq(KIND))
        .filter(record_shares::user_id.eq(user_id))
        .select(record_shares::record_id)
        .load(conn)?;
    let ids: Vec<IncidentId> = incidents::table
        .filter(incidents::escalated_at.is_not_null())
        .filter(incidents::id.ne_all(&named))
        .select(incidents::id)
        .load(conn)?;
    for id in &ids {
        share_with(conn, id, None, Some(user_id), now)?;
    }
    Ok(ids.len())
}

/// Takes `user_id` out of the audience of every escalated incident (the coordinator role taken
/// away): what they read as a coordinator they no longer read. A share the owner made to that
/// person by name on an escalated incident goes too — the two cannot be told apart.
pub fn unname_on_escalated(conn: &mut DbConn, user_id: &str) -> QueryResult<usize> {
    let escalated = incidents::table
        .filter(incidents::escalated_at.is_not_null())
        .select(incidents::id);
    diesel::delete(
        record_shares::table
            .filter(record_shares::record_kind.eq(KIND))
            .filter(record_shares::user_id.eq(user_id))
            .filter(record_shares::record_id.eq_any(escalated)),
    )
    .execute(conn)
}

/// Removes an organisation from the audience (a revoked supporter).
pub fn unshare_org(conn: &mut DbConn, incident_id: &IncidentId, org_id: &str) -> QueryResult<()> {
    diesel::delete(
        record_shares::table
            .filter(record_shares::record_kind.eq(KIND))
            .filter(record_shares::record_id.eq(incident_id))
            .filter(record_shares::org_id.eq(org_id)),
    )
    .execute(conn)
    .map(drop)
}

/// The audience beyond the owner: (organisations, people).
pub fn audience(
    conn: &mut DbConn,
    incident_id: &IncidentId,
) -> QueryResult<(Vec<String>, Vec<String>)> {
    crate::access::audience(conn, KIND, incident_id.as_str())
}

/// An incident's words: its number, title and summary, and the values of its observables.
fn words_of(row: &IncidentRow, observables: &[String]) -> Vec<String> {
    let mut tokens: Vec<String> = [
        row.number.as_deref(),
        Some(row.title.as_str()),
        row.summary.as_deref(),
    ]
    .into_iter()
    .flatten()
    .flat_map(words)
    .collect();
    tokens.extend(observables.iter().flat_map(|o| words(o)));
    tokens
}

/// Re-indexes an incident's words: number, title, summary and observables.
pub fn index(conn: &mut DbConn, incident_id: &IncidentId) -> QueryResult<()> {
    let Some(row) = get(conn, incident_id)? else {
        return Ok(());
    };
    let observables: Vec<String> = incident_observables::table
        .filter(incident_observables::incident_id.eq(incident_id))
        .select(incident_observables::value)
        .load(conn)?;
    replace(
        conn,
        KIND,
        incident_id.as_str(),
        &[row.owner_org_id.as_str()],
        &words_of(&row, &observables),
    )
}

/// Incidents per multi-row INSERT: 32 columns each, well under SQLite's 32,766 bound parameters.
const INCIDENTS_PER_INSERT: usize = 400;

/// Stores many new incidents (no observables yet) and indexes their words exactly as `insert`
/// does, in multi-row INSERTs: for bulk loads such as the benchmark's synthetic network.
pub fn insert_many(conn: &mut DbConn, rows: &[IncidentRow]) -> QueryResult<()> {
    for chunk in rows.chunks(INCIDENTS_PER_INSERT) {
        let insert = diesel::insert_into(incidents::table).values(chunk.to_vec());
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Pg(c) => insert.execute(c)?,
        };
    }
    let entries: Vec<(&str, &str, Vec<String>)> = rows
        .iter()
        .map(|r| (r.id.as_str(), r.owner_org_id.as_str(), words_of(r, &[])))
        .collect();
    add_new(conn, KIND, &entries)
}

/// Sets the numbering counter of a member's `year` (after a bulk load that numbered incidents
/// itself).
pub fn set_counter(conn: &mut DbConn, org_id: &str, year: i32, last: i32) -> QueryResult<()> {
    use crate::schema::incident_member_counters as c;
    diesel::delete(c::table.find((org_id, year))).execute(conn)?;
    diesel::insert_into(c::table)
        .values((c::org_id.eq(org_id), c::year.eq(year), c::last.eq(last)))
        .execute(conn)
        .map(drop)
}

/// What a list asks for, beyond what the reader may see.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// folded query words; every one must start a word of the incident
    pub words: Vec<String>,
    pub status: Option<Status>,
    pub owner_org_id: Option<String>,
    /// only incidents with a deadline open and past this instant
    pub overdue_at: Option<NaiveDateTime>,
    /// drafts are their author's: listed only for them
    pub author: String,
}

/// The list's own filters — drafts for their author only, status, owner, overdue — on any query
/// whose source holds `incidents`.
macro_rules! narrowed {
    ($q:expr, $filter:expr) => {{
        let f: &Filter = $filter;
        let mut q = $q.filter(
            incidents::status
                .ne(irnet_domain::incident::Status::Draft)
                .or(incidents::created_by.eq(f.author.clone())),
        );
        if let Some(s) = f.status {
            q = q.filter(incidents::status.eq(s));
        }
        if let Some(o) = &f.owner_org_id {
            q = q.filter(incidents::owner_org_id.eq(o.clone()));
        }
        if let Some(at) = f.overdue_at {
            q = q.filter(incidents::next_due_at.lt(at));
        }
        q
    }};
}

fn levels(l: &[Tlp]) -> Vec<Tlp> {
    l.to_vec()
}

diesel::alias!(record_shares as sharing: Sharing);

/// The ids of the incidents shared with `$who` through `$col` (`org_id` or `user_id`), under an
/// alias so that it may stand in a query that already reads `record_shares`.
macro_rules! shared_ids {
    ($col:expr, $who:expr) => {
        sharing
            .filter(sharing.field(record_shares::record_kind).eq(KIND))
            .filter(sharing.field($col).eq($who))
            .select(sharing.field(record_shares::record_id))
    };
}

/// One shared part of the read rule (see `for_part!`): the shares of `$who` through `$col`,
/// joined to their incidents, in record id order.
macro_rules! shared_part {
    ($col:expr, $who:expr, $levels:expr, $f:expr, |$q:ident, $key:ident, $joined:ident| $body:expr) => {{
        let who: String = $who;
        let mut $q = narrowed!(
            record_shares::table
                .inner_join(incidents::table.on(incidents::id.eq(record_shares::record_id)))
                .filter(record_shares::record_kind.eq(KIND))
                .filter($col.eq(who.clone()))
                .into_boxed(),
            $f
        )
        .filter(incidents::tlp.eq_any(levels($levels)));
        for w in &$f.words {
            // Only the shared incidents' words, looked up by their primary key (entity, token):
            // no `kind` condition, so that the planner cannot prefer an index that reads every
            // incident's rows for the word (the ids are incidents' already).
            $q = $q.filter(
                incidents::id.eq_any(
                    search_terms::table
                        .filter(search_terms::entity_id.eq_any(shared_ids!($col, who.clone())))
                        .filter(search_terms::token.ge(w.clone()))
                        .filter(search_terms::token.lt(bound_of(w)))
                        .select(search_terms::entity_id),
                ),
            );
        }
        let ($key, $joined) = (record_shares::record_id, true);
        $body
    }};
}

/// Runs `$body` with `$q`, the boxed query of one part of the read rule (`ReadRule::parts`) with
/// the filter's conditions, `$key` the column it is ordered by (the incident's id, or the
/// share's record id that equals it), and `$joined` whether it goes through `record_shares`
/// (where an incident shared twice with the same audience would come twice). Each part is read
/// along its own index: open levels by id, an owner by `incidents_owner_id`, shares by
/// `record_shares_org_record` / `record_shares_user_record`; each query word is a subquery of
/// `search_terms` narrowed to the part (the owner's rows, or the shared incidents' rows).
macro_rules! for_part {
    ($part:expr, $filter:expr, |$q:ident, $key:ident, $joined:ident| $body:expr) => {{
        let f: &Filter = $filter;
        let terms = |w: &String| {
            search_terms::table
                .filter(search_terms::kind.eq(KIND))
                .filter(search_terms::token.ge(w.clone()))
                .filter(search_terms::token.lt(bound_of(w)))
        };
        match $part {
            ReadPart::Open(l) => {
                let mut $q = narrowed!(incidents::table.into_boxed(), f)
                    .filter(incidents::tlp.eq_any(levels(l)));
                for w in &f.words {
                    $q = $q.filter(incidents::id.eq_any(terms(w).select(search_terms::entity_id)));
                }
                let ($key, $joined) = (incidents::id, false);
                $body
            }
            ReadPart::Owned(org, l) => {
                let org = org.as_str().to_owned();
                let mut $q = narrowed!(incidents::table.into_boxed(), f)
                    .filter(incidents::owner_org_id.eq(org.clone()))
                    .filter(incidents::tlp.eq_any(levels(l)));
                for w in &f.words {
                    // an incident's words are indexed under its owner
                    $q = $q.filter(
                        incidents::id.eq_any(
                            terms(w)
                                .filter(search_terms::org_id.eq(org.clone()))
                                .select(search_terms::entity_id),
                        ),
                    );
                }
                let ($key, $joined) = (incidents::id, false);
                $body
            }
            ReadPart::SharedWithOrg(o, l) => {
                let who = o.as_str().to_owned();
                shared_part!(record_shares::org_id, who, l, f, |$q, $key, $joined| $body)
            }
            ReadPart::SharedWithPerson(p, l) => {
                let who = p.as_str().to_owned();
                shared_part!(record_shares::user_id, who, l, f, |$q, $key, $joined| $body)
            }
        }
    }};
}

mod search;

/// A page of the incidents `rule` admits, newest first: each part of the rule read in id order
/// up to `limit + 1` rows (a search's, by `search::part_matches`), then merged.
pub fn list(
    conn: &mut DbConn,
    rule: &ReadRule,
    filter: &Filter,
    cursor: Option<&str>,
    limit: i64,
) -> QueryResult<Page<IncidentRow>> {
    let before = cursor
        .and_then(|c| decode_cursor(c, 1))
        .and_then(|p| p.into_iter().next());
    let mut parts = Vec::new();
    for part in rule.parts() {
        if !filter.words.is_empty() {
            let fetch = usize::try_from(limit + 1).unwrap_or(usize::MAX);
            parts.push(search::part_matches(
                conn,
                &part,
                filter,
                before.as_deref(),
                fetch,
            )?);
            continue;
        }
        let rows: Vec<IncidentRow> = for_part!(&part, filter, |q, key, _joined| {
            if let Some(b) = &before {
                q = q.filter(key.lt(b.clone()));
            }
            q.order(key.desc())
                .limit(limit + 1)
                .select(IncidentRow::as_select())
                .load(conn)?
        });
        parts.push(rows);
    }
    Ok(merge(parts, limit))
}

/// Merges the parts' pages (each newest first, at most `limit + 1` rows). A part that filled its
/// page is known only down to its last row, so nothing older than the highest such row is
/// kept: the page is then exact, and shorter than `limit` only when a part repeated a row.
fn merge(parts: Vec<Vec<IncidentRow>>, limit: i64) -> Page<IncidentRow> {
    let fetch = usize::try_from(limit + 1).unwrap_or(usize::MAX);
    let floor: Option<IncidentId> = parts
        .iter()
        .filter(|p| p.len() >= fetch)
        .filter_map(|p| p.last().map(|r| r.id.clone()))
        .max();
    let mut rows: Vec<IncidentRow> = parts
        .into_iter()
        .flatten()
        .filter(|r| floor.as_ref().is_none_or(|f| &r.id >= f))
        .collect();
    rows.sort_by(|a, b| b.id.cmp(&a.id));
    rows.dedup_by(|a, b| a.id == b.id);
    let key = |r: &IncidentRow| encode_cursor(&[r.id.as_str()]);
    if floor.is_some() && rows.len() < fetch {
        return Page {
            next_cursor: rows.last().map(key),
            items: rows,
        };
    }
    paginate(rows, limit, key)
}

/// How many incidents `rule` admits, by status (statuses with none are left out): per part of
/// the rule, leaving out what an earlier part admitted, so that nothing is counted twice. One
/// count per status: a grouped count over a boxed query does not type-check in diesel.
pub fn count_by_status(
    conn: &mut DbConn,
    rule: &ReadRule,
    filter: &Filter,
) -> QueryResult<Vec<(Status, i64)>> {
    let parts = rule.parts();
    let mut totals: Vec<(Status, i64)> = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        for status in Status::ALL {
            if filter.status.is_some_and(|s| s != status) {
                continue;
            }
            let n: i64 = for_part!(part, filter, |q, _key, joined| {
                q = q.filter(incidents::status.eq(status));
                for earlier in &parts[..k] {
                    q = match earlier {
                        ReadPart::Open(l) => q.filter(incidents::tlp.ne_all(levels(l))),
                        ReadPart::Owned(o, l) => q.filter(
                            incidents::owner_org_id
                                .ne(o.as_str().to_owned())
                                .or(incidents::tlp.ne_all(levels(l))),
                        ),
                        ReadPart::SharedWithOrg(o, l) => q
                            .filter(incidents::tlp.ne_all(levels(l)).or(incidents::id.ne_all(
                                shared_ids!(record_shares::org_id, o.as_str().to_owned()),
                            ))),
                        ReadPart::SharedWithPerson(p, l) => {
                            q.filter(incidents::tlp.ne_all(levels(l)).or(incidents::id.ne_all(
                                shared_ids!(record_shares::user_id, p.as_str().to_owned()),
                            )))
                        }
                    };
                }
                if joined {
                    q.select(diesel::dsl::count(incidents::id).aggregate_distinct())
                        .get_result(conn)?
                } else {
                    q.count().get_result(conn)?
                }
            });
            match totals.iter_mut().find(|(s, _)| *s == status) {
                Some((_, total)) => *total += n,
                None => totals.push((status, n)),
            }
        }
    }
    // In the workflow's order, as before.
    totals.retain(|(_, n)| *n > 0);
    Ok(totals)
}

/// Submitted incidents of an organisation detected in `[from, to)`, for statistics: those
/// `rule` admits (the reader's incident read rule, in SQL), or all of them without one — a
/// member's own Mẫu 05, which the caller has checked the reader may read in full.
pub fn of_org_detected_between(
    conn: &mut DbConn,
    org_ids: &[String],
    from: NaiveDateTime,
    to: NaiveDateTime,
    rule: Option<&ReadRule>,
) -> QueryResult<Vec<IncidentRow>> {
    let mut q = incidents::table
        .filter(incidents::owner_org_id.eq_any(org_ids.to_vec()))
        .filter(incidents::status.ne(Status::Draft))
        .filter(incidents::detected_at.ge(from))
        .filter(incidents::detected_at.lt(to))
        .into_boxed();
    if let Some(rule) = rule {
        q = q.filter(crate::tlp_visible!(
            rule,
            KIND,
            incidents::id,
            incidents::owner_org_id,
            incidents::tlp
        ));
    }
    q.order(incidents::detected_at.asc())
        .select(IncidentRow::as_select())
        .load(conn)
}

/// Up to `limit` open incidents whose reminder mark (`incident_reminders`) falls before
/// `before`, the earliest first, for the reminder sweep: it moves each mark on, so the next call
/// reads the next ones.
pub fn due_for_reminders(
    conn: &mut DbConn,
    before: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<IncidentRow>> {
    incident_reminders::table
        .inner_join(incidents::table.on(incidents::id.eq(incident_reminders::incident_id)))
        .filter(incident_reminders::remind_at.lt(before))
        .filter(incidents::status.ne(Status::Closed))
        .order((incident_reminders::remind_at.asc(), incidents::id.asc()))
        .limit(limit)
        .select(IncidentRow::as_select())
        .load(conn)
}

/// Sets an incident's reminder mark: the earliest open deadline whose reminders are not sent yet
/// (none: nothing pending).
pub fn set_remind_at(
    conn: &mut DbConn,
    id: &IncidentId,
    at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    set_remind_many(conn, &[(id.clone(), at)])
}

/// Rows per multi-row INSERT of reminder marks.
const MARKS_PER_INSERT: usize = 1000;

/// Sets many incidents' reminder marks (see `set_remind_at`), in multi-row statements.
pub fn set_remind_many(
    conn: &mut DbConn,
    marks: &[(IncidentId, Option<NaiveDateTime>)],
) -> QueryResult<()> {
    for chunk in marks.chunks(MARKS_PER_INSERT) {
        let ids: Vec<&IncidentId> = chunk.iter().map(|(id, _)| id).collect();
        diesel::delete(
            incident_reminders::table.filter(incident_reminders::incident_id.eq_any(ids)),
        )
        .execute(conn)?;
        let rows: Vec<_> = chunk
            .iter()
            .filter_map(|(id, at)| {
                at.map(|at| {
                    (
                        incident_reminders::incident_id.eq(id.clone()),
                        incident_reminders::remind_at.eq(at),
                    )
                })
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let insert = diesel::insert_into(incident_reminders::table).values(rows);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Pg(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// Which of `ids` the reader may open — admitted by `rule` (`Principal::incident_read_rule`), a
/// draft only for its author — with their TLP: one query for the incidents a page of other
/// records (indicators) links to, so that a link is shown only to those who may follow it.
pub fn readable_among(
    conn: &mut DbConn,
    rule: &ReadRule,
    author: &str,
    ids: &[IncidentId],
) -> QueryResult<Vec<(IncidentId, Tlp)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(crate::sharing::LOOKUP_CHUNK) {
        out.extend(
            incidents::table
                .filter(incidents::id.eq_any(chunk))
                .filter(
                    incidents::status
                        .ne(Status::Draft)
                        .or(incidents::created_by.eq(author)),
                )
                .filter(crate::tlp_visible!(
                    rule,
                    KIND,
                    incidents::id,
                    incidents::owner_org_id,
                    incidents::tlp
                ))
                .select((incidents::id, incidents::tlp))
                .load::<(IncidentId, Tlp)>(conn)?,
        );
    }
    Ok(out)
}
