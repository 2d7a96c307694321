//! Channel pages: the list of the channels the reader may read with unread counts, and a channel
//! (its messages, oldest first on the page, the post form with TLP, named organisations and
//! people, indicators and files, and "mark read"). New messages are appended live by
//! `assets/channel.js` from the channel's stream. Everything goes through `irnet_app::channels`,
//! so a channel the reader may not read is the not-found page.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use irnet_app::channels::{self, ChannelView, MessageInput, MessageView};

use super::{FormErrors, Layout, render, render_status, see_other};
use crate::AppState;
use crate::extract::{Authed, Path, Query};

#[derive(Template)]
#[template(path = "channels.html")]
struct ListPage {
    l: Layout,
    channels: Vec<ChannelView>,
}

impl ListPage {
    fn name(&self, c: &ChannelView) -> String {
        channel_name(&self.l, c)
    }
}

fn channel_name(l: &Layout, c: &ChannelView) -> String {
    match &c.name_vi {
        Some(vi) => l.tr.localised(vi, c.name_en.as_deref()).to_owned(),
        None => l.tr.t("channels-network"),
    }
}

pub async fn list(a: Authed, State(s): State<AppState>) -> Response {
    match channels::list(&s.app, &a.actor).await {
        Ok(channels) => render(&ListPage {
            l: Layout::new(&a.ctx),
            channels,
        }),
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

#[derive(Template)]
#[template(path = "channel.html")]
struct ChannelPage {
    l: Layout,
    channel: ChannelView,
    /// oldest first
    messages: Vec<MessageView>,
    /// the cursor of older messages
    older: Option<String>,
    /// organisations a message may name
    members: Vec<(String, String)>,
    input: MessageInput,
    errors: FormErrors,
}

impl ChannelPage {
    fn name(&self) -> String {
        channel_name(&self.l, &self.channel)
    }
    fn when(&self, m: &MessageView) -> String {
        super::alerts::when(&self.l, &Some(m.created_at.clone()))
    }
    fn tlp_selected(&self, t: &str) -> bool {
        self.input.tlp.as_deref().unwrap_or("AMBER") == t
    }
    fn org_selected(&self, id: &str) -> bool {
        self.input.orgs.iter().any(|o| o == id)
    }
    fn joined(&self, v: &[String]) -> String {
        v.join(", ")
    }
    fn size(&self, n: &i64) -> String {
        if *n < 1024 {
            format!("{n} B")
        } else {
            format!("{} KiB", (n + 1023) / 1024)
        }
    }
    fn older_href(&self, cursor: &str) -> String {
        let q = serde_urlencoded::to_string([("cursor", cursor)]).unwrap_or_default();
        format!("/channels/{}?{q}", self.channel.id)
    }
}

#[derive(serde::Deserialize)]
pub struct ShowQuery {
    cursor: Option<String>,
    notice: Option<String>,
}

async fn page(
    a: &Authed,
    s: &AppState,
    id: &str,
    cursor: Option<String>,
    input: MessageInput,
    errors: FormErrors,
    notice: Option<&str>,
) -> Response {
    let loaded = async {
        let channel = channels::get(&s.app, &a.actor, id).await?;
        let page = channels::messages(&s.app, &a.actor, id, cursor, None).await?;
        let members = channels::members(&s.app, &a.actor, id).await?;
        Ok::<_, irnet_app::AppError>((channel, page, members))
    }
    .await;
    let (channel, page, members) = match loaded {
        Ok(v) => v,
        Err(e) => return super::failure_page(&a.ctx, &e),
    };
    let mut messages = page.items;
    messages.reverse();
    render_status(
        errors.status(),
        &ChannelPage {
            l: Layout::new(&a.ctx).with_notice(notice),
            channel,
            messages,
            older: page.next_cursor,
            members,
            input,
            errors,
        },
    )
}

pub async fn show(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Response {
    page(
        &a,
        &s,
        &id,
        q.cursor,
        MessageInput::default(),
        FormErrors::default(),
        q.notice.as_deref(),
    )
    .await
}

/// The post form (multipart, for its files; the form token travels as a field).
pub async fn post(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    form: Multipart,
) -> Response {
    let (input, files) = match crate::api::channels::read_form(form).await {
        Ok(v) => v,
        Err(e) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            return page(&a, &s, &id, None, MessageInput::default(), errors, None).await;
        }
    };
    match channels::post(&s.app, &a.actor, &id, input.clone(), files).await {
        Ok(_) => see_other(&format!("/channels/{id}"), "channel-posted"),
        Err(e @ irnet_app::AppError::Validation(_)) => {
            let errors = FormErrors::from_error(&a.ctx.tr, &e);
            page(&a, &s, &id, None, input, errors, None).await
        }
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

pub async fn mark_read(a: Authed, State(s): State<AppState>, Path(id): Path<String>) -> Response {
    match channels::mark_read(&s.app, &a.actor, &id, None).await {
        Ok(_) => see_other(&format!("/channels/{id}"), "channel-read"),
        Err(e) => super::failure_page(&a.ctx, &e),
    }
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/channels", axum::routing::get(list))
        .route("/channels/{id}", axum::routing::get(show))
        .route("/channels/{id}/messages", axum::routing::post(post))
        .route("/channels/{id}/read", axum::routing::post(mark_read))
}
