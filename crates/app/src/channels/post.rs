//! Posting a message.

use irnet_domain::channel::{self, Channel};
use irnet_domain::ids::{MessageId, OrgId, UserId};
use irnet_domain::{Principal, RecordAccess, Tlp};
use irnet_store::DbConn;
use irnet_store::channels::{self as store, KIND, MessageRow};
use irnet_store::directory::clusters;
use irnet_store::events::{self, Event};
use irnet_store::identity::users;
use irnet_store::time::to_db;

use super::{
    MAX_LIST, MessageInput, MessageView, TOPIC, check_input, open, reader_by_email, views,
};
use crate::attachments::{self, Upload};
use crate::audit::{self, Change};
use crate::notify::{Notice, notify};
use crate::{Actor, App, AppError, FieldError};

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
                id: MessageId::new(),
                channel: channel.clone(),
                owner_org_id: p.org_id.as_str().to_owned(),
                created_by: p.user_id.as_str().to_owned(),
                tlp: c.tlp,
                body: c.body.clone(),
                indicator_ids: serde_json::to_string(&c.indicators)
                    .map_err(AppError::internal)?,
                mentions: serde_json::to_string(&mentioned)
                    .map_err(AppError::internal)?,
                created_at: now,
            };
            store::insert(conn, &row)?;
            if c.tlp == Tlp::AmberStrict {
                for o in &c.orgs {
                    irnet_store::access::share_with(conn, KIND, row.id.as_str(), Some(o), None, now)?;
                }
            }
            if c.tlp == Tlp::Red {
                for u in &c.people {
                    irnet_store::access::share_with(conn, KIND, row.id.as_str(), None, Some(u), now)?;
                }
            }
            let mut file_names = Vec::new();
            for f in checked_files {
                let meta = attachments::store(conn, &app2, &actor2, KIND, row.id.as_str(), f)?;
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
                    key: row.channel.key().to_owned(),
                    id: row.id.to_string(),
                },
            )?;
            audit::record(
                conn,
                &app2,
                &actor2,
                Change {
                    action: "channel.message_posted",
                    object_type: "message",
                    object_id: Some(row.id.as_str()),
                    object_org_id: Some(&row.owner_org_id),
                    summary: serde_json::json!({
                        "channel": row.channel.key(), "tlp": row.tlp.as_str(),
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
            object_id: row.id.to_string(),
            org_id: Some(row.owner_org_id.clone()),
            link: format!("/channels/{}", row.channel.key()),
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
