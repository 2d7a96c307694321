//! The reader's read marker.

use irnet_domain::ids::MessageId;
use irnet_store::channels as store;
use irnet_store::time::to_db;

use super::{ChannelView, channel_view, message_in, open};
use crate::{Actor, App, AppError};

/// Marks the channel read up to `up_to` (a message the reader may read), or up to the newest
/// message the reader may read. Returns the unread count after.
pub async fn mark_read(
    app: &App,
    actor: &Actor,
    id: &str,
    up_to: Option<MessageId>,
) -> Result<ChannelView, AppError> {
    let (app2, p, id) = (app.clone(), actor.principal.clone(), id.to_owned());
    app.store
        .write(move |conn| {
            let (channel, p) = open(conn, &app2, &p, &id)?;
            // A read marker is the reader's state on the server: moving it is a write.
            if !p.may_write() {
                return Err(AppError::ReadOnly);
            }
            let target = match up_to {
                Some(mid) => Some(message_in(conn, &channel, &p, &mid)?.id),
                None => store::newest_id(conn, &channel, &p.message_read_rule())?,
            };
            if let Some(mid) = target {
                store::mark_read(conn, p.user_id.as_str(), &channel, &mid, to_db(app2.now()))?;
            }
            channel_view(conn, &p, &channel)
        })
        .await
}
