//! The gate to a channel and its messages: the reader's principal as of today, the channel
//! rule, then the message rule; anything else is not found.

use irnet_domain::channel::Channel;
use irnet_domain::ids::{MessageId, OrgId, UserId};
use irnet_domain::{Principal, RecordAccess};
use irnet_store::DbConn;
use irnet_store::channels::{self as store, KIND, MessageRow};
use irnet_store::directory::clusters;

use crate::{Actor, App, AppError};

/// The reader's principal with its organisation's clusters of today, read in this transaction,
/// so that a membership ending or starting counts at once (also for an open stream).
pub(super) fn fresh(conn: &mut DbConn, app: &App, p: &Principal) -> Result<Principal, AppError> {
    let mut p = p.clone();
    p.org_clusters = crate::directory::orgs::org_ref(conn, app, p.org_id.as_str())?.clusters;
    Ok(p)
}

/// The channel, if it exists and the reader may read it; anything else is not found.
pub(super) fn open(
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

/// Runs `f` in a read transaction on a channel the reader may read (else not found), with the
/// reader's principal as of today.
pub(super) async fn reading<T, F>(app: &App, actor: &Actor, id: &str, f: F) -> Result<T, AppError>
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

fn access_of(conn: &mut DbConn, row: &MessageRow) -> Result<RecordAccess, AppError> {
    let (shared_orgs, shared_people) = irnet_store::access::audience(conn, KIND, row.id.as_str())?;
    Ok(RecordAccess {
        owner_org: OrgId::from_trusted(row.owner_org_id.clone()),
        tlp: row.tlp,
        shared_orgs: shared_orgs.into_iter().map(OrgId::from_trusted).collect(),
        shared_people: shared_people
            .into_iter()
            .map(UserId::from_trusted)
            .collect(),
    })
}

/// One message of a channel the reader may read (opened), if the reader may read the message;
/// else not found.
pub(super) fn message_in(
    conn: &mut DbConn,
    channel: &Channel,
    p: &Principal,
    message_id: &MessageId,
) -> Result<MessageRow, AppError> {
    let row = store::get(conn, message_id)?
        .filter(|r| r.channel == *channel)
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
    message_id: &MessageId,
) -> Result<(), AppError> {
    let row = store::get(conn, message_id)?.ok_or(AppError::NotFound)?;
    let (channel, p) = open(conn, app, p, row.channel.key())?;
    message_in(conn, &channel, &p, &row.id).map(drop)
}
