//! Building blocks for Vietnamese administrative documents in DOCX: the national motto block, the
//! official way of writing dates, numbered section headings and bordered tables. Times New Roman
//! 13 pt, as administrative documents are usually set (Decree 30/2020/NĐ-CP).

use std::io::Cursor;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use docx_rs::{
    AlignmentType, BorderType, Docx, LineSpacing, Paragraph, ParagraphBorder,
    ParagraphBorderPosition, Run, RunFonts, Shading, Table, TableBorders, TableCell, TableRow,
    WidthType,
};

use super::{Check, Signer};
use crate::AppError;

const FONT: &str = "Times New Roman";
/// Half-points: 13 pt.
const BODY_SIZE: usize = 26;
/// The text width of an A4 page with the usual margins, in twentieths of a point.
pub const TEXT_WIDTH: usize = 9_360;

/// A document with the fonts and size of administrative documents.
pub fn document() -> Docx {
    Docx::new()
        .default_fonts(
            RunFonts::new()
                .ascii(FONT)
                .hi_ansi(FONT)
                .cs(FONT)
                .east_asia(FONT),
        )
        .default_size(BODY_SIZE)
}

/// "ngày 04 tháng 5 năm 2020": days under 10 and the months January and February take a leading
/// zero, as the rules for administrative documents ask, so that a date cannot be altered by hand.
pub fn official_date(d: NaiveDate) -> String {
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

/// dd/mm/yyyy, for dates inside tables.
pub fn short_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// "10 giờ 05 phút, ngày 20 tháng 12 năm 2024", for an instant already in local time.
pub fn official_date_time(t: NaiveDateTime) -> String {
    format!(
        "{:02} giờ {:02} phút, {}",
        t.hour(),
        t.minute(),
        official_date(t.date())
    )
}

/// The place and date line: "Hà Nội, ngày 20 tháng 12 năm 2024", or "…, ngày …" when the place is
/// not known, to be written in by hand.
pub fn place_date(place: Option<&str>, day: NaiveDate) -> String {
    let place = place
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .unwrap_or("…");
    format!("{place}, {}", official_date(day))
}

/// What a form shows where a field has nothing to say.
pub const NONE: &str = "(Không có)";

/// The value, or the placeholder when it is missing or blank.
pub fn or_none(v: Option<&str>) -> String {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(NONE)
        .to_owned()
}

pub fn run(text: &str) -> Run {
    Run::new().add_text(text)
}

pub fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text))
}

pub fn centred(text: &str, bold: bool) -> Paragraph {
    let r = if bold { run(text).bold() } else { run(text) };
    Paragraph::new().add_run(r).align(AlignmentType::Center)
}

/// "Label: value" with the label in bold.
pub fn labelled(label: &str, value: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(&format!("{label}: ")).bold())
        .add_run(run(value))
}

/// A field whose value may run over several lines: the first line follows the label, the others
/// are paragraphs of their own (a DOCX run does not break at a newline). Blank is shown as
/// [`NONE`].
pub fn text_field(label: &str, value: Option<&str>) -> Vec<Paragraph> {
    let value = or_none(value);
    let mut lines = value.lines().map(str::trim_end);
    let first = lines.next().unwrap_or_default();
    let mut out = vec![labelled(label, first)];
    out.extend(lines.map(para));
    out
}

/// A field listing several things, one per line ("- …"); an empty list is shown as [`NONE`].
pub fn list_field(label: &str, items: &[String]) -> Vec<Paragraph> {
    let items: Vec<&str> = items
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty())
        .collect();
    match items.as_slice() {
        [] => vec![labelled(label, NONE)],
        [one] => vec![labelled(label, one)],
        many => {
            let mut out = vec![labelled(label, "")];
            out.extend(many.iter().map(|i| indented(&format!("- {i}"))));
            out
        }
    }
}

/// A tick box, ☒ or ☐, in a font that has the glyph (Times New Roman does not).
pub fn tick_box(checked: bool) -> Run {
    const SYMBOLS: &str = "Segoe UI Symbol";
    run(if checked { "☒" } else { "☐" }).fonts(
        RunFonts::new()
            .ascii(SYMBOLS)
            .hi_ansi(SYMBOLS)
            .cs(SYMBOLS)
            .east_asia(SYMBOLS),
    )
}

/// A checklist of the form: the label, then every option on its line with its box ticked or
/// empty. No options at all is shown as [`NONE`].
pub fn checklist(label: &str, options: &[Check]) -> Vec<Paragraph> {
    if options.is_empty() {
        return vec![labelled(label, NONE)];
    }
    let mut out = vec![labelled(label, "")];
    out.extend(options.iter().map(|o| {
        indent(
            Paragraph::new()
                .add_run(tick_box(o.checked))
                .add_run(run(&format!(" {}", o.label.trim()))),
        )
    }));
    out
}

