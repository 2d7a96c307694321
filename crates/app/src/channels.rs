//! Discussion channels: the network's and one per cluster, derived from the directory. Who reads a
//! channel is `Principal::may_read_channel` (asked with the reader's clusters of today, read in
//! the same transaction); who reads a message inside it is the message rule
//! (`Principal::message_read_rule`), compiled to SQL for lists, unread counts and the live
//! stream. Anything the reader may not see is "not found": a channel it may not read, a message
//! it may not read, their files.

use std::collections::HashMap;

use irnet_domain::channel::{self, Channel};
use irnet_domain::ids::{ClusterId, OrgId, UserId};
use irnet_domain::{Principal, RecordAccess, Tlp, TokenScope};
use irnet_store::DbConn;
use irnet_store::channels::{self as store, KIND, MessageRow};
use irnet_store::directory::{clusters, orgs};
use irnet_store::events::{self, Event};
use irnet_store::identity::users;
use irnet_store::page::{Page, clamp_limit};
use irnet_store::sharing as indicators;
use irnet_store::time::to_db;

use crate::attachments::{self, AttachmentView, Upload};
use crate::audit::{self, Change};
use crate::error::Problems;
use crate::notify::{Notice, notify};
use crate::{Actor, App, AppError, FieldError};

/// The event bus topic of a new message (`Event::key` is the channel, `Event::id` the message).
pub const TOPIC: &str = "channel_message";

/// At most this many files, named people, organisations and indicators on one message.
const MAX_LIST: usize = 20;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ChannelView {
    /// `network`, or the cluster's id
    pub id: String,
    /// network or cluster
    pub kind: String,
    /// the cluster's names; the network channel's name is the page's to say
    pub name_vi: Option<String>,
    pub name_en: Option<String>,
    /// messages the reader may read, did not post and has not marked read
    pub unread: i64,
    /// the reader may post here (`Principal::may_post_in_channel`)
    pub may_post: bool,
    /// the reader may move their read marker (a write: not with a read-only token)
    pub may_mark_read: bool,
}

