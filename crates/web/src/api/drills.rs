//! Drills: the drill and its grants, external results, a scenario drill's injects, answers,
//! awards and penalties, and its standings. Every handler calls `irnet_app::drills`, whose one
//! check makes a drill the reader has no part in — and an inject not yet released to them — a 404.

use std::convert::Infallible;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, Sse};
use futures_util::stream::Stream;
use irnet_app::drills::{
    self, AdjustInput, AnswerInput, AnswerView, DrillInput, DrillLine, DrillView, HistoryLine,
    InjectInput, InjectView, MemberInput, OrgDrillResult, ResultInput, ResultView, StandingsView,
    TransitionInput,
};
use irnet_app::{Actor, App, AppError};
use irnet_domain::ids::{DrillId, InjectId};

use super::live;
use crate::AppState;
use crate::error::WebError;
use crate::extract::{ApiJson, Authed, Path, Query};

type ApiResult<T> = Result<T, WebError>;

pub(super) const DRILLS: super::Tag = super::Tag {
    name: "drills",
    description: "Drills: scenario drills with injects, answers and always-fresh standings; external drills with each member's published rank",
};

/// The drills the reader has a part in (and every external drill's results), the latest first.
#[utoipa::path(get, path = "/api/v1/drills", tag = "drills", responses((status = 200, body = Vec<DrillLine>)))]
pub async fn list(a: Authed, State(s): State<AppState>) -> ApiResult<Json<Vec<DrillLine>>> {
    Ok(Json(drills::list(&s.app, &a.actor).await?))
}

