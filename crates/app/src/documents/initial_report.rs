//! Mẫu 03 — BÁO CÁO BAN ĐẦU SỰ CỐ AN TOÀN THÔNG TIN MẠNG (Circular 20/2017/TT-BTTTT): what an
//! operator files at once when an incident may exceed what it can handle alone. Always in
//! Vietnamese, in the form's numbered order; every field the caller leaves empty shows
//! [`word::NONE`](super::word::NONE), so a reader sees it was not forgotten.

use chrono::NaiveDateTime;

use super::word::{
    addressees, append, centred, checklist, document, form_mark, heading, labelled, list_field,
    numbered_motto_block, official_date_time, pack, para, place_date, sign_off, text_field,
    yes_no_field,
};
use super::{Check, Signer};
use crate::AppError;
use crate::error::Problems;

/// The usual answers to "Tình trạng sự cố" (the incident's status), for callers that offer the
/// form's own options.
pub const STATUS_OPTIONS: [&str; 3] = ["Đã được xử lý", "Đang xử lý", "Chưa xử lý"];
/// The usual answers to "Cách thức phát hiện sự cố" (how it was detected).
pub const DETECTION_OPTIONS: [&str; 4] = [
    "Qua hệ thống giám sát",
    "Qua thông báo, cảnh báo của tổ chức, cá nhân khác",
    "Qua kiểm tra, rà soát của đơn vị",
    "Khác",
];
/// The usual answers to "Đã thông báo sự cố cho" (who was already notified).
pub const NOTIFIED_OPTIONS: [&str; 5] = [
    "Cơ quan điều phối quốc gia",
    "Cơ quan chủ quản",
    "Đơn vị chuyên trách về an toàn thông tin",
    "Cơ quan công an",
    "Doanh nghiệp cung cấp dịch vụ",
];

/// The person who files the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Reporter {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// An organisation named with its contacts: the system's operator or its owner.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Party {
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The information system the incident struck, as the form describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct AffectedSystem {
    pub name: String,
    /// what the system is used for
    pub purpose: Option<String>,
    /// 1–5 (Decree 85/2016/NĐ-CP); anything else is refused
    pub security_level: Option<u8>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    /// the services it runs (web, mail, database …)
    pub services: Vec<String>,
    /// the security measures in place (firewall, anti-malware, monitoring …)
    pub security_measures: Vec<String>,
    pub public_ips: Vec<String>,
    pub domains: Vec<String>,
}

/// Everything Mẫu 03 shows. Times are local (the network's time zone), as the form prints them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InitialReport {
    /// the report's number ("15/BC-STTTT"); without one the form leaves "Số: …/…" to fill in
    pub number: Option<String>,
    /// the network's number of this filing ("BK-2024-0001/BC03"), printed under the form's
    /// mark so that the paper and the record can be matched
    pub reference: Option<String>,
    /// the place on the date line ("Cao Bằng"); "…" when not given
    pub place: Option<String>,
    /// when the report is made: its date line and item 18
    pub reported_at: NaiveDateTime,
    /// "Kính gửi"; empty means the national coordinator
    pub recipients: Vec<String>,
    /// the reporting organisation
    pub organisation: String,
    pub reporter: Reporter,
    pub operator: Option<Party>,
    pub owner: Option<Party>,
    pub system: AffectedSystem,
    /// the security-service provider
    pub security_provider: Option<String>,
    /// the connectivity provider (ISP)
    pub connectivity_provider: Option<String>,
    pub summary: String,
    pub detected_at: NaiveDateTime,
    /// the incident's status, as the form's checklist
    pub status: Vec<Check>,
    /// how it was detected, as the form's checklist
    pub detection: Vec<Check>,
    /// who was already notified, as the form's checklist
    pub notified: Vec<Check>,
    /// whether the reporter asks for the information to be kept confidential
    pub confidential: bool,
    pub support_requested: Option<String>,
    /// actions taken or planned
    pub actions: Option<String>,
    pub assisting_organisations: Vec<String>,
    pub initial_result: Option<String>,
    /// the names of the attached files (logs, samples …)
    pub attachments: Vec<String>,
    pub signer: Option<Signer>,
}

fn party(doc: docx_rs::Docx, p: Option<&Party>) -> docx_rs::Docx {
    let name = p.map(|p| p.name.as_str());
    append(
        doc,
        [
            text_field("Tên đơn vị", name),
            text_field("Địa chỉ", p.and_then(|p| p.address.as_deref())),
            text_field("Điện thoại", p.and_then(|p| p.phone.as_deref())),
            text_field("Email", p.and_then(|p| p.email.as_deref())),
        ]
        .concat(),
    )
}

/// The DOCX of an initial report. A security level outside 1–5 is refused (field
/// `system.security_level`); nothing else in the data can be wrong for the form.
pub fn render(r: &InitialReport) -> Result<Vec<u8>, AppError> {
    render_as(r, false)
}

/// [`render`] marked as a draft ([`word::DRAFT_LINE`](super::word::DRAFT_LINE)): what the
/// report would say if filed now.
pub fn render_draft(r: &InitialReport) -> Result<Vec<u8>, AppError> {
    render_as(r, true)
}

