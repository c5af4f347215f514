//! Scenario figures: one scheduler pass with 100 due among 1k and 100k active enrolments,
//! raw step throughput, and bulk enrolment.

use std::time::Instant;

use tend_core::base::ids::{CustomerId, ScenarioId};
use tend_core::base::time::system_now;
use tend_core::care::model::{EnrollTarget, ScenarioInput, StepInput, StepKind};
use tend_core::care::timing::DelayFrom;
use tend_core::crm::sample;
use tend_core::Store;

use crate::{bench, bench_dir};

fn task_step(title: &str, days: i64) -> StepInput {
    StepInput {
        id: None,
        kind: StepKind::Task,
        delay_days: days,
        delay_hours: 0,
        delay_minutes: 0,
        delay_from: DelayFrom::Start,
        title: Some(title.into()),
        priority: None,
        due_offset_minutes: None,
        template_id: None,
        channel: None,
    }
}

/// A store with `n` customers enrolled in a scenario whose steps are 30 and 60 days out.
fn world(
    name: &str,
    n: usize,
    now: i64,
) -> Result<(Store, ScenarioId, Vec<CustomerId>, f64), String> {
    let dir = bench_dir(name)?;
    let mut store = Store::open_dir(&dir).map_err(|e| e.to_string())?;
    let (ids, _) = sample::load_generated(&mut store, 11, n, 0, now).map_err(|e| e.to_string())?;
    let scenario = store
        .create_scenario(
            &ScenarioInput {
                name: "Chăm sóc sau mua".into(),
                steps: vec![
                    task_step("Gọi hỏi thăm sau mua", 30),
                    task_step("Mời mua lại", 60),
                ],
                ..Default::default()
            },
            now,
        )
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    let r = store
        .enroll(
            &scenario.id,
            &EnrollTarget::Customers { ids: ids.clone() },
            now,
        )
        .map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    if r.enrolled as usize != n {
        return Err(format!("enrolled {} of {n}", r.enrolled));
    }
    Ok((store, scenario.id, ids, secs))
}

/// Makes `k` enrolments due now.
fn make_due(store: &mut Store, k: usize, now: i64) -> Result<(), String> {
    store
        .connection()
        .execute(
            "UPDATE enrollments SET next_due_at = ?1 WHERE id IN
                 (SELECT id FROM enrollments WHERE status = 'active' AND next_due_at > ?1 ORDER BY id LIMIT ?2)",
            rusqlite_params(now, k),
        )
        .map_err(|e| e.to_string())?;
    Ok(())
}

fn rusqlite_params(now: i64, k: usize) -> [i64; 2] {
    [now - 1, k as i64]
}

/// The median of `rounds` passes with 100 due steps each.
fn pass_ms(store: &mut Store, now: i64, rounds: usize) -> Result<f64, String> {
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        make_due(store, 100, now)?;
        let start = Instant::now();
        let r = store.run_due_steps(now, None).map_err(|e| e.to_string())?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        if r.done != 100 {
            return Err(format!("a pass did {} steps, not 100", r.done));
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(times[times.len() / 2])
}

pub fn run() -> Result<(), String> {
    let now = system_now();

    // Enrolling 10k customers at once.
    let (_s10k, _, _, enroll_secs) = world("enroll10k", 10_000, now)?;
    bench("enroll_10k_s", enroll_secs, "s");
    drop(_s10k);

    // One pass with 100 due among 1k and among 100k active enrolments, measured in this run.
    let (mut small, _, _, _) = world("pass1k", 1_000, now)?;
    let (mut big, _, _, _) = world("pass100k", 100_000, now)?;
    let small_ms = pass_ms(&mut small, now, 5)?;
    let big_ms = pass_ms(&mut big, now, 5)?;
    bench("scheduler_pass_100k_ms", big_ms, "ms");
    bench("scheduler_ratio_100k_vs_1k", big_ms / small_ms, "ratio");
    println!("  1k: {small_ms:.2} ms, 100k: {big_ms:.2} ms (median of 5 passes, 100 due each)");

    // Raw throughput: 10k due steps that create tasks.
    make_due(&mut big, 10_000, now)?;
    let start = Instant::now();
    let r = big.run_due_steps(now, None).map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    bench("steps_per_s", r.done as f64 / secs, "steps/s");
    println!("  {} steps in {secs:.2} s", r.done);
    Ok(())
}
