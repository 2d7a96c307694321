//! A member's training per year: people trained and hours, whatever their source (sessions,
//! drills), summed in SQL. Part of the member's private part, shown on its page and in the API.

use irnet_domain::training::hours_text;

use crate::directory::people::readable as org_readable;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct YearTotalsView {
    pub year: i32,
    /// distinct people of the member with hours that year
    pub people_trained: i64,
    pub minutes: i64,
    /// the minutes as hours, one decimal at most
    pub hours: String,
}

/// The member's years with training, newest first.
pub async fn totals(
    app: &App,
    actor: &Actor,
    org_id: &str,
) -> Result<Vec<YearTotalsView>, AppError> {
    let (app2, actor2, org) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .read(move |conn| {
            org_readable(conn, &app2, &actor2, &org)?;
            Ok(irnet_store::training::totals_by_year(conn, &org)?
                .into_iter()
                .map(|t| YearTotalsView {
                    year: t.year,
                    people_trained: t.people,
                    minutes: t.minutes,
                    hours: hours_text(t.minutes),
                })
                .collect())
        })
        .await
}
