//! One search across the directory: organisations, people and information systems.

use axum::Json;
use axum::extract::State;
use irnet_app::directory::search::{self, SearchInput, SearchResults};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::WebError;
use crate::extract::{Authed, Query};

#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// words to find, 2 to 200 characters, at most 8 words; each must begin a word of the result
    /// (a name, former name, short name, member code, email, phone, domain or URL). Accents, case
    /// and Unicode form do not matter: "bac kan" finds Bắc Kạn.
    #[serde(default)]
    pub q: String,
    /// `org`, `person` or `system`; all three when absent
    pub kind: Option<String>,
    /// results per kind, 1 to 50 (default 10)
    pub limit: Option<i64>,
}

/// Searches organisations (public), and the people and systems of the members whose private part
/// you may read (your own organisation; as a cluster lead, its members; the coordinator, all).
/// Others' people and systems are neither listed nor counted.
#[utoipa::path(get, path = "/api/v1/search", tag = "directory", params(SearchParams), responses((status = 200, body = SearchResults)))]
pub async fn search(
    a: Authed,
    State(s): State<AppState>,
    Query(p): Query<SearchParams>,
) -> Result<Json<SearchResults>, WebError> {
    let input = SearchInput {
        q: p.q,
        kind: p.kind,
        limit: p.limit,
    };
    Ok(Json(search::search(&s.app, &a.actor, input).await?))
}

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(super::directory::DIRECTORY).routes(utoipa_axum::routes!(search))
}