/// A yes/no question answered with two boxes on one line: "Label: ☒ Có   ☐ Không".
pub fn yes_no_field(label: &str, yes: bool) -> Paragraph {
    Paragraph::new()
        .add_run(run(&format!("{label}: ")).bold())
        .add_run(tick_box(yes))
        .add_run(run(" Có      "))
        .add_run(tick_box(!yes))
        .add_run(run(" Không"))
}

fn indent(p: Paragraph) -> Paragraph {
    p.indent(Some(567), None, None, None)
}

fn indented(text: &str) -> Paragraph {
    indent(para(text))
}

/// Adds paragraphs in order.
pub fn append(doc: Docx, paragraphs: Vec<Paragraph>) -> Docx {
    paragraphs.into_iter().fold(doc, Docx::add_paragraph)
}

/// The form's number, top right: "Mẫu 03".
pub fn form_mark(code: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(code).bold())
        .align(AlignmentType::Right)
}

/// The network's number of a filed document, right-aligned under the form's mark; an empty
/// paragraph when there is none (a draft).
pub fn reference_mark(reference: Option<&str>) -> Paragraph {
    match reference.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => Paragraph::new()
            .add_run(run(&format!("Mã hồ sơ: {r}")).italic().size(22))
            .align(AlignmentType::Right),
        None => Paragraph::new(),
    }
}

/// "Kính gửi: …", one addressee on the line, several as a list under it.
pub fn addressees(to: &[String]) -> Vec<Paragraph> {
    let to: Vec<&str> = to
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    match to.as_slice() {
        [] => vec![centred("Kính gửi: Cơ quan điều phối quốc gia", false)],
        [one] => vec![centred(&format!("Kính gửi: {one}"), false)],
        many => {
            let mut out = vec![centred("Kính gửi:", false)];
            out.extend(many.iter().map(|t| centred(&format!("- {t}"), false)));
            out
        }
    }
}

/// The signature at the end of a form: the signer's title, what the signature must carry, and
/// the name when it is known.
pub fn signature(signer: Option<&Signer>) -> Vec<Paragraph> {
    let right = |r: Run| Paragraph::new().add_run(r).align(AlignmentType::Right);
    let title = signer
        .map(|s| s.title.trim())
        .filter(|t| !t.is_empty())
        .unwrap_or("Thủ trưởng đơn vị")
        .to_uppercase();
    let mut out = vec![
        right(run(&title).bold()),
        right(run("(Ký, ghi rõ họ tên và đóng dấu)").italic()),
    ];
    if let Some(name) = signer.map(|s| s.name.trim()).filter(|n| !n.is_empty()) {
        out.extend([para(""), para(""), right(run(name).bold())]);
    }
    out
}

/// A numbered section heading, e.g. "3. Đầu mối ứng cứu sự cố 24/7".
pub fn heading(number: usize, title: &str) -> Paragraph {
    Paragraph::new().add_run(run(&format!("{number}. {title}")).bold())
}

/// A sub-heading inside a section, e.g. "7.1. Theo lĩnh vực".
pub fn subheading(number: &str, title: &str) -> Paragraph {
    Paragraph::new().add_run(run(&format!("{number}. {title}")).bold().italic())
}

/// How a table's text fits its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Body text (13 pt); the word processor may widen a column for a long word.
    Body,
    /// For tables of many columns (Mẫu 05's statistics, Mẫu 01's systems): 11 pt, as official
    /// forms set their wide tables, and a fixed layout, so that the widths chosen for the longest
    /// cells (a type name, a decision number) are kept instead of being shared out evenly.
    Wide,
}

/// Half-points: 11 pt.
const WIDE_SIZE: usize = 22;

impl Fit {
    fn run(self, text: &str) -> Run {
        match self {
            Fit::Body => run(text),
            Fit::Wide => run(text).size(WIDE_SIZE),
        }
    }
}

fn cell(text: &str, width: usize, header: bool, fit: Fit) -> TableCell {
    let lines: Vec<&str> = if text.is_empty() {
        vec![""]
    } else {
        text.lines().collect()
    };
    let mut c = TableCell::new().width(width, WidthType::Dxa);
    for line in lines {
        let p = if header {
            Paragraph::new()
                .add_run(fit.run(line).bold())
                .align(AlignmentType::Center)
        } else {
            Paragraph::new().add_run(fit.run(line))
        };
        c = c.add_paragraph(p);
    }
    if header {
        c = c.shading(Shading::new().fill("E7E6E6"));
    }
    c
}

