//! `tend export --format xlsx|csv|vcf|ics --out FILE [--tag NAME] [--interactions]`.

use std::path::PathBuf;

use tend_core::base::time::system_now;
use tend_core::export::model::{ExportFormat, ExportRequest, ExportWhat};

use super::{open_store, USAGE};
use crate::data_dir;

/// Writes the export.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut request = ExportRequest::default();
    let mut format = None;
    let mut out = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--format" => {
                let v = value("--format")?;
                format = Some(
                    ExportFormat::parse(&v)
                        .ok_or_else(|| format!("--format is xlsx, csv, vcf or ics, not “{v}”"))?,
                );
            }
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--tag" => request.tag_name = Some(value("--tag")?),
            "--interactions" => request.what = ExportWhat::Interactions,
            other => return Err(format!("unexpected argument “{other}”\n{USAGE}")),
        }
    }
    let out = out.ok_or_else(|| format!("--out FILE is needed\n{USAGE}"))?;
    request.format = match format {
        Some(f) => f,
        None => out
            .extension()
            .and_then(|e| ExportFormat::parse(&e.to_string_lossy().to_lowercase()))
            .ok_or_else(|| format!("--format xlsx|csv|vcf|ics is needed\n{USAGE}"))?,
    };
    let store = open_store(&data_dir::resolve())?;
    let summary = store
        .export_book(&request, &out, system_now())
        .map_err(|e| e.to_string())?;
    let what = match (request.format, request.what) {
        (ExportFormat::Ics, _) => "calendar entries",
        (_, ExportWhat::Interactions) => "interactions",
        _ => "customers",
    };
    println!(
        "Exported {} {what} to {} ({:.1} KB)",
        summary.count,
        summary.path,
        summary.bytes as f64 / 1024.0
    );
    Ok(())
}
