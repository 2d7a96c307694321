//! A message's files.

use irnet_domain::ids::MessageId;
use irnet_store::channels::KIND;

use super::{message_in, reading};
use crate::attachments::{self, AttachmentView};
use crate::{Actor, App, AppError};

/// A file of a message, for the message's readers only.
pub async fn download(
    app: &App,
    actor: &Actor,
    id: &str,
    message_id: &MessageId,
    attachment_id: &str,
) -> Result<(AttachmentView, Vec<u8>), AppError> {
    let (mid, aid) = (message_id.clone(), attachment_id.to_owned());
    let (file, record) = reading(app, actor, id, move |conn, app, channel, p| {
        let row = message_in(conn, channel, p, &mid)?;
        Ok((
            attachments::download(conn, app, KIND, row.id.as_str(), &aid)?,
            row.id.to_string(),
        ))
    })
    .await?;
    attachments::audit_downloaded(app, actor, KIND, &record, &file.0).await?;
    Ok(file)
}
