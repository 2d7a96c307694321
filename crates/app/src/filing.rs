//! Filing freezes a report: what a member files (Mẫu 03, Mẫu 04, Mẫu 05, the Mẫu 01
//! confirmation) is stored as its data at that moment and the document bytes then rendered, with
//! a number of its own per version, and the audit entry carries the SHA-256 of the bytes (the
//! audit log is hash-chained, so a later change to a filed document shows). Downloads of a filed
//! report return those bytes; only a draft is rendered from today's data.
//!
//! The office's own document number ("Số: 15/BC-STTTT"), the place on the date line, the
//! recipients ("Nơi nhận") and the signer are the filing's fields, given when filing.

use irnet_store::DbConn;
use irnet_store::filed_reports::{self as store, FiledReportHead, FiledReportRow};
use irnet_store::time::to_db;
use sha2::{Digest, Sha256};

use crate::audit::{self, Change};
use crate::documents::Signer;
use crate::error::Problems;
use crate::{Actor, App, AppError};

/// What the filer says about the document itself. All optional: a form without a number leaves
/// "Số: …/…" to be written in, without a signer it shows "THỦ TRƯỞNG ĐƠN VỊ".
#[derive(
    Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize, utoipa::ToSchema,
)]
#[serde(default)]
pub struct FilingInput {
    /// the office's own document number, e.g. "15/BC-STTTT" (must hold a "/")
    pub document_number: Option<String>,
    /// the place on the date line, e.g. "Bắc Kạn"
    pub place: Option<String>,
    /// "Kính gửi" and "Nơi nhận", one organisation each (at most 20)
    pub recipients: Vec<String>,
    /// the signer's title ("Giám đốc"); with `signer_name`
    pub signer_title: Option<String>,
    pub signer_name: Option<String>,
}

/// [`FilingInput`] once checked: trimmed, NFC, within bounds.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct Filing {
    pub document_number: Option<String>,
    pub place: Option<String>,
    pub recipients: Vec<String>,
    pub signer_title: Option<String>,
    pub signer_name: Option<String>,
}

impl Filing {
    pub fn signer(&self) -> Option<Signer> {
        match (&self.signer_title, &self.signer_name) {
            (Some(title), Some(name)) => Some(Signer {
                title: title.clone(),
                name: name.clone(),
            }),
            _ => None,
        }
    }
}

fn text(p: &mut Problems, field: &str, v: Option<&str>, max: usize) -> Option<String> {
    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
    let v = irnet_domain::text::nfc(v);
    if v.chars().count() > max || v.chars().any(char::is_control) {
        p.add(field, "invalid_length");
        return None;
    }
    Some(v)
}

/// A document number as administrative documents write it: a number, "/", the kind and the
/// issuer's abbreviation ("15/BC-STTTT", "38/QĐ-CATTT"); letters, digits, "/", "-", "." only.
fn document_number(v: &str) -> bool {
    let Some((n, rest)) = v.split_once('/') else {
        return false;
    };
    !n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit())
        && !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '.'))
}

