//! `tend-bench`: the figures of `make bench`, one line `BENCH <name> <value> <unit>` each, and
//! the generator of `assets/sample-data.json`.
//!
//! Usage:
//!   tend-bench core                 core figures on 100k customers / ~1M interactions
//!   tend-bench messaging            template rendering, enqueueing and outbox throughput
//!   tend-bench care                 scheduler passes, step throughput, bulk enrolment
//!   tend-bench book                 backups, import, export, duplicates, segment counts
//!   tend-bench campaigns            a campaign's preview and queueing to 10,000 recipients
//!   tend-bench segments             only the segment count on 100k customers
//!   tend-bench app <binary>         binary size and idle memory of the app (needs DISPLAY)
//!   tend-bench sample <n>           print a sample set of n customers as JSON

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use tend_core::base::rng::Rng;
use tend_core::base::time::system_now;
use tend_core::crm::customers::CustomerListQuery;
use tend_core::crm::interactions::{Direction, InteractionInput, InteractionKind};
use tend_core::crm::sample;
use tend_core::Store;

mod book;
mod campaigns;
mod care;
mod messaging;

const CUSTOMERS: usize = 100_000;
const INTERACTIONS_PER_CUSTOMER: usize = 10;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("core") => core_bench(),
        Some("messaging") => messaging::run(),
        Some("care") => care::run(),
        Some("book") => book::run(),
        Some("campaigns") => campaigns::campaign_enqueue(),
        Some("segments") => bench_dir("segments")
            .and_then(|dir| build_big_db(&dir, false).map(|s| (dir, s)))
            .and_then(|(dir, s)| {
                campaigns::segment_count(&s)?;
                drop(s);
                // TEND_BENCH_KEEP keeps the book for a closer look (sqlite3, EXPLAIN).
                if std::env::var("TEND_BENCH_KEEP").is_ok() {
                    println!("  kept {}", dir.display());
                } else {
                    let _ = std::fs::remove_dir_all(&dir);
                }
                Ok(())
            }),
        Some("app") => match args.get(2) {
            Some(bin) => app_bench(Path::new(bin)),
            None => Err("usage: tend-bench app <binary>".into()),
        },
        Some("sample") => {
            let n = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(300);
            let set = sample::generate(2026, n, 4);
            let json = serde_json::to_string_pretty(&set).expect("sample sets serialise");
            println!("{json}");
            Ok(())
        }
        _ => Err(
            "usage: tend-bench core | messaging | care | book | app <binary> | sample <n>".into(),
        ),
    };
    if let Err(e) = result {
        eprintln!("tend-bench: {e}");
        std::process::exit(1);
    }
}

pub(crate) fn bench(name: &str, value: f64, unit: &str) {
    println!("BENCH {name} {value:.3} {unit}");
}

pub(crate) fn p95(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    let i = ((samples.len() as f64) * 0.95).ceil() as usize - 1;
    samples[i.min(samples.len() - 1)].as_secs_f64() * 1000.0
}

/// Builds the 100k-customer database in `dir` and returns the open store.
pub fn build_big_db(dir: &Path, print_rate: bool) -> Result<Store, String> {
    let mut store = Store::open_dir(dir).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let (_, report) = sample::load_generated(
        &mut store,
        42,
        CUSTOMERS,
        INTERACTIONS_PER_CUSTOMER,
        system_now(),
    )
    .map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    let rows = (report.customers + report.interactions) as f64;
    if print_rate {
        bench("bench_data_rows_per_s", rows / secs, "rows/s");
    }
    println!(
        "  generated {} customers and {} interactions in {secs:.1} s",
        report.customers, report.interactions
    );
    Ok(store)
}

