//! Excel and OpenDocument workbooks (`.xlsx`, `.xls`, `.ods`) through `calamine`: the first sheet
//! with data, its cells as text. Dates become `dd/mm/yyyy`, as a Vietnamese user reads them;
//! whole numbers lose Excel's `.0` (a phone typed as a number, `912345678`, stays digits).

use std::io::Cursor;

use calamine::{Data, Ods, Range, Reader, Xls, Xlsx};

use crate::base::error::{Error, Result};
use crate::import::model::{ImportFormat, SourceRow};

/// Reads a zip workbook: `.xlsx` or `.ods`.
pub fn read_zip(bytes: &[u8]) -> Result<(ImportFormat, Vec<SourceRow>)> {
    match calamine::open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)) {
        Ok(mut book) => Ok((ImportFormat::Xlsx, first_sheet(&mut book, "xlsx")?)),
        Err(xlsx) => match calamine::open_workbook_from_rs::<Ods<_>, _>(Cursor::new(bytes)) {
            Ok(mut book) => Ok((ImportFormat::Ods, first_sheet(&mut book, "ods")?)),
            Err(_) => Err(unreadable("xlsx", xlsx)),
        },
    }
}

/// Reads an Excel 97–2003 workbook.
pub fn read_xls(bytes: &[u8]) -> Result<Vec<SourceRow>> {
    let mut book = calamine::open_workbook_from_rs::<Xls<_>, _>(Cursor::new(bytes))
        .map_err(|e| unreadable("xls", e))?;
    first_sheet(&mut book, "xls")
}

/// The first sheet that has any cell; a workbook of empty sheets gives no rows.
fn first_sheet<RS, R>(book: &mut R, format: &str) -> Result<Vec<SourceRow>>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| unreadable(format, e))?;
        if !range.is_empty() {
            return Ok(rows_of(&range));
        }
    }
    Ok(Vec::new())
}

fn unreadable(format: &str, e: impl std::fmt::Display) -> Error {
    Error::failed(
        "import.unreadable_spreadsheet",
        format!("the {format} file could not be read (damaged or not finished saving?): {e}"),
    )
    .with("format", format)
}

/// The rows of a sheet with their spreadsheet row numbers.
fn rows_of(range: &Range<Data>) -> Vec<SourceRow> {
    let first_row = range.start().map(|(r, _)| r).unwrap_or(0);
    let first_col = range.start().map(|(_, c)| c).unwrap_or(0) as usize;
    range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let mut cells = vec![String::new(); first_col];
            cells.extend(row.iter().map(cell_text));
            SourceRow {
                line: first_row + i as u32 + 1,
                cells,
            }
        })
        .collect()
}

/// A cell as the text the user sees in it, dates as `dd/mm/yyyy`.
pub(crate) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{day:02}/{m:02}/{y:04}")
        }
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::DateTimeIso(s) => {
            match chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d") {
                Ok(d) => d.format("%d/%m/%Y").to_string(),
                Err(_) => s.clone(),
            }
        }
        Data::DurationIso(s) => s.clone(),
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}