/// Checks the filing's fields, naming each wrong one as `{prefix}.field`.
pub fn validate(input: &FilingInput, prefix: &str) -> Result<Filing, AppError> {
    let mut p = Problems::default();
    let f = |name: &str| format!("{prefix}.{name}");
    let number = text(
        &mut p,
        &f("document_number"),
        input.document_number.as_deref(),
        50,
    );
    let number = number.filter(|n| {
        let ok = document_number(n);
        if !ok {
            p.add(&f("document_number"), "invalid_document_number");
        }
        ok
    });
    let place = text(&mut p, &f("place"), input.place.as_deref(), 100);
    if input.recipients.len() > 20 {
        p.add(&f("recipients"), "invalid_length");
    }
    let recipients = input
        .recipients
        .iter()
        .take(20)
        .enumerate()
        .filter_map(|(i, r)| text(&mut p, &format!("{prefix}.recipients[{i}]"), Some(r), 300))
        .collect();
    let title = text(
        &mut p,
        &f("signer_title"),
        input.signer_title.as_deref(),
        200,
    );
    let name = text(&mut p, &f("signer_name"), input.signer_name.as_deref(), 200);
    match (&title, &name) {
        (Some(_), None)
            if input
                .signer_name
                .as_deref()
                .is_none_or(|n| n.trim().is_empty()) =>
        {
            p.add(&f("signer_name"), "required");
        }
        (None, Some(_))
            if input
                .signer_title
                .as_deref()
                .is_none_or(|n| n.trim().is_empty()) =>
        {
            p.add(&f("signer_title"), "required");
        }
        _ => {}
    }
    p.into_result()?;
    Ok(Filing {
        document_number: number,
        place,
        recipients,
        signer_title: title,
        signer_name: name,
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What is frozen: the subject, the number, the data and the bytes.
#[derive(Debug)]
pub struct Frozen<'a> {
    /// `mau_03`, `mau_04`, `mau_05`, `mau_01`
    pub kind: &'a str,
    /// `incident` or `organisation`
    pub subject_type: &'a str,
    pub subject_id: &'a str,
    /// Mẫu 05's period; empty for the others
    pub period: &'a str,
    pub report_id: Option<&'a str>,
    pub org_id: &'a str,
    pub number: String,
    pub version: i32,
    pub filing: &'a Filing,
    pub data: serde_json::Value,
    pub docx: Vec<u8>,
    pub xlsx: Option<Vec<u8>>,
}

/// The version the next filing of a subject gets.
pub fn next_version(
    conn: &mut DbConn,
    kind: &str,
    subject_type: &str,
    subject_id: &str,
    period: &str,
) -> Result<i32, AppError> {
    Ok(store::latest_version(conn, kind, subject_type, subject_id, period)?.map_or(1, |v| v + 1))
}

/// Stores a filed report and its audit entry (with the SHA-256 of each document), inside the
/// caller's transaction.
pub fn freeze(
    conn: &mut DbConn,
    app: &App,
    actor: &Actor,
    f: Frozen<'_>,
) -> Result<FiledReportRow, AppError> {
    let sha256 = sha256_hex(&f.docx);
    let xlsx_sha256 = f.xlsx.as_deref().map(sha256_hex);
    let row = FiledReportRow {
        id: uuid::Uuid::now_v7().to_string(),
        kind: f.kind.to_owned(),
        subject_type: f.subject_type.to_owned(),
        subject_id: f.subject_id.to_owned(),
        period: f.period.to_owned(),
        report_id: f.report_id.map(str::to_owned),
        org_id: f.org_id.to_owned(),
        number: f.number,
        version: f.version,
        document_number: f.filing.document_number.clone(),
        place: f.filing.place.clone(),
        recipients: serde_json::to_string(&f.filing.recipients).map_err(AppError::internal)?,
        signer_title: f.filing.signer_title.clone(),
        signer_name: f.filing.signer_name.clone(),
        filed_at: to_db(app.now()),
        filed_by: actor.principal.user_id.as_str().to_owned(),
        data: f.data.to_string(),
        docx: f.docx,
        sha256,
        xlsx: f.xlsx,
        xlsx_sha256,
    };
    store::insert(conn, &row)?;
    audit::record(
        conn,
        app,
        actor,
        Change {
            action: "report.filed",
            object_type: row.subject_type.as_str(),
            object_id: Some(row.subject_id.as_str()),
            object_org_id: Some(row.org_id.as_str()),
            summary: serde_json::json!({
                "filed_report_id": row.id, "kind": row.kind, "number": row.number,
                "version": row.version, "period": row.period,
                "document_number": row.document_number,
                "sha256": row.sha256, "xlsx_sha256": row.xlsx_sha256,
            }),
        },
    )?;
    Ok(row)
}

/// A filed report as lists show it (without its bytes).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FiledReportView {
    pub id: String,
    /// `mau_03`, `mau_04`, `mau_05`, `mau_01`
    pub kind: String,
    /// the network's number of this version
    pub number: String,
    pub version: i32,
    /// the office's own document number
    pub document_number: Option<String>,
    pub period: String,
    /// the incident report it files, if any
    pub report_id: Option<String>,
    /// in the network's time zone
    pub filed_at: String,
    pub filed_by: String,
    /// SHA-256 of the DOCX as filed
    pub sha256: String,
    pub has_xlsx: bool,
    /// the name of who filed it (absent where not looked up, or the account is gone)
    pub filed_by_name: Option<String>,
}

pub fn view(app: &App, r: FiledReportHead) -> FiledReportView {
    FiledReportView {
        filed_at: app.local(r.filed_at),
        has_xlsx: r.xlsx_sha256.is_some(),
        id: r.id,
        kind: r.kind,
        number: r.number,
        version: r.version,
        document_number: r.document_number,
        period: r.period,
        report_id: r.report_id,
        filed_by: r.filed_by,
        sha256: r.sha256,
        filed_by_name: None,
    }
}

/// A report just filed as lists show it, with the name of who filed it.
pub fn filed_view(
    conn: &mut DbConn,
    app: &App,
    row: FiledReportRow,
) -> Result<FiledReportView, AppError> {
    let name = irnet_store::identity::users::get(conn, &row.filed_by)?.map(|u| u.display_name);
    Ok(FiledReportView {
        filed_by_name: name,
        ..view(app, row.head())
    })
}

/// The versions of one kind filed about an organisation (every period), newest first, each
/// with the name of who filed it. The caller checked that the reader may read them.
pub fn of_organisation(
    conn: &mut DbConn,
    app: &App,
    kind: &str,
    org_id: &str,
) -> Result<Vec<FiledReportView>, AppError> {
    Ok(store::of_subject_kind(conn, kind, "organisation", org_id)?
        .into_iter()
        .map(|(r, name)| FiledReportView {
            filed_by_name: name,
            ..view(app, r)
        })
        .collect())
}

/// The code an organisation's filed documents are numbered with: its member code, else its
/// short name in ASCII capitals, else its name's initials.
pub fn org_code(org: &irnet_store::directory::orgs::OrgRow) -> String {
    let fold = |s: &str| {
        irnet_domain::text::fold(s)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_uppercase()
    };
    if let Some(c) = org.member_code.as_deref().filter(|c| !c.trim().is_empty()) {
        return c.trim().to_owned();
    }
    if let Some(s) = org
        .short_name
        .as_deref()
        .map(fold)
        .filter(|s| !s.is_empty())
    {
        return s;
    }
    let initials: String = org
        .name_vi
        .split_whitespace()
        .filter_map(|w| fold(w).chars().next())
        .collect();
    if initials.is_empty() {
        "TV".to_owned()
    } else {
        initials
    }
}

/// The number of a version: "LS/BC05-2025-H2" for the first, "LS/BC05-2025-H2-2" for the
/// second, so that no two filed documents share one.
pub fn numbered(code: &str, form: &str, period: &str, version: i32) -> String {
    let base = if period.is_empty() {
        format!("{code}/{form}")
    } else {
        format!("{code}/{form}-{period}")
    };
    if version <= 1 {
        base
    } else {
        format!("{base}-{version}")
    }
}

/// A file name safe in a header, from a number.
pub fn ascii_name(number: &str) -> String {
    number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_numbers_are_checked_and_signers_come_whole() {
        assert!(document_number("15/BC-STTTT"));
        assert!(document_number("38/QĐ-CATTT"));
        assert!(!document_number("BC-STTTT"));
        assert!(!document_number("15/"));
        assert!(!document_number("x/BC"));
        let ok = validate(
            &FilingInput {
                document_number: Some(" 15/BC-STTTT ".into()),
                signer_title: Some("Giám đốc".into()),
                signer_name: Some("Hoàng Văn Thiên".into()),
                recipients: vec!["Cục An toàn thông tin".into(), " ".into()],
                ..FilingInput::default()
            },
            "filing",
        )
        .unwrap_or_default();
        assert_eq!(ok.document_number.as_deref(), Some("15/BC-STTTT"));
        assert_eq!(ok.recipients, vec!["Cục An toàn thông tin".to_owned()]);
        assert!(ok.signer().is_some());
        let bad = validate(
            &FilingInput {
                document_number: Some("mười lăm".into()),
                signer_title: Some("Giám đốc".into()),
                ..FilingInput::default()
            },
            "filing",
        );
        let Err(AppError::Validation(errors)) = bad else {
            panic!("refused");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["filing.document_number", "filing.signer_name"]);
    }
}
