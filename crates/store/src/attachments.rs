//! Files attached to records — incident evidence, channel messages, alerts — in one table. A
//! record names its files by `(record_kind, record_id)`; who may read them is the record's own
//! rule, checked by the use-case before it calls these functions with the record's id.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::attachments;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = attachments)]
pub struct AttachmentRow {
    pub id: String,
    pub record_kind: String,
    pub record_id: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub content: Vec<u8>,
    pub org_id: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// An attachment's description, without its bytes.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attachments)]
pub struct AttachmentMeta {
    pub id: String,
    pub record_id: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub org_id: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl AttachmentRow {
    /// Its description, without the bytes.
    pub fn meta(&self) -> AttachmentMeta {
        AttachmentMeta {
            id: self.id.clone(),
            record_id: self.record_id.clone(),
            filename: self.filename.clone(),
            content_type: self.content_type.clone(),
            size: self.size,
            sha256: self.sha256.clone(),
            org_id: self.org_id.clone(),
            created_by: self.created_by.clone(),
            created_at: self.created_at,
        }
    }
}

pub fn insert(conn: &mut DbConn, row: &AttachmentRow) -> QueryResult<()> {
    diesel::insert_into(attachments::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// The files of some records of one kind, oldest first.
pub fn of_records(
    conn: &mut DbConn,
    kind: &str,
    record_ids: &[String],
) -> QueryResult<Vec<AttachmentMeta>> {
    if record_ids.is_empty() {
        return Ok(vec![]);
    }
    attachments::table
        .filter(attachments::record_kind.eq(kind))
        .filter(attachments::record_id.eq_any(record_ids))
        .order((attachments::created_at.asc(), attachments::id.asc()))
        .select(AttachmentMeta::as_select())
        .load(conn)
}

/// One file of a record, with its bytes.
pub fn get(
    conn: &mut DbConn,
    kind: &str,
    record_id: &str,
    id: &str,
) -> QueryResult<Option<AttachmentRow>> {
    attachments::table
        .filter(attachments::record_kind.eq(kind))
        .filter(attachments::record_id.eq(record_id))
        .filter(attachments::id.eq(id))
        .select(AttachmentRow::as_select())
        .first(conn)
        .optional()
}
