//! The clusters of the network: each one's founding, its members on any day (under the names they
//! had that day) and its leads year by year.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use irnet_app::AppError;
use irnet_app::directory::clusters::{self, ClusterView, LeadView, MemberView};
use irnet_app::directory::timeline::{self, EventKind, NamedOrg, Timeline, TimelineEvent};
use serde::Deserialize;

use super::cluster_timeline::{self, Chart};
use super::incident_year::{self, MonthChart};
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
    timeline: Timeline,
    chart: Chart,
    /// incidents per month of the year shown; only for those the statistics admit
    incidents: Option<MonthChart>,
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

    fn org(&self, o: &Option<NamedOrg>) -> String {
        o.as_ref().map_or_else(String::new, |o| {
            self.name(&o.name_vi, &o.name_en).to_owned()
        })
    }

    /// One line of the timeline, in the page's language.
    fn event_text(&self, e: &TimelineEvent) -> String {
        let tr = &self.l.tr;
        let (org, other) = (self.org(&e.org), self.org(&e.other));
        match e.kind {
            EventKind::Founded => {
                let members: Vec<&str> = e
                    .members
                    .iter()
                    .map(|m| self.name(&m.name_vi, &m.name_en))
                    .collect();
                tr.t_args(
                    "timeline-founded",
                    &[
                        (
                            "decision",
                            e.detail.clone().unwrap_or_else(|| "—".to_owned()),
                        ),
                        ("count", members.len().to_string()),
                        ("members", members.join("; ")),
                    ],
                )
            }
            EventKind::Joined => tr.t_args("timeline-joined", &[("org", org)]),
            EventKind::Renamed => tr.t_args("timeline-renamed", &[("org", org), ("other", other)]),
            EventKind::Merged => tr.t_args("timeline-merged", &[("org", org), ("other", other)]),
            EventKind::Left => tr.t_args("timeline-left", &[("org", org)]),
            EventKind::Lead => {
                let year = e.year.map(|y| y.to_string()).unwrap_or_default();
                let mut line = tr.t_args("timeline-lead", &[("org", org), ("year", year)]);
                if e.other.is_some() {
                    line.push_str(&tr.t_args(
                        "timeline-handover",
                        &[
                            ("other", other),
                            ("by", e.by.clone().unwrap_or_else(|| "—".to_owned())),
                            ("event", e.detail.clone().unwrap_or_else(|| "—".to_owned())),
                        ],
                    ));
                }
                line
            }
        }
    }

    fn event_class(&self, e: &TimelineEvent) -> &'static str {
        match e.kind {
            EventKind::Founded => "founded",
            EventKind::Joined => "joined",
            EventKind::Renamed => "renamed",
            EventKind::Merged => "merged",
            EventKind::Left => "left",
            EventKind::Lead => "lead",
        }
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
            timeline::timeline(&s.app, &a.actor, &id).await?,
        ))
    }
    .await;
    // The member's private work in aggregate: whoever the use-case does not admit gets no chart.
    let year = irnet_app::incidents::statistics::cluster_year(&s.app, &a.actor, &id, as_of.year())
        .await
        .ok();
    match loaded {
        Ok((cluster, members, leads, timeline)) => {
            let l = Layout::new(&a.ctx);
            let chart = cluster_timeline::chart(&timeline, &l.tr);
            let incidents = year.map(|y| incident_year::chart(&y, &l.tr));
            render(&ClusterPage {
                l,
                cluster,
                as_of,
                members,
                leads,
                timeline,
                chart,
                incidents,
            })
        }
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/clusters", axum::routing::get(list))
        .route("/clusters/{id}", axum::routing::get(show))
}
