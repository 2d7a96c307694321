//! Writing a table as an XLSX workbook: a bold, frozen header in the reader's language, dates as
//! real dates shown dd/mm/yyyy, numbers as numbers, booleans as booleans, lists joined by "; "
//! (the separator the import splits on).

use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use super::{Cell, Table};

/// The workbook's bytes. `label` names each column key in the reader's language.
pub fn xlsx(
    table: &Table,
    sheet_name: &str,
    label: impl Fn(&str) -> String,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let text = Format::new().set_num_format("@");
    for (c, key) in table.columns.iter().enumerate() {
        let col = u16::try_from(c).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, col, label(key), &bold)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match cell {
                Cell::Empty => {}
                // Text stays text: a phone number or a member code must not become a number.
                Cell::Text(t) => {
                    sheet.write_string_with_format(r, c, t, &text)?;
                }
                #[allow(clippy::cast_precision_loss)] // levels and counts, far below 2^53
                Cell::Int(i) => {
                    sheet.write_number(r, c, *i as f64)?;
                }
                Cell::Float(f) => {
                    sheet.write_number(r, c, *f)?;
                }
                Cell::Bool(b) => {
                    sheet.write_boolean(r, c, *b)?;
                }
                Cell::Date(d) => {
                    let month = u8::try_from(d.month()).unwrap_or(1);
                    let day = u8::try_from(d.day()).unwrap_or(1);
                    let year = u16::try_from(d.year()).unwrap_or(1900);
                    sheet.write_datetime_with_format(
                        r,
                        c,
                        ExcelDateTime::from_ymd(year, month, day)?,
                        &date,
                    )?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    book.save_to_buffer()
}
