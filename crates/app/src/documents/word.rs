//! Building blocks for Vietnamese administrative documents in DOCX: the national motto block, the
//! official way of writing dates, numbered section headings and bordered tables. Times New Roman
//! 13 pt, as administrative documents are usually set (Decree 30/2020/NĐ-CP).

use std::io::Cursor;

use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AlignmentType, Docx, Paragraph, Run, RunFonts, Shading, Table, TableBorders, TableCell,
    TableRow, WidthType,
};

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

/// A numbered section heading, e.g. "3. Đầu mối ứng cứu sự cố 24/7".
pub fn heading(number: usize, title: &str) -> Paragraph {
    Paragraph::new().add_run(run(&format!("{number}. {title}")).bold())
}

/// A sub-heading inside a section, e.g. "7.1. Theo lĩnh vực".
pub fn subheading(number: &str, title: &str) -> Paragraph {
    Paragraph::new().add_run(run(&format!("{number}. {title}")).bold().italic())
}

fn cell(text: &str, width: usize, header: bool) -> TableCell {
    let lines: Vec<&str> = if text.is_empty() {
        vec![""]
    } else {
        text.lines().collect()
    };
    let mut c = TableCell::new().width(width, WidthType::Dxa);
    for line in lines {
        let p = if header {
            Paragraph::new()
                .add_run(run(line).bold())
                .align(AlignmentType::Center)
        } else {
            para(line)
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
    let w = widths(weights);
    let mut out = vec![TableRow::new(
        headers
            .iter()
            .zip(&w)
            .map(|(h, w)| cell(h, *w, true))
            .collect(),
    )];
    if rows.is_empty() {
        let mut c = cell(empty, TEXT_WIDTH, false);
        c = c.grid_span(headers.len());
        out.push(TableRow::new(vec![c]));
    }
    for r in rows {
        out.push(TableRow::new(
            r.iter().zip(&w).map(|(v, w)| cell(v, *w, false)).collect(),
        ));
    }
    Table::new(out)
        .set_grid(w)
        .width(TEXT_WIDTH, WidthType::Dxa)
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
                    cell(v, w[1], false),
                ])
            })
            .collect(),
    )
    .set_grid(w)
    .width(TEXT_WIDTH, WidthType::Dxa)
}

/// The heading of an administrative document: the issuing body on the left, the national name
/// and motto on the right, then the place and date line.
pub fn motto_block(issuer: &str, date_line: &str) -> Table {
    let w = widths(&[40, 60]);
    let left = TableCell::new()
        .width(w[0], WidthType::Dxa)
        .add_paragraph(centred(&issuer.to_uppercase(), true));
    let right = TableCell::new()
        .width(w[1], WidthType::Dxa)
        .add_paragraph(centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true))
        .add_paragraph(centred("Độc lập - Tự do - Hạnh phúc", true))
        .add_paragraph(
            Paragraph::new()
                .add_run(run(date_line).italic())
                .align(AlignmentType::Right),
        );
    Table::new(vec![TableRow::new(vec![left, right])])
        .set_grid(w)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .set_borders(TableBorders::with_empty())
}

/// The finished file.
pub fn pack(doc: Docx) -> Result<Vec<u8>, AppError> {
    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| AppError::Internal(format!("docx: {e}")))?;
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
}
