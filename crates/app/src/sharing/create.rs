//! Recording an indicator through the API.

use super::{IndicatorView, NewIndicator, require_author, upsert, validate, view_one};
use crate::{Actor, App, AppError};

/// Records an indicator of the actor's organisation (or a new version of the one it holds for
/// the same value).
pub async fn create(
    app: &App,
    actor: &Actor,
    input: NewIndicator,
) -> Result<(IndicatorView, bool), AppError> {
    let v = validate(app, &input)?;
    let (app2, actor2) = (app.clone(), actor.clone());
    app.store
        .write(move |conn| {
            require_author(&actor2)?;
            let (row, created) = upsert(conn, &app2, &actor2, v, "api")?;
            Ok((view_one(conn, &app2, &actor2, row)?, created))
        })
        .await
}