/// What a poster writes. Named organisations count at AMBER+STRICT, named people at RED.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct MessageInput {
    /// plain text, 1–10,000 characters; `@name@example.vn` mentions a person
    pub body: String,
    /// TLP 2.0, default AMBER (inside a channel: the channel's audience)
    pub tlp: Option<String>,
    /// AMBER+STRICT: organisation ids (members of the channel) that read it besides yours
    #[serde(default)]
    pub orgs: Vec<String>,
    /// RED: email addresses of the people (able to read the channel) that read it besides you
    #[serde(default)]
    pub people: Vec<String>,
    /// ids of indicators the message is about; the message may not be less strict than any
    #[serde(default)]
    pub indicators: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct IndicatorRef {
    pub id: String,
    pub name: String,
    pub tlp: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MessageView {
    pub id: String,
    pub channel: String,
    pub tlp: String,
    pub body: String,
    pub author_id: String,
    pub author_name: String,
    pub org_id: String,
    pub org_name: String,
    /// in the network's time zone
    pub created_at: String,
    /// the organisations named (AMBER+STRICT)
    pub orgs: Vec<String>,
    /// the people named (RED)
    pub people: Vec<PersonRef>,
    pub mentions: Vec<PersonRef>,
    /// the referenced indicators this reader may read (the others are left out)
    pub indicators: Vec<IndicatorRef>,
    pub attachments: Vec<AttachmentView>,
}

/// The reader's principal with its organisation's clusters of today, read in this transaction,
/// so that a membership ending or starting counts at once (also for an open stream).
fn fresh(conn: &mut DbConn, app: &App, p: &Principal) -> Result<Principal, AppError> {
    let mut p = p.clone();
    p.org_clusters = crate::directory::orgs::org_ref(conn, app, p.org_id.as_str())?.clusters;
    Ok(p)
}

/// The channel, if it exists and the reader may read it; anything else is not found.
fn open(
    conn: &mut DbConn,
    app: &App,
    p: &Principal,
    id: &str,
) -> Result<(Channel, Principal), AppError> {
    let channel = Channel::parse(id).map_err(|_| AppError::NotFound)?;
    if let Channel::Cluster(c) = &channel
        && clusters::get(conn, c.as_str())?.is_none()
    {
        return Err(AppError::NotFound);
    }
    let p = fresh(conn, app, p)?;
    if !p.may_read_channel(&channel) {
        return Err(AppError::NotFound);
    }
    Ok((channel, p))
}

fn channel_view(
    conn: &mut DbConn,
    p: &Principal,
    channel: &Channel,
) -> Result<ChannelView, AppError> {
    let unread = store::unread(
        conn,
        channel.key(),
        &p.message_read_rule(),
        p.user_id.as_str(),
    )?;
    let may_post = p.may_post_in_channel(channel);
    let may_mark_read = p.may_write();
    Ok(match channel {
        Channel::Network => ChannelView {
            id: channel::NETWORK.to_owned(),
            kind: "network".to_owned(),
            name_vi: None,
            name_en: None,
            unread,
            may_post,
            may_mark_read,
        },
        Channel::Cluster(c) => {
            let row = clusters::get(conn, c.as_str())?.ok_or(AppError::NotFound)?;
            ChannelView {
                id: row.id,
                kind: "cluster".to_owned(),
                name_vi: Some(row.name_vi),
                name_en: row.name_en,
                unread,
                may_post,
                may_mark_read,
            }
        }
    })
}

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

/// Runs `f` in a read transaction on a channel the reader may read (else not found), with the
/// reader's principal as of today.
async fn reading<T, F>(app: &App, actor: &Actor, id: &str, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn, &App, &Channel, &Principal) -> Result<T, AppError> + Send + 'static,
{
    let (app2, p, id) = (app.clone(), actor.principal.clone(), id.to_owned());
    app.store
        .read(move |conn| {
            let (channel, p) = open(conn, &app2, &p, &id)?;
            f(conn, &app2, &channel, &p)
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
        let mut out: Vec<(String, String)> = match channel {
            Channel::Network => orgs::list(conn, None, 500)?
                .items
                .into_iter()
                .map(|o| (o.id, o.name_vi))
                .collect(),
            Channel::Cluster(c) => {
                let mut v = Vec::new();
                for m in clusters::memberships_on(conn, c.as_str(), app.today())? {
                    if let Some(o) = orgs::get(conn, &m.org_id)? {
                        v.push((o.id, o.name_vi));
                    }
                }
                v
            }
        };
        out.sort_by(|a, b| {
            irnet_domain::text::vi_sort_key(&a.1).cmp(&irnet_domain::text::vi_sort_key(&b.1))
        });
        Ok(out)
    })
    .await
}

fn is_member(conn: &mut DbConn, app: &App, channel: &Channel, org: &str) -> Result<bool, AppError> {
    Ok(match channel {
        Channel::Network => orgs::get(conn, org)?.is_some(),
        Channel::Cluster(c) => clusters::clusters_of_org(conn, org, app.today())?
            .iter()
            .any(|x| x == c.as_str()),
    })
}

fn tlp_of(row: &MessageRow) -> Result<Tlp, AppError> {
    Tlp::parse(&row.tlp).map_err(|e| AppError::Internal(format!("message {}: {e}", row.id)))
}

fn list_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

fn access_of(conn: &mut DbConn, row: &MessageRow) -> Result<RecordAccess, AppError> {
    let (shared_orgs, shared_people) = irnet_store::access::audience(conn, KIND, &row.id)?;
    Ok(RecordAccess {
        owner_org: OrgId::from_trusted(row.owner_org_id.clone()),
        tlp: tlp_of(row)?,
        shared_orgs: shared_orgs.into_iter().map(OrgId::from_trusted).collect(),
        shared_people: shared_people
            .into_iter()
            .map(UserId::from_trusted)
            .collect(),
    })
}

fn person_refs(conn: &mut DbConn, ids: &[String]) -> Result<Vec<PersonRef>, AppError> {
    Ok(users::active_by_ids(conn, ids)?
        .into_iter()
        .map(|u| PersonRef {
            id: u.id,
            name: u.display_name,
        })
        .collect())
}

/// The views of messages the reader may read (the caller filtered them), with their files and
/// the indicators this reader may read.
fn views(
    conn: &mut DbConn,
    app: &App,
    p: &Principal,
    rows: Vec<MessageRow>,
) -> Result<Vec<MessageView>, AppError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut files: HashMap<String, Vec<AttachmentView>> = HashMap::new();
    for a in attachments::of_records(conn, KIND, &ids)? {
        files
            .entry(a.record_id.clone())
            .or_default()
            .push(attachments::view(app, a));
    }
    let mut names: HashMap<String, String> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let author = users::get(conn, &row.created_by)?;
        if !names.contains_key(&row.owner_org_id) {
            let n = orgs::get(conn, &row.owner_org_id)?
                .map(|o| o.name_vi)
                .unwrap_or_default();
            names.insert(row.owner_org_id.clone(), n);
        }
        let (shared_orgs, shared_people) = irnet_store::access::audience(conn, KIND, &row.id)?;
        let wanted = list_of(&row.indicator_ids);
        let readable = if wanted.is_empty() {
            vec![]
        } else {
            indicators::list(
                conn,
                &p.read_rule(),
                &indicators::Filter {
                    ids: Some(wanted.clone()),
                    ..Default::default()
                },
                None,
                i64::try_from(wanted.len()).unwrap_or(i64::MAX),
            )?
            .items
        };
        let refs = wanted
            .iter()
            .filter_map(|id| readable.iter().find(|i| &i.id == id))
            .map(|i| IndicatorRef {
                id: i.id.clone(),
                name: i.name.clone(),
                tlp: i.tlp.clone(),
            })
            .collect();
        out.push(MessageView {
            id: row.id.clone(),
            channel: row.channel.clone(),
            tlp: row.tlp.clone(),
            author_id: row.created_by.clone(),
            author_name: author.map(|u| u.display_name).unwrap_or_default(),
            org_name: names.get(&row.owner_org_id).cloned().unwrap_or_default(),
            org_id: row.owner_org_id.clone(),
            created_at: crate::incidents::local(app, row.created_at),
            orgs: shared_orgs,
            people: person_refs(conn, &shared_people)?,
            mentions: person_refs(conn, &list_of(&row.mentions))?,
            indicators: refs,
            attachments: files.remove(&row.id).unwrap_or_default(),
            body: row.body,
        });
    }
    Ok(out)
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
        let page = store::list(conn, channel.key(), &rule, cursor.as_deref(), limit)?;
        Ok(Page {
            items: views(conn, app, p, page.items)?,
            next_cursor: page.next_cursor,
        })
    })
    .await
}