/// Relative column widths to twentieths of a point filling the text width.
fn widths(weights: &[usize]) -> Vec<usize> {
    let total: usize = weights.iter().sum::<usize>().max(1);
    weights.iter().map(|w| TEXT_WIDTH * w / total).collect()
}

/// A bordered table with a shaded header row. `weights` are the columns' relative widths. An
/// empty table keeps one row saying so, so that a reader sees the section was not forgotten.
pub fn table(headers: &[&str], weights: &[usize], rows: &[Vec<String>], empty: &str) -> Table {
    table_with_total(headers, weights, rows, None, empty, Fit::Body)
}

/// [`table`] with [`Fit::Wide`] text.
pub fn wide_table(headers: &[&str], weights: &[usize], rows: &[Vec<String>], empty: &str) -> Table {
    table_with_total(headers, weights, rows, None, empty, Fit::Wide)
}

/// [`table`] closed by a totals row set in bold, its text fitted as `fit` says.
pub fn table_with_total(
    headers: &[&str],
    weights: &[usize],
    rows: &[Vec<String>],
    total: Option<&[String]>,
    empty: &str,
    fit: Fit,
) -> Table {
    let w = widths(weights);
    let mut out = vec![TableRow::new(
        headers
            .iter()
            .zip(&w)
            .map(|(h, w)| cell(h, *w, true, fit))
            .collect(),
    )];
    if rows.is_empty() {
        let mut c = cell(empty, TEXT_WIDTH, false, fit);
        c = c.grid_span(headers.len());
        out.push(TableRow::new(vec![c]));
    }
    for r in rows {
        out.push(TableRow::new(
            r.iter()
                .zip(&w)
                .map(|(v, w)| cell(v, *w, false, fit))
                .collect(),
        ));
    }
    if let Some(total) = total {
        out.push(TableRow::new(
            total
                .iter()
                .zip(&w)
                .map(|(v, w)| {
                    TableCell::new()
                        .width(*w, WidthType::Dxa)
                        .add_paragraph(Paragraph::new().add_run(fit.run(v).bold()))
                })
                .collect(),
        ));
    }
    let t = Table::new(out)
        .set_grid(w)
        .width(TEXT_WIDTH, WidthType::Dxa);
    match fit {
        Fit::Body => t,
        Fit::Wide => t.layout(docx_rs::TableLayoutType::Fixed),
    }
}

/// Two columns, label and value, for the facts of one thing.
pub fn facts(rows: &[(&str, String)]) -> Table {
    let w = widths(&[35, 65]);
    Table::new(
        rows.iter()
            .map(|(k, v)| {
                TableRow::new(vec![
                    TableCell::new()
                        .width(w[0], WidthType::Dxa)
                        .add_paragraph(Paragraph::new().add_run(run(k).bold())),
                    cell(v, w[1], false, Fit::Body),
                ])
            })
            .collect(),
    )
    .set_grid(w)
    .width(TEXT_WIDTH, WidthType::Dxa)
}

/// A short horizontal rule centred in a cell of `cell_width` (twentieths of a point): the line
/// under the issuer and under the motto, as Decree 30/2020/NĐ-CP draws them. A top border on an
/// empty paragraph indented from both sides, so that it is only `rule_width` long.
fn short_rule(cell_width: usize, rule_width: usize) -> Paragraph {
    let side = i32::try_from(cell_width.saturating_sub(rule_width) / 2).unwrap_or(0);
    let mut p = Paragraph::new()
        .add_run(run("").size(4))
        .indent(Some(side), None, Some(side), None)
        .line_spacing(LineSpacing::new().before(0).after(0).line(80));
    p.property = p.property.set_border(
        ParagraphBorder::new(ParagraphBorderPosition::Top)
            .val(BorderType::Single)
            .size(6),
    );
    p
}

/// Half-points: the national name is set in 12 pt so that it stays on one line.
const HEADER_SIZE: usize = 24;

/// The heading of an administrative document: the issuing body on the left, the national name
/// and motto on the right, then the place and date line.
pub fn motto_block(issuer: &str, date_line: &str) -> Table {
    numbered_motto_block(issuer, None, date_line)
}

