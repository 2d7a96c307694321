//! The incident forms rendered from filled and from nearly empty data, read back as a reader sees
//! them: the DOCX's `word/document.xml` as text per paragraph and per table row, the XLSX through
//! calamine.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed unwrap in a test is a failed assertion

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};
use irnet_app::AppError;
use irnet_app::documents::closing_report::{self, Citation, ClosingReport};
use irnet_app::documents::initial_report::{self, AffectedSystem, InitialReport, Party, Reporter};
use irnet_app::documents::statistics::{self, Period, Statistics, TypeRow};
use irnet_app::documents::{Check, Signer};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

fn document_xml(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("a DOCX is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The text of the `<w:t>` elements in a piece of WordprocessingML, unescaped.
fn text_of(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<w:t") {
        let after = &rest[start + 4..];
        // `<w:t>` or `<w:t xml:space=…>`, not `<w:tbl>`, `<w:tc>`, `<w:tr>`…
        if !(after.starts_with('>') || after.starts_with(' ')) {
            rest = after;
            continue;
        }
        let open_end = after.find('>').unwrap();
        let body = &after[open_end + 1..];
        let close = body.find("</w:t>").unwrap();
        out.push_str(&body[..close]);
        rest = &body[close..];
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Every paragraph's text, in order.
fn paragraphs(xml: &str) -> Vec<String> {
    xml.split("</w:p>").map(text_of).collect()
}

/// Every table row as its cells' texts.
fn table_rows(xml: &str) -> Vec<Vec<String>> {
    xml.split("</w:tr>")
        .filter(|r| r.contains("<w:tc>") || r.contains("<w:tc "))
        .map(|r| {
            let start = ["<w:tr>", "<w:tr "]
                .iter()
                .filter_map(|t| r.rfind(t))
                .max()
                .unwrap_or(0);
            let r = &r[start..];
            let mut cells: Vec<String> = r.split("</w:tc>").map(text_of).collect();
            cells.pop(); // what follows the last cell
            cells
        })
        .collect()
}

fn assert_has(paras: &[String], expected: &str) {
    assert!(
        paras.iter().any(|p| p == expected),
        "no paragraph reads {expected:?}; the document has:\n{}",
        paras
            .iter()
            .filter(|p| !p.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn field_error(e: AppError) -> Vec<(String, String)> {
    match e {
        AppError::Validation(errors) => errors.into_iter().map(|f| (f.field, f.code)).collect(),
        other => panic!("expected a validation failure, got {other:?}"),
    }
}

fn filled_initial() -> InitialReport {
    let check = |labels: &[&str], ticked: &[&str]| {
        labels
            .iter()
            .map(|l| Check::new(*l, ticked.contains(l)))
            .collect::<Vec<_>>()
    };
    InitialReport {
        number: s("15/BC-STTTT"),
        reference: None,
        place: s("Cao Bằng"),
        reported_at: at(2024, 12, 20, 14, 30),
        recipients: strings(&["Cục An toàn thông tin"]),
        organisation: "Sở Khoa học và Công nghệ tỉnh Cao Bằng".into(),
        reporter: Reporter {
            name: "Nông Văn Dũng".into(),
            title: s("Phó Giám đốc Trung tâm Tích hợp dữ liệu"),
            phone: s("0912 345 678"),
            email: s("dungnv@caobang.gov.vn"),
        },
        operator: Some(Party {
            name: "Trung tâm Tích hợp dữ liệu tỉnh Cao Bằng".into(),
            address: s("Số 1 Hoàng Đình Giong, phường Thục Phán, tỉnh Cao Bằng"),
            phone: s("0206 3852 000"),
            email: s("ttdl@caobang.gov.vn"),
        }),
        owner: Some(Party {
            name: "Ủy ban nhân dân tỉnh Cao Bằng".into(),
            address: None,
            phone: None,
            email: s("ubnd@caobang.gov.vn"),
        }),
        system: AffectedSystem {
            name: "Cổng dịch vụ công tỉnh Cao Bằng".into(),
            purpose: s("Cung cấp dịch vụ công trực tuyến cho người dân"),
            security_level: Some(3),
            os: s("Ubuntu Server"),
            os_version: s("22.04 LTS"),
            services: strings(&["Web (nginx)", "Cơ sở dữ liệu (PostgreSQL)"]),
            security_measures: strings(&["Tường lửa", "Phòng chống mã độc tập trung"]),
            public_ips: strings(&["203.0.113.10", "203.0.113.11"]),
            domains: strings(&["dichvucong.caobang.gov.vn"]),
        },
        security_provider: s("Công ty An ninh mạng Đông Bắc"),
        connectivity_provider: s("VNPT Cao Bằng"),
        summary: "Trang chủ bị thay đổi giao diện.\nPhát hiện tệp webshell trong thư mục tải lên."
            .into(),
        detected_at: at(2024, 12, 18, 9, 5),
        status: check(&initial_report::STATUS_OPTIONS, &["Đang xử lý"]),
        detection: check(
            &initial_report::DETECTION_OPTIONS,
            &["Qua hệ thống giám sát"],
        ),
        notified: check(
            &initial_report::NOTIFIED_OPTIONS,
            &["Cơ quan chủ quản", "Cơ quan công an"],
        ),
        confidential: true,
        support_requested: s("Hỗ trợ phân tích mã độc và điều tra nguồn tấn công"),
        actions: s("Cô lập máy chủ web; khôi phục giao diện từ bản sao lưu"),
        assisting_organisations: strings(&["Trung tâm Giám sát an toàn không gian mạng quốc gia"]),
        initial_result: s("Đã khôi phục giao diện, đang rà soát"),
        attachments: strings(&["nhat-ky-nginx.zip", "webshell-mau.txt"]),
        signer: Some(Signer {
            title: "Giám đốc".into(),
            name: "Hoàng Thị Lan".into(),
        }),
    }
}

#[test]
fn an_initial_report_shows_every_field_with_ticked_boxes() {
    let xml = document_xml(&initial_report::render(&filled_initial()).unwrap());
    let p = paragraphs(&xml);
    for expected in [
        "Mẫu 03",
        "BÁO CÁO BAN ĐẦU",
        "SỰ CỐ AN TOÀN THÔNG TIN MẠNG",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH CAO BẰNG",
        "Số: 15/BC-STTTT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Cao Bằng, ngày 20 tháng 12 năm 2024",
        "Kính gửi: Cục An toàn thông tin",
        "Người báo cáo: Nông Văn Dũng",
        "Chức vụ: Phó Giám đốc Trung tâm Tích hợp dữ liệu",
        "Email: dungnv@caobang.gov.vn",
        "Tên đơn vị: Trung tâm Tích hợp dữ liệu tỉnh Cao Bằng",
        "Tên đơn vị: Ủy ban nhân dân tỉnh Cao Bằng",
        // the owner's missing address and phone
        "Địa chỉ: (Không có)",
        "Tên hệ thống: Cổng dịch vụ công tỉnh Cao Bằng",
        "Cấp độ an toàn hệ thống thông tin: Cấp độ 3",
        "Đơn vị cung cấp dịch vụ kết nối (ISP): VNPT Cao Bằng",
        // a summary of two lines keeps both
        "Nội dung: Trang chủ bị thay đổi giao diện.",
        "Phát hiện tệp webshell trong thư mục tải lên.",
        "Ngày, giờ phát hiện: 09 giờ 05 phút, ngày 18 tháng 12 năm 2024",
        "☐ Đã được xử lý",
        "☒ Đang xử lý",
        "☐ Chưa xử lý",
        "☒ Qua hệ thống giám sát",
        "☐ Khác",
        "☒ Cơ quan chủ quản",
        "☐ Cơ quan điều phối quốc gia",
        "☒ Cơ quan công an",
        "Hệ điều hành: Ubuntu Server",
        "Phiên bản: 22.04 LTS",
        "- Web (nginx)",
        "- 203.0.113.10",
        "- 203.0.113.11",
        "Tên miền: dichvucong.caobang.gov.vn",
        "Giữ bí mật: ☒ Có      ☐ Không",
        "Nội dung đề nghị: Hỗ trợ phân tích mã độc và điều tra nguồn tấn công",
        "Tổ chức, cá nhân: Trung tâm Giám sát an toàn không gian mạng quốc gia",
        "Kết quả: Đã khôi phục giao diện, đang rà soát",
        "- nhat-ky-nginx.zip",
        "Ngày, giờ báo cáo: 14 giờ 30 phút, ngày 20 tháng 12 năm 2024",
        "GIÁM ĐỐC",
        "Hoàng Thị Lan",
    ] {
        assert_has(&p, expected);
    }
    // Numbered in the form's order, from 1 to 18.
    assert_has(&p, "1. Tổ chức, cá nhân báo cáo sự cố");
    assert_has(&p, "18. Thời điểm báo cáo");
}

#[test]
fn an_initial_report_with_only_what_is_required_shows_the_placeholder() {
    let r = InitialReport {
        number: None,
        reference: None,
        place: None,
        reported_at: at(2025, 2, 3, 8, 0),
        recipients: vec![],
        organisation: "Sở Khoa học và Công nghệ tỉnh Bắc Kạn".into(),
        reporter: Reporter {
            name: "Lý Thị Hà".into(),
            ..Reporter::default()
        },
        operator: None,
        owner: None,
        system: AffectedSystem::default(),
        security_provider: None,
        connectivity_provider: None,
        summary: String::new(),
        detected_at: at(2025, 2, 1, 23, 59),
        status: vec![],
        detection: vec![],
        notified: vec![],
        confidential: false,
        support_requested: None,
        actions: None,
        assisting_organisations: vec![],
        initial_result: None,
        attachments: vec![],
        signer: None,
    };
    let p = paragraphs(&document_xml(&initial_report::render(&r).unwrap()));
    for expected in [
        "Số: …/…",
        "…, ngày 03 tháng 02 năm 2025",
        "Kính gửi: Cơ quan điều phối quốc gia",
        "Người báo cáo: Lý Thị Hà",
        "Chức vụ: (Không có)",
        "Tên đơn vị: (Không có)",
        "Tên hệ thống: (Không có)",
        "Cấp độ an toàn hệ thống thông tin: (Không có)",
        "Nội dung: (Không có)",
        "Ngày, giờ phát hiện: 23 giờ 59 phút, ngày 01 tháng 02 năm 2025",
        "Tình trạng: (Không có)",
        "Đã thông báo: (Không có)",
        "Tên miền: (Không có)",
        "Giữ bí mật: ☐ Có      ☒ Không",
        "Tài liệu: (Không có)",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "(Ký, ghi rõ họ tên và đóng dấu)",
    ] {
        assert_has(&p, expected);
    }
}

#[test]
fn a_security_level_outside_one_to_five_is_refused_by_name() {
    for level in [0, 6] {
        let mut r = filled_initial();
        r.system.security_level = Some(level);
        let e = initial_report::render(&r).unwrap_err();
        assert_eq!(
            field_error(e),
            vec![("system.security_level".into(), "out_of_range".into())]
        );
    }
}

fn filled_closing() -> ClosingReport {
    ClosingReport {
        number: s("21/BC-STTTT"),
        reference: None,
        place: s("Cao Bằng"),
        reported_at: at(2024, 12, 27, 16, 0),
        recipients: strings(&["Cục An toàn thông tin", "Ủy ban nhân dân tỉnh Cao Bằng"]),
        organisation: "Sở Khoa học và Công nghệ tỉnh Cao Bằng".into(),
        initial_report: Some(Citation {
            number: "15/BC-STTTT".into(),
            date: day(2024, 12, 20),
        }),
        incident_title: "Thay đổi giao diện Cổng dịch vụ công".into(),
        system: s("Cổng dịch vụ công tỉnh Cao Bằng"),
        response_started: Some(at(2024, 12, 18, 9, 30)),
        response_ended: Some(at(2024, 12, 24, 17, 0)),
        result: s("Đã gỡ bỏ webshell, vá lỗ hổng tải tệp, hệ thống hoạt động bình thường"),
        cause: s("Lỗ hổng tải tệp lên không kiểm tra định dạng"),
        damage: s("Gián đoạn dịch vụ 6 giờ"),
        lessons: s("Rà soát định kỳ chức năng tải tệp\nGiám sát toàn vẹn trang chủ"),
        proposals: s("Đề nghị tổ chức diễn tập ứng cứu cho cụm"),
        helped_by: strings(&["Trung tâm Giám sát an toàn không gian mạng quốc gia"]),
        attachments: strings(&["ke-hoach-ung-cuu.docx", "nhat-ky.zip"]),
        signer: None,
    }
}

#[test]
fn a_closing_report_cites_the_initial_report_by_number_and_date() {
    let p = paragraphs(&document_xml(
        &closing_report::render(&filled_closing()).unwrap(),
    ));
    for expected in [
        "Mẫu 04",
        "BÁO CÁO KẾT THÚC ỨNG CỨU SỰ CỐ",
        "Số: 21/BC-STTTT",
        "Cao Bằng, ngày 27 tháng 12 năm 2024",
        "Kính gửi:",
        "- Cục An toàn thông tin",
        "- Ủy ban nhân dân tỉnh Cao Bằng",
        "Căn cứ Báo cáo ban đầu sự cố số 15/BC-STTTT ngày 20 tháng 12 năm 2024",
        "Tên sự cố: Thay đổi giao diện Cổng dịch vụ công",
        "Hệ thống thông tin bị sự cố: Cổng dịch vụ công tỉnh Cao Bằng",
        "Bắt đầu: 09 giờ 30 phút, ngày 18 tháng 12 năm 2024",
        "Kết thúc: 17 giờ 00 phút, ngày 24 tháng 12 năm 2024",
        "Nguyên nhân: Lỗ hổng tải tệp lên không kiểm tra định dạng",
        "Thiệt hại: Gián đoạn dịch vụ 6 giờ",
        "Bài học: Rà soát định kỳ chức năng tải tệp",
        "Giám sát toàn vẹn trang chủ",
        "Đề xuất: Đề nghị tổ chức diễn tập ứng cứu cho cụm",
        "- ke-hoach-ung-cuu.docx",
        "- nhat-ky.zip",
        "10. Tài liệu gửi kèm",
        "THỦ TRƯỞNG ĐƠN VỊ",
    ] {
        assert_has(&p, expected);
    }
}

#[test]
fn a_closing_report_without_optional_fields_shows_the_placeholder() {
    let r = ClosingReport {
        number: None,
        reference: None,
        place: None,
        reported_at: at(2025, 1, 6, 10, 0),
        recipients: vec![],
        organisation: "Sở Khoa học và Công nghệ tỉnh Lạng Sơn".into(),
        initial_report: None,
        incident_title: "Dò quét cổng dịch vụ".into(),
        system: None,
        response_started: None,
        response_ended: None,
        result: None,
        cause: None,
        damage: None,
        lessons: None,
        proposals: None,
        helped_by: vec![],
        attachments: vec![],
        signer: None,
    };
    let p = paragraphs(&document_xml(&closing_report::render(&r).unwrap()));
    for expected in [
        "Số: …/…",
        "…, ngày 06 tháng 01 năm 2025",
        "Báo cáo ban đầu sự cố: (Không có)",
        "Tên sự cố: Dò quét cổng dịch vụ",
        "Hệ thống thông tin bị sự cố: (Không có)",
        "Bắt đầu: (Không có)",
        "Nguyên nhân: (Không có)",
        "Tổ chức, cá nhân: (Không có)",
        "Tài liệu: (Không có)",
    ] {
        assert_has(&p, expected);
    }
}

#[test]
fn a_response_that_ends_before_it_starts_is_refused() {
    let mut r = filled_closing();
    r.response_ended = Some(at(2024, 12, 17, 0, 0));
    let e = closing_report::render(&r).unwrap_err();
    assert_eq!(
        field_error(e),
        vec![("response_ended".into(), "out_of_range".into())]
    );
}

fn row(t: &str, counts: [u32; 5], damage: Option<&str>) -> TypeRow {
    TypeRow {
        incident_type: t.into(),
        count: counts[0],
        handled_alone: counts[1],
        helped_domestic: counts[2],
        helped_foreign: counts[3],
        coordinator_requested: counts[4],
        estimated_damage: damage.map(str::to_owned),
    }
}

fn filled_statistics() -> Statistics {
    Statistics {
        number: s("30/BC-STTTT"),
        place: s("Cao Bằng"),
        issued_on: day(2024, 6, 15),
        recipients: vec![],
        member: "Sở Khoa học và Công nghệ tỉnh Cao Bằng".into(),
        member_code: s("CB-01"),
        period: Period::FirstHalf(2024),
        rows: vec![
            row(
                "Tấn công từ chối dịch vụ (DDoS)",
                [4, 3, 1, 0, 1],
                Some("Gián đoạn 2 giờ"),
            ),
            row("Mã độc", [7, 5, 2, 1, 2], None),
            row(
                "Thay đổi giao diện",
                [1, 0, 1, 0, 1],
                Some("Khoảng 10 triệu đồng"),
            ),
        ],
        total_damage: s("Khoảng 10 triệu đồng và 2 giờ gián đoạn"),
        proposals: s("Tăng cường chia sẻ mẫu mã độc trong cụm"),
        signer: None,
    }
}

#[test]
fn the_statistics_docx_has_a_row_per_type_and_the_totals() {
    let xml = document_xml(&statistics::render(&filled_statistics()).unwrap());
    let p = paragraphs(&xml);
    for expected in [
        "Mẫu 05",
        "BÁO CÁO THỐNG KÊ ĐỊNH KỲ",
        "(Kỳ báo cáo: 6 tháng đầu năm 2024)",
        "Cao Bằng, ngày 15 tháng 6 năm 2024",
        "Tên thành viên: Sở Khoa học và Công nghệ tỉnh Cao Bằng",
        "Mã thành viên: CB-01",
        "Đề xuất: Tăng cường chia sẻ mẫu mã độc trong cụm",
    ] {
        assert_has(&p, expected);
    }
    let rows = table_rows(&xml);
    let header = rows
        .iter()
        .position(|r| r.get(1).is_some_and(|c| c == "Loại sự cố"))
        .expect("the statistics table");
    assert_eq!(
        rows[header],
        [
            "STT",
            "Loại sự cố",
            "Số lượng sự cố",
            "Tự xử lý",
            "Được tổ chức trong nước hỗ trợ",
            "Được tổ chức nước ngoài hỗ trợ",
            "Đề nghị Cơ quan điều phối quốc gia hỗ trợ",
            "Ước tính thiệt hại",
        ]
    );
    assert_eq!(
        rows[header + 1],
        [
            "1",
            "Tấn công từ chối dịch vụ (DDoS)",
            "4",
            "3",
            "1",
            "0",
            "1",
            "Gián đoạn 2 giờ"
        ]
    );
    assert_eq!(
        rows[header + 2],
        ["2", "Mã độc", "7", "5", "2", "1", "2", "(Không có)"]
    );
    assert_eq!(
        rows[header + 4],
        [
            "",
            "Tổng cộng",
            "12",
            "8",
            "4",
            "1",
            "4",
            "Khoảng 10 triệu đồng và 2 giờ gián đoạn"
        ]
    );
}

#[test]
fn a_yearly_report_says_the_year() {
    let mut st = filled_statistics();
    st.period = Period::Year(2024);
    let p = paragraphs(&document_xml(&statistics::render(&st).unwrap()));
    assert_has(&p, "(Kỳ báo cáo: năm 2024)");
    assert_has(&p, "Kỳ báo cáo: năm 2024");
    assert_eq!(Period::FirstHalf(2025).label(), "6 tháng đầu năm 2025");
}

fn xlsx_range(bytes: &[u8]) -> (calamine::Range<Data>, calamine::Range<String>) {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let values = book.worksheet_range("Mẫu 05").unwrap();
    let formulas = book.worksheet_formula("Mẫu 05").unwrap();
    (values, formulas)
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

#[test]
fn the_statistics_xlsx_has_numbers_as_numbers_and_a_totals_row_of_formulas() {
    let (v, f) = xlsx_range(&statistics::render_xlsx(&filled_statistics()).unwrap());
    let text = |r, c| match cell(&v, r, c) {
        Data::String(s) => s,
        other => panic!("({r}, {c}) is {other:?}, not text"),
    };
    assert!(text(0, 0).starts_with("BÁO CÁO THỐNG KÊ ĐỊNH KỲ"));
    assert_eq!(text(1, 2), "Sở Khoa học và Công nghệ tỉnh Cao Bằng");
    assert_eq!(text(2, 2), "CB-01");
    assert_eq!(text(3, 2), "6 tháng đầu năm 2024");

    let h = statistics::XLSX_HEADER_ROW;
    assert_eq!(text(h, 1), "Loại sự cố");
    assert_eq!(text(h, 6), "Đề nghị Cơ quan điều phối quốc gia hỗ trợ");
    assert_eq!(text(h + 2, 1), "Mã độc");
    let numbers = |r: u32| -> Vec<Data> { (2..7).map(|c| cell(&v, r, c)).collect() };
    let floats = |xs: &[f64]| xs.iter().map(|x| Data::Float(*x)).collect::<Vec<_>>();
    assert_eq!(cell(&v, h + 1, 0), Data::Float(1.0));
    assert_eq!(numbers(h + 1), floats(&[4.0, 3.0, 1.0, 0.0, 1.0]));
    assert_eq!(numbers(h + 2), floats(&[7.0, 5.0, 2.0, 1.0, 2.0]));
    assert_eq!(text(h + 3, 7), "Khoảng 10 triệu đồng");

    assert_eq!(text(h + 4, 1), "Tổng cộng");
    assert_eq!(numbers(h + 4), floats(&[12.0, 8.0, 4.0, 1.0, 4.0]));
    let formula = |r: u32, c: u32| {
        f.get_value((r, c))
            .cloned()
            .unwrap_or_default()
            .trim_start_matches('=')
            .to_owned()
    };
    assert_eq!(formula(h + 4, 2), "SUM(C7:C9)");
    assert_eq!(formula(h + 4, 6), "SUM(G7:G9)");
    assert_eq!(text(h + 4, 7), "Khoảng 10 triệu đồng và 2 giờ gián đoạn");
    assert_eq!(text(h + 6, 0), "Đề xuất, kiến nghị");
    assert_eq!(text(h + 6, 2), "Tăng cường chia sẻ mẫu mã độc trong cụm");
}

#[test]
fn statistics_without_incidents_show_the_placeholder_and_zero_totals() {
    let st = Statistics {
        number: None,
        place: None,
        issued_on: day(2025, 12, 10),
        recipients: vec![],
        member: "Sở Khoa học và Công nghệ tỉnh Lạng Sơn".into(),
        member_code: None,
        period: Period::Year(2025),
        rows: vec![],
        total_damage: None,
        proposals: None,
        signer: None,
    };
    let xml = document_xml(&statistics::render(&st).unwrap());
    let p = paragraphs(&xml);
    assert_has(&p, "Mã thành viên: (Không có)");
    assert_has(&p, "Đề xuất: (Không có)");
    let rows = table_rows(&xml);
    let header = rows
        .iter()
        .position(|r| r.get(1).is_some_and(|c| c == "Loại sự cố"))
        .unwrap();
    assert_eq!(rows[header + 1], ["(Không có)"]);
    assert_eq!(
        rows[header + 2],
        ["", "Tổng cộng", "0", "0", "0", "0", "0", ""]
    );

    let (v, _) = xlsx_range(&statistics::render_xlsx(&st).unwrap());
    let h = statistics::XLSX_HEADER_ROW;
    assert_eq!(cell(&v, h + 1, 1), Data::String("Tổng cộng".into()));
    for c in 2..7 {
        assert_eq!(cell(&v, h + 1, c), Data::Float(0.0));
    }
    assert_eq!(cell(&v, 2, 2), Data::String("(Không có)".into()));
}

#[test]
fn a_part_larger_than_its_count_is_refused_by_row_and_column() {
    let mut st = filled_statistics();
    st.rows[1].helped_foreign = 8;
    st.rows[2].incident_type = "  ".into();
    for e in [
        statistics::render(&st).unwrap_err(),
        statistics::render_xlsx(&st).unwrap_err(),
    ] {
        assert_eq!(
            field_error(e),
            vec![
                ("rows[1].helped_foreign".into(), "out_of_range".into()),
                ("rows[2].incident_type".into(), "required".into()),
            ]
        );
    }
}
