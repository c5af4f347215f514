//! Reading a file into a [`Table`]: the size limit, telling the format from the content (the
//! extension only tells CSV from TSV), and finding the header row.

use std::path::Path;

use crate::base::error::{Error, Result};
use crate::import::delimited;
use crate::import::mapping;
use crate::import::model::{ImportField, ImportFormat, SourceRow, Table};
use crate::import::spreadsheet;
use crate::import::vcard;

/// The largest file Tend imports. A 100,000-customer spreadsheet is about 10 MB; anything near
/// this is almost certainly not a contact list, and reading it whole would take the memory of
/// the open app.
pub const MAX_IMPORT_BYTES: u64 = 100 * 1024 * 1024;

/// How many rows from the top may hold titles before the header row.
const HEADER_SEARCH_ROWS: usize = 20;

/// Reads a file from disk. `encoding` forces the text encoding of a delimited file
/// (`utf-8`, `utf-16`, `windows-1258`, `windows-1252`); otherwise it is detected.
pub fn read_path(path: &Path, encoding: Option<&str>) -> Result<Table> {
    let size = std::fs::metadata(path)
        .map_err(|e| unreadable_file(path, e))?
        .len();
    check_size(size)?;
    let bytes = std::fs::read(path).map_err(|e| unreadable_file(path, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    read_bytes(&name, &bytes, encoding)
}

/// Refuses a file over [`MAX_IMPORT_BYTES`] before reading it.
pub fn check_size(size: u64) -> Result<()> {
    if size > MAX_IMPORT_BYTES {
        return Err(Error::failed(
            "import.too_large",
            format!(
                "the file is {} MB; Tend imports files up to {} MB",
                size.div_ceil(1024 * 1024),
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
        )
        .with("size_mb", size.div_ceil(1024 * 1024))
        .with("max_mb", MAX_IMPORT_BYTES / (1024 * 1024)));
    }
    Ok(())
}

/// Reads a file's bytes; `file_name` gives the extension and the default tag.
pub fn read_bytes(file_name: &str, bytes: &[u8], encoding: Option<&str>) -> Result<Table> {
    check_size(bytes.len() as u64)?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::failed("import.empty", "the file is empty").with("file", file_name));
    }
    let ext = Path::new(file_name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (format, grid, encoding) = if bytes.starts_with(b"PK\x03\x04") {
        let (format, grid) = spreadsheet::read_zip(bytes)?;
        (format, grid, None)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        (ImportFormat::Xls, spreadsheet::read_xls(bytes)?, None)
    } else {
        let text = delimited::decode(bytes, encoding)?;
        if vcard::looks_like_vcard(&text.text) {
            let grid = vcard::read(&text.text)?;
            (ImportFormat::Vcf, grid, Some(text.encoding))
        } else if matches!(ext.as_str(), "xlsx" | "xls" | "ods" | "xlsm") {
            // A spreadsheet name on something that is neither a workbook nor text we can read
            // as a table: say so rather than import garbage.
            return Err(not_a_table(file_name, &ext));
        } else {
            let grid = delimited::parse(&text.text, ext == "tsv")?;
            let format = if grid.tab_separated {
                ImportFormat::Tsv
            } else {
                ImportFormat::Csv
            };
            (format, grid.rows, Some(text.encoding))
        }
    };
    table_from_grid(file_name, format, encoding, grid)
}

/// A table from rows of cells: the header row is the one among the first rows that names the
/// most known fields (a merged title above it is skipped); blank rows are left out.
pub(crate) fn table_from_grid(
    file_name: &str,
    format: ImportFormat,
    encoding: Option<String>,
    grid: Vec<SourceRow>,
) -> Result<Table> {
    let rows: Vec<SourceRow> = grid
        .into_iter()
        .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if rows.is_empty() {
        return Err(Error::failed("import.empty", "the file has no rows").with("file", file_name));
    }
    let known = |r: &SourceRow| {
        r.cells
            .iter()
            .filter(|c| mapping::field_for_header(c) != ImportField::Skip)
            .count()
    };
    let mut header_at = 0;
    let mut best = 0;
    for (i, r) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let k = known(r);
        if k > best {
            best = k;
            header_at = i;
        }
    }
    if best == 0 {
        // No header names a known field: take the first row with two or more cells.
        header_at = rows
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .position(|r| r.cells.iter().filter(|c| !c.trim().is_empty()).count() >= 2)
            .unwrap_or(0);
    }
    let mut rows = rows;
    let data = rows.split_off(header_at + 1);
    let header = rows.pop().expect("the header row exists");
    let width = data
        .iter()
        .map(|r| r.cells.len())
        .chain([header.cells.len()])
        .max()
        .unwrap_or(0);
    let headers = (0..width)
        .map(|i| {
            let h = header.cells.get(i).map(|c| c.trim()).unwrap_or_default();
            if h.is_empty() {
                format!("#{}", i + 1)
            } else {
                h.to_string()
            }
        })
        .collect();
    Ok(Table {
        file_name: file_name.to_string(),
        format,
        encoding,
        headers,
        header_line: header.line,
        rows: data,
    })
}

fn unreadable_file(path: &Path, e: std::io::Error) -> Error {
    Error::failed(
        "import.cannot_read",
        format!("{} could not be read: {e}", path.display()),
    )
    .with("path", path.display())
}

fn not_a_table(file_name: &str, ext: &str) -> Error {
    Error::failed(
        "import.not_a_spreadsheet",
        format!("{file_name} is named .{ext} but is not a spreadsheet Tend can read"),
    )
    .with("file", file_name)
}