/// A new drill (the coordinator; a cluster's lead for its cluster). An external drill is
/// recorded as published.
#[utoipa::path(post, path = "/api/v1/drills", tag = "drills", request_body = DrillInput, responses((status = 201, body = DrillView)))]
pub async fn create(
    a: Authed,
    State(s): State<AppState>,
    ApiJson(b): ApiJson<DrillInput>,
) -> ApiResult<(StatusCode, Json<DrillView>)> {
    Ok((
        StatusCode::CREATED,
        Json(drills::create(&s.app, &a.actor, b).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/drills/{id}", tag = "drills", params(("id" = String, Path)), responses((status = 200, body = DrillView)))]
pub async fn get(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
) -> ApiResult<Json<DrillView>> {
    Ok(Json(drills::get(&s.app, &a.actor, &id).await?))
}

/// Moves the drill along its timeline (organisers); 409 `invalid_transition` otherwise.
#[utoipa::path(post, path = "/api/v1/drills/{id}/state", tag = "drills", params(("id" = String, Path)), request_body = TransitionInput, responses((status = 200, body = DrillView)))]
pub async fn transition(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
    ApiJson(b): ApiJson<TransitionInput>,
) -> ApiResult<Json<DrillView>> {
    Ok(Json(drills::transition(&s.app, &a.actor, &id, b).await?))
}

/// Grants a part in this drill: a member team as participant, a person as judge, observer or
/// organiser (organisers).
#[utoipa::path(post, path = "/api/v1/drills/{id}/members", tag = "drills", params(("id" = String, Path)), request_body = MemberInput, responses((status = 200, body = DrillView)))]
pub async fn add_member(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
    ApiJson(b): ApiJson<MemberInput>,
) -> ApiResult<Json<DrillView>> {
    Ok(Json(drills::add_member(&s.app, &a.actor, &id, b).await?))
}

/// Records a member's published rank in an external drill (organisers).
#[utoipa::path(post, path = "/api/v1/drills/{id}/results", tag = "drills", params(("id" = String, Path)), request_body = ResultInput, responses((status = 200, body = Vec<ResultView>)))]
pub async fn record_result(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
    ApiJson(b): ApiJson<ResultInput>,
) -> ApiResult<Json<Vec<ResultView>>> {
    Ok(Json(drills::record_result(&s.app, &a.actor, &id, b).await?))
}

/// The injects the reader may see: all for judges and organisers, the released ones for others.
#[utoipa::path(get, path = "/api/v1/drills/{id}/injects", tag = "drills", params(("id" = String, Path)), responses((status = 200, body = Vec<InjectView>)))]
pub async fn injects(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
) -> ApiResult<Json<Vec<InjectView>>> {
    Ok(Json(drills::injects(&s.app, &a.actor, &id).await?))
}

/// A new inject (organisers of a scenario drill).
#[utoipa::path(post, path = "/api/v1/drills/{id}/injects", tag = "drills", params(("id" = String, Path)), request_body = InjectInput, responses((status = 201, body = InjectView)))]
pub async fn add_inject(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
    ApiJson(b): ApiJson<InjectInput>,
) -> ApiResult<(StatusCode, Json<InjectView>)> {
    Ok((
        StatusCode::CREATED,
        Json(drills::add_inject(&s.app, &a.actor, &id, b).await?),
    ))
}

/// One inject; 404 before its release for anyone but judges and organisers.
#[utoipa::path(get, path = "/api/v1/drills/{id}/injects/{inject}", tag = "drills", params(("id" = String, Path), ("inject" = String, Path)), responses((status = 200, body = InjectView)))]
pub async fn inject(
    a: Authed,
    State(s): State<AppState>,
    Path((id, inject)): Path<(DrillId, InjectId)>,
) -> ApiResult<Json<InjectView>> {
    Ok(Json(drills::inject(&s.app, &a.actor, &id, &inject).await?))
}

/// The reader's team answers an inject; 409 when solved already, out of attempts or late.
#[utoipa::path(post, path = "/api/v1/drills/{id}/injects/{inject}/answers", tag = "drills", params(("id" = String, Path), ("inject" = String, Path)), request_body = AnswerInput, responses((status = 200, body = AnswerView)))]
pub async fn answer(
    a: Authed,
    State(s): State<AppState>,
    Path((id, inject)): Path<(DrillId, InjectId)>,
    ApiJson(b): ApiJson<AnswerInput>,
) -> ApiResult<Json<AnswerView>> {
    Ok(Json(
        drills::answer(&s.app, &a.actor, &id, &inject, b).await?,
    ))
}

/// The reader's own team's answers, newest first.
#[utoipa::path(get, path = "/api/v1/drills/{id}/history", tag = "drills", params(("id" = String, Path)), responses((status = 200, body = Vec<HistoryLine>)))]
pub async fn history(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
) -> ApiResult<Json<Vec<HistoryLine>>> {
    Ok(Json(drills::history(&s.app, &a.actor, &id).await?))
}

/// The standings, rank "x/N": as frozen for participants while the drill is frozen, live for
/// judges and organisers.
#[utoipa::path(get, path = "/api/v1/drills/{id}/standings", tag = "drills", params(("id" = String, Path)), responses((status = 200, body = StandingsView)))]
pub async fn standings(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
) -> ApiResult<Json<StandingsView>> {
    Ok(Json(drills::standings(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ReplayQuery {
    /// the instant to replay to, a local time in the drill's zone (`2026-11-10T09:30`); now if absent
    pub at: Option<String>,
}

/// The standings summed afresh from the scoring ledger (judges and organisers), now or as they
/// stood at an instant.
#[utoipa::path(get, path = "/api/v1/drills/{id}/standings/replay", tag = "drills", params(("id" = String, Path), ReplayQuery), responses((status = 200, body = StandingsView)))]
pub async fn replay(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
    Query(q): Query<ReplayQuery>,
) -> ApiResult<Json<StandingsView>> {
    Ok(Json(
        drills::replay(&s.app, &a.actor, &id, q.at.as_deref()).await?,
    ))
}

/// The standings as XLSX, headed in your language: what the standings page shows you (the board
/// at the freeze for a participant of a frozen drill).
#[utoipa::path(get, path = "/api/v1/drills/{id}/standings.xlsx", tag = "drills", params(("id" = String, Path)),
    responses((status = 200, description = "the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = [u8])))]
pub async fn standings_xlsx(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
) -> ApiResult<axum::response::Response> {
    let table = drills::standings_table(&s.app, &a.actor, &id, a.ctx.tr.locale).await?;
    let sheet = a.ctx.tr.t("drills-standings");
    let bytes = crate::sheets::workbook(table, sheet, &a.ctx.tr).await?;
    Ok(crate::sheets::download(
        bytes,
        "drill-standings",
        s.app.today(),
    ))
}

/// The standings as they change (`text/event-stream`): an event `standings` with the board you
/// may see (the `standings` answer) at once and after every change; its id is the board's
/// `version`. A participant held to a freeze gets nothing until the board they may see changes.
#[utoipa::path(get, path = "/api/v1/drills/{id}/standings/stream", tag = "drills", params(("id" = String, Path)), responses((status = 200, content_type = "text/event-stream", body = String, description = "Server-sent events")))]
pub async fn standings_stream(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    // Subscribe before the first read, so no change committed in between is missed; the read
    // also refuses a drill the reader has no part in (404).
    let rx = s.app.store.events().subscribe();
    let source = LiveStandings {
        app: s.app.clone(),
        actor: a.actor.clone(),
        drill: id,
    };
    let from = live::resume_from(&headers);
    let backlog = live::Source::after(&source, from.as_deref()).await?;
    Ok(live::stream(source, rx, from, backlog))
}

struct LiveStandings {
    app: App,
    actor: Actor,
    drill: DrillId,
}

impl live::Source for LiveStandings {
    type Item = StandingsView;
    const EVENT: &'static str = "standings";

    fn id(item: &StandingsView) -> &str {
        &item.version
    }

    fn wants(&self, e: &irnet_store::events::Event) -> bool {
        e.topic == drills::STANDINGS_TOPIC && e.key == self.drill.as_str()
    }

    /// The board as the reader may see it now; sent only if its version is new to the stream.
    async fn one(&self, _event: &str) -> Result<Option<StandingsView>, AppError> {
        drills::standings(&self.app, &self.actor, &self.drill)
            .await
            .map(Some)
    }

    async fn after(&self, anchor: Option<&str>) -> Result<Vec<StandingsView>, AppError> {
        let now = drills::standings(&self.app, &self.actor, &self.drill).await?;
        Ok(if anchor == Some(now.version.as_str()) {
            vec![]
        } else {
            vec![now]
        })
    }
}

/// An award (positive points) or a penalty (negative) to a team (judges and organisers).
#[utoipa::path(post, path = "/api/v1/drills/{id}/adjustments", tag = "drills", params(("id" = String, Path)), request_body = AdjustInput, responses((status = 200, body = StandingsView)))]
pub async fn adjust(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<DrillId>,
    ApiJson(b): ApiJson<AdjustInput>,
) -> ApiResult<Json<StandingsView>> {
    Ok(Json(drills::adjust(&s.app, &a.actor, &id, b).await?))
}

/// An organisation's drills with its published ranks, named as it was then.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/drills", tag = "drills", params(("id" = String, Path)), responses((status = 200, body = Vec<OrgDrillResult>)))]
pub async fn of_org(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<OrgDrillResult>>> {
    Ok(Json(drills::of_org(&s.app, &a.actor, &id).await?))
}

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(DRILLS)
        .routes(utoipa_axum::routes!(list, create))
        .routes(utoipa_axum::routes!(get))
        .routes(utoipa_axum::routes!(transition))
        .routes(utoipa_axum::routes!(add_member))
        .routes(utoipa_axum::routes!(record_result))
        .routes(utoipa_axum::routes!(injects, add_inject))
        .routes(utoipa_axum::routes!(inject))
        .routes(utoipa_axum::routes!(answer))
        .routes(utoipa_axum::routes!(history))
        .routes(utoipa_axum::routes!(standings))
        .routes(utoipa_axum::routes!(standings_xlsx))
        .routes(utoipa_axum::routes!(standings_stream))
        .routes(utoipa_axum::routes!(replay))
        .routes(utoipa_axum::routes!(adjust))
        .routes(utoipa_axum::routes!(of_org))
}
