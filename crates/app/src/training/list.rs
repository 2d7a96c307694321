//! The programmes a reader may see: organised by or inviting their organisation, filtered in SQL
//! by `programme_read_rule`.

use super::ProgrammeSummary;
use super::get::summary_of;
use crate::{Actor, App, AppError};

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<ProgrammeSummary>, AppError> {
    let (rule, today) = (actor.principal.programme_read_rule(), app.today());
    app.store
        .read(move |conn| {
            irnet_store::training::visible_programmes(conn, &rule)?
                .iter()
                .map(|row| summary_of(conn, row, today))
                .collect()
        })
        .await
}
