//! A cluster's composition over time: who was a member when, under which names, how memberships
//! ended (a member that merged away is not a member that left), and who led each year. The cluster
//! page draws it; the API returns it for other clients.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use irnet_store::DbConn;
use irnet_store::directory::clusters::{self, MembershipRow};
use irnet_store::directory::history::{self, NameRow};

use super::clusters::{ClusterView, name_or_current};
use crate::{Actor, App, AppError};

/// An organisation as named on a given day.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct NamedOrg {
    pub org_id: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub short_name: Option<String>,
}

/// One name an organisation bore while it was a member (clipped to the membership).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct NamePeriod {
    pub from: NaiveDate,
    /// the first day the name no longer held, if it ended while a member
    pub to: Option<NaiveDate>,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub short_name: Option<String>,
}

/// One membership of the cluster, with the names the member bore during it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TimelineRow {
    pub org_id: String,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
    /// why the membership began: founding, joined…
    pub reason: String,
    pub names: Vec<NamePeriod>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// the cluster was founded; `members` are its founding members
    Founded,
    /// `org` joined
    Joined,
    /// `org` was renamed to `other`'s name (same organisation)
    Renamed,
    /// `org` merged into `other` and its membership ended
    Merged,
    /// `org` left the cluster
    Left,
    /// `org` leads the cluster for `year`; `other` handed over
    Lead,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TimelineEvent {
    /// the day it happened (for a lead without a recorded handover: 1 January of its year)
    pub on: NaiveDate,
    pub kind: EventKind,
    pub org: Option<NamedOrg>,
    pub other: Option<NamedOrg>,
    pub members: Vec<NamedOrg>,
    pub year: Option<i32>,
    /// the decision, the handover event, as written
    pub detail: Option<String>,
    /// who handed over the lead, as the record names them
    pub by: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Timeline {
    pub cluster: ClusterView,
    /// the first day drawn (the founding, or the first membership)
    pub from: NaiveDate,
    /// the last day drawn (today)
    pub to: NaiveDate,
    pub rows: Vec<TimelineRow>,
    /// oldest first
    pub events: Vec<TimelineEvent>,
}

/// The cluster's composition timeline (public directory data, like its members and leads).
pub async fn timeline(app: &App, actor: &Actor, cluster_id: &str) -> Result<Timeline, AppError> {
    let cluster = super::clusters::get(app, actor, cluster_id).await?;
    let (id, today) = (cluster_id.to_owned(), app.today());
    app.store
        .read(move |conn| build(conn, cluster, &id, today))
        .await
}

fn build(
    conn: &mut DbConn,
    cluster: ClusterView,
    id: &str,
    today: NaiveDate,
) -> Result<Timeline, AppError> {
    let memberships = clusters::memberships(conn, id)?;
    let mut names: HashMap<String, Vec<NameRow>> = HashMap::new();
    for m in &memberships {
        if !names.contains_key(&m.org_id) {
            names.insert(m.org_id.clone(), history::names(conn, &m.org_id)?);
        }
    }
    let named_on =
        |conn: &mut DbConn, org_id: &str, day: NaiveDate| -> Result<NamedOrg, AppError> {
            let found = history::names_on(conn, &[org_id.to_owned()], day)?.remove(org_id);
            let (name_vi, name_en, short_name) = name_or_current(conn, found, org_id)?;
            Ok(NamedOrg {
                org_id: org_id.to_owned(),
                name_vi,
                name_en,
                short_name,
            })
        };

    let mut events = Vec::new();
    let founding = cluster.founding_date;
    if let Some(day) = founding {
        let mut members = Vec::new();
        for m in memberships.iter().filter(|m| m.valid_from == day) {
            members.push(named_on(conn, &m.org_id, day)?);
        }
        events.push(TimelineEvent {
            on: day,
            kind: EventKind::Founded,
            org: None,
            other: None,
            members,
            year: None,
            detail: cluster.founding_decision.clone(),
            by: None,
        });
    }
    let mut rows = Vec::with_capacity(memberships.len());
    for m in &memberships {
        if Some(m.valid_from) != founding {
            events.push(event(
                EventKind::Joined,
                m.valid_from,
                named_on(conn, &m.org_id, m.valid_from)?,
            ));
        }
        let periods = periods_within(names.get(&m.org_id).map_or(&[][..], Vec::as_slice), m);
        // A rename while a member: the name that starts inside the membership.
        for pair in periods.windows(2) {
            let mut e = event(
                EventKind::Renamed,
                pair[1].from,
                named_on(conn, &m.org_id, pair[0].from)?,
            );
            e.other = Some(NamedOrg {
                org_id: m.org_id.clone(),
                name_vi: pair[1].name_vi.clone(),
                name_en: pair[1].name_en.clone(),
                short_name: pair[1].short_name.clone(),
            });
            events.push(e);
        }
        if let Some(end) = m.valid_to {
            let last_day = end.pred_opt().unwrap_or(end);
            let me = named_on(conn, &m.org_id, last_day)?;
            let merged_into = history::successions(conn, &m.org_id)?
                .into_iter()
                .find(|s| s.kind == "merge" && s.predecessor_id == m.org_id && s.effective == end)
                .and_then(|s| s.successor_id);
            events.push(match merged_into {
                Some(successor) => {
                    let mut e = event(EventKind::Merged, end, me);
                    e.other = Some(named_on(conn, &successor, end)?);
                    e
                }
                None => event(EventKind::Left, end, me),
            });
        }
        rows.push(TimelineRow {
            org_id: m.org_id.clone(),
            since: m.valid_from,
            until: m.valid_to,
            reason: m.reason.clone(),
            names: periods,
        });
    }
    for l in clusters::leads(conn, id)? {
        let on = l
            .handed_over_on
            .or_else(|| NaiveDate::from_ymd_opt(l.year, 1, 1))
            .unwrap_or(today);
        let year_day = if l.year == today.year() {
            today
        } else {
            NaiveDate::from_ymd_opt(l.year, 12, 31).unwrap_or(today)
        };
        let mut e = event(EventKind::Lead, on, named_on(conn, &l.org_id, year_day)?);
        if let Some(from) = &l.handed_over_from {
            e.other = Some(named_on(conn, from, on)?);
        }
        e.year = Some(l.year);
        e.detail = l.handover_event;
        e.by = l.handed_over_by;
        events.push(e);
    }
    // Stable: on the same day the founding comes first, then the order built above.
    events.sort_by_key(|e| (e.on, e.kind != EventKind::Founded));
    rows.sort_by(|a, b| {
        let last = |r: &TimelineRow| {
            r.names
                .last()
                .map(|n| irnet_domain::text::vi_sort_key(&n.name_vi))
        };
        (a.since, last(a)).cmp(&(b.since, last(b)))
    });
    let from = founding
        .into_iter()
        .chain(rows.iter().map(|r| r.since))
        .min()
        .unwrap_or(today);
    Ok(Timeline {
        cluster,
        from,
        to: today,
        rows,
        events,
    })
}

fn event(kind: EventKind, on: NaiveDate, org: NamedOrg) -> TimelineEvent {
    TimelineEvent {
        on,
        kind,
        org: Some(org),
        other: None,
        members: Vec::new(),
        year: None,
        detail: None,
        by: None,
    }
}

/// The organisation's names clipped to the membership's half-open period, oldest first.
fn periods_within(names: &[NameRow], m: &MembershipRow) -> Vec<NamePeriod> {
    names
        .iter()
        .filter(|n| n.valid_to.is_none_or(|to| to > m.valid_from))
        .filter(|n| m.valid_to.is_none_or(|end| n.valid_from < end))
        .map(|n| NamePeriod {
            from: n.valid_from.max(m.valid_from),
            to: match (n.valid_to, m.valid_to) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
            name_vi: n.name_vi.clone(),
            name_en: n.name_en.clone(),
            short_name: n.short_name.clone(),
        })
        .collect()
}
