//! Filed reports, frozen: what a member filed (Mẫu 03, 04, 05, the Mẫu 01 confirmation) as its
//! data at that moment and the document bytes then rendered. A row is written once and never
//! changed; a new filing is a new version with its own number.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::filed_reports;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = filed_reports)]
pub struct FiledReportRow {
    pub id: String,
    /// `mau_03`, `mau_04`, `mau_05`, `mau_01`
    pub kind: String,
    /// `incident` or `organisation`
    pub subject_type: String,
    pub subject_id: String,
    /// Mẫu 05's period ("2024-H1"); empty for the others
    pub period: String,
    pub report_id: Option<String>,
    pub org_id: String,
    pub number: String,
    pub version: i32,
    pub document_number: Option<String>,
    pub place: Option<String>,
    /// JSON list of the "Nơi nhận"
    pub recipients: String,
    pub signer_title: Option<String>,
    pub signer_name: Option<String>,
    pub filed_at: NaiveDateTime,
    pub filed_by: String,
    pub data: String,
    pub docx: Vec<u8>,
    pub sha256: String,
    pub xlsx: Option<Vec<u8>>,
    pub xlsx_sha256: Option<String>,
}

impl FiledReportRow {
    /// The listing's part of the row.
    pub fn head(self) -> FiledReportHead {
        FiledReportHead {
            id: self.id,
            kind: self.kind,
            subject_id: self.subject_id,
            period: self.period,
            report_id: self.report_id,
            org_id: self.org_id,
            number: self.number,
            version: self.version,
            document_number: self.document_number,
            filed_at: self.filed_at,
            filed_by: self.filed_by,
            sha256: self.sha256,
            xlsx_sha256: self.xlsx_sha256,
        }
    }
}

/// A filed report without its bytes, for listings.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = filed_reports)]
pub struct FiledReportHead {
    pub id: String,
    pub kind: String,
    pub subject_id: String,
    pub period: String,
    pub report_id: Option<String>,
    pub org_id: String,
    pub number: String,
    pub version: i32,
    pub document_number: Option<String>,
    pub filed_at: NaiveDateTime,
    pub filed_by: String,
    pub sha256: String,
    pub xlsx_sha256: Option<String>,
}

pub fn insert(conn: &mut DbConn, row: &FiledReportRow) -> QueryResult<()> {
    diesel::insert_into(filed_reports::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// The latest version filed for a subject (and period), to number the next one.
pub fn latest_version(
    conn: &mut DbConn,
    kind: &str,
    subject_type: &str,
    subject_id: &str,
    period: &str,
) -> QueryResult<Option<i32>> {
    filed_reports::table
        .filter(filed_reports::kind.eq(kind))
        .filter(filed_reports::subject_type.eq(subject_type))
        .filter(filed_reports::subject_id.eq(subject_id))
        .filter(filed_reports::period.eq(period))
        .select(diesel::dsl::max(filed_reports::version))
        .first(conn)
}

/// Every report filed about a subject, oldest first, without the bytes.
pub fn of_subject(
    conn: &mut DbConn,
    subject_type: &str,
    subject_id: &str,
) -> QueryResult<Vec<FiledReportHead>> {
    filed_reports::table
        .filter(filed_reports::subject_type.eq(subject_type))
        .filter(filed_reports::subject_id.eq(subject_id))
        .order((filed_reports::filed_at.asc(), filed_reports::version.asc()))
        .select(FiledReportHead::as_select())
        .load(conn)
}

/// One filed report with its bytes, when it is about that subject (so that a caller who checked
/// the subject's read rule cannot be handed another subject's report).
pub fn get(
    conn: &mut DbConn,
    subject_type: &str,
    subject_id: &str,
    id: &str,
) -> QueryResult<Option<FiledReportRow>> {
    filed_reports::table
        .filter(filed_reports::id.eq(id))
        .filter(filed_reports::subject_type.eq(subject_type))
        .filter(filed_reports::subject_id.eq(subject_id))
        .select(FiledReportRow::as_select())
        .first(conn)
        .optional()
}

/// The frozen document of an incident report (`incident_reports.id`), if it was filed with one.
pub fn of_report(
    conn: &mut DbConn,
    subject_id: &str,
    report_id: &str,
) -> QueryResult<Option<FiledReportRow>> {
    filed_reports::table
        .filter(filed_reports::subject_type.eq("incident"))
        .filter(filed_reports::subject_id.eq(subject_id))
        .filter(filed_reports::report_id.eq(report_id))
        .select(FiledReportRow::as_select())
        .first(conn)
        .optional()
}

/// The reports of one kind filed about a subject (every period), newest first, each with the
/// display name of who filed it (absent if that account is gone).
pub fn of_subject_kind(
    conn: &mut DbConn,
    kind: &str,
    subject_type: &str,
    subject_id: &str,
) -> QueryResult<Vec<(FiledReportHead, Option<String>)>> {
    use crate::schema::users;
    filed_reports::table
        .left_join(users::table.on(users::id.eq(filed_reports::filed_by)))
        .filter(filed_reports::kind.eq(kind))
        .filter(filed_reports::subject_type.eq(subject_type))
        .filter(filed_reports::subject_id.eq(subject_id))
        .order((
            filed_reports::filed_at.desc(),
            filed_reports::version.desc(),
        ))
        .select((FiledReportHead::as_select(), users::display_name.nullable()))
        .load(conn)
}

/// One filed report of a kind about a subject, with its bytes.
pub fn get_of_kind(
    conn: &mut DbConn,
    kind: &str,
    subject_type: &str,
    subject_id: &str,
    id: &str,
) -> QueryResult<Option<FiledReportRow>> {
    Ok(get(conn, subject_type, subject_id, id)?.filter(|r| r.kind == kind))
}