/// One message of a channel the reader may read (opened), if the reader may read the message;
/// else not found.
fn message_in(
    conn: &mut DbConn,
    channel: &Channel,
    p: &Principal,
    message_id: &str,
) -> Result<MessageRow, AppError> {
    let row = store::get(conn, message_id)?
        .filter(|r| r.channel == channel.key())
        .ok_or(AppError::NotFound)?;
    if !p.may_read_message(channel, &access_of(conn, &row)?) {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// Whether `p` may read message `message_id` now (its channel with the organisation's clusters of
/// today, then the message's rule): `Ok(())`, or not found. For notifications at delivery.
pub(crate) fn readable(
    conn: &mut DbConn,
    app: &App,
    p: &Principal,
    message_id: &str,
) -> Result<(), AppError> {
    let row = store::get(conn, message_id)?.ok_or(AppError::NotFound)?;
    let (channel, p) = open(conn, app, p, &row.channel)?;
    message_in(conn, &channel, &p, &row.id).map(drop)
}

pub async fn message(
    app: &App,
    actor: &Actor,
    id: &str,
    message_id: &str,
) -> Result<MessageView, AppError> {
    let mid = message_id.to_owned();
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
    anchor: Option<String>,
) -> Result<Vec<MessageView>, AppError> {
    reading(app, actor, id, move |conn, app, channel, p| {
        let rule = p.message_read_rule();
        let rows = store::after(conn, channel.key(), &rule, anchor.as_deref(), 200)?;
        views(conn, app, p, rows)
    })
    .await
}

pub async fn newest_id(app: &App, actor: &Actor, id: &str) -> Result<Option<String>, AppError> {
    reading(app, actor, id, |conn, _, channel, p| {
        Ok(store::newest_id(
            conn,
            channel.key(),
            &p.message_read_rule(),
        )?)
    })
    .await
}

/// The input, checked against the channel: the field problems, or what to store.
struct Checked {
    body: String,
    tlp: Tlp,
    orgs: Vec<String>,
    people: Vec<String>,
    indicators: Vec<String>,
}

fn check_input(
    conn: &mut DbConn,
    app: &App,
    p: &Principal,
    channel: &Channel,
    input: &MessageInput,
) -> Result<Checked, AppError> {
    let mut problems = Problems::default();
    let body = channel::body(&input.body);
    if body.is_none() {
        let code = if input.body.trim().is_empty() {
            "required"
        } else {
            "invalid_length"
        };
        problems.push(FieldError {
            field: "body".into(),
            code: code.into(),
            params: vec![("max".into(), channel::MAX_BODY_CHARS.to_string())],
        });
    }
    let tlp = problems.check("tlp", Tlp::parse(input.tlp.as_deref().unwrap_or("AMBER")));
    for (field, n) in [
        ("orgs", input.orgs.len()),
        ("people", input.people.len()),
        ("indicators", input.indicators.len()),
    ] {
        if n > MAX_LIST {
            problems.push(FieldError {
                field: field.into(),
                code: "too_many".into(),
                params: vec![],
            });
        }
    }
    if !input.orgs.is_empty() && tlp.is_some_and(|t| t != Tlp::AmberStrict) {
        problems.push(FieldError {
            field: "orgs".into(),
            code: "orgs_need_amber_strict".into(),
            params: vec![],
        });
    }
    if !input.people.is_empty() && tlp.is_some_and(|t| t != Tlp::Red) {
        problems.push(FieldError {
            field: "people".into(),
            code: "people_need_red".into(),
            params: vec![],
        });
    }
    let mut orgs = Vec::new();
    for (i, o) in input.orgs.iter().enumerate() {
        let field = format!("orgs[{i}]");
        match OrgId::parse(o.trim()) {
            Ok(id) if is_member(conn, app, channel, id.as_str())? => {
                if !orgs.contains(&id.as_str().to_owned()) {
                    orgs.push(id.as_str().to_owned());
                }
            }
            _ => problems.push(FieldError {
                field,
                code: "not_channel_member".into(),
                params: vec![("value".into(), o.clone())],
            }),
        }
    }
    let mut people = vec![p.user_id.as_str().to_owned()];
    for (i, email) in input.people.iter().enumerate() {
        match reader_by_email(conn, app, email)? {
            Some(q) if q.may_read_channel(channel) => {
                if !people.contains(&q.user_id.as_str().to_owned()) {
                    people.push(q.user_id.as_str().to_owned());
                }
            }
            // An unknown address and someone outside the channel get the same answer.
            _ => problems.push(FieldError {
                field: format!("people[{i}]"),
                code: "not_channel_member".into(),
                params: vec![("value".into(), email.clone())],
            }),
        }
    }
    let mut refs = Vec::new();
    let rule = p.read_rule();
    for (i, id) in input.indicators.iter().enumerate() {
        let field = format!("indicators[{i}]");
        let found = match uuid::Uuid::try_parse(id.trim()) {
            Ok(id) => indicators::list(
                conn,
                &rule,
                &indicators::Filter {
                    ids: Some(vec![id.hyphenated().to_string()]),
                    ..Default::default()
                },
                None,
                1,
            )?
            .items
            .pop(),
            Err(_) => None,
        };
        let Some(ind) = found else {
            problems.push(FieldError {
                field,
                code: "unknown_indicator".into(),
                params: vec![("value".into(), id.clone())],
            });
            continue;
        };
        let level = Tlp::parse(&ind.tlp).map_err(|e| AppError::Internal(e.to_string()))?;
        if let Some(t) = tlp
            && t < level
        {
            problems.push(FieldError {
                field: "tlp".into(),
                code: "less_strict_than_indicator".into(),
                params: vec![
                    ("tlp".into(), level.as_str().to_owned()),
                    ("indicator".into(), ind.name.clone()),
                ],
            });
        }
        if !refs.contains(&ind.id) {
            refs.push(ind.id);
        }
    }
    problems.into_result()?;
    let (Some(body), Some(tlp)) = (body, tlp) else {
        return Err(AppError::Internal("checked input incomplete".into()));
    };
    Ok(Checked {
        body,
        tlp,
        orgs,
        people,
        indicators: refs,
    })
}

/// The principal of the active account with this address, as it is today.
fn reader_by_email(
    conn: &mut DbConn,
    app: &App,
    email: &str,
) -> Result<Option<Principal>, AppError> {
    let Some(u) = users::by_email(conn, &email.trim().to_lowercase())? else {
        return Ok(None);
    };
    Ok(crate::identity::principal::load(conn, app, &u.id, TokenScope::Read)?.map(|l| l.principal))
}

/// Posts a message with its files, in one transaction: the message, its audience, its files, the
/// mentions' notifications, the live event and the audit entry commit together, or nothing does.
pub async fn post(
    app: &App,
    actor: &Actor,
    id: &str,
    input: MessageInput,
    files: Vec<Upload>,
) -> Result<MessageView, AppError> {
    if files.len() > MAX_LIST {
        return Err(AppError::invalid("files", "too_many"));
    }
    let mut checked_files = Vec::with_capacity(files.len());
    for (i, f) in files.into_iter().enumerate() {
        checked_files.push(attachments::check(app, f, &format!("files[{i}]"))?);
    }
    let (app2, actor2, id) = (app.clone(), actor.clone(), id.to_owned());
    app.store
        .write(move |conn| {
            let (channel, p) = open(conn, &app2, &actor2.principal, &id)?;
            if !p.may_write() {
                return Err(AppError::ReadOnly);
            }
            // The channel is readable (else `open` said not found): refused, not hidden.
            if !p.may_post_in_channel(&channel) {
                return Err(AppError::Forbidden);
            }
            let c = check_input(conn, &app2, &p, &channel, &input)?;
            let access = RecordAccess {
                owner_org: p.org_id.clone(),
                tlp: c.tlp,
                shared_orgs: c.orgs.iter().cloned().map(OrgId::from_trusted).collect(),
                shared_people: c.people.iter().cloned().map(UserId::from_trusted).collect(),
            };
            // Mentions: only people who will read the message; anyone else is refused by the
            // address as written, whether or not it has an account.
            let mut mentioned = Vec::new();
            let mut refused = Vec::new();
            for addr in irnet_domain::text::mentions(&c.body) {
                match reader_by_email(conn, &app2, &addr)? {
                    Some(q) if q.may_read_message(&channel, &access) => {
                        if q.user_id != p.user_id && !mentioned.contains(&q.user_id) {
                            mentioned.push(q.user_id);
                        }
                    }
                    _ => refused.push(FieldError {
                        field: "mentions".into(),
                        code: "mention_cannot_read".into(),
                        params: vec![("mention".into(), format!("@{addr}"))],
                    }),
                }
            }
            if !refused.is_empty() {
                return Err(AppError::Validation(refused));
            }
            let now = to_db(app2.now());
            let mentioned: Vec<String> = mentioned.iter().map(|u| u.as_str().to_owned()).collect();
            let row = MessageRow {
                id: uuid::Uuid::now_v7().to_string(),
                channel: channel.key().to_owned(),
                owner_org_id: p.org_id.as_str().to_owned(),
                created_by: p.user_id.as_str().to_owned(),
                tlp: c.tlp.as_str().to_owned(),
                body: c.body.clone(),
                indicator_ids: serde_json::to_string(&c.indicators)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
                mentions: serde_json::to_string(&mentioned)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
                created_at: now,
            };
            store::insert(conn, &row)?;
            if c.tlp == Tlp::AmberStrict {
                for o in &c.orgs {
                    irnet_store::access::share_with(conn, KIND, &row.id, Some(o), None, now)?;
                }
            }
            if c.tlp == Tlp::Red {
                for u in &c.people {
                    irnet_store::access::share_with(conn, KIND, &row.id, None, Some(u), now)?;
                }
            }
            let mut file_names = Vec::new();
            for f in checked_files {
                let meta = attachments::store(conn, &app2, &actor2, KIND, &row.id, f)?;
                file_names.push(serde_json::json!({ "filename": meta.filename, "sha256": meta.sha256, "size": meta.size }));
            }
            // Posting counts as reading up to one's own message.
            store::mark_read(conn, &row.created_by, &row.channel, &row.id, now)?;
            if !mentioned.is_empty() {
                tell_mentioned(conn, &app2, &p, &channel, &row, c.tlp, mentioned)?;
            }
            events::publish(
                conn,
                &Event {
                    topic: TOPIC.to_owned(),
                    key: row.channel.clone(),
                    id: row.id.clone(),
                },
            )?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "channel.message_posted",
                    object_type: "message",
                    object_id: Some(&row.id),
                    object_org_id: Some(&row.owner_org_id),
                    summary: serde_json::json!({
                        "channel": row.channel, "tlp": row.tlp,
                        "orgs": c.orgs, "indicators": c.indicators, "files": file_names,
                    }),
                },
            )?;
            Ok(views(conn, &app2, &p, vec![row])?.remove(0))
        })
        .await
}

