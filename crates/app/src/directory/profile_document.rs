//! Mẫu 01 — THÔNG TIN THÀNH VIÊN MẠNG LƯỚI ỨNG CỨU SỰ CỐ: a member's profile in the form's layout
//! and wording, in Vietnamese (the language the form is filed in, whatever the reader's UI
//! language). It lives with the directory, whose profile it renders; the form's building blocks
//! come from `documents::word`.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::AppError;
use crate::directory::profile::MemberProfile;
use crate::documents::word::{
    centred, document, draft_mark, facts, form_mark, heading, labelled, numbered_motto_block,
    official_date, pack, para, place_date, reference_mark, short_date, sign_off, subheading, table,
    wide_table,
};
use crate::filing::Filing;

fn kind_vi(kind: &str) -> &'static str {
    match kind {
        "national_coordinator" => "Cơ quan điều phối quốc gia",
        "state_authority" => "Cơ quan quản lý nhà nước",
        "ministry_unit" => "Đơn vị chuyên trách của bộ, ngành",
        "provincial_department" => "Sở, ban, ngành cấp tỉnh",
        "enterprise" => "Doanh nghiệp",
        _ => "Khác",
    }
}

fn role_vi(role: &str) -> &'static str {
    match role {
        "leader" => "Đội trưởng",
        "deputy" => "Đội phó",
        "expert" => "Chuyên gia",
        _ => "Thành viên",
    }
}

fn level_vi(level: &str) -> &'static str {
    match level {
        "advanced" => "Nâng cao",
        "intermediate" => "Trung bình",
        _ => "Cơ bản",
    }
}

fn yes_no(b: bool) -> String {
    if b { "Có" } else { "Không" }.to_owned()
}

fn or_dash(v: Option<&str>) -> String {
    v.filter(|s| !s.is_empty()).unwrap_or("—").to_owned()
}

fn date_or_dash(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "—".to_owned(), short_date)
}

const NONE: &str = "(Chưa có thông tin)";

/// The DOCX of a member's profile; `issued` is the day on the date line, `offset` the network's
/// time zone, in which instants become days.
pub fn render(
    p: &MemberProfile,
    issued: NaiveDate,
    offset: FixedOffset,
) -> Result<Vec<u8>, AppError> {
    render_as(p, issued, offset, None, &Filing::default(), false)
}

