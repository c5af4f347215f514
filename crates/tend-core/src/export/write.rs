//! Writing an export file: complete or not at all (a `.partial` file renamed when done), so a
//! full disk never leaves a file that looks finished.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::base::error::{Error, Result};
use crate::base::time::UtcMillis;
use crate::db::store::Store;
use crate::export::calendar;
use crate::export::model::{ExportFormat, ExportRequest, ExportSummary, ExportWhat};
use crate::export::table::{customers_sheet, interactions_sheet, Cell, Sheet};
use crate::export::vcard;

fn io_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::failed(
        "export.cannot_write",
        format!("{} could not be written: {e}", path.display()),
    )
    .with("path", path.display())
}

/// The sheet as an Excel workbook: dates are real date cells, the header row is bold and frozen.
fn xlsx(sheet: &Sheet) -> std::result::Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet.name)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let datetime = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for (c, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
        ws.set_column_width(c as u16, 18)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (i, row) in sheet.rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                Cell::Date(d) => {
                    let d = ExcelDateTime::parse_from_str(&d.format("%Y-%m-%d").to_string())?;
                    ws.write_datetime_with_format(r, c, &d, &date)?;
                }
                Cell::DateTime(t) => {
                    let t =
                        ExcelDateTime::parse_from_str(&t.format("%Y-%m-%dT%H:%M:%S").to_string())?;
                    ws.write_datetime_with_format(r, c, &t, &datetime)?;
                }
            }
        }
    }
    book.save_to_buffer()
}

/// The sheet as CSV: UTF-8 with a BOM, so Excel opens Vietnamese correctly.
fn csv(sheet: &Sheet) -> Result<Vec<u8>> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let fail = |e: csv::Error| Error::Internal(e.to_string());
        w.write_record(&sheet.headers).map_err(fail)?;
        for row in &sheet.rows {
            w.write_record(row.iter().map(Cell::text)).map_err(fail)?;
        }
        w.flush().map_err(|e| Error::Internal(e.to_string()))?;
    }
    Ok(out)
}

impl Store {
    /// Writes the export the request describes to `out`.
    pub fn export(&self, req: &ExportRequest, out: &Path, now: UtcMillis) -> Result<ExportSummary> {
        let rows = self.export_rows(req)?;
        let zone = self.zone();
        let (bytes, count) = match (req.format, req.what) {
            (ExportFormat::Vcf, _) => (vcard::cards(&rows).into_bytes(), rows.len() as u32),
            (ExportFormat::Ics, _) => {
                let (text, n) = calendar::calendar(&self.conn, &rows, now)?;
                (text.into_bytes(), n)
            }
            (format, what) => {
                let sheet = match what {
                    ExportWhat::Customers => customers_sheet(&rows, &req.columns, zone),
                    ExportWhat::Interactions => interactions_sheet(&self.conn, &rows, zone)?,
                };
                let n = sheet.rows.len() as u32;
                let bytes = if format == ExportFormat::Xlsx {
                    xlsx(&sheet).map_err(|e| Error::Internal(e.to_string()))?
                } else {
                    csv(&sheet)?
                };
                (bytes, n)
            }
        };
        let partial = PathBuf::from(format!("{}.partial", out.display()));
        std::fs::write(&partial, &bytes)
            .and_then(|()| std::fs::rename(&partial, out))
            .map_err(|e| {
                let _ = std::fs::remove_file(&partial);
                io_error(out, e)
            })?;
        Ok(ExportSummary {
            path: out.display().to_string(),
            count,
            bytes: bytes.len() as u64,
        })
    }
}
