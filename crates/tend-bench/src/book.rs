//! The figures of the book in and out on 100k customers with about 1M interactions: backups,
//! export, and imports of 100k-row files made the way Excel and other CRMs write them.

use std::path::Path;
use std::time::Instant;

use tend_core::base::time::system_now;
use tend_core::crm::sample;
use tend_core::db::backup::verify_backup;
use tend_core::export::model::{ExportFormat, ExportRequest};
use tend_core::import::mapping;
use tend_core::import::model::ImportOptions;
use tend_core::import::source;
use tend_core::Store;

use crate::{bench, bench_dir, build_big_db};

const IMPORT_ROWS: usize = 100_000;

/// The rows of a realistic customer sheet: name, three phone columns, email, company, birthday,
/// tags, notes, from the same generator as the sample data.
fn sheet_rows() -> Vec<[String; 9]> {
    let set = sample::generate(2027, IMPORT_ROWS, 0);
    set.customers
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let c = c.customer;
            let phone = |k: usize| {
                c.phones
                    .get(k)
                    .map(|p| p.number.clone())
                    .unwrap_or_default()
            };
            // Every customer has three numbers: the generator's, then two derived from the row.
            let extra = |k: u32| {
                format!(
                    "09{:08}",
                    (i as u64 * 7 + k as u64 * 13_000_017) % 100_000_000
                )
            };
            [
                c.full_name,
                phone(0),
                if c.phones.len() > 1 {
                    phone(1)
                } else {
                    extra(1)
                },
                extra(2),
                c.email.unwrap_or_default(),
                c.company_name.unwrap_or_default(),
                c.birthday.unwrap_or_default(),
                c.tags.join(", "),
                c.notes.unwrap_or_default(),
            ]
        })
        .collect()
}

const HEADERS: [&str; 9] = [
    "Họ và tên",
    "SĐT",
    "Di động 2",
    "Điện thoại cơ quan",
    "Email",
    "Công ty",
    "Ngày sinh",
    "Nhãn",
    "Ghi chú",
];

fn write_xlsx(path: &Path, rows: &[[String; 9]]) -> Result<(), String> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).map_err(e)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            if c == 6 {
                let d = ExcelDateTime::parse_from_str(v).map_err(e)?;
                ws.write_datetime_with_format(r, c as u16, &d, &date)
                    .map_err(e)?;
            } else {
                ws.write_string(r, c as u16, v).map_err(e)?;
            }
        }
    }
    book.save(path).map_err(e)
}

fn write_csv(path: &Path, rows: &[[String; 9]]) -> Result<(), String> {
    let mut w = csv::Writer::from_path(path).map_err(|e| e.to_string())?;
    w.write_record(HEADERS).map_err(|e| e.to_string())?;
    for row in rows {
        w.write_record(row).map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}

/// Reads, dry-runs and writes a file into an empty book; the seconds it took.
fn import_into_empty(dir: &Path, file: &Path) -> Result<f64, String> {
    let data = dir.join(format!(
        "import-{}",
        file.extension().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_dir_all(&data);
    let mut store = Store::open_dir(&data).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let table = source::read_path(file, None).map_err(|e| e.to_string())?;
    let options = ImportOptions {
        mapping: mapping::propose(&table),
        tag: Some(mapping::default_tag(&table.file_name)),
        ..Default::default()
    };
    let read = start.elapsed().as_secs_f64();
    let report = store
        .import_dry_run(&table, &options)
        .map_err(|e| e.to_string())?;
    let dry = start.elapsed().as_secs_f64() - read;
    let summary = store
        .run_import(&table, &options, system_now(), &mut |_, _| true)
        .map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "  {}: {} rows, {} new, {} invalid, {} created; read {read:.2} s, dry run {dry:.2} s, write {:.2} s",
        table.file_name,
        report.total,
        report.new_count,
        report.invalid_count,
        summary.created,
        secs - read - dry
    );
    drop(store);
    let _ = std::fs::remove_dir_all(&data);
    Ok(secs)
}

fn imports(dir: &Path) -> Result<(), String> {
    let rows = sheet_rows();
    let xlsx = dir.join("book-100k.xlsx");
    write_xlsx(&xlsx, &rows)?;
    let csv = dir.join("book-100k.csv");
    write_csv(&csv, &rows)?;
    bench("import_xlsx_100k_s", import_into_empty(dir, &xlsx)?, "s");
    bench("import_csv_100k_s", import_into_empty(dir, &csv)?, "s");
    Ok(())
}

pub fn run() -> Result<(), String> {
    let dir = bench_dir("book")?;
    if std::env::var("TEND_BENCH_ONLY_IMPORT").is_ok() {
        return imports(&dir);
    }
    let store = build_big_db(&dir, false)?;
    let db_bytes = std::fs::metadata(dir.join("tend.db"))
        .map_err(|e| e.to_string())?
        .len();

    // A backup as the user takes it: copy, check, compress, sync.
    let out = dir.join("backup.zip");
    let start = Instant::now();
    let info = store
        .backup_to(&out, &dir, system_now())
        .map_err(|e| e.to_string())?;
    bench("backup_100k_s", start.elapsed().as_secs_f64(), "s");
    println!(
        "  {} customers, {} interactions: {:.1} MB database, {:.1} MB backup",
        info.customers,
        info.interactions,
        db_bytes as f64 / 1_048_576.0,
        info.bytes as f64 / 1_048_576.0
    );
    let start = Instant::now();
    verify_backup(&out, &dir).map_err(|e| e.to_string())?;
    println!(
        "  verifying it again took {:.2} s",
        start.elapsed().as_secs_f64()
    );

    let out = dir.join("export.xlsx");
    let start = Instant::now();
    let summary = store
        .export(
            &ExportRequest {
                format: ExportFormat::Xlsx,
                ..Default::default()
            },
            &out,
            system_now(),
        )
        .map_err(|e| e.to_string())?;
    bench("export_xlsx_100k_s", start.elapsed().as_secs_f64(), "s");
    println!(
        "  {} customers, {:.1} MB",
        summary.count,
        summary.bytes as f64 / 1_048_576.0
    );

    let start = Instant::now();
    let scan = store.scan_duplicates(500).map_err(|e| e.to_string())?;
    bench("duplicates_scan_100k_s", start.elapsed().as_secs_f64(), "s");
    println!("  {} likely duplicate pairs", scan.total);

    crate::campaigns::segment_count(&store)?;

    drop(store);
    imports(&dir)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
