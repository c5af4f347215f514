//! The figures of the book in and out: backups (and, as they come, import, export and the
//! duplicate scan) on 100k customers with about 1M interactions.

use std::time::Instant;

use tend_core::base::time::system_now;
use tend_core::db::backup::verify_backup;

use crate::{bench, bench_dir, build_big_db};

pub fn run() -> Result<(), String> {
    let dir = bench_dir("book")?;
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

    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