/// [`render`] as filed (`reference`: the network's number of this version; the filing's number,
/// place, recipients and signer) or as a draft, which says so on its first line.
pub fn render_as(
    p: &MemberProfile,
    issued: NaiveDate,
    offset: FixedOffset,
    reference: Option<&str>,
    filing: &Filing,
    draft: bool,
) -> Result<Vec<u8>, AppError> {
    let day = |at: &DateTime<Utc>| short_date(at.with_timezone(&offset).date_naive());
    let org = &p.organisation;
    let mut doc = document();
    if draft {
        doc = doc.add_paragraph(draft_mark());
    }
    let mut doc = doc
        .add_paragraph(form_mark("Mẫu 01"))
        .add_paragraph(reference_mark(reference))
        .add_table(numbered_motto_block(
            &org.name_vi,
            Some(filing.document_number.as_deref().unwrap_or_default()),
            &place_date(filing.place.as_deref(), issued),
        ))
        .add_paragraph(para(""))
        .add_paragraph(centred(
            "THÔNG TIN THÀNH VIÊN MẠNG LƯỚI ỨNG CỨU SỰ CỐ",
            true,
        ))
        .add_paragraph(centred(
            &format!("(Thông tin tại {})", official_date(p.as_of)),
            false,
        ));

    // 1. The organisation.
    let clusters = org
        .clusters
        .iter()
        .map(|c| c.name_vi.clone())
        .collect::<Vec<_>>()
        .join("; ");
    doc = doc
        .add_paragraph(heading(1, "Thông tin chung về tổ chức"))
        .add_table(facts(&[
            ("Tên tổ chức", org.name_vi.clone()),
            ("Tên tiếng Anh", or_dash(org.name_en.as_deref())),
            ("Tên viết tắt", or_dash(org.short_name.as_deref())),
            ("Loại hình", kind_vi(&org.kind).to_owned()),
            ("Mã thành viên", or_dash(org.member_code.as_deref())),
            ("Cụm thành viên", or_dash(Some(&clusters))),
            ("Địa chỉ", or_dash(p.details.address.as_deref())),
            ("Điện thoại", or_dash(p.details.phone.as_deref())),
            ("Thư điện tử", or_dash(p.details.email.as_deref())),
            ("Người đứng đầu", head(&p.details)),
        ]));

    // 2. Contacts.
    let contacts: Vec<Vec<String>> = p
        .contacts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            vec![
                (i + 1).to_string(),
                c.full_name.clone(),
                or_dash(c.title.as_deref()),
                c.phones.join("\n"),
                c.emails.join("\n"),
            ]
        })
        .collect();
    doc = doc
        .add_paragraph(heading(2, "Thông tin liên hệ"))
        .add_table(table(
            &["STT", "Họ và tên", "Chức vụ", "Điện thoại", "Email"],
            &[6, 24, 28, 18, 24],
            &contacts,
            NONE,
        ));

    // 3. 24/7 focal points.
    let focal: Vec<Vec<String>> = p
        .focal_points
        .iter()
        .map(|f| {
            vec![
                if f.kind == "main" {
                    "Đầu mối chính"
                } else {
                    "Đầu mối dự phòng"
                }
                .to_owned(),
                f.person.full_name.clone(),
                or_dash(f.person.title.as_deref()),
                f.person.phones.join("\n"),
                f.person.emails.join("\n"),
                day(&f.since),
                day(&f.confirmed_at),
            ]
        })
        .collect();
    doc = doc
        .add_paragraph(heading(3, "Đầu mối ứng cứu sự cố 24/7"))
        .add_table(table(
            &[
                "Đầu mối",
                "Họ và tên",
                "Chức vụ",
                "Điện thoại",
                "Email",
                "Từ ngày",
                "Xác nhận gần nhất",
            ],
            &[14, 17, 17, 14, 16, 11, 11],
            &focal,
            NONE,
        ));

    // 4. The incident response team.
    let t = &p.team;
    let decision = match (&t.decision_number, t.decision_date) {
        (Some(n), Some(d)) => format!("Quyết định số {n} {}", official_date(d)),
        (Some(n), None) => format!("Quyết định số {n}"),
        (None, Some(d)) => format!("Quyết định {}", official_date(d)),
        (None, None) => "—".to_owned(),
    };
    let decision = match &t.decision_issuer {
        Some(by) if decision != "—" => format!("{decision} của {by}"),
        _ => decision,
    };
    let members: Vec<Vec<String>> = t
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            vec![
                (i + 1).to_string(),
                m.person.full_name.clone(),
                or_dash(m.person.title.as_deref()),
                role_vi(&m.role).to_owned(),
                m.person.phones.join("\n"),
            ]
        })
        .collect();
    doc = doc
        .add_paragraph(heading(4, "Đội ứng cứu sự cố"))
        .add_paragraph(labelled("Quyết định thành lập", &decision))
        .add_table(table(
            &[
                "STT",
                "Họ và tên",
                "Chức vụ",
                "Vai trò trong đội",
                "Điện thoại",
            ],
            &[6, 26, 30, 18, 20],
            &members,
            NONE,
        ));

    // 5. Capabilities and skills.
    let caps: Vec<Vec<String>> = p
        .capabilities
        .iter()
        .enumerate()
        .map(|(i, c)| {
            vec![
                (i + 1).to_string(),
                c.label_vi.clone(),
                level_vi(&c.level).to_owned(),
                or_dash(c.note.as_deref()),
            ]
        })
        .collect();
    doc = doc
        .add_paragraph(heading(5, "Năng lực, kỹ năng ứng cứu sự cố"))
        .add_table(table(
            &["STT", "Lĩnh vực", "Mức độ", "Ghi chú"],
            &[6, 38, 16, 40],
            &caps,
            NONE,
        ));

    // 6. Information systems with their security levels.
    let systems: Vec<Vec<String>> = p
        .systems
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let approval = match (&s.approval_decision, s.approval_date) {
                (Some(n), Some(d)) => format!("{n}, {}", short_date(d)),
                (Some(n), None) => n.clone(),
                (None, Some(d)) => short_date(d),
                (None, None) => "—".to_owned(),
            };
            let name = |id: &str| {
                p.system_orgs
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| "—".to_owned())
            };
            let operator = s
                .operator_org_id
                .as_deref()
                .map_or_else(|| name(&s.owner_org_id), name);
            let approval = match &s.approver {
                Some(by) if approval != "—" => format!("{approval} ({by})"),
                _ => approval,
            };
            vec![
                (i + 1).to_string(),
                s.name.clone(),
                format!("Chủ quản: {}\nVận hành: {operator}", name(&s.owner_org_id)),
                s.proposed_level.map_or("—".to_owned(), |l| l.to_string()),
                s.approved_level.map_or("—".to_owned(), |l| l.to_string()),
                approval,
                yes_no(s.internet_facing),
                yes_no(s.critical),
            ]
        })
        .collect();
    doc = doc
        .add_paragraph(heading(6, "Hệ thống thông tin và cấp độ an toàn"))
        // Eight columns: 11 pt, and the decision number ("1234/QĐ-UBND") on one line.
        .add_table(wide_table(
            &[
                "STT",
                "Tên hệ thống",
                "Chủ quản, vận hành",
                "Cấp độ đề xuất",
                "Cấp độ được phê duyệt",
                "Quyết định phê duyệt",
                "Kết nối Internet",
                "Hệ thống quan trọng",
            ],
            &[7, 16, 18, 9, 10, 20, 11, 9],
            &systems,
            NONE,
        ));

    // 7. Staff.
    let s = &p.staff;
    let by_field = vec![vec![
        s.by_field.it.to_string(),
        s.by_field.security.to_string(),
        s.by_field.other.to_string(),
        (s.by_field.it + s.by_field.security + s.by_field.other).to_string(),
    ]];
    let d = &s.by_degree;
    let by_degree = vec![vec![
        d.doctorate.to_string(),
        d.master.to_string(),
        d.bachelor.to_string(),
        d.college.to_string(),
        d.other.to_string(),
    ]];
    let certs: Vec<Vec<String>> = s
        .certificates
        .iter()
        .enumerate()
        .map(|(i, c)| vec![(i + 1).to_string(), c.name.clone(), c.count.to_string()])
        .collect();
    doc = doc
        .add_paragraph(heading(7, "Nhân lực"))
        .add_paragraph(subheading("7.1", "Theo lĩnh vực"))
        .add_table(table(
            &[
                "Công nghệ thông tin",
                "An toàn thông tin",
                "Khác",
                "Tổng số",
            ],
            &[25, 25, 25, 25],
            &by_field,
            NONE,
        ))
        .add_paragraph(subheading("7.2", "Theo trình độ"))
        .add_table(table(
            &["Tiến sĩ", "Thạc sĩ", "Đại học", "Cao đẳng", "Khác"],
            &[20, 20, 20, 20, 20],
            &by_degree,
            NONE,
        ))
        .add_paragraph(subheading("7.3", "Theo chứng chỉ"))
        .add_table(table(
            &["STT", "Chứng chỉ", "Số lượng"],
            &[10, 60, 30],
            &certs,
            NONE,
        ));

    // 8. Experts.
    let experts: Vec<Vec<String>> = p
        .experts
        .iter()
        .enumerate()
        .map(|(i, e)| {
            vec![
                (i + 1).to_string(),
                e.person.full_name.clone(),
                e.expertise.clone(),
                if e.certificates.is_empty() {
                    "—".to_owned()
                } else {
                    e.certificates.join(", ")
                },
            ]
        })
        .collect();
    doc = doc.add_paragraph(heading(8, "Chuyên gia")).add_table(table(
        &["STT", "Họ và tên", "Lĩnh vực chuyên môn", "Chứng chỉ"],
        &[6, 28, 36, 30],
        &experts,
        NONE,
    ));

    doc = doc
        .add_paragraph(para(""))
        .add_paragraph(labelled(
            "Cập nhật gần nhất",
            &p.updated_at.map_or_else(|| "—".to_owned(), |u| day(&u)),
        ))
        .add_paragraph(labelled(
            "Xác nhận hằng năm gần nhất",
            &date_or_dash(p.confirmed_on),
        ));
    pack(sign_off(doc, &filing.recipients, filing.signer().as_ref()))
}

/// "Giám đốc Nguyễn Văn A", or what is known of it.
fn head(d: &crate::directory::profile::OrgDetails) -> String {
    match (&d.head_title, &d.head_name) {
        (Some(t), Some(n)) => format!("{t} {n}"),
        (None, Some(n)) => n.clone(),
        _ => "—".to_owned(),
    }
}
