//! `tend import FILE …`: the import screen's dry run and write from the command line, with the
//! same report.

use std::path::PathBuf;

use tend_core::base::time::system_now;
use tend_core::import::mapping;
use tend_core::import::model::{DuplicateChoice, ImportField, ImportOptions, ImportReport, Table};
use tend_core::import::source;

use super::{open_store, USAGE};
use crate::data_dir;

struct Args {
    file: PathBuf,
    dry_run: bool,
    maps: Vec<(String, String)>,
    on_duplicate: DuplicateChoice,
    tag: Option<Option<String>>,
    encoding: Option<String>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut file = None;
    let mut parsed = Args {
        file: PathBuf::new(),
        dry_run: false,
        maps: Vec::new(),
        on_duplicate: DuplicateChoice::Skip,
        tag: None,
        encoding: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--dry-run" => parsed.dry_run = true,
            "--map" => {
                let m = value("--map")?;
                let (col, field) = m
                    .rsplit_once('=')
                    .ok_or_else(|| format!("--map takes COLUMN=FIELD, not “{m}”"))?;
                parsed.maps.push((col.to_string(), field.to_string()));
            }
            "--on-duplicate" => {
                let v = value("--on-duplicate")?;
                parsed.on_duplicate = DuplicateChoice::parse(&v).ok_or_else(|| {
                    format!("--on-duplicate is skip, update or create, not “{v}”")
                })?;
            }
            "--tag" => parsed.tag = Some(Some(value("--tag")?)),
            "--no-tag" => parsed.tag = Some(None),
            "--encoding" => parsed.encoding = Some(value("--encoding")?),
            other if other.starts_with("--") => {
                return Err(format!("unknown option {other}\n{USAGE}"))
            }
            other if file.is_none() => file = Some(PathBuf::from(other)),
            other => return Err(format!("unexpected argument “{other}”\n{USAGE}")),
        }
    }
    parsed.file = file.ok_or_else(|| format!("name the file to import\n{USAGE}"))?;
    Ok(parsed)
}

fn field(name: &str) -> Option<ImportField> {
    match name.trim() {
        "name" => Some(ImportField::FullName),
        "company_name" => Some(ImportField::Company),
        other => ImportField::parse(other),
    }
}

/// The proposed mapping with the `--map` changes.
fn mapping_for(table: &Table, maps: &[(String, String)]) -> Result<Vec<ImportField>, String> {
    let mut mapping = mapping::propose(table);
    for (col, name) in maps {
        let i = mapping::column_index(table, col).ok_or_else(|| {
            format!(
                "there is no column “{col}”; the columns are: {}",
                table.headers.join(", ")
            )
        })?;
        mapping[i] = field(name).ok_or_else(|| format!("“{name}” is not a field\n{USAGE}"))?;
    }
    Ok(mapping)
}

/// Runs the import; the exit code is 2 when rows were invalid.
pub fn run(args: &[String]) -> Result<i32, String> {
    let args = parse(args)?;
    let table =
        source::read_path(&args.file, args.encoding.as_deref()).map_err(|e| e.to_string())?;
    let mapping = mapping_for(&table, &args.maps)?;
    let tag = match args.tag {
        Some(t) => t,
        None => Some(mapping::default_tag(&table.file_name)),
    };
    let options = ImportOptions {
        mapping: mapping.clone(),
        on_duplicate: args.on_duplicate,
        row_choices: Vec::new(),
        tag,
    };
    let data = data_dir::resolve();
    let mut store = open_store(&data)?;
    println!(
        "Read {} ({}{}, {} rows; headers on line {})",
        table.file_name,
        table.format.as_str(),
        table
            .encoding
            .as_deref()
            .map(|e| format!(", {e}"))
            .unwrap_or_default(),
        table.rows.len(),
        table.header_line
    );
    for (header, f) in table.headers.iter().zip(&mapping) {
        println!("  {header} → {}", f.as_str());
    }
    let report = store
        .import_dry_run(&table, &options)
        .map_err(|e| e.to_string())?;
    print_report(
        &report,
        &store
            .import_invalid_rows(&table, &options)
            .map_err(|e| e.to_string())?,
    );
    if args.dry_run {
        println!(
            "Dry run: would create {}, update {}, skip {}. Nothing was written.",
            report.to_create, report.to_update, report.to_skip
        );
    } else {
        let summary = store
            .run_import(&table, &options, system_now(), &mut |_, _| true)
            .map_err(|e| e.to_string())?;
        println!(
            "Imported: created {}, updated {}, skipped {}{}. To take it back: Customers → Import → Undo.",
            summary.created,
            summary.updated,
            summary.skipped + summary.invalid,
            summary
                .tag
                .as_deref()
                .map(|t| format!("; the new customers have the tag “{t}”"))
                .unwrap_or_default()
        );
    }
    Ok(if report.invalid_count > 0 { 2 } else { 0 })
}

fn print_report(report: &ImportReport, invalid: &[tend_core::import::model::InvalidRow]) {
    println!(
        "New: {}. Already in the book: {}. Repeated inside the file: {}. Invalid: {}.",
        report.new_count,
        report.duplicate_count,
        report.duplicate_in_file_count,
        report.invalid_count
    );
    for row in invalid {
        let name = if row.name.is_empty() {
            String::new()
        } else {
            format!(" ({})", row.name)
        };
        println!("  line {}{name}: {}", row.line, row.error.message);
    }
}
