//! `/drills`: the drills the reader has a part in, and a form for a new one (the coordinator; a
//! cluster's lead for its cluster). `/drills/{id}`: one drill as the reader's part shows it — a
//! participant's released injects with the answer form, its team's answers and the scoreboard
//! (as frozen, while frozen); an organiser's timeline buttons, inject and team forms; an external
//! drill's published ranks.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use irnet_app::AppError;
use irnet_app::drills::{
    self, AnswerInput, DrillInput, DrillLine, DrillView, HistoryLine, InjectInput, InjectView,
    MemberInput, ResultInput, StandingsView, TransitionInput,
};
use irnet_domain::ids::{DrillId, InjectId};

use super::{Layout, NoticeParam, failure_page, render_status, see_other, value, values};
use crate::AppState;
use crate::extract::{Authed, Form, Path, Query};

/// A time of the drill as dd/mm/yyyy HH:MM in the drill's own zone, its zone named when it is
/// not the network's.
fn when(s: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(s).map_or_else(
        |_| "—".to_owned(),
        |t| {
            let zone = t.offset().local_minus_utc();
            let shown = t.format("%d/%m/%Y %H:%M").to_string();
            if zone == 7 * 3600 {
                shown
            } else {
                format!("{shown} (UTC{})", t.format("%:z"))
            }
        },
    )
}

fn day(s: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(s)
        .map_or_else(|_| "—".to_owned(), |t| t.format("%d/%m/%Y").to_string())
}

/// A field's problem in the reader's language, the field named as the form names it.
fn messages(a: &Authed, e: &AppError) -> Vec<String> {
    let tr = &a.ctx.tr;
    match e {
        AppError::Validation(fields) => fields
            .iter()
            .map(|f| {
                let label = tr.t(&format!("drills-field-{}", f.field.replace('_', "-")));
                format!("{label}: {}", crate::error::field_message(tr, f))
            })
            .collect(),
        other => vec![tr.t(&format!("problem-{}", other.code().replace('_', "-")))],
    }
}

#[derive(Template)]
#[template(path = "drills.html")]
struct ListPage {
    l: Layout,
    drills: Vec<DrillLine>,
    /// (value, label) of the organisers the reader may create for: "" for the network
    organisers: Vec<(String, String)>,
    orgs: Vec<(String, String)>,
    errors: Vec<String>,
}

impl ListPage {
    fn day(&self, s: &str) -> String {
        day(s)
    }
    fn kind(&self, k: &str) -> String {
        self.l.tr.t(&format!("drill-kind-{}", k.replace('_', "-")))
    }
    fn state(&self, k: &str) -> String {
        self.l.tr.t(&format!("drill-state-{k}"))
    }
}

async fn orgs(s: &AppState, a: &Authed) -> Result<Vec<(String, String)>, AppError> {
    let page = irnet_app::directory::orgs::list(&s.app, &a.actor, None, Some(200)).await?;
    Ok(page
        .items
        .into_iter()
        .filter(|o| o.kind != "national_coordinator")
        .map(|o| {
            let name = a
                .ctx
                .tr
                .localised(&o.name_vi, o.name_en.as_deref())
                .to_owned();
            (o.id, name)
        })
        .collect())
}

async fn list_page(a: &Authed, s: &AppState, errors: Vec<String>, status: StatusCode) -> Response {
    let tr = &a.ctx.tr;
    let list = match drills::list(&s.app, &a.actor).await {
        Ok(l) => l,
        Err(e) => return failure_page(&a.ctx, &e),
    };
    let p = &a.auth.principal;
    let mut organisers = Vec::new();
    if p.may_create_drill(None) {
        organisers.push((String::new(), tr.t("drills-organiser-network")));
    }
    for c in p.led_clusters() {
        if p.may_create_drill(Some(&c)) {
            let name = irnet_app::directory::clusters::get(&s.app, &a.actor, c.as_str())
                .await
                .map_or_else(
                    |_| tr.t("drills-organiser-cluster"),
                    |v| tr.localised(&v.name_vi, v.name_en.as_deref()).to_owned(),
                );
            organisers.push((c.as_str().to_owned(), name));
        }
    }
    let orgs = if organisers.is_empty() {
        vec![]
    } else {
        match orgs(s, a).await {
            Ok(o) => o,
            Err(e) => return failure_page(&a.ctx, &e),
        }
    };
    render_status(
        status,
        &ListPage {
            l: Layout::new(&a.ctx),
            drills: list,
            organisers,
            orgs,
            errors,
        },
    )
}

