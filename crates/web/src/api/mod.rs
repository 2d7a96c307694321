//! The JSON API under `/api/v1`, described by OpenAPI 3.1 at `/api/openapi.json` and browsable at
//! `/api/docs`. Every handler takes `Authed` and calls a use-case with the actor first.

pub mod alerts;
pub mod audit;
pub mod channels;
pub mod directory;
pub mod directory_files;
pub mod files;
pub mod incidents;
pub mod live;
pub mod me;
pub mod misp;
pub mod notifications;
pub mod profile;
pub mod provinces;
pub mod search;
pub mod sharing;
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
use utoipa_axum::routes;
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
    info(title = "irnet API", description = "Operations platform of a national network of cybersecurity incident response teams."),
    components(schemas(Problem)),
    tags(
        (name = "identity", description = "Your account, sessions, API tokens and second factor"),
        (name = "administration", description = "Accounts and roles"),
        (name = "directory", description = "Organisations, clusters, people, information systems and search"),
        (name = "audit", description = "The audit trail"),
        (name = "incidents", description = "Incidents: reporting, handling, deadlines, support, reports and statistics"),
        (name = "alerts", description = "Alerts to members: compose, send, acknowledge, report what was done, follow up"),
        (name = "notifications", description = "Your notifications (also live, as server-sent events) and your organisation's webhooks"),
        (name = "channels", description = "Discussion channels: the network's and one per cluster, messages under TLP with files and mentions, read markers, live"),
        (name = "sharing", description = "Indicators: sharing under TLP, lookup, sightings, STIX and MISP import and export, a MISP feed (TAXII 2.1 is served at /taxii2/)"),
    )
)]
struct ApiDoc;

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
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me::get_me, me::patch_me))
        .routes(routes!(me::change_password))
        .routes(routes!(me::list_sessions, me::revoke_all_sessions))
        .routes(routes!(me::revoke_session))
        .routes(routes!(me::list_tokens, me::create_token))
        .routes(routes!(me::revoke_token))
        .routes(routes!(me::start_mfa))
        .routes(routes!(me::confirm_mfa))
        .routes(routes!(me::disable_mfa))
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(users::get_user, users::update_user))
        .routes(routes!(users::grant_role))
        .routes(routes!(users::revoke_role))
        .routes(routes!(users::unlock_user))
        .routes(routes!(users::reset_user_mfa))
        .routes(routes!(directory::list_orgs, directory::create_org))
        .routes(routes!(directory::get_org, directory::update_org))
        .routes(routes!(directory::list_clusters, directory::create_cluster))
        .routes(routes!(directory::get_cluster))
        .routes(routes!(directory::cluster_members))
        .routes(routes!(directory::cluster_leads))
        .routes(routes!(directory::cluster_timeline))
        .routes(routes!(directory::org_history))
        .routes(routes!(directory::search_orgs))
        .routes(routes!(provinces::list_provinces))
        .routes(routes!(provinces::import_provinces))
        .routes(routes!(directory_files::import_orgs))
        .routes(routes!(directory_files::import_people))
        .routes(routes!(directory_files::import_systems))
        .routes(routes!(directory_files::export_orgs))
        .routes(routes!(directory_files::export_people))
        .routes(routes!(directory_files::export_systems))
        .routes(routes!(search::search))
        .routes(routes!(directory::list_people, directory::create_person))
        .routes(routes!(
            directory::get_person,
            directory::update_person,
            directory::delete_person
        ))
        .routes(routes!(directory::list_focal_points))
        .routes(routes!(directory::set_focal_point))
        .routes(routes!(directory::confirm_focal_points))
        .routes(routes!(directory::list_systems, directory::create_system))
        .routes(routes!(profile::list_skills))
        .routes(routes!(profile::get_profile))
        .routes(routes!(profile::get_profile_docx))
        .routes(routes!(profile::confirm_profile))
        .routes(routes!(profile::get_team, profile::set_team))
        .routes(routes!(
            profile::get_capabilities,
            profile::set_capabilities
        ))
        .routes(routes!(profile::get_staff, profile::set_staff))
        .routes(routes!(profile::list_experts, profile::add_expert))
        .routes(routes!(profile::remove_expert))
        .routes(routes!(
            directory::get_system,
            directory::update_system,
            directory::delete_system
        ))
        .routes(routes!(audit::list_audit))
        .routes(routes!(incidents::list, incidents::create))
        .routes(routes!(incidents::count))
        .routes(routes!(incidents::types))
        .routes(routes!(incidents::get))
        .routes(routes!(incidents::update_report))
        .routes(routes!(incidents::classify))
        .routes(routes!(incidents::submit))
        .routes(routes!(incidents::set_status))
        .routes(routes!(incidents::escalate))
        .routes(routes!(incidents::acknowledge))
        .routes(routes!(incidents::serious))
        .routes(routes!(incidents::close))
        .routes(routes!(incidents::share))
        .routes(routes!(incidents::list_tasks, incidents::add_task))
        .routes(routes!(incidents::update_task))
        .routes(routes!(
            incidents::list_observables,
            incidents::add_observable
        ))
        .routes(routes!(incidents::comment))
        .routes(routes!(incidents::timeline))
        .routes(routes!(incidents::list_attachments, incidents::attach))
        .routes(routes!(incidents::download))
        .routes(routes!(incidents::list_reports, incidents::file_report))
        .routes(routes!(incidents::report_docx))
        .routes(routes!(incidents::list_support, incidents::request_support))
        .routes(routes!(incidents::support_inbox))
        .routes(routes!(incidents::answer_support))
        .routes(routes!(incidents::accept_support))
        .routes(routes!(incidents::revoke_support))
        .routes(routes!(incidents::list_instructions, incidents::instruct))
        .routes(routes!(incidents::instruction_inbox))
        .routes(routes!(incidents::answer_instruction))
        .routes(routes!(incidents::member_statistics))
        .routes(routes!(incidents::member_statistics_form))
        .routes(routes!(incidents::cluster_year))
        .routes(routes!(alerts::list, alerts::create))
        .routes(routes!(alerts::count))
        .routes(routes!(alerts::get, alerts::update))
        .routes(routes!(alerts::send_alert))
        .routes(routes!(alerts::recipients))
        .routes(routes!(alerts::acknowledge))
        .routes(routes!(alerts::report_action))
        .routes(routes!(alerts::attach))
        .routes(routes!(alerts::download))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::get_one))
        .routes(routes!(notifications::unread_count))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(notifications::mark_all_read))
        .routes(routes!(notifications::stream))
        .routes(routes!(webhooks::list_webhooks, webhooks::create_webhook))
        .routes(routes!(webhooks::delete_webhook))
        .routes(routes!(webhooks::list_deliveries))
        // Sharing (issue 5)
        .routes(routes!(sharing::list, sharing::create))
        .routes(routes!(sharing::count))
        .routes(routes!(sharing::lookup))
        .routes(routes!(sharing::get))
        .routes(routes!(sharing::revoke))
        .routes(routes!(sharing::share))
        .routes(routes!(sharing::sight))
        .routes(routes!(sharing::stix_import))
        .routes(routes!(sharing::stix_export))
        // Channels (issue 5)
        .routes(routes!(channels::list))
        .routes(routes!(channels::get))
        .routes(routes!(channels::messages, channels::post))
        .routes(routes!(channels::message))
        .routes(routes!(channels::download))
        .routes(routes!(channels::mark_read))
        .routes(routes!(channels::stream))
        .routes(routes!(misp::import))
        .routes(routes!(misp::events))
        .routes(routes!(misp::feed_manifest))
        .routes(routes!(misp::feed_hashes))
        .routes(routes!(misp::feed_event))
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