fn core_bench() -> Result<(), String> {
    let dir = bench_dir("core")?;
    let mut store = build_big_db(&dir, true)?;
    let mut rng = Rng::new(7);

    // Customers to sample from: ids, names and phone numbers.
    let all = {
        let mut out = Vec::new();
        let mut offset = 0;
        loop {
            let page = store
                .list_customers(&CustomerListQuery {
                    offset,
                    limit: 500,
                    ..Default::default()
                })
                .map_err(|e| e.to_string())?;
            if page.items.is_empty() {
                break;
            }
            offset += page.items.len() as i64;
            out.extend(page.items);
            if offset >= 20_000 {
                break;
            }
        }
        out
    };

    // Search as you type: 2-4 letter prefixes, folded full names, phone digits.
    let mut queries: Vec<String> = [
        "ng", "ngu", "nguy", "tr", "tra", "tran", "le", "ph", "pha", "hoa", "du", "duc", "lan",
        "hu", "hung", "th", "thi", "van", "ma", "mai", "vo", "do", "an", "bao",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for _ in 0..100 {
        let c = rng.pick(&all);
        queries.push(tend_core::base::fold::fold(&c.full_name));
        if let Some(p) = &c.phone_display {
            let digits: String = p.chars().filter(char::is_ascii_digit).collect();
            let start = rng.below((digits.len() - 6) as u64) as usize;
            queries.push(digits[start..start + 6].to_string());
        }
    }
    let mut samples = Vec::new();
    for _round in 0..3 {
        for q in &queries {
            let t = Instant::now();
            // What the list asks as you type: the first page and the total.
            let r = store
                .search_customers_page(q, 0, 50)
                .map_err(|e| e.to_string())?
                .items;
            samples.push(t.elapsed());
            if r.is_empty() {
                return Err(format!("search {q:?} found nothing"));
            }
        }
    }
    bench("search_p95_ms", p95(samples), "ms");

    // Open a customer: profile + first timeline page + open tasks.
    let mut samples = Vec::new();
    for _ in 0..2000 {
        let c = rng.pick(&all);
        let t = Instant::now();
        store.open_customer(&c.id, 20).map_err(|e| e.to_string())?;
        samples.push(t.elapsed());
    }
    bench("open_customer_p95_ms", p95(samples), "ms");

    // Log an interaction with every side effect (task, roll-ups).
    let mut samples = Vec::new();
    let now = system_now();
    for i in 0..2000 {
        let c = rng.pick(&all);
        let input = InteractionInput {
            customer_id: c.id.clone(),
            kind: InteractionKind::Call,
            direction: Direction::Outbound,
            subject: None,
            content: Some(format!("Gọi lần {i}: khách hẹn tuần sau")),
            outcome: Some("callback".into()),
            duration_minutes: Some(4),
            occurred_at: None,
            next_action: Some("Gọi lại".into()),
            next_action_date: Some(now + 86_400_000),
            complete_task_id: None,
        };
        let t = Instant::now();
        store
            .log_interaction(&input, now)
            .map_err(|e| e.to_string())?;
        samples.push(t.elapsed());
    }
    bench("log_interaction_p95_ms", p95(samples), "ms");
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

pub(crate) fn bench_dir(name: &str) -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("tend-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    Ok(dir)
}

fn app_bench(bin: &Path) -> Result<(), String> {
    let size = std::fs::metadata(bin)
        .map_err(|e| format!("{}: {e}", bin.display()))?
        .len();
    bench("binary_size_mb", size as f64 / 1_048_576.0, "MB");

    let empty = bench_dir("empty")?;
    let empty_pss = idle_pss(bin, &empty)?;
    bench("idle_pss_mb_empty", empty_pss, "MB");

    let big = bench_dir("big")?;
    drop(build_big_db(&big, false)?);
    let big_pss = idle_pss(bin, &big)?;
    bench("idle_pss_mb_100k", big_pss, "MB");
    println!("  ratio 100k/empty: {:.3}", big_pss / empty_pss);
    let _ = std::fs::remove_dir_all(&empty);
    let _ = std::fs::remove_dir_all(&big);
    Ok(())
}

/// Starts the app on `data_dir`, waits 10 s, and sums the PSS of it and its descendants (the
/// WebKit web and network processes).
fn idle_pss(bin: &Path, data_dir: &Path) -> Result<f64, String> {
    let mut child: Child = Command::new(bin)
        .env("TEND_DATA_DIR", data_dir)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    std::thread::sleep(Duration::from_secs(10));
    let pids = descendants(child.id());
    let mut kb = 0u64;
    for pid in &pids {
        let pss = pss_kb(*pid).unwrap_or(0);
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        println!("  pid {pid} {}: {:.1} MB", name.trim(), pss as f64 / 1024.0);
        kb += pss;
    }
    let _ = child.kill();
    let _ = child.wait();
    println!("  {} processes, data {}", pids.len(), data_dir.display());
    Ok(kb as f64 / 1024.0)
}

fn descendants(root: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for e in entries.flatten() {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
                // The parent pid is the second field after the parenthesised command name.
                if let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) {
                    if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok())
                    {
                        parents.push((pid, ppid));
                    }
                }
            }
        }
    }
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let p = out[i];
        out.extend(parents.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    out
}

fn pss_kb(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    s.lines()
        .find(|l| l.starts_with("Pss:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