pub async fn list(a: Authed, State(s): State<AppState>) -> Response {
    list_page(&a, &s, vec![], StatusCode::OK).await
}

pub async fn create(
    a: Authed,
    State(s): State<AppState>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let input = DrillInput {
        kind: value(&f, "kind").to_owned(),
        title: value(&f, "title").to_owned(),
        organiser_cluster_id: super::opt(value(&f, "organiser_cluster_id")),
        organiser_name: super::opt(value(&f, "organiser_name")),
        theme: value(&f, "theme").to_owned(),
        rules: value(&f, "rules").to_owned(),
        starts_at: value(&f, "starts_at").to_owned(),
        ends_at: value(&f, "ends_at").to_owned(),
        utc_offset_minutes: None,
        attempts_allowed: value(&f, "attempts_allowed").trim().parse().ok(),
        teams: values(&f, "teams"),
    };
    match drills::create(&s.app, &a.actor, input).await {
        Ok(v) => see_other(&format!("/drills/{}", v.id), "created"),
        Err(e @ (AppError::Forbidden | AppError::ReadOnly | AppError::NotFound)) => {
            failure_page(&a.ctx, &e)
        }
        Err(e) => {
            let errors = messages(&a, &e);
            list_page(&a, &s, errors, crate::error::status_of(&e)).await
        }
    }
}

#[derive(Template)]
#[template(path = "drill.html")]
struct DrillPage {
    l: Layout,
    d: DrillView,
    injects: Vec<InjectView>,
    history: Vec<HistoryLine>,
    standings: Option<StandingsView>,
    /// member organisations an organiser may add as teams
    orgs: Vec<(String, String)>,
    errors: Vec<String>,
}

impl DrillPage {
    fn when(&self, s: &str) -> String {
        when(s)
    }
    fn when_opt(&self, s: &Option<String>) -> String {
        s.as_deref().map_or_else(|| "—".to_owned(), when)
    }
    fn kind(&self, k: &str) -> String {
        self.l.tr.t(&format!("drill-kind-{}", k.replace('_', "-")))
    }
    fn state(&self, k: &str) -> String {
        self.l.tr.t(&format!("drill-state-{k}"))
    }
    fn role(&self, k: &str) -> String {
        self.l.tr.t(&format!("drill-role-{k}"))
    }
    fn move_to(&self, k: &str) -> String {
        self.l.tr.t(&format!("drill-move-{k}"))
    }
    fn name<'a>(&self, n: &'a irnet_app::directory::names::OrgName) -> &'a str {
        self.l.tr.localised(&n.name_vi, n.name_en.as_deref())
    }
    fn rank(&self, rank: &u32, out_of: &u32) -> String {
        self.l.tr.t_args(
            "drills-rank",
            &[("rank", rank.to_string()), ("out_of", out_of.to_string())],
        )
    }
    fn published_rank(&self, rank: &i32, out_of: &i32) -> String {
        self.l.tr.t_args(
            "drills-rank",
            &[("rank", rank.to_string()), ("out_of", out_of.to_string())],
        )
    }
    fn inject_title(&self, id: &str) -> String {
        self.injects
            .iter()
            .find(|i| i.id == id)
            .map_or_else(|| "—".to_owned(), |i| i.title.clone())
    }
    fn outcome(&self, c: &Option<bool>) -> String {
        self.l.tr.t(match c {
            Some(true) => "drills-answer-correct",
            Some(false) => "drills-answer-wrong",
            None => "drills-answer-hidden",
        })
    }
}

async fn drill_page(
    a: &Authed,
    s: &AppState,
    id: &DrillId,
    notice: Option<&str>,
    errors: Vec<String>,
    status: StatusCode,
) -> Response {
    let d = match drills::get(&s.app, &a.actor, id).await {
        Ok(d) => d,
        Err(e) => return failure_page(&a.ctx, &e),
    };
    let scenario = d.kind == "scenario";
    let (injects, history, standings) = if scenario {
        let injects = drills::injects(&s.app, &a.actor, id).await;
        let history = drills::history(&s.app, &a.actor, id).await;
        let standings = drills::standings(&s.app, &a.actor, id).await;
        match (injects, history, standings) {
            (Ok(i), Ok(h), Ok(st)) => (i, h, Some(st)),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                return failure_page(&a.ctx, &e);
            }
        }
    } else {
        (vec![], vec![], None)
    };
    let orgs = if d.abilities.may_run {
        match orgs(s, a).await {
            Ok(o) => o,
            Err(e) => return failure_page(&a.ctx, &e),
        }
    } else {
        vec![]
    };
    render_status(
        status,
        &DrillPage {
            l: Layout::new(&a.ctx).with_notice(notice),
            d,
            injects,
            history,
            standings,
            orgs,
            errors,
        },
    )
}

