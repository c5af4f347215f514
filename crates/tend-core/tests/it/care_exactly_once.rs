//! Every step exactly once: a property test over random scenarios and wake-up times, and a real crash before commit.

use proptest::prelude::*;
use std::sync::Arc;
use tend_core::base::calendar::FixedZone;
use tend_core::care::model::{StepInput, StepKind, StepOutcome};
use tend_core::care::timing::{DelayFrom, SendWindow};
use tend_core::messaging::outbox::OutboxQuery;
use tend_core::Store;

use crate::support::care::*;

fn arb_step() -> impl Strategy<Value = (u8, i64, i64, i64, bool)> {
    (0u8..2, 0i64..3, 0i64..30, 0i64..120, any::<bool>())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// For random scenarios and random wake-up times (including backwards jumps), every step runs
    /// exactly once, in order, never before it is due.
    #[test]
    fn every_step_once_in_order_never_early(
        steps in prop::collection::vec(arb_step(), 1..6),
        wakes in prop::collection::vec(-3 * HOUR..2 * DAY, 1..40),
        window in any::<bool>(),
    ) {
        let mut s = store();
        let c = customer(&mut s, "Khách Thử");
        let inputs: Vec<StepInput> = steps
            .iter()
            .enumerate()
            .map(|(i, (kind, d, h, m, from_start))| {
                let from = if *from_start { DelayFrom::Start } else { DelayFrom::Previous };
                let mut st = task(&format!("Bước {i}"), *d, *h, *m, from);
                if *kind == 1 {
                    st.kind = StepKind::Notification;
                }
                st
            })
            .collect();
        let sc = scenario(&mut s, inputs, |i| {
            if window {
                i.window = Some(SendWindow::OFFICE);
            }
        });
        let start = at(2026, 11, 23, 9, 0);
        enroll(&mut s, &sc, &c, start);
        let mut now = start;
        for step in &wakes {
            now += step;
            s.run_due_steps(now, None).unwrap();
        }
        // Then run to the end.
        for _ in 0..40 {
            match s.next_step_due_at().unwrap() {
                Some(due) => { now = now.max(due); s.run_due_steps(now, None).unwrap(); }
                None => break,
            }
        }
        let log = log_of(&s, &c);
        prop_assert_eq!(log.len(), steps.len(), "every step ran once");
        for (i, (pos, outcome, due, done)) in log.iter().enumerate() {
            prop_assert_eq!(*pos, i as i64, "in order");
            prop_assert_eq!(*outcome, StepOutcome::Done);
            prop_assert!(done >= due, "step {} ran at {} before it was due at {}", i, done, due);
            if window {
                prop_assert_eq!(SendWindow::OFFICE.next_open(*done, &VN), *done, "inside the window");
            }
        }
        for w in log.windows(2) {
            prop_assert!(w[1].3 >= w[0].3, "done in order");
        }
    }
}

// ---------------------------------------------------------------- crash

/// The child half of `a_crash_before_commit_does_every_step_exactly_once`.
#[test]
fn child_scheduler_that_dies_before_commit() {
    let Ok(dir) = std::env::var("TEND_CHILD_SCHEDULER_DIR") else {
        return;
    };
    let now: i64 = std::env::var("TEND_CHILD_NOW").unwrap().parse().unwrap();
    let mut s = Store::open_dir(std::path::Path::new(&dir)).unwrap();
    s.set_zone(Arc::new(FixedZone(7 * 3600)));
    // The effects of the due steps are written; the process dies before they commit. It leaves
    // a marker first, so the parent knows it died here and not anywhere else.
    let marker = std::path::Path::new(&dir).join("died-before-commit");
    let die = |id: &tend_core::base::ids::EnrollmentId| {
        std::fs::write(&marker, id.as_str()).unwrap();
        std::process::abort()
    };
    s.run_due_steps(now, Some(&die)).unwrap();
}

#[test]
fn a_crash_before_commit_does_every_step_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    s.set_zone(Arc::new(FixedZone(7 * 3600)));
    let c = customer(&mut s, "Lý Mỹ");
    let t = tg_template(&mut s, "Chào {{customer.given_name}}");
    let sc = scenario(
        &mut s,
        vec![
            message(&t, 0, 0, 0, DelayFrom::Start),
            task("Gọi lại", 0, 0, 0, DelayFrom::Previous),
        ],
        |_| {},
    );
    let now = at(2026, 11, 23, 9, 0);
    enroll(&mut s, &sc, &c, now);
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "care_exactly_once::child_scheduler_that_dies_before_commit",
            "--nocapture",
        ])
        .env("TEND_CHILD_SCHEDULER_DIR", dir.path())
        .env("TEND_CHILD_NOW", now.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the child died mid-pass");
    // It died at the intended point: in the hook before the commit, by the abort there.
    let marker = std::fs::read_to_string(dir.path().join("died-before-commit"))
        .expect("the child reached the point before the commit");
    assert_eq!(marker, s.customer_enrollments(&c).unwrap()[0].id.as_str());
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            status.signal(),
            Some(6),
            "killed by its own abort (SIGABRT)"
        );
    }
    // Nothing of the half-done pass is visible.
    assert_eq!(s.list_outbox(&OutboxQuery::default()).unwrap().total, 0);
    assert!(s.customer_tasks(&c, true).unwrap().is_empty());
    // Restarted, the scheduler does both steps, once.
    let r = s.run_due_steps(now + MIN, None).unwrap();
    assert_eq!(r.done, 2);
    assert_eq!(s.run_due_steps(now + DAY, None).unwrap().done, 0);
    assert_eq!(s.list_outbox(&OutboxQuery::default()).unwrap().total, 1);
    assert_eq!(s.customer_tasks(&c, true).unwrap().len(), 1);
    assert_eq!(log_of(&s, &c).len(), 2);
}
