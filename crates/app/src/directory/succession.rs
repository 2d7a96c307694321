//! What a merger or dissolution means for the records: the organisation closes on the day it
//! takes effect (no new accounts, incidents or reports for it from then on), and a merger's
//! successor inherits it — its people read and work the predecessor's records as the
//! predecessor's own members did (`Principal::inherited_orgs`, asked by the one policy), and
//! statistics of days after the merger count under the successor.
//!
//! Read from the directory history (`org_successions`): a `merge` or `dissolve` row whose
//! predecessor is the organisation closes it; a `rename` keeps it (its predecessor is itself).

use std::collections::HashSet;

use chrono::NaiveDate;
use irnet_store::DbConn;
use irnet_store::directory::history::{self, SuccessionRow};

use crate::error::FieldError;
use crate::{AppError, directory::names};

/// The end of an organisation: the day its merger or dissolution took effect, and the successor
/// of a merger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub on: NaiveDate,
    pub successor_id: Option<String>,
}

fn closes(s: &SuccessionRow, org_id: &str) -> bool {
    s.predecessor_id == org_id
        && matches!(s.kind.as_str(), "merge" | "dissolve")
        && s.successor_id.as_deref() != Some(org_id)
}

/// When `org_id` closes (or closed), if a merger or dissolution is recorded for it.
pub fn closure(conn: &mut DbConn, org_id: &str) -> Result<Option<Closure>, AppError> {
    Ok(history::successions(conn, org_id)?
        .into_iter()
        .filter(|s| closes(s, org_id))
        .min_by_key(|s| s.effective)
        .map(|s| Closure {
            on: s.effective,
            successor_id: s.successor_id,
        }))
}

/// Refuses new work for an organisation closed on or before `today`: a 422 on `field` that names
/// the successor (in both languages, the message picks) and the day it took over.
pub fn ensure_open(
    conn: &mut DbConn,
    org_id: &str,
    today: NaiveDate,
    field: &str,
) -> Result<(), AppError> {
    let Some(c) = closure(conn, org_id)?.filter(|c| c.on <= today) else {
        return Ok(());
    };
    let date = c.on.format("%d/%m/%Y").to_string();
    let (code, params) = match c.successor_id {
        Some(successor) => {
            let n = names::name_on(conn, &successor, today, today)?;
            (
                "org_merged",
                vec![
                    ("successor".to_owned(), n.name_vi.clone()),
                    (
                        "successor_en".to_owned(),
                        n.name_en.clone().unwrap_or(n.name_vi),
                    ),
                    ("date".to_owned(), date),
                ],
            )
        }
        None => ("org_dissolved", vec![("date".to_owned(), date)]),
    };
    Err(AppError::Validation(vec![FieldError {
        field: field.to_owned(),
        code: code.to_owned(),
        params,
    }]))
}

/// The organisations `org_id` succeeded by a merger that took effect on or before `today`,
/// transitively (a predecessor's predecessors too), without `org_id` itself.
pub fn inherited(
    conn: &mut DbConn,
    org_id: &str,
    today: NaiveDate,
) -> Result<Vec<String>, AppError> {
    Ok(predecessors(conn, org_id)?
        .into_iter()
        .filter(|(_, on)| *on <= today)
        .map(|(id, _)| id)
        .collect())
}

/// Every organisation merged into `org_id`, transitively, with the day it became part of
/// `org_id` (for a predecessor's predecessor: the later of the two mergers).
pub fn predecessors(conn: &mut DbConn, org_id: &str) -> Result<Vec<(String, NaiveDate)>, AppError> {
    let mut out: Vec<(String, NaiveDate)> = Vec::new();
    let mut seen = HashSet::from([org_id.to_owned()]);
    let mut queue = vec![(org_id.to_owned(), NaiveDate::MIN)];
    while let Some((current, since)) = queue.pop() {
        for s in history::successions(conn, &current)? {
            if s.kind == "merge"
                && s.successor_id.as_deref() == Some(current.as_str())
                && s.predecessor_id != current
                && seen.insert(s.predecessor_id.clone())
            {
                let on = s.effective.max(since);
                out.push((s.predecessor_id.clone(), on));
                queue.push((s.predecessor_id, on));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Whose incidents count for `org_id` over `[from, to)`: its own while it existed, and each
/// predecessor's from the day the merger took effect. Statistics of a period before a merger
/// therefore count the predecessor under its own name, and those after it under the successor.
pub fn owners_during(
    conn: &mut DbConn,
    org_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(String, NaiveDate, NaiveDate)>, AppError> {
    let own_end = closure(conn, org_id)?.map_or(to, |c| c.on.min(to));
    let mut out = Vec::new();
    if from < own_end {
        out.push((org_id.to_owned(), from, own_end));
    }
    for (p, since) in predecessors(conn, org_id)? {
        let start = since.max(from);
        if start < own_end {
            out.push((p, start, own_end));
        }
    }
    Ok(out)
}
