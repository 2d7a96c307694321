//! Discussion channels: the network's and one per cluster. Every handler calls
//! `irnet_app::channels`, whose single check makes a channel, a message or a file outside the
//! reader's reach a 404. Messages are posted as JSON, or as `multipart/form-data` with files.

use std::convert::Infallible;

use axum::Json;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::response::sse::{Event, Sse};
use futures_util::stream::Stream;
use irnet_app::attachments::Upload;
use irnet_app::channels::{self, ChannelView, MessageInput, MessageView};
use irnet_app::{Actor, App, AppError};
use irnet_domain::ids::MessageId;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{PageOf, live};
use crate::AppState;
use crate::error::WebError;
use crate::extract::{ApiJson, Authed, Path, Query, RawBody};

type ApiResult<T> = Result<T, WebError>;

/// The channels you may read, the network's first, with your unread counts.
#[utoipa::path(get, path = "/api/v1/channels", tag = "channels", responses((status = 200, body = Vec<ChannelView>)))]
pub async fn list(a: Authed, State(s): State<AppState>) -> ApiResult<Json<Vec<ChannelView>>> {
    Ok(Json(channels::list(&s.app, &a.actor).await?))
}

/// One channel (`network` or a cluster id) with your unread count.
#[utoipa::path(get, path = "/api/v1/channels/{id}", tag = "channels", params(("id" = String, Path)), responses((status = 200, body = ChannelView)))]
pub async fn get(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<ChannelView>> {
    Ok(Json(channels::get(&s.app, &a.actor, &id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageParams {
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// The messages you may read, newest first.
#[utoipa::path(get, path = "/api/v1/channels/{id}/messages", tag = "channels", params(("id" = String, Path), PageParams), responses((status = 200, body = PageOf<MessageView>)))]
pub async fn messages(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PageParams>,
) -> ApiResult<Json<PageOf<MessageView>>> {
    Ok(Json(
        channels::messages(&s.app, &a.actor, &id, q.cursor, q.limit)
            .await?
            .into(),
    ))
}

/// Posts a message: JSON (`MessageInput`), or `multipart/form-data` with the fields of
/// `MessageInput` (`orgs`, `people` and `indicators` repeated or comma-separated) and files as
/// `file` parts. Everything is checked before anything is stored.
#[utoipa::path(post, path = "/api/v1/channels/{id}/messages", tag = "channels", params(("id" = String, Path)), request_body(content(
    (MessageInput = "application/json"),
    (String = "multipart/form-data")
)), responses((status = 201, body = MessageView)))]
pub async fn post(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> ApiResult<(StatusCode, Json<MessageView>)> {
    let (input, files) = read_post(req, &s).await?;
    Ok((
        StatusCode::CREATED,
        Json(channels::post(&s.app, &a.actor, &id, input, files).await?),
    ))
}

fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// A message as JSON or as a form with files.
pub(crate) async fn read_post(
    req: Request,
    s: &AppState,
) -> Result<(MessageInput, Vec<Upload>), AppError> {
    if !is_multipart(&req) {
        let ApiJson(input) = ApiJson::<MessageInput>::from_request(req, s)
            .await
            .map_err(|e| e.0)?;
        return Ok((input, vec![]));
    }
    let form = Multipart::from_request(req, s)
        .await
        .map_err(|_| AppError::invalid("body", "upload_unreadable"))?;
    read_form(form).await
}

/// The fields of the page's form and of a multipart API post.
pub(crate) async fn read_form(
    mut form: Multipart,
) -> Result<(MessageInput, Vec<Upload>), AppError> {
    let bad = |_| AppError::invalid("files", "upload_unreadable");
    let mut input = MessageInput::default();
    let mut files = Vec::new();
    let split = |v: &str| -> Vec<String> {
        v.split([',', '\n', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let filename = field.file_name().unwrap_or_default().to_owned();
            crate::text::field("file", &filename)?;
            let bytes = field.bytes().await.map_err(bad)?.to_vec();
            // A form's empty file input sends a part without a name and bytes: no file.
            if !(filename.is_empty() && bytes.is_empty()) {
                files.push(Upload { filename, bytes });
            }
            continue;
        }
        let text = field.text().await.map_err(bad)?;
        crate::text::field(&name, &text)?;
        match name.as_str() {
            "body" => input.body = text,
            "tlp" => input.tlp = Some(text),
            "orgs" => input.orgs.extend(split(&text)),
            "people" => input.people.extend(split(&text)),
            "indicators" => input.indicators.extend(split(&text)),
            _ => {}
        }
    }
    Ok((input, files))
}

/// The message, if you may read it.
#[utoipa::path(get, path = "/api/v1/channels/{id}/messages/{message_id}", tag = "channels", params(("id" = String, Path), ("message_id" = String, Path)), responses((status = 200, body = MessageView)))]
pub async fn message(
    a: Authed,
    State(s): State<AppState>,
    Path((id, mid)): Path<(String, MessageId)>,
) -> ApiResult<Json<MessageView>> {
    Ok(Json(channels::message(&s.app, &a.actor, &id, &mid).await?))
}

/// A file of a message, for the message's readers.
#[utoipa::path(get, path = "/api/v1/channels/{id}/messages/{message_id}/attachments/{attachment_id}", tag = "channels", params(("id" = String, Path), ("message_id" = String, Path), ("attachment_id" = String, Path)), responses((status = 200, description = "the file", content_type = "application/octet-stream", body = String)))]
pub async fn download(
    a: Authed,
    State(s): State<AppState>,
    Path((id, mid, aid)): Path<(String, MessageId, String)>,
) -> ApiResult<Response> {
    let (meta, bytes) = channels::download(&s.app, &a.actor, &id, &mid, &aid).await?;
    Ok(super::files::download(&meta, bytes))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct MarkRead {
    /// read up to this message; without it, up to the newest you may read
    pub message_id: Option<String>,
}

/// Moves your read marker; answers the channel with its unread count.
#[utoipa::path(post, path = "/api/v1/channels/{id}/read", tag = "channels", params(("id" = String, Path)), request_body(content = Option<MarkRead>, content_type = "application/json"), responses((status = 200, body = ChannelView)))]
pub async fn mark_read(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawBody(body): RawBody,
) -> ApiResult<Json<ChannelView>> {
    let up_to = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<MarkRead>(&body)
            .map_err(|e| AppError::invalid("body", &e.to_string()))?
            .message_id
            // looked up as given: an id never stored is not found, as any other
            .map(MessageId::from_trusted)
    };
    Ok(Json(
        channels::mark_read(&s.app, &a.actor, &id, up_to).await?,
    ))
}

/// New messages of the channel that you may read, as they are committed on any instance
/// (`text/event-stream`): each is an event `message` whose id is the message's and whose data is
/// its JSON. `Last-Event-ID` resumes after that message.
#[utoipa::path(get, path = "/api/v1/channels/{id}/stream", tag = "channels", params(("id" = String, Path)), responses((status = 200, content_type = "text/event-stream", body = String, description = "Server-sent events")))]
pub async fn stream(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    // Subscribe before reading where to start, so nothing committed in between is missed. The
    // first read also refuses a channel the reader may not read (404).
    let rx = s.app.store.events().subscribe();
    let newest = channels::newest_id(&s.app, &a.actor, &id)
        .await?
        .map(|m| m.to_string());
    // The bus names channels in their normalised form.
    let channel = irnet_domain::Channel::parse(&id)
        .map(|c| c.key().to_owned())
        .map_err(|_| AppError::NotFound)?;
    let source = ChannelMessages {
        app: s.app.clone(),
        actor: a.actor.clone(),
        channel,
    };
    let (anchor, backlog) = match live::resume_from(&headers) {
        Some(from) => {
            let backlog = live::Source::after(&source, Some(from.as_str())).await?;
            (Some(from), backlog)
        }
        None => (newest, vec![]),
    };
    Ok(live::stream(source, rx, anchor, backlog))
}

/// A channel's messages, each re-read through `channels::message` (the channel and message rules).
struct ChannelMessages {
    app: App,
    actor: Actor,
    channel: String,
}

impl live::Source for ChannelMessages {
    type Item = MessageView;
    const EVENT: &'static str = "message";

    fn id(item: &MessageView) -> &str {
        &item.id
    }

    fn wants(&self, e: &irnet_store::events::Event) -> bool {
        e.topic == channels::TOPIC && e.key == self.channel
    }

    async fn one(&self, id: &str) -> Result<Option<MessageView>, AppError> {
        let id = MessageId::from_trusted(id.to_owned());
        match channels::message(&self.app, &self.actor, &self.channel, &id).await {
            Ok(m) => Ok(Some(m)),
            Err(AppError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn after(&self, anchor: Option<&str>) -> Result<Vec<MessageView>, AppError> {
        channels::after(
            &self.app,
            &self.actor,
            &self.channel,
            anchor.map(|a| MessageId::from_trusted(a.to_owned())),
        )
        .await
    }
}

/// The OpenAPI tag of this pillar's operations.
pub(super) const CHANNELS: super::Tag = super::Tag {
    name: "channels",
    description: "Discussion channels: the network's and one per cluster, messages under TLP with files and mentions, read markers, live",
};

/// This module's operations, merged into the API by `api::router`.
pub(super) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    super::pillar(CHANNELS)
        .routes(utoipa_axum::routes!(list))
        .routes(utoipa_axum::routes!(get))
        .routes(utoipa_axum::routes!(messages, post))
        .routes(utoipa_axum::routes!(message))
        .routes(utoipa_axum::routes!(download))
        .routes(utoipa_axum::routes!(mark_read))
        .routes(utoipa_axum::routes!(stream))
}
