//! The JSON API under `/api/v1`, described by OpenAPI 3.1 at `/api/openapi.json` and browsable at
//! `/api/docs`. Every handler takes `Authed` and calls a use-case with the actor first.

pub mod alerts;
pub mod audit;
pub mod channels;
pub mod directory;
pub mod directory_files;
pub mod drills;
pub mod files;
pub mod incidents;
pub mod live;
pub mod me;
pub mod misp;
pub mod notifications;
pub mod profile;
pub mod provinces;
pub mod rules;
pub mod search;
pub mod sharing;
// Training (issue 20).
pub mod training;
pub mod users;
pub mod webhooks;

use axum::Json;
use axum::routing::get;
use serde::Serialize;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi as OpenApiDoc, RefOr};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::AppState;
use crate::error::Problem;

/// A page of a list, with the cursor of the next page (`null` on the last one).
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct PageOf<T: ToSchema> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> From<irnet_store::page::Page<T>> for PageOf<T> {
    fn from(p: irnet_store::page::Page<T>) -> Self {
        Self {
            items: p.items,
            next_cursor: p.next_cursor,
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "irnet API",
        description = "Operations platform of a national network of cybersecurity incident response teams."
    ),
    components(schemas(Problem))
)]
struct ApiDoc;

/// A pillar's OpenAPI tag: the group its operations are listed under in `/api/docs`.
pub(crate) struct Tag {
    pub name: &'static str,
    pub description: &'static str,
}

/// Where a pillar module's routes start: a document holding only its tag, so that merging the
/// module into `router` brings the tag with its operations.
fn pillar(tag: Tag) -> OpenApiRouter<AppState> {
    let tag = utoipa::openapi::tag::TagBuilder::new()
        .name(tag.name)
        .description(Some(tag.description))
        .build();
    OpenApiRouter::with_openapi(
        utoipa::openapi::OpenApiBuilder::new()
            .tags(Some(vec![tag]))
            .build(),
    )
}

/// Adds what every operation shares: bearer-token security and the problem responses. Applied
/// after the routes are collected, since the paths only exist then.
struct Conventions;

impl Modify for Conventions {
    fn modify(&self, doc: &mut OpenApiDoc) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "API token from `irnet token create` or the profile page",
                    ))
                    .build(),
            ),
        );
        let problem = ContentBuilder::new()
            .schema(Some(Problem::schema()))
            .build();
        for item in doc.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                for (status, text) in [
                    ("401", "Not signed in, or the token is invalid"),
                    ("403", "Not allowed"),
                    ("404", "Not found (or not visible to you)"),
                    ("409", "Conflict"),
                    ("422", "Invalid input; `errors` names each field"),
                    ("429", "Too many attempts"),
                    ("500", "Internal error (logged with the request id)"),
                ] {
                    op.responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| {
                            RefOr::T(
                                ResponseBuilder::new()
                                    .description(text)
                                    .content("application/problem+json", problem.clone())
                                    .build(),
                            )
                        });
                }
                if op.security.is_none() {
                    op.security = Some(vec![utoipa::openapi::security::SecurityRequirement::new(
                        "bearer",
                        Vec::<String>::new(),
                    )]);
                }
            }
        }
    }
}

pub fn router() -> axum::Router<AppState> {
    // One line per pillar module: each brings its operations and its OpenAPI tag.
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(me::routes())
        .merge(users::routes())
        .merge(directory::routes())
        .merge(provinces::routes())
        .merge(directory_files::routes())
        .merge(search::routes())
        .merge(profile::routes())
        .merge(audit::routes())
        .merge(incidents::routes())
        .merge(alerts::routes())
        .merge(notifications::routes())
        .merge(webhooks::routes())
        .merge(sharing::routes())
        .merge(channels::routes())
        .merge(misp::routes())
        .merge(rules::routes())
        .merge(training::routes())
        .merge(drills::routes())
        .split_for_parts();
    Conventions.modify(&mut doc);
    let doc = std::sync::Arc::new(doc);
    let json = doc.clone();
    router
        .route(
            "/api/openapi.json",
            get(move || async move { Json(json.as_ref().clone()) }),
        )
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi-ui.json", doc.as_ref().clone()))
}
