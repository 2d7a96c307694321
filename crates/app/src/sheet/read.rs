//! Reading an uploaded file: XLSX (recognised by its ZIP signature or its content type) through
//! calamine, anything else as UTF-8 CSV. The first row is the header; fully empty rows are skipped
//! but keep their numbers, so that a problem names the row the user sees.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;

use super::{Cell, Sheet, SheetRow};

/// Why a file could not be read at all (the message key suffix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// neither UTF-8 text nor an XLSX workbook
    NotUtf8,
    /// an old binary Excel file (.xls), which has no open reader here: save as XLSX or CSV
    LegacyExcel,
    /// a ZIP that is not a readable workbook, or a workbook without a sheet
    Workbook,
    /// a workbook that would inflate beyond what an import may hold
    TooLarge,
    Csv,
}

impl Unreadable {
    pub fn code(self) -> &'static str {
        match self {
            Unreadable::NotUtf8 => "not_utf8",
            Unreadable::LegacyExcel => "legacy_excel",
            Unreadable::Workbook => "xlsx_unreadable",
            Unreadable::TooLarge => "xlsx_too_large",
            Unreadable::Csv => "csv_unreadable",
        }
    }
}

/// A workbook's parts may not inflate beyond this. An upload is at most a few MiB compressed, but
/// XML compresses a hundredfold: without a bound, a small file could exhaust the server's memory.
const MAX_INFLATED: u64 = 64 * 1024 * 1024;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];

pub fn is_xlsx(bytes: &[u8], content_type: Option<&str>) -> bool {
    bytes.starts_with(ZIP_MAGIC)
        || content_type.is_some_and(|c| c.contains("spreadsheetml") && !bytes.is_empty())
}

/// Reads the first sheet of a workbook, or a CSV file.
pub fn read(bytes: &[u8], content_type: Option<&str>) -> Result<Sheet, Unreadable> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(Unreadable::LegacyExcel);
    }
    if is_xlsx(bytes, content_type) {
        read_xlsx(bytes)
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| Unreadable::NotUtf8)?;
        read_csv(text)
    }
}

fn inflated_size(bytes: &[u8]) -> Result<u64, Unreadable> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Unreadable::Workbook)?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|_| Unreadable::Workbook)?;
        // The declared size can lie; reading at most one byte past the budget cannot.
        let budget = MAX_INFLATED.saturating_sub(total) + 1;
        let read = std::io::copy(&mut (&mut part).take(budget), &mut std::io::sink())
            .map_err(|_| Unreadable::Workbook)?;
        total += read;
        if total > MAX_INFLATED {
            return Err(Unreadable::TooLarge);
        }
    }
    Ok(total)
}

fn read_xlsx(bytes: &[u8]) -> Result<Sheet, Unreadable> {
    inflated_size(bytes)?;
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| Unreadable::Workbook)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(Unreadable::Workbook)?
        .map_err(|_| Unreadable::Workbook)?;
    let Some((first_row, _)) = range.start() else {
        return Ok(Sheet {
            header_row: 1,
            ..Sheet::default()
        });
    };
    let first_row = usize::try_from(first_row).unwrap_or(0) + 1;
    let mut rows = range.rows().enumerate().map(|(i, cells)| SheetRow {
        number: first_row + i,
        cells: cells.iter().map(cell_of).collect(),
    });
    let header = rows
        .next()
        .map(|r| r.cells.iter().map(as_text).collect())
        .unwrap_or_default();
    Ok(Sheet {
        header,
        header_row: first_row,
        rows: rows.filter(|r| !is_blank(&r.cells)).collect(),
    })
}

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => Cell::Float(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map_or_else(|| Cell::Float(dt.as_f64()), |t| Cell::Date(t.date())),
        Data::DateTimeIso(s) => NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
            .map_or_else(|_| Cell::Text(s.clone()), Cell::Date),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        // A formula error (#N/A…) is no value the user meant to import.
        Data::Error(_) => Cell::Text("#ERROR".into()),
    }
}

fn read_csv(text: &str) -> Result<Sheet, Unreadable> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => vec![],
        Some(Ok(h)) => h.iter().map(str::to_owned).collect(),
        Some(Err(_)) => return Err(Unreadable::Csv),
    };
    let mut rows = Vec::new();
    for (i, record) in records.enumerate() {
        // Rows are numbered by record, as a spreadsheet that opened the file would show them.
        let number = i + 2;
        let cells: Vec<Cell> = match record {
            Ok(r) => r.iter().map(|v| Cell::Text(v.to_owned())).collect(),
            Err(_) => vec![Cell::Text("\u{0}".into())],
        };
        if !is_blank(&cells) {
            rows.push(SheetRow { number, cells });
        }
    }
    Ok(Sheet {
        header,
        header_row: 1,
        rows,
    })
}

fn is_blank(cells: &[Cell]) -> bool {
    cells.iter().all(|c| match c {
        Cell::Empty => true,
        Cell::Text(t) => t.trim().is_empty(),
        _ => false,
    })
}

/// A cell as text, the way a user reads it (integral numbers without a decimal point, dates as
/// dd/mm/yyyy).
pub fn as_text(c: &Cell) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(t) => t.trim().to_owned(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Cell::Float(f) => f.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn csv_rows_keep_the_numbers_a_spreadsheet_shows() {
        let s = read("\u{feff}a,b\n1,2\n,\n3,4\n".as_bytes(), Some("text/csv")).unwrap();
        assert_eq!(s.header, ["a", "b"]);
        let numbers: Vec<usize> = s.rows.iter().map(|r| r.number).collect();
        assert_eq!(
            numbers,
            [2, 4],
            "the blank row 3 is skipped, not renumbered"
        );
    }

    #[test]
    fn old_excel_files_and_non_utf8_text_are_named_as_such() {
        assert_eq!(
            read(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0], None).unwrap_err(),
            Unreadable::LegacyExcel
        );
        assert_eq!(
            read(&[0x61, 0xFF, 0xFE], None).unwrap_err(),
            Unreadable::NotUtf8
        );
        assert_eq!(
            read(b"PK\x03\x04garbage", None).unwrap_err(),
            Unreadable::Workbook
        );
    }

    #[test]
    fn cells_read_as_a_user_sees_them() {
        assert_eq!(as_text(&Cell::Float(912_345_678.0)), "912345678");
        assert_eq!(
            as_text(&Cell::Date(NaiveDate::from_ymd_opt(2020, 5, 4).unwrap())),
            "04/05/2020"
        );
    }
}