fn render_as(r: &InitialReport, draft: bool) -> Result<Vec<u8>, AppError> {
    let mut problems = Problems::default();
    if r.system
        .security_level
        .is_some_and(|l| !(1..=5).contains(&l))
    {
        problems.add("system.security_level", "out_of_range");
    }
    problems.into_result()?;

    let mut doc = document();
    if draft {
        doc = doc.add_paragraph(super::word::draft_mark());
    }
    doc = doc
        .add_paragraph(form_mark("Mẫu 03"))
        .add_paragraph(super::word::reference_mark(r.reference.as_deref()))
        .add_table(numbered_motto_block(
            &r.organisation,
            Some(r.number.as_deref().unwrap_or_default()),
            &place_date(r.place.as_deref(), r.reported_at.date()),
        ))
        .add_paragraph(para(""))
        .add_paragraph(centred("BÁO CÁO BAN ĐẦU", true))
        .add_paragraph(centred("SỰ CỐ AN TOÀN THÔNG TIN MẠNG", true));
    doc = append(doc, addressees(&r.recipients));

    let rep = &r.reporter;
    doc = doc.add_paragraph(heading(1, "Tổ chức, cá nhân báo cáo sự cố"));
    doc = append(
        doc,
        [
            text_field("Tên tổ chức", Some(r.organisation.as_str())),
            text_field("Người báo cáo", Some(rep.name.as_str())),
            text_field("Chức vụ", rep.title.as_deref()),
            text_field("Điện thoại", rep.phone.as_deref()),
            text_field("Email", rep.email.as_deref()),
        ]
        .concat(),
    );
    doc = party(
        doc.add_paragraph(heading(2, "Đơn vị vận hành hệ thống thông tin")),
        r.operator.as_ref(),
    );
    doc = party(
        doc.add_paragraph(heading(3, "Cơ quan, tổ chức chủ quản hệ thống thông tin")),
        r.owner.as_ref(),
    );

    let s = &r.system;
    let level = s.security_level.map(|l| format!("Cấp độ {l}"));
    doc = doc.add_paragraph(heading(4, "Hệ thống thông tin bị sự cố"));
    doc = append(
        doc,
        [
            text_field("Tên hệ thống", Some(s.name.as_str())),
            text_field("Mục đích sử dụng", s.purpose.as_deref()),
            text_field("Cấp độ an toàn hệ thống thông tin", level.as_deref()),
        ]
        .concat(),
    );
    doc = doc.add_paragraph(heading(5, "Nhà cung cấp dịch vụ"));
    doc = append(
        doc,
        [
            text_field(
                "Đơn vị cung cấp dịch vụ an toàn thông tin",
                r.security_provider.as_deref(),
            ),
            text_field(
                "Đơn vị cung cấp dịch vụ kết nối (ISP)",
                r.connectivity_provider.as_deref(),
            ),
        ]
        .concat(),
    );

    doc = doc.add_paragraph(heading(6, "Mô tả sơ bộ về sự cố"));
    doc = append(doc, text_field("Nội dung", Some(r.summary.as_str())));
    doc = doc
        .add_paragraph(heading(7, "Thời điểm phát hiện sự cố"))
        .add_paragraph(labelled(
            "Ngày, giờ phát hiện",
            &official_date_time(r.detected_at),
        ));
    doc = append(
        doc.add_paragraph(heading(8, "Tình trạng sự cố")),
        checklist("Tình trạng", &r.status),
    );
    doc = append(
        doc.add_paragraph(heading(9, "Cách thức phát hiện sự cố")),
        checklist("Phát hiện", &r.detection),
    );
    doc = append(
        doc.add_paragraph(heading(10, "Đã thông báo sự cố cho")),
        checklist("Đã thông báo", &r.notified),
    );

    doc = doc.add_paragraph(heading(11, "Thông tin về hệ thống bị sự cố"));
    doc = append(
        doc,
        [
            text_field("Hệ điều hành", s.os.as_deref()),
            text_field("Phiên bản", s.os_version.as_deref()),
            list_field("Các dịch vụ trên hệ thống", &s.services),
            list_field(
                "Các biện pháp bảo đảm an toàn thông tin đã triển khai",
                &s.security_measures,
            ),
            list_field("Địa chỉ IP công khai", &s.public_ips),
            list_field("Tên miền", &s.domains),
        ]
        .concat(),
    );

    doc = doc
        .add_paragraph(heading(12, "Đề nghị giữ bí mật thông tin về sự cố"))
        .add_paragraph(yes_no_field("Giữ bí mật", r.confidential));
    doc = append(
        doc.add_paragraph(heading(13, "Đề nghị hỗ trợ ứng cứu sự cố")),
        text_field("Nội dung đề nghị", r.support_requested.as_deref()),
    );
    doc = append(
        doc.add_paragraph(heading(
            14,
            "Các biện pháp đã thực hiện và dự kiến thực hiện",
        )),
        text_field("Biện pháp", r.actions.as_deref()),
    );
    doc = append(
        doc.add_paragraph(heading(15, "Tổ chức, cá nhân tham gia hỗ trợ xử lý")),
        list_field("Tổ chức, cá nhân", &r.assisting_organisations),
    );
    doc = append(
        doc.add_paragraph(heading(16, "Kết quả xử lý ban đầu")),
        text_field("Kết quả", r.initial_result.as_deref()),
    );
    doc = append(
        doc.add_paragraph(heading(17, "Tài liệu gửi kèm")),
        list_field("Tài liệu", &r.attachments),
    );
    doc = doc
        .add_paragraph(heading(18, "Thời điểm báo cáo"))
        .add_paragraph(labelled(
            "Ngày, giờ báo cáo",
            &official_date_time(r.reported_at),
        ));
    pack(sign_off(doc, &r.recipients, r.signer.as_ref()))
}
