//! The one attachments facility: files on incidents (evidence), channel messages and alerts are
//! checked, hashed, typed and stored here, in `store::attachments` under the record's kind and id.
//! Each pillar decides who may attach and read (its own `load`), then calls these functions with
//! the record it loaded, so the rules of a file — name, size limit, SHA-256, sniffed type — exist
//! once.

use irnet_store::DbConn;
use irnet_store::attachments::{self as store, AttachmentMeta, AttachmentRow};
use irnet_store::time::to_db;
use sha2::{Digest, Sha256};

use crate::{Actor, App, AppError, FieldError};

/// A file as received: the name the client gave and the bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// A file that passed the checks, ready to store.
#[derive(Debug, Clone)]
pub struct Checked {
    filename: String,
    content_type: &'static str,
    sha256: String,
    bytes: Vec<u8>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AttachmentView {
    pub id: String,
    pub filename: String,
    /// sniffed from the content, not taken from the client
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub org_id: String,
    pub created_at: String,
}

pub(crate) fn view(app: &App, a: AttachmentMeta) -> AttachmentView {
    AttachmentView {
        created_at: app.local(a.created_at),
        id: a.id,
        filename: a.filename,
        content_type: a.content_type,
        size: a.size,
        sha256: a.sha256,
        org_id: a.org_id,
    }
}

/// The type of a file by its first bytes. What the client claims is not trusted: a download is
/// served with this type (and as an attachment), so a page cannot be smuggled in as an image.
pub fn sniff(bytes: &[u8]) -> &'static str {
    const SIGNATURES: [(&[u8], &str); 7] = [
        (b"%PDF-", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF8", "image/gif"),
        (b"PK\x03\x04", "application/zip"),
        (b"\x1f\x8b", "application/gzip"),
        (b"\xd4\xc3\xb2\xa1", "application/vnd.tcpdump.pcap"),
    ];
    if let Some((_, t)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return t;
    }
    if !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() {
        return "text/plain; charset=utf-8";
    }
    "application/octet-stream"
}

fn safe_filename(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let clean: String = base.chars().filter(|c| !c.is_control()).collect();
    (!clean.is_empty() && clean.chars().count() <= 255 && clean != "." && clean != "..")
        .then_some(clean)
}

/// Checks a file before anything is stored: a usable name (`{field}.filename` … reported as
/// `filename` for a single file), not empty, at most `attachment_max_bytes`. `field` names the
/// file in errors (`file`, or `files[2]` when several come together).
pub fn check(app: &App, upload: Upload, field: &str) -> Result<Checked, AppError> {
    let name_field = if field == "file" {
        "filename".to_owned()
    } else {
        format!("{field}.filename")
    };
    let Some(filename) = safe_filename(&upload.filename) else {
        return Err(AppError::invalid(&name_field, "invalid_filename"));
    };
    if upload.bytes.is_empty() {
        return Err(AppError::invalid(field, "empty_file"));
    }
    let max = app.settings.attachment_max_bytes;
    if upload.bytes.len() > max {
        return Err(AppError::Validation(vec![FieldError {
            field: field.to_owned(),
            code: "file_too_large".into(),
            params: vec![("max".into(), (max / (1024 * 1024)).to_string())],
        }]));
    }
    Ok(Checked {
        filename,
        content_type: sniff(&upload.bytes),
        sha256: hex::encode(Sha256::digest(&upload.bytes)),
        bytes: upload.bytes,
    })
}

/// Stores a checked file on a record of `kind`, as the actor's organisation. The caller has
/// loaded the record and decided that the actor may attach to it, in the same transaction.
pub(crate) fn store(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    kind: &str,
    record_id: &str,
    file: Checked,
) -> Result<AttachmentMeta, AppError> {
    let row = AttachmentRow {
        id: uuid::Uuid::now_v7().to_string(),
        record_kind: kind.to_owned(),
        record_id: record_id.to_owned(),
        filename: file.filename,
        content_type: file.content_type.to_owned(),
        size: i64::try_from(file.bytes.len()).unwrap_or(i64::MAX),
        sha256: file.sha256,
        content: file.bytes,
        org_id: actor.principal.org_id.as_str().to_owned(),
        created_by: actor.principal.user_id.as_str().to_owned(),
        created_at: to_db(app.now()),
    };
    store::insert(conn, &row)?;
    Ok(row.meta())
}

/// The audit entry of a file added to a record of `object_type` (`{object_type}.attachment_added`:
/// name, SHA-256, size), in the transaction that stored it.
pub(crate) fn audit_added(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    object_type: &str,
    object_org_id: &str,
    meta: &AttachmentMeta,
) -> Result<(), AppError> {
    crate::audit::record(
        conn,
        app,
        actor,
        crate::audit::Change {
            action: &format!("{object_type}.attachment_added"),
            object_type,
            object_id: Some(&meta.record_id),
            object_org_id: Some(object_org_id),
            summary: serde_json::json!({ "filename": meta.filename, "sha256": meta.sha256, "size": meta.size }),
        },
    )
}

/// The files of records the caller may read, oldest first.
pub(crate) fn of_records(
    conn: &mut DbConn,
    kind: &str,
    record_ids: &[String],
) -> Result<Vec<AttachmentMeta>, AppError> {
    Ok(store::of_records(conn, kind, record_ids)?)
}

/// One file of a record the caller may read, with its bytes; anything else is not found.
pub(crate) fn download(
    conn: &mut DbConn,
    app: &App,
    kind: &str,
    record_id: &str,
    id: &str,
) -> Result<(AttachmentView, Vec<u8>), AppError> {
    let a = store::get(conn, kind, record_id, id)?.ok_or(AppError::NotFound)?;
    Ok((view(app, a.meta()), a.content))
}

/// The audit entry of a file downloaded from a record of `kind` (`{kind}.attachment_downloaded`):
/// an entry about that record, so its name is shown only to the record's readers.
pub(crate) async fn audit_downloaded(
    app: &App,
    actor: &Actor,
    kind: &str,
    record_id: &str,
    file: &AttachmentView,
) -> Result<(), AppError> {
    crate::audit::record_alone(
        app,
        actor,
        crate::audit::Change {
            action: &format!("{kind}.attachment_downloaded"),
            object_type: kind,
            object_id: Some(record_id),
            object_org_id: None,
            summary: serde_json::json!({ "attachment_id": file.id, "filename": file.filename, "sha256": file.sha256 }),
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn types_come_from_the_content() {
        assert_eq!(sniff(b"%PDF-1.7"), "application/pdf");
        assert_eq!(sniff(b"<html><script>"), "text/plain; charset=utf-8");
        assert_eq!(sniff(&[0, 1, 2, 0xff]), "application/octet-stream");
    }
}
