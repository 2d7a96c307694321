//! Lists and counts of the incidents a reader may see, filtered in SQL by the same audience rule
//! as `load`.

use crate::directory::names;
use irnet_domain::incident::Status;
use irnet_store::incidents::{self as store, Filter};
use irnet_store::page::{Page, clamp_limit};
use irnet_store::time::to_db;

use crate::{Actor, App, AppError};

/// One line of a list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct IncidentSummary {
    pub id: String,
    pub number: Option<String>,
    pub owner_org_id: String,
    /// the owner's Vietnamese name on the detection day (`directory::names`)
    pub owner_name: String,
    /// the owner's name on the detection day, with today's beside it where it differs
    pub owner: crate::directory::names::OrgName,
    pub status: String,
    pub tlp: String,
    pub title: String,
    pub type_key: Option<String>,
    pub detected_at: String,
    /// the earliest open deadline, in the network's time zone
    pub next_due_at: Option<String>,
    pub overdue: bool,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// words of the title, summary, number or an observable (accents optional)
    pub q: Option<String>,
    pub status: Option<String>,
    pub org: Option<String>,
    /// `overdue`: only incidents with a deadline passed and not met
    pub due: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

fn filter_of(app: &App, actor: &Actor, q: &ListQuery) -> Result<Filter, AppError> {
    let status = match &q.status {
        Some(s) => Some(Status::parse(s).map_err(|e| AppError::field("status", &e))?),
        None => None,
    };
    let overdue_at = match q.due.as_deref() {
        None | Some("") => None,
        Some("overdue") => Some(to_db(app.now())),
        Some(_) => return Err(AppError::invalid("due", "invalid_value")),
    };
    Ok(Filter {
        words: q
            .q
            .as_deref()
            .map(irnet_domain::search::words)
            .unwrap_or_default(),
        status,
        owner_org_id: q.org.clone(),
        overdue_at,
        author: actor.principal.user_id.as_str().to_owned(),
    })
}

pub async fn list(
    app: &App,
    actor: &Actor,
    q: ListQuery,
) -> Result<Page<IncidentSummary>, AppError> {
    let filter = filter_of(app, actor, &q)?;
    let limit = clamp_limit(q.limit);
    let (app2, rule) = (app.clone(), actor.principal.incident_read_rule());
    app.store
        .read(move |conn| {
            let page = store::list(conn, &rule, &filter, q.cursor.as_deref(), limit)?;
            let now = to_db(app2.now());
            // Each row names its owner as of its detection day.
            let day = |r: &store::IncidentRow| names::day_of(&app2, r.detected_at);
            let pairs: Vec<(String, chrono::NaiveDate)> = page
                .items
                .iter()
                .map(|r| (r.owner_org_id.clone(), day(r)))
                .collect();
            let names = names::names_on_days(conn, &pairs, app2.today())?;
            Ok(Page {
                next_cursor: page.next_cursor,
                items: page
                    .items
                    .into_iter()
                    .map(|r| {
                        let owner = names
                            .get(&(r.owner_org_id.clone(), day(&r)))
                            .cloned()
                            .unwrap_or_else(|| names::unknown(&r.owner_org_id));
                        IncidentSummary {
                            owner_name: owner.name_vi.clone(),
                            owner,
                            overdue: r.next_due_at.is_some_and(|d| d < now),
                            next_due_at: r.next_due_at.map(|t| app2.local(t)),
                            detected_at: app2.local(r.detected_at),
                            id: r.id.to_string(),
                            number: r.number,
                            owner_org_id: r.owner_org_id,
                            status: r.status.as_str().to_owned(),
                            tlp: r.tlp.as_str().to_owned(),
                            title: r.title,
                            type_key: r.type_key,
                        }
                    })
                    .collect(),
            })
        })
        .await
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub total: i64,
    pub by_status: Vec<StatusCount>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct StatusCount {
    pub status: String,
    pub count: i64,
}

/// How many incidents the reader may see, by status (same filters as the list).
pub async fn count(app: &App, actor: &Actor, q: ListQuery) -> Result<Counts, AppError> {
    let filter = filter_of(app, actor, &q)?;
    let rule = actor.principal.incident_read_rule();
    app.store
        .read(move |conn| {
            let by_status = store::count_by_status(conn, &rule, &filter)?;
            Ok(Counts {
                total: by_status.iter().map(|(_, n)| n).sum(),
                by_status: by_status
                    .into_iter()
                    .map(|(status, count)| StatusCount {
                        status: status.as_str().to_owned(),
                        count,
                    })
                    .collect(),
            })
        })
        .await
}
