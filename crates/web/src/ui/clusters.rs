//! The clusters of the network: each one's founding, its members on any day (under the names they
//! had that day) and its leads year by year.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use irnet_app::AppError;
use irnet_app::directory::clusters::{self, ClusterView, LeadView, MemberView};
use serde::Deserialize;

use super::{Layout, render};
use crate::AppState;
use crate::extract::{Authed, Path, Query};

#[derive(Template)]
#[template(path = "clusters.html")]
struct ClustersPage {
    l: Layout,
    clusters: Vec<ClusterView>,
}

pub async fn list(a: Authed, State(s): State<AppState>) -> Response {
    match clusters::list(&s.app, &a.actor).await {
        Ok(clusters) => render(&ClustersPage {
            l: Layout::new(&a.ctx),
            clusters,
        }),
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

#[derive(Template)]
#[template(path = "cluster.html")]
struct ClusterPage {
    l: Layout,
    cluster: ClusterView,
    as_of: NaiveDate,
    members: Vec<MemberView>,
    leads: Vec<LeadView>,
}

impl ClusterPage {
    fn date(&self, d: &NaiveDate) -> String {
        d.format("%d/%m/%Y").to_string()
    }

    fn date_opt(&self, d: &Option<NaiveDate>) -> String {
        d.as_ref().map_or_else(|| "—".to_owned(), |d| self.date(d))
    }

    /// The name in the page's language (Vietnamese when no English name is recorded).
    fn name<'a>(&self, vi: &'a str, en: &'a Option<String>) -> &'a str {
        self.l.tr.localised(vi, en.as_deref())
    }
}

#[derive(Deserialize)]
pub struct AsOfForm {
    as_of: Option<String>,
}

pub async fn show(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AsOfForm>,
) -> Response {
    let as_of = match q.as_of.as_deref().filter(|d| !d.is_empty()) {
        None => s.app.today(),
        Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => {
                return super::failure_page(&a.ctx, &AppError::invalid("as_of", "invalid_date"));
            }
        },
    };
    let loaded = async {
        Ok::<_, AppError>((
            clusters::get(&s.app, &a.actor, &id).await?,
            clusters::members_on(&s.app, &a.actor, &id, as_of).await?,
            clusters::leads(&s.app, &a.actor, &id).await?,
        ))
    }
    .await;
    match loaded {
        Ok((cluster, members, leads)) => render(&ClusterPage {
            l: Layout::new(&a.ctx),
            cluster,
            as_of,
            members,
            leads,
        }),
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}
