//! Reading channels: the list, one channel, its members, its messages and the live stream's.

use irnet_domain::channel::Channel;
use irnet_domain::ids::{ClusterId, MessageId};
use irnet_store::channels as store;
use irnet_store::directory::{clusters, orgs};
use irnet_store::page::{Page, clamp_limit};

use super::{ChannelView, MessageView, channel_view, fresh, message_in, reading, views};
use crate::{Actor, App, AppError};

/// The channels the reader may read, the network's first, with their unread counts.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<ChannelView>, AppError> {
    let (app2, p) = (app.clone(), actor.principal.clone());
    app.store
        .read(move |conn| {
            let p = fresh(conn, &app2, &p)?;
            let mut out = vec![channel_view(conn, &p, &Channel::Network)?];
            for c in clusters::list(conn)? {
                let channel = Channel::Cluster(ClusterId::from_trusted(c.id));
                if p.may_read_channel(&channel) {
                    out.push(channel_view(conn, &p, &channel)?);
                }
            }
            Ok(out)
        })
        .await
}

pub async fn get(app: &App, actor: &Actor, id: &str) -> Result<ChannelView, AppError> {
    reading(app, actor, id, |conn, _, channel, p| {
        channel_view(conn, p, channel)
    })
    .await
}

/// The organisations a message of the channel may name: the cluster's members today, or for the
/// network every organisation. (id, name), by name.
pub async fn members(
    app: &App,
    actor: &Actor,
    id: &str,
) -> Result<Vec<(String, String)>, AppError> {
    reading(app, actor, id, |conn, app, channel, _| {
        let ids: Vec<String> = match channel {
            Channel::Network => orgs::list(conn, None, 500)?
                .items
                .into_iter()
                .map(|o| o.id)
                .collect(),
            Channel::Cluster(c) => clusters::memberships_on(conn, c.as_str(), app.today())?
                .into_iter()
                .map(|m| m.org_id)
                .collect(),
        };
        // A new message names organisations as they are called today.
        let today = app.today();
        let mut out: Vec<(String, String)> =
            crate::directory::names::names_on(conn, &ids, today, today)?
                .into_iter()
                .map(|(id, n)| (id, n.name_vi))
                .collect();
        out.sort_by(|a, b| {
            irnet_domain::text::vi_sort_key(&a.1).cmp(&irnet_domain::text::vi_sort_key(&b.1))
        });
        Ok(out)
    })
    .await
}

/// A page of the channel's messages the reader may read, newest first.
pub async fn messages(
    app: &App,
    actor: &Actor,
    id: &str,
    cursor: Option<String>,
    limit: Option<i64>,
) -> Result<Page<MessageView>, AppError> {
    let limit = clamp_limit(limit);
    reading(app, actor, id, move |conn, app, channel, p| {
        let rule = p.message_read_rule();
        let page = store::list(conn, channel, &rule, cursor.as_deref(), limit)?;
        Ok(Page {
            items: views(conn, app, p, page.items)?,
            next_cursor: page.next_cursor,
        })
    })
    .await
}

pub async fn message(
    app: &App,
    actor: &Actor,
    id: &str,
    message_id: &MessageId,
) -> Result<MessageView, AppError> {
    let mid = message_id.clone();
    reading(app, actor, id, move |conn, app, channel, p| {
        let row = message_in(conn, channel, p, &mid)?;
        Ok(views(conn, app, p, vec![row])?.remove(0))
    })
    .await
}

/// What a live stream needs: the messages the reader may read after `anchor` (oldest first, at
/// most 200), and the newest one when it opens.
pub async fn after(
    app: &App,
    actor: &Actor,
    id: &str,
    anchor: Option<MessageId>,
) -> Result<Vec<MessageView>, AppError> {
    reading(app, actor, id, move |conn, app, channel, p| {
        let rule = p.message_read_rule();
        let rows = store::after(conn, channel, &rule, anchor.as_ref(), 200)?;
        views(conn, app, p, rows)
    })
    .await
}

pub async fn newest_id(app: &App, actor: &Actor, id: &str) -> Result<Option<MessageId>, AppError> {
    reading(app, actor, id, |conn, _, channel, p| {
        Ok(store::newest_id(conn, channel, &p.message_read_rule())?)
    })
    .await
}
