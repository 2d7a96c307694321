//! Mẫu 05 — the member's periodic statistics of incidents and of its response (Circular
//! 20/2017/TT-BTTTT): half-yearly before 20/06, yearly before 15/12. One row per incident type
//! with its counts, a totals row, proposals. As DOCX in the form's layout and as XLSX with the same
//! table (numbers as number cells, totals as formulas carrying their computed values), both in
//! Vietnamese.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, Formula, Workbook, XlsxError};

use super::Signer;
use super::word::{
    Fit, addressees, append, centred, document, form_mark, heading, labelled, numbered_motto_block,
    or_none, pack, para, place_date, sign_off, table_with_total, text_field,
};
use crate::AppError;
use crate::error::Problems;

/// The period a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// the first six months of the year (the report due before 20/06)
    FirstHalf(i32),
    /// the last six months of the year
    SecondHalf(i32),
    /// the whole year (the report due before 15/12)
    Year(i32),
}

impl Period {
    /// "6 tháng đầu năm 2024" or "năm 2024".
    pub fn label(self) -> String {
        match self {
            Period::FirstHalf(y) => format!("6 tháng đầu năm {y}"),
            Period::SecondHalf(y) => format!("6 tháng cuối năm {y}"),
            Period::Year(y) => format!("năm {y}"),
        }
    }
}

/// The counts for one incident type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeRow {
    /// the type's label as the caller names it ("Tấn công từ chối dịch vụ (DDoS)")
    pub incident_type: String,
    pub count: u32,
    /// handled by the member alone
    pub handled_alone: u32,
    /// handled with help from domestic organisations
    pub helped_domestic: u32,
    /// handled with help from foreign organisations
    pub helped_foreign: u32,
    /// for which the member asked the coordinator for help
    pub coordinator_requested: u32,
    /// the estimated damage, as the member words it
    pub estimated_damage: Option<String>,
}

/// Everything Mẫu 05 shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statistics {
    /// the report's number; without one the form leaves "Số: …/…" to fill in
    pub number: Option<String>,
    /// the place on the date line; "…" when not given
    pub place: Option<String>,
    /// the day on the date line
    pub issued_on: NaiveDate,
    /// "Kính gửi"; empty means the national coordinator
    pub recipients: Vec<String>,
    /// the member's name
    pub member: String,
    pub member_code: Option<String>,
    pub period: Period,
    pub rows: Vec<TypeRow>,
    /// the estimated damage in all, for the totals row (text cannot be summed)
    pub total_damage: Option<String>,
    pub proposals: Option<String>,
    pub signer: Option<Signer>,
}

const TITLE: &str = "BÁO CÁO THỐNG KÊ ĐỊNH KỲ";
const SUBTITLE: &str = "TÌNH HÌNH SỰ CỐ VÀ HOẠT ĐỘNG ỨNG CỨU SỰ CỐ AN TOÀN THÔNG TIN MẠNG";
const HEADERS: [&str; 8] = [
    "STT",
    "Loại sự cố",
    "Số lượng sự cố",
    "Tự xử lý",
    "Được tổ chức trong nước hỗ trợ",
    "Được tổ chức nước ngoài hỗ trợ",
    "Đề nghị Cơ quan điều phối quốc gia hỗ trợ",
    "Ước tính thiệt hại",
];
const TOTAL: &str = "Tổng cộng";

impl TypeRow {
    /// The five counts in the table's order.
    fn counts(&self) -> [u32; 5] {
        [
            self.count,
            self.handled_alone,
            self.helped_domestic,
            self.helped_foreign,
            self.coordinator_requested,
        ]
    }
}

/// The sums of the five count columns, wide enough not to overflow.
fn totals(rows: &[TypeRow]) -> [u64; 5] {
    rows.iter().fold([0; 5], |mut acc, r| {
        for (a, c) in acc.iter_mut().zip(r.counts()) {
            *a += u64::from(c);
        }
        acc
    })
}

/// A part of the incidents of a type cannot exceed their number: each of the four "how it was
/// handled" counts is at most `count` (one incident may be helped from home and abroad, so they
/// need not add up to it).
fn validate(s: &Statistics) -> Result<(), AppError> {
    let mut problems = Problems::default();
    for (i, r) in s.rows.iter().enumerate() {
        if r.incident_type.trim().is_empty() {
            problems.add(&format!("rows[{i}].incident_type"), "required");
        }
        let parts = [
            ("handled_alone", r.handled_alone),
            ("helped_domestic", r.helped_domestic),
            ("helped_foreign", r.helped_foreign),
            ("coordinator_requested", r.coordinator_requested),
        ];
        for (field, n) in parts {
            if n > r.count {
                problems.add(&format!("rows[{i}].{field}"), "out_of_range");
            }
        }
    }
    problems.into_result()
}

