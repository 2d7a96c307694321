//! Channels and messages as their reader sees them.

use std::collections::HashMap;

use irnet_domain::Principal;
use irnet_domain::channel::{self, Channel};
use irnet_domain::ids::IndicatorId;
use irnet_store::DbConn;
use irnet_store::channels::{self as store, KIND, MessageRow};
use irnet_store::directory::clusters;
use irnet_store::identity::users;
use irnet_store::sharing as indicators;

use crate::attachments::{self, AttachmentView};
use crate::directory::names::{self, OrgName};
use crate::{App, AppError};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
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

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct IndicatorRef {
    pub id: String,
    pub name: String,
    pub tlp: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct MessageView {
    pub id: String,
    pub channel: String,
    pub tlp: String,
    pub body: String,
    pub author_id: String,
    pub author_name: String,
    pub org_id: String,
    /// the author's organisation's name on the posting day (`org.name_vi`)
    pub org_name: String,
    /// the author's organisation by its name on the posting day, with today's where it differs
    pub org: OrgName,
    /// in the network's time zone
    pub created_at: String,
    /// the organisations named (AMBER+STRICT), by id
    pub orgs: Vec<String>,
    /// the same organisations by their names on the posting day
    pub named_orgs: Vec<OrgName>,
    /// the people named (RED)
    pub people: Vec<PersonRef>,
    pub mentions: Vec<PersonRef>,
    /// the referenced indicators this reader may read (the others are left out)
    pub indicators: Vec<IndicatorRef>,
    pub attachments: Vec<AttachmentView>,
}

pub(super) fn channel_view(
    conn: &mut DbConn,
    p: &Principal,
    channel: &Channel,
) -> Result<ChannelView, AppError> {
    let unread = store::unread(conn, channel, &p.message_read_rule(), p.user_id.as_str())?;
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

fn list_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
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
pub(super) fn views(
    conn: &mut DbConn,
    app: &App,
    p: &Principal,
    rows: Vec<MessageRow>,
) -> Result<Vec<MessageView>, AppError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
    let mut files: HashMap<String, Vec<AttachmentView>> = HashMap::new();
    for a in attachments::of_records(conn, KIND, &ids)? {
        files
            .entry(a.record_id.clone())
            .or_default()
            .push(attachments::view(app, a));
    }
    let mut audiences = Vec::with_capacity(rows.len());
    let mut pairs = Vec::new();
    for row in &rows {
        let audience = irnet_store::access::audience(conn, KIND, row.id.as_str())?;
        let day = names::day_of(app, row.created_at);
        pairs.push((row.owner_org_id.clone(), day));
        pairs.extend(audience.0.iter().map(|o| (o.clone(), day)));
        audiences.push(audience);
    }
    // Each message names organisations as they were called on the day it was posted.
    let names = names::names_on_days(conn, &pairs, app.today())?;
    let name = |org: &str, day| {
        names
            .get(&(org.to_owned(), day))
            .cloned()
            .unwrap_or_else(|| names::unknown(org))
    };
    let mut out = Vec::with_capacity(rows.len());
    for (row, (shared_orgs, shared_people)) in rows.into_iter().zip(audiences) {
        let author = users::get(conn, &row.created_by)?;
        let day = names::day_of(app, row.created_at);
        let org = name(&row.owner_org_id, day);
        let wanted: Vec<IndicatorId> = list_of(&row.indicator_ids)
            .into_iter()
            .map(IndicatorId::from_trusted)
            .collect();
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
                id: i.id.to_string(),
                name: i.name.clone(),
                tlp: i.tlp.as_str().to_owned(),
            })
            .collect();
        out.push(MessageView {
            id: row.id.to_string(),
            channel: row.channel.key().to_owned(),
            tlp: row.tlp.as_str().to_owned(),
            author_id: row.created_by.clone(),
            author_name: author.map(|u| u.display_name).unwrap_or_default(),
            org_name: org.name_vi.clone(),
            org,
            org_id: row.owner_org_id.clone(),
            created_at: app.local(row.created_at),
            named_orgs: shared_orgs.iter().map(|o| name(o, day)).collect(),
            orgs: shared_orgs,
            people: person_refs(conn, &shared_people)?,
            mentions: person_refs(conn, &list_of(&row.mentions))?,
            indicators: refs,
            attachments: files.remove(row.id.as_str()).unwrap_or_default(),
            body: row.body,
        });
    }
    Ok(out)
}