/// [`motto_block`] with the document's number under the issuer: "Số: 15/BC-STTTT", or "Số: …/…"
/// when it has none yet, to be written in when it is registered. Each part of the national
/// heading holds one line, with a short rule under the issuer and under the motto.
pub fn numbered_motto_block(issuer: &str, number: Option<&str>, date_line: &str) -> Table {
    let w = widths(&[38, 62]);
    let small = |text: &str, bold: bool| {
        let r = run(text).size(HEADER_SIZE);
        let r = if bold { r.bold() } else { r };
        Paragraph::new().add_run(r).align(AlignmentType::Center)
    };
    let mut left = TableCell::new()
        .width(w[0], WidthType::Dxa)
        .add_paragraph(small(&issuer.to_uppercase(), true))
        .add_paragraph(short_rule(w[0], 1_400));
    if let Some(number) = number {
        let number = number.trim();
        let number = if number.is_empty() { "…/…" } else { number };
        left = left.add_paragraph(small(&format!("Số: {number}"), false));
    }
    let right = TableCell::new()
        .width(w[1], WidthType::Dxa)
        .add_paragraph(small("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true))
        .add_paragraph(centred("Độc lập - Tự do - Hạnh phúc", true))
        .add_paragraph(short_rule(w[1], 3_300))
        .add_paragraph(
            Paragraph::new()
                .add_run(run(date_line).italic())
                .align(AlignmentType::Center),
        );
    Table::new(vec![TableRow::new(vec![left, right])])
        .set_grid(w)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .set_borders(TableBorders::with_empty())
}

/// The line that marks a document not yet filed: rendered live from today's data, it is no
/// record of anything sent.
pub const DRAFT_LINE: &str = "DỰ THẢO (DRAFT) - chưa nộp, không có giá trị báo cáo";

/// [`DRAFT_LINE`], centred in bold red, first on the page.
pub fn draft_mark() -> Paragraph {
    Paragraph::new()
        .add_run(run(DRAFT_LINE).bold().color("C00000"))
        .align(AlignmentType::Center)
}

/// The end of a document: "Nơi nhận" on the left (every recipient, then the office's own copy,
/// "Lưu: VT."), the signer on the right (title, what the signature must carry, the name).
pub fn sign_off(doc: Docx, recipients: &[String], signer: Option<&Signer>) -> Docx {
    let w = widths(&[45, 55]);
    let small = |text: &str| Paragraph::new().add_run(run(text).size(22));
    let mut left = TableCell::new()
        .width(w[0], WidthType::Dxa)
        .add_paragraph(Paragraph::new().add_run(run("Nơi nhận:").bold().italic().size(24)));
    let listed: Vec<&str> = recipients
        .iter()
        .map(|r| r.trim())
        .filter(|r| !r.is_empty())
        .collect();
    if listed.is_empty() {
        left = left.add_paragraph(small("- Như trên;"));
    }
    for r in listed {
        left = left.add_paragraph(small(&format!("- {r};")));
    }
    left = left.add_paragraph(small("- Lưu: VT."));
    let mut right = TableCell::new().width(w[1], WidthType::Dxa);
    for p in signature(signer) {
        right = right.add_paragraph(p.align(AlignmentType::Center));
    }
    doc.add_paragraph(para("")).add_table(
        Table::new(vec![TableRow::new(vec![left, right])])
            .set_grid(w)
            .width(TEXT_WIDTH, WidthType::Dxa)
            .set_borders(TableBorders::with_empty()),
    )
}

/// The finished file.
pub fn pack(doc: Docx) -> Result<Vec<u8>, AppError> {
    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| AppError::internal_in("docx", e))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_dates_pad_days_under_ten_and_the_first_two_months() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(official_date(d(2020, 5, 4)), "ngày 04 tháng 5 năm 2020");
        assert_eq!(official_date(d(2025, 2, 15)), "ngày 15 tháng 02 năm 2025");
        assert_eq!(official_date(d(2024, 12, 31)), "ngày 31 tháng 12 năm 2024");
        assert_eq!(short_date(d(2025, 7, 1)), "01/07/2025");
    }

    #[test]
    fn times_and_places_are_written_out() {
        let t = NaiveDate::from_ymd_opt(2024, 12, 20)
            .and_then(|d| d.and_hms_opt(9, 5, 0))
            .unwrap_or_default();
        assert_eq!(
            official_date_time(t),
            "09 giờ 05 phút, ngày 20 tháng 12 năm 2024"
        );
        assert_eq!(
            place_date(Some(" Hà Nội "), t.date()),
            "Hà Nội, ngày 20 tháng 12 năm 2024"
        );
        assert_eq!(
            place_date(Some(""), t.date()),
            "…, ngày 20 tháng 12 năm 2024"
        );
        assert_eq!(or_none(Some("  ")), NONE);
        assert_eq!(or_none(None), "(Không có)");
    }
}