/// The DOCX of the statistics.
pub fn render(s: &Statistics) -> Result<Vec<u8>, AppError> {
    render_as(s, None, false)
}

/// The DOCX of a filed report (`reference`: the network's number of this version) or of a
/// draft, which says on its first line that it is one.
pub fn render_as(
    s: &Statistics,
    reference: Option<&str>,
    draft: bool,
) -> Result<Vec<u8>, AppError> {
    validate(s)?;
    let rows: Vec<Vec<String>> = s
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut row = vec![(i + 1).to_string(), r.incident_type.trim().to_owned()];
            row.extend(r.counts().iter().map(u32::to_string));
            row.push(or_none(r.estimated_damage.as_deref()));
            row
        })
        .collect();
    let mut total = vec![String::new(), TOTAL.to_owned()];
    total.extend(totals(&s.rows).iter().map(u64::to_string));
    total.push(
        s.total_damage
            .as_deref()
            .unwrap_or_default()
            .trim()
            .to_owned(),
    );

    let mut doc = document();
    if draft {
        doc = doc.add_paragraph(super::word::draft_mark());
    }
    let mut doc = doc
        .add_paragraph(form_mark("Mẫu 05"))
        .add_paragraph(super::word::reference_mark(reference))
        .add_table(numbered_motto_block(
            &s.member,
            Some(s.number.as_deref().unwrap_or_default()),
            &place_date(s.place.as_deref(), s.issued_on),
        ))
        .add_paragraph(para(""))
        .add_paragraph(centred(TITLE, true))
        .add_paragraph(centred(SUBTITLE, true))
        .add_paragraph(centred(
            &format!("(Kỳ báo cáo: {})", s.period.label()),
            false,
        ));
    doc = append(doc, addressees(&s.recipients));
    doc = append(
        doc.add_paragraph(heading(1, "Thông tin thành viên")),
        [
            text_field("Tên thành viên", Some(s.member.as_str())),
            text_field("Mã thành viên", s.member_code.as_deref()),
        ]
        .concat(),
    )
    .add_paragraph(labelled("Kỳ báo cáo", &s.period.label()));
    doc = doc
        .add_paragraph(heading(2, "Thống kê sự cố và hoạt động ứng cứu sự cố"))
        .add_table(
            // The type names and the help-asked header are the longest cells: their columns get
            // the room ("Tấn công sử dụng mã độc" and "Đề nghị Cơ quan" each on one line at
            // 11 pt), the counts need only a few digits.
            table_with_total(
                &HEADERS,
                &[7, 27, 9, 7, 8, 8, 20, 14],
                &rows,
                Some(&total),
                super::word::NONE,
                Fit::Wide,
            ),
        );
    doc = append(
        doc.add_paragraph(heading(3, "Đề xuất, kiến nghị")),
        text_field("Đề xuất", s.proposals.as_deref()),
    );
    pack(sign_off(doc, &s.recipients, s.signer.as_ref()))
}

/// The XLSX of the statistics: the member, code and period above the table, the table with its
/// header and a totals row (SUM formulas whose computed values are stored too, so a reader that
/// does not recalculate sees the numbers), then the proposals.
pub fn render_xlsx(s: &Statistics) -> Result<Vec<u8>, AppError> {
    render_xlsx_as(s, false)
}

/// [`render_xlsx`], for a draft saying so above the table.
pub fn render_xlsx_as(s: &Statistics, draft: bool) -> Result<Vec<u8>, AppError> {
    validate(s)?;
    write_xlsx(s, draft).map_err(|e| AppError::internal_in("xlsx", e))
}

/// The widths of the sheet's columns, in characters.
const XLSX_WIDTHS: [f64; 8] = [6.0, 34.0, 12.0, 10.0, 14.0, 14.0, 16.0, 24.0];

/// The height of a row whose cells wrap: a spreadsheet does not grow a row for wrapped text
/// written by a library, so a long type name would print over the next row. Lines are counted
/// from the text's length against its column's width (a little under one character per unit
/// of width, for Vietnamese diacritics and bold), 15 points each.
fn wrapped_height(cells: &[(&str, f64)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| {
            text.lines()
                .map(|l| {
                    let per_line = (width * 0.9).max(1.0);
                    (l.chars().count() as f64 / per_line).ceil().max(1.0)
                })
                .sum::<f64>()
        })
        .fold(1.0, f64::max);
    15.0 * lines
}

