//! Spreadsheets in and out: a file as rows of cells, read from CSV or XLSX and written as XLSX.
//! Imports and exports use the same column keys, so that an exported file imports unchanged.

pub mod read;
pub mod write;

use chrono::NaiveDate;

/// One cell, typed as far as the file says: XLSX knows numbers, booleans and dates; CSV only text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(NaiveDate),
}

/// A sheet's rows after the header, each with the number a spreadsheet shows for it.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// the header's cells as written
    pub header: Vec<String>,
    /// the row number of the header (1 unless the sheet starts lower)
    pub header_row: usize,
    pub rows: Vec<SheetRow>,
}

#[derive(Debug, Clone)]
pub struct SheetRow {
    pub number: usize,
    pub cells: Vec<Cell>,
}

/// What an export produces: column keys, and rows of cells in that order.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}