pub async fn show(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
    Query(q): Query<NoticeParam>,
) -> Response {
    drill_page(&a, &s, &id, q.notice.as_deref(), vec![], StatusCode::OK).await
}

/// After a post on a drill's page: back to it, or the page again with the problems.
async fn after<T>(
    a: &Authed,
    s: &AppState,
    id: &DrillId,
    r: Result<T, AppError>,
    notice: &str,
) -> Response {
    match r {
        Ok(_) => see_other(&format!("/drills/{}", id.as_str()), notice),
        Err(e @ (AppError::Forbidden | AppError::ReadOnly | AppError::NotFound)) => {
            failure_page(&a.ctx, &e)
        }
        Err(e) => {
            let errors = messages(a, &e);
            drill_page(a, s, id, None, errors, crate::error::status_of(&e)).await
        }
    }
}

pub async fn transition(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let input = TransitionInput {
        state: value(&f, "state").to_owned(),
    };
    let r = drills::transition(&s.app, &a.actor, &id, input).await;
    after(&a, &s, &id, r, "saved").await
}

pub async fn add_inject(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let r = match value(&f, "points").trim().parse::<i64>() {
        Ok(points) => {
            let input = InjectInput {
                title: value(&f, "title").to_owned(),
                task: value(&f, "task").to_owned(),
                released_at: value(&f, "released_at").to_owned(),
                deadline: value(&f, "deadline").to_owned(),
                points,
                answers: value(&f, "answers").lines().map(str::to_owned).collect(),
            };
            drills::add_inject(&s.app, &a.actor, &id, input).await
        }
        Err(_) => Err(AppError::invalid("points", "invalid_value")),
    };
    after(&a, &s, &id, r, "created").await
}

pub async fn answer(
    a: Authed,
    State(s): State<AppState>,
    Path((id, inject)): Path<(DrillId, InjectId)>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let input = AnswerInput {
        answer: value(&f, "answer").to_owned(),
    };
    match drills::answer(&s.app, &a.actor, &id, &inject, input).await {
        Ok(v) => see_other(
            &format!("/drills/{}", id.as_str()),
            if v.correct {
                "answer-correct"
            } else {
                "answer-wrong"
            },
        ),
        Err(e) => after::<()>(&a, &s, &id, Err(e), "").await,
    }
}

pub async fn add_team(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let input = MemberInput {
        role: "participant".to_owned(),
        org_id: super::opt(value(&f, "org_id")),
        user_id: None,
        email: None,
    };
    let r = drills::add_member(&s.app, &a.actor, &id, input).await;
    after(&a, &s, &id, r, "saved").await
}

/// A judge, observer or fellow organiser, named by their account's email.
pub async fn add_person(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let input = MemberInput {
        role: value(&f, "role").to_owned(),
        org_id: None,
        user_id: None,
        email: Some(value(&f, "email").to_owned()),
    };
    let r = drills::add_member(&s.app, &a.actor, &id, input).await;
    after(&a, &s, &id, r, "saved").await
}

pub async fn record_result(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let (rank, out_of) = (
        value(&f, "rank").trim().parse::<i32>(),
        value(&f, "out_of").trim().parse::<i32>(),
    );
    let r = match (rank, out_of) {
        (Ok(rank), Ok(out_of)) => {
            let input = ResultInput {
                org_id: value(&f, "org_id").to_owned(),
                rank,
                out_of,
            };
            drills::record_result(&s.app, &a.actor, &id, input).await
        }
        _ => Err(AppError::invalid("rank", "invalid_rank")),
    };
    after(&a, &s, &id, r, "saved").await
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/drills", get(list).post(create))
        .route("/drills/{id}", get(show))
        .route("/drills/{id}/state", post(transition))
        .route("/drills/{id}/injects", post(add_inject))
        .route("/drills/{id}/injects/{inject}/answer", post(answer))
        .route("/drills/{id}/teams", post(add_team))
        .route("/drills/{id}/people", post(add_person))
        .route("/drills/{id}/results", post(record_result))
}
