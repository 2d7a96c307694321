//! The directory: clusters, members, people, systems, provinces, their files, search and the
//! focal-point reminder.

mod api;
mod cluster_timeline;
mod edits;
pub(crate) mod files;
mod focal_reminders;
mod member_profile;
mod names_of_the_day;
mod profile_filing;
mod provinces;
mod search;
mod succession;

use irnet_testkit::TestApp;
use serde_json::Value;

/// The id of the first organisation the directory search finds for `q`, searched with `token`.
async fn org_id(app: &TestApp, token: &str, q: &str) -> String {
    let hits: Value = app
        .bearer(token)
        .get(&format!("/api/v1/organisations/search?q={q}"))
        .await
        .json();
    hits[0]["org"]["id"].as_str().unwrap().to_owned()
}