fn tell_mentioned(
    conn: &mut DbConn,
    app: &App,
    p: &Principal,
    channel: &Channel,
    row: &MessageRow,
    tlp: Tlp,
    recipients: Vec<String>,
) -> Result<(), AppError> {
    let author = users::get(conn, p.user_id.as_str())?
        .map(|u| u.display_name)
        .unwrap_or_default();
    let channel_name = match channel {
        Channel::Network => channel::NETWORK.to_owned(),
        Channel::Cluster(c) => clusters::get(conn, c.as_str())?
            .map(|c| c.name_vi)
            .unwrap_or_default(),
    };
    let restricted = !tlp.leaves_by_automated_channel();
    let excerpt: String = row.body.chars().take(200).collect();
    let mut args = vec![
        ("author".to_owned(), author),
        ("channel".to_owned(), channel_name),
        ("tlp".to_owned(), tlp.as_str().to_owned()),
    ];
    if !restricted {
        args.push(("excerpt".to_owned(), excerpt));
    }
    notify(
        conn,
        app,
        &Notice {
            kind: "channel.mentioned".to_owned(),
            object_type: "message".to_owned(),
            object_id: row.id.clone(),
            org_id: Some(row.owner_org_id.clone()),
            link: format!("/channels/{}", row.channel),
            message: if restricted {
                "channel-mentioned-restricted".to_owned()
            } else {
                "channel-mentioned".to_owned()
            },
            args,
            recipients,
            email: true,
            restricted,
        },
    )
}

