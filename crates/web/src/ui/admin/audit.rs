//! The audit log, newest first, with a filter form. Dates in the form are whole days in the
//! network's time zone: "from" at its first instant, "to" up to (not including) the next day.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Days, FixedOffset, NaiveDate, Utc};
use irnet_app::AppError;
use serde::Deserialize;

use super::Pager;
use crate::AppState;
use crate::api::audit::{AuditEntry, AuditParams};
use crate::extract::{Authed, Query};
use crate::ui::{FormErrors, Layout, failure_page, render_status};

/// The filter form as typed; every field is kept in the links to other pages.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct AuditQuery {
    action: String,
    object_type: String,
    object_id: String,
    actor_id: String,
    from: String,
    to: String,
    cursor: String,
}

impl AuditQuery {
    fn filters(&self) -> [(&'static str, &str); 6] {
        [
            ("action", self.action.trim()),
            ("object_type", self.object_type.trim()),
            ("object_id", self.object_id.trim()),
            ("actor_id", self.actor_id.trim()),
            ("from", self.from.trim()),
            ("to", self.to.trim()),
        ]
    }

    fn is_filtered(&self) -> bool {
        self.filters().iter().any(|(_, v)| !v.is_empty())
    }
}

/// The first instant of `day` in the network's time zone.
fn start_of(day: NaiveDate, offset: FixedOffset) -> Option<DateTime<Utc>> {
    day.and_hms_opt(0, 0, 0)?
        .and_local_timezone(offset)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// A `yyyy-mm-dd` field; `end` asks for the end of that day (the start of the next).
fn parse_day(
    field: &str,
    value: &str,
    end: bool,
    offset: FixedOffset,
    problems: &mut Vec<irnet_app::FieldError>,
) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let day = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
    let day = if end {
        day.and_then(|d| d.checked_add_days(Days::new(1)))
    } else {
        day
    };
    let at = day.and_then(|d| start_of(d, offset));
    if at.is_none() {
        problems.push(irnet_app::FieldError {
            field: field.to_owned(),
            code: "invalid_date".to_owned(),
            params: vec![],
        });
    }
    at
}

struct EntryLine {
    at: DateTime<Utc>,
    actor: String,
    actor_id: Option<String>,
    action: String,
    object_type: String,
    object_id: Option<String>,
    /// the object's own administration page, where there is one
    object_link: Option<String>,
    summary: String,
    /// the entry is about a record the reader cannot open: shown as such instead of details
    withheld: bool,
    request_id: String,
}

impl From<AuditEntry> for EntryLine {
    fn from(e: AuditEntry) -> Self {
        let object_link = match (e.object_type.as_str(), &e.object_id) {
            ("user", Some(id)) => Some(format!("/admin/users/{id}")),
            ("organisation", Some(id)) => Some(format!("/admin/organisations/{id}")),
            _ => None,
        };
        Self {
            at: e.at,
            actor: e.actor,
            actor_id: e.actor_id,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            object_link,
            summary: serde_json::to_string(&e.summary).unwrap_or_default(),
            withheld: e.details_withheld,
            request_id: e.request_id.unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    l: Layout,
    q: AuditQuery,
    filtered: bool,
    entries: Vec<EntryLine>,
    pager: Pager,
    zone_hint: String,
    errors: FormErrors,
}

pub(super) async fn list(
    a: Authed,
    State(s): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> Response {
    let tr = a.ctx.tr;
    let offset = s.app.settings.local_offset;
    let mut problems = Vec::new();
    let keep = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let params = AuditParams {
        actor_id: keep(&q.actor_id),
        action: keep(&q.action),
        object_type: keep(&q.object_type),
        object_id: keep(&q.object_id),
        from: parse_day("from", &q.from, false, offset, &mut problems),
        to: parse_day("to", &q.to, true, offset, &mut problems),
        cursor: keep(&q.cursor),
        limit: None,
    };
    // The log is asked even when a date is wrong, so that who may not read it is told so; the
    // entries are only shown once the filter means what it says.
    let page = match irnet_app::audit::list(
        &s.app,
        &a.actor,
        params.filter(),
        params.cursor.clone(),
        None,
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return failure_page(&a.ctx, &e),
    };
    let (errors, status, entries, next) = if problems.is_empty() {
        let entries = page
            .items
            .into_iter()
            .map(|r| EntryLine::from(AuditEntry::from(r)))
            .collect();
        (
            FormErrors::default(),
            StatusCode::OK,
            entries,
            page.next_cursor,
        )
    } else {
        let e = AppError::Validation(problems);
        (
            FormErrors::from_error(&tr, &e),
            crate::error::status_of(&e),
            Vec::new(),
            None,
        )
    };
    let pager = Pager::new(
        "/admin/audit",
        &q.filters(),
        params.cursor.as_deref(),
        next.as_deref(),
    )
    .by_time();
    let page = AuditPage {
        l: Layout::new(&a.ctx),
        filtered: q.is_filtered(),
        zone_hint: tr.t_args("admin-audit-zone", &[("offset", offset.to_string())]),
        q,
        entries,
        pager,
        errors,
    };
    render_status(status, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vietnam() -> FixedOffset {
        FixedOffset::east_opt(7 * 3600).unwrap()
    }

    #[test]
    fn days_are_whole_days_in_the_network_time_zone() {
        let mut p = Vec::new();
        let from = parse_day("from", "2024-12-20", false, vietnam(), &mut p).unwrap();
        let to = parse_day("to", " 2024-12-20 ", true, vietnam(), &mut p).unwrap();
        assert_eq!(from.to_rfc3339(), "2024-12-19T17:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2024-12-20T17:00:00+00:00");
        assert!(p.is_empty());
        assert_eq!(parse_day("to", "", true, vietnam(), &mut p), None);
        assert!(p.is_empty());
    }

    #[test]
    fn a_wrong_date_is_a_problem_of_its_field() {
        let mut p = Vec::new();
        assert_eq!(
            parse_day("from", "20/12/2024", false, vietnam(), &mut p),
            None
        );
        assert_eq!(parse_day("to", "2024-02-30", true, vietnam(), &mut p), None);
        let fields: Vec<_> = p
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(fields, [("from", "invalid_date"), ("to", "invalid_date")]);
    }
}