/// The sheet's row (0-based) that holds the table's header.
pub const XLSX_HEADER_ROW: u32 = 5;

fn write_xlsx(s: &Statistics, draft: bool) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Mẫu 05")?;
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
        .set_background_color("E7E6E6");
    let cell = Format::new()
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let total_cell = cell.clone().set_bold();

    sheet.write_string_with_format(0, 0, format!("{TITLE} {SUBTITLE}"), &bold)?;
    let facts = [
        ("Tên thành viên", s.member.trim().to_owned()),
        ("Mã thành viên", or_none(s.member_code.as_deref())),
        ("Kỳ báo cáo", s.period.label()),
    ];
    for (row, (label, value)) in (1u32..).zip(facts) {
        sheet.write_string_with_format(row, 0, label, &bold)?;
        sheet.write_string(row, 2, value)?;
    }

    sheet.write_string_with_format(
        4,
        0,
        format!(
            "Số liệu tính đến ngày {}",
            super::word::short_date(s.issued_on)
        ),
        &Format::new().set_italic(),
    )?;
    if draft {
        sheet.write_string_with_format(
            3,
            4,
            super::word::DRAFT_LINE,
            &Format::new().set_bold().set_font_color("C00000"),
        )?;
    }

    let top = XLSX_HEADER_ROW;
    for (col, h) in (0u16..).zip(HEADERS) {
        sheet.write_string_with_format(top, col, h, &header)?;
    }
    for ((row, number), r) in (top + 1..).zip(1u32..).zip(&s.rows) {
        sheet.write_number_with_format(row, 0, f64::from(number), &cell)?;
        sheet.write_string_with_format(row, 1, r.incident_type.trim(), &cell)?;
        for (col, n) in (2u16..).zip(r.counts()) {
            sheet.write_number_with_format(row, col, f64::from(n), &cell)?;
        }
        let damage = or_none(r.estimated_damage.as_deref());
        sheet.write_string_with_format(row, 7, &damage, &cell)?;
        sheet.set_row_height(
            row,
            wrapped_height(&[
                (r.incident_type.trim(), XLSX_WIDTHS[1]),
                (&damage, XLSX_WIDTHS[7]),
            ]),
        )?;
    }

    let n = u32::try_from(s.rows.len()).unwrap_or(u32::MAX - top - 2);
    let total_row = top + 1 + n;
    sheet.write_string_with_format(total_row, 0, "", &total_cell)?;
    sheet.write_string_with_format(total_row, 1, TOTAL, &total_cell)?;
    for (col, sum) in (2u16..).zip(totals(&s.rows)) {
        let value = sum as f64; // counts, far below 2^53
        if n == 0 {
            sheet.write_number_with_format(total_row, col, value, &total_cell)?;
        } else {
            // Spreadsheet rows are 1-based: the data run from top + 2 to top + 1 + n.
            let letter = char::from(b'A' + u8::try_from(col).unwrap_or(0));
            let formula =
                Formula::new(format!("=SUM({letter}{}:{letter}{})", top + 2, top + 1 + n))
                    .set_result(sum.to_string());
            sheet.write_formula_with_format(total_row, col, formula, &total_cell)?;
        }
    }
    sheet.write_string_with_format(
        total_row,
        7,
        s.total_damage.as_deref().unwrap_or_default().trim(),
        &total_cell,
    )?;

    let proposals = total_row + 2;
    sheet.write_string_with_format(proposals, 0, "Đề xuất, kiến nghị", &bold)?;
    sheet.write_string(proposals, 2, or_none(s.proposals.as_deref()))?;

    let total_damage = s.total_damage.as_deref().unwrap_or_default().trim();
    sheet.set_row_height(total_row, wrapped_height(&[(total_damage, XLSX_WIDTHS[7])]))?;
    for (col, width) in (0u16..).zip(XLSX_WIDTHS) {
        sheet.set_column_width(col, width)?;
    }
    sheet.set_row_height(top, 48)?;
    // Printed as an official table: A4 landscape, one page wide, the header repeated on every
    // page, nothing outside the form.
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_area(0, 0, proposals, 7)?;
    sheet.set_repeat_rows(top, top)?;
    sheet.set_print_fit_to_pages(1, 0);
    book.save_to_buffer()
}