/// Marks the channel read up to `up_to` (a message the reader may read), or up to the newest
/// message the reader may read. Returns the unread count after.
pub async fn mark_read(
    app: &App,
    actor: &Actor,
    id: &str,
    up_to: Option<String>,
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
                None => store::newest_id(conn, channel.key(), &p.message_read_rule())?,
            };
            if let Some(mid) = target {
                store::mark_read(
                    conn,
                    p.user_id.as_str(),
                    channel.key(),
                    &mid,
                    to_db(app2.now()),
                )?;
            }
            channel_view(conn, &p, &channel)
        })
        .await
}

/// A file of a message, for the message's readers only.
pub async fn download(
    app: &App,
    actor: &Actor,
    id: &str,
    message_id: &str,
    attachment_id: &str,
) -> Result<(AttachmentView, Vec<u8>), AppError> {
    let (mid, aid) = (message_id.to_owned(), attachment_id.to_owned());
    let (file, record) = reading(app, actor, id, move |conn, app, channel, p| {
        let row = message_in(conn, channel, p, &mid)?;
        Ok((
            attachments::download(conn, app, KIND, &row.id, &aid)?,
            row.id,
        ))
    })
    .await?;
    attachments::audit_downloaded(app, actor, KIND, &record, &file.0).await?;
    Ok(file)
}
