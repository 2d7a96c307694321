//! Mẫu 04 — BÁO CÁO KẾT THÚC ỨNG CỨU SỰ CỐ (Circular 20/2017/TT-BTTTT): filed within 5 days after
//! the response ends; the coordinator counts an incident closed only when it is in. It cites the
//! initial report (Mẫu 03) by number and date. Always in Vietnamese, in the form's numbered order.

use chrono::{NaiveDate, NaiveDateTime};

use super::Signer;
use super::word::{
    addressees, append, centred, document, form_mark, heading, list_field, numbered_motto_block,
    official_date, official_date_time, pack, para, place_date, run, sign_off, text_field,
};
use crate::AppError;
use crate::error::Problems;

/// The document a closing report answers: the initial report's number and date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Citation {
    pub number: String,
    pub date: NaiveDate,
}

/// Everything Mẫu 04 shows. Times are local (the network's time zone).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClosingReport {
    /// the report's number; without one the form leaves "Số: …/…" to fill in
    pub number: Option<String>,
    /// the network's number of this filing ("BK-2024-0001/BC03"), printed under the form's
    /// mark so that the paper and the record can be matched
    pub reference: Option<String>,
    /// the place on the date line; "…" when not given
    pub place: Option<String>,
    /// when the report is made (its date line)
    pub reported_at: NaiveDateTime,
    /// "Kính gửi"; empty means the national coordinator
    pub recipients: Vec<String>,
    /// the reporting organisation
    pub organisation: String,
    /// the initial report (Mẫu 03) this one closes; an incident handled without one cites none
    pub initial_report: Option<Citation>,
    pub incident_title: String,
    /// the affected information system
    pub system: Option<String>,
    pub response_started: Option<NaiveDateTime>,
    pub response_ended: Option<NaiveDateTime>,
    pub result: Option<String>,
    pub cause: Option<String>,
    pub damage: Option<String>,
    pub lessons: Option<String>,
    pub proposals: Option<String>,
    /// the organisations that helped respond
    pub helped_by: Vec<String>,
    /// the names of the attached files (logs, plans …)
    pub attachments: Vec<String>,
    pub signer: Option<Signer>,
}

/// The DOCX of a closing report. A response that ends before it starts is refused (field
/// `response_ended`).
pub fn render(r: &ClosingReport) -> Result<Vec<u8>, AppError> {
    render_as(r, false)
}

/// [`render`] marked as a draft: what the report would say if filed now.
pub fn render_draft(r: &ClosingReport) -> Result<Vec<u8>, AppError> {
    render_as(r, true)
}

fn render_as(r: &ClosingReport, draft: bool) -> Result<Vec<u8>, AppError> {
    let mut problems = Problems::default();
    if let (Some(start), Some(end)) = (r.response_started, r.response_ended)
        && end < start
    {
        problems.add("response_ended", "out_of_range");
    }
    problems.into_result()?;

    let cited = r.initial_report.as_ref().map_or_else(
        || "Báo cáo ban đầu sự cố: (Không có)".to_owned(),
        |c| {
            format!(
                "Căn cứ Báo cáo ban đầu sự cố số {} {}",
                c.number.trim(),
                official_date(c.date)
            )
        },
    );
    let mut doc = document();
    if draft {
        doc = doc.add_paragraph(super::word::draft_mark());
    }
    doc = doc
        .add_paragraph(form_mark("Mẫu 04"))
        .add_paragraph(super::word::reference_mark(r.reference.as_deref()))
        .add_table(numbered_motto_block(
            &r.organisation,
            Some(r.number.as_deref().unwrap_or_default()),
            &place_date(r.place.as_deref(), r.reported_at.date()),
        ))
        .add_paragraph(para(""))
        .add_paragraph(centred("BÁO CÁO KẾT THÚC ỨNG CỨU SỰ CỐ", true))
        .add_paragraph(centred("AN TOÀN THÔNG TIN MẠNG", true));
    doc = append(doc, addressees(&r.recipients));
    doc = doc.add_paragraph(docx_rs::Paragraph::new().add_run(run(&cited).italic()));

    let at = |t: Option<NaiveDateTime>| t.map(official_date_time);
    let sections: [(&str, Vec<docx_rs::Paragraph>); 10] = [
        (
            "Tổ chức báo cáo",
            text_field("Tên tổ chức", Some(r.organisation.as_str())),
        ),
        (
            "Thông tin về sự cố",
            [
                text_field("Tên sự cố", Some(r.incident_title.as_str())),
                text_field("Hệ thống thông tin bị sự cố", r.system.as_deref()),
            ]
            .concat(),
        ),
        (
            "Thời gian ứng cứu sự cố",
            [
                text_field("Bắt đầu", at(r.response_started).as_deref()),
                text_field("Kết thúc", at(r.response_ended).as_deref()),
            ]
            .concat(),
        ),
        (
            "Kết quả ứng cứu sự cố",
            text_field("Kết quả", r.result.as_deref()),
        ),
        (
            "Nguyên nhân sự cố",
            text_field("Nguyên nhân", r.cause.as_deref()),
        ),
        (
            "Thiệt hại do sự cố gây ra",
            text_field("Thiệt hại", r.damage.as_deref()),
        ),
        (
            "Bài học kinh nghiệm",
            text_field("Bài học", r.lessons.as_deref()),
        ),
        (
            "Đề xuất, kiến nghị",
            text_field("Đề xuất", r.proposals.as_deref()),
        ),
        (
            "Tổ chức, cá nhân đã hỗ trợ ứng cứu",
            list_field("Tổ chức, cá nhân", &r.helped_by),
        ),
        ("Tài liệu gửi kèm", list_field("Tài liệu", &r.attachments)),
    ];
    for (i, (title, fields)) in sections.into_iter().enumerate() {
        doc = append(doc.add_paragraph(heading(i + 1, title)), fields);
    }
    pack(sign_off(doc, &r.recipients, r.signer.as_ref()))
}
