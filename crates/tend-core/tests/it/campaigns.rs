//! Campaigns: who gets what and why not, a run reaching each customer at most once (killed
//! half-way, started twice, from two connections), pause and cancel, recurring runs after the
//! laptop slept, and consent and the frequency cap across a campaign and a scenario.

use std::sync::Arc;

use tend_core::base::ids::{CampaignId, CustomerId, SegmentId, TemplateId};
use tend_core::campaigns::{
    CampaignChannel, CampaignInput, CampaignStatus, PreviewQuery, RecipientOutcome, RecipientQuery,
    Repeat, SkipReason,
};
use tend_core::care::model::StepOutcome;
use tend_core::care::timing::DelayFrom;
use tend_core::messaging::consent::{ConsentChannel, ConsentInput, ConsentMethod, ConsentState};
use tend_core::messaging::frequency::FrequencyCap;
use tend_core::messaging::outbox::{
    ComposeRequest, MessageOrigin, OutboxQuery, OutboxStatus, SendChannel,
};
use tend_core::messaging::templates::TemplateChannel;
use tend_core::segments::{Criterion, CriterionOp, SegmentDefinition, SegmentField, SegmentInput};
use tend_core::Store;

use crate::support::care::{enroll, log_of, message, scenario};
use crate::support::*;

/// Monday 23 November 2026, 10:00 in Vietnam.
fn monday() -> i64 {
    vn_time(2026, 11, 23, 10, 0)
}

fn tagged(
    s: &mut Store,
    name: &str,
    f: impl FnOnce(&mut tend_core::crm::customers::CustomerInput),
) -> CustomerId {
    customer_with(s, name, vn_time(2026, 9, 1, 9, 0), |c| {
        c.tags = vec!["Khách quen".into()];
        f(c)
    })
}

fn segment_of_tag(s: &mut Store) -> SegmentId {
    let tag = s.list_tags().unwrap()[0].id.to_string();
    s.save_segment(
        None,
        &SegmentInput {
            name: "Khách quen".into(),
            definition: SegmentDefinition {
                criteria: vec![Criterion {
                    field: SegmentField::Tag,
                    op: CriterionOp::Has,
                    value: Some(tag),
                    ..Default::default()
                }],
                ..Default::default()
            },
        },
        monday(),
    )
    .unwrap()
    .id
}

fn campaign(
    s: &mut Store,
    segment: &SegmentId,
    channels: Vec<(SendChannel, TemplateId)>,
    f: impl FnOnce(&mut CampaignInput),
) -> CampaignId {
    let mut input = CampaignInput {
        name: "Tri ân cuối năm".into(),
        segment_id: Some(segment.clone()),
        channels: channels
            .into_iter()
            .map(|(channel, template_id)| CampaignChannel {
                channel,
                template_id,
            })
            .collect(),
        ..Default::default()
    };
    f(&mut input);
    s.save_campaign(None, &input, monday()).unwrap().id
}

fn telegram_template(s: &mut Store) -> TemplateId {
    template_at(
        s,
        TemplateChannel::Telegram,
        None,
        "Chào {{customer.given_name}}, cảm ơn anh/chị!",
        monday(),
    )
}

/// Every campaign message in the outbox, as (customer, channel).
fn sent_to(s: &Store) -> Vec<(CustomerId, SendChannel)> {
    let mut out: Vec<_> = s
        .list_outbox(&OutboxQuery {
            limit: 500,
            ..Default::default()
        })
        .unwrap()
        .items
        .into_iter()
        .filter(|m| m.origin == MessageOrigin::Campaign)
        .map(|m| (m.customer_id.unwrap(), m.channel))
        .collect();
    out.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    out
}

/// The book of the first tests: six regulars, each a different case.
struct Regulars {
    s: Store,
    an: CustomerId,
    binh: CustomerId,
    em: CustomerId,
    giang: CustomerId,
    campaign: CampaignId,
}

fn regulars() -> Regulars {
    let mut s = store_in_vietnam();
    let an = tagged(&mut s, "Nguyễn Văn An", |c| {
        c.telegram_id = Some("7001".into())
    });
    let binh = tagged(&mut s, "Trần Thị Bình", |c| {
        c.email = Some("binh@example.vn".into());
        c.company_name = Some("ABC".into());
    });
    tagged(&mut s, "Lê Văn Cường", |_| {});
    tagged(&mut s, "Phạm Thị Dung", |c| {
        c.telegram_id = Some("7004".into());
        c.do_not_contact = true;
    });
    let em = tagged(&mut s, "Hoàng Văn Em", |c| {
        c.telegram_id = Some("7005".into());
        c.email = Some("em@example.vn".into());
        c.company_name = Some("Minh Phát".into());
    });
    let giang = tagged(&mut s, "Đỗ Thị Giang", |c| {
        c.email = Some("giang@example.vn".into())
    });
    s.record_consent(
        &ConsentInput {
            customer_id: em.clone(),
            channel: ConsentChannel::Telegram,
            state: ConsentState::Withdrawn,
            method: ConsentMethod::Phone,
            note: None,
        },
        monday(),
    )
    .unwrap();
    let seg = segment_of_tag(&mut s);
    let tg = telegram_template(&mut s);
    let mail = template_at(
        &mut s,
        TemplateChannel::Email,
        Some("Tri ân {{customer.company}}"),
        "Kính gửi {{customer.name}}",
        monday(),
    );
    let campaign = campaign(
        &mut s,
        &seg,
        vec![(SendChannel::Telegram, tg), (SendChannel::Email, mail)],
        |_| {},
    );
    Regulars {
        s,
        an,
        binh,
        em,
        giang,
        campaign,
    }
}

#[test]
fn each_customer_gets_their_first_reachable_channel_or_a_reason() {
    let r = regulars();
    let p = r.s.campaign_preview(&r.campaign, monday()).unwrap();
    assert_eq!((p.total, p.sending, p.assisted, p.skipped), (6, 3, 0, 3));
    assert!(!p.large);
    let count = |ch| {
        p.by_channel
            .iter()
            .find(|x| x.channel == ch)
            .map(|x| x.count)
    };
    assert_eq!(count(SendChannel::Telegram), Some(1));
    assert_eq!(
        count(SendChannel::Email),
        Some(2),
        "Bình, and Em who said no to Telegram"
    );
    let reason = |r| {
        p.skipped_by_reason
            .iter()
            .find(|x| x.reason == r)
            .map(|x| x.count)
    };
    assert_eq!(reason(SkipReason::NoChannel), Some(1));
    assert_eq!(reason(SkipReason::DoNotContact), Some(1));
    assert_eq!(reason(SkipReason::MissingValue), Some(1));
    let missing =
        r.s.campaign_preview_rows(
            &r.campaign,
            &PreviewQuery {
                skip_reason: Some(SkipReason::MissingValue),
                limit: 50,
                ..Default::default()
            },
            monday(),
        )
        .unwrap();
    assert_eq!(missing.total, 1);
    assert_eq!(missing.items[0].customer_id, r.giang);
    assert_eq!(
        missing.items[0].detail.as_deref(),
        Some("{{customer.company}}")
    );
}

#[test]
fn a_run_reaches_each_customer_once_and_reports_it() {
    let mut r = regulars();
    let s = &mut r.s;
    s.start_campaign(&r.campaign, monday()).unwrap();
    let tick = s.run_due_campaigns(monday()).unwrap();
    assert_eq!(tick.queued, 3);
    assert_eq!(tick.next_due, None);
    let mut expected = vec![
        (r.an.clone(), SendChannel::Telegram),
        (r.binh.clone(), SendChannel::Email),
        (r.em.clone(), SendChannel::Email),
    ];
    expected.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    assert_eq!(sent_to(s), expected);
    assert_eq!(
        s.get_campaign(&r.campaign).unwrap().status,
        CampaignStatus::Done
    );
    let keys: Vec<String> = s
        .list_outbox(&OutboxQuery {
            limit: 50,
            ..Default::default()
        })
        .unwrap()
        .items
        .into_iter()
        .map(|m| m.idempotency_key)
        .collect();
    assert!(keys.contains(&format!("campaign:{}:once:{}", r.campaign, r.an)));
    // One message is delivered, one fails.
    let queued = s
        .list_outbox(&OutboxQuery {
            limit: 50,
            ..Default::default()
        })
        .unwrap()
        .items;
    let to_an = queued
        .iter()
        .find(|m| m.customer_id.as_ref() == Some(&r.an))
        .unwrap();
    let to_binh = queued
        .iter()
        .find(|m| m.customer_id.as_ref() == Some(&r.binh))
        .unwrap();
    s.mark_sent(&to_an.id, None, monday() + MIN).unwrap();
    s.mark_failed(&to_binh.id, "mailbox full", None, monday() + MIN)
        .unwrap();
    // An answers the next day: a reply within 7 days.
    s.log_interaction(
        &tend_core::crm::interactions::InteractionInput {
            direction: tend_core::crm::interactions::Direction::Inbound,
            kind: tend_core::crm::interactions::InteractionKind::Telegram,
            ..crate::support::crm::call(&r.an, monday() + DAY)
        },
        monday() + DAY,
    )
    .unwrap();
    let p = s.campaign_progress(&r.campaign, None).unwrap();
    assert_eq!(
        (p.total, p.sent, p.failed, p.queued, p.skipped, p.replied),
        (6, 1, 1, 1, 3, 1)
    );
    let report = s.campaign_report(&r.campaign, None).unwrap();
    let email = report
        .by_channel
        .iter()
        .find(|c| c.channel == SendChannel::Email)
        .unwrap();
    assert_eq!((email.queued, email.failed), (1, 1));
    assert_eq!(report.runs.len(), 1);
    let failed = s
        .campaign_recipients(
            &r.campaign,
            &RecipientQuery {
                outcome: Some(RecipientOutcome::Failed),
                limit: 50,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(failed.total, 1);
    assert_eq!(failed.items[0].last_error.as_deref(), Some("mailbox full"));
    // The message is on An's timeline as part of the campaign.
    let timeline = s.timeline(&r.an, 0, 10).unwrap();
    assert!(timeline
        .items
        .iter()
        .any(|i| i.campaign_name.as_deref() == Some("Tri ân cuối năm")));
    // Started again: the same run, nobody gets a second message.
    s.start_campaign(&r.campaign, monday() + HOUR).unwrap();
    assert_eq!(s.run_due_campaigns(monday() + HOUR).unwrap().queued, 0);
    assert_eq!(sent_to(s).len(), 3);
    assert_eq!(s.campaign_runs(&r.campaign).unwrap().len(), 1);
}

#[test]
fn pause_holds_and_cancel_withdraws_what_is_queued() {
    let mut r = regulars();
    let s = &mut r.s;
    s.start_campaign(&r.campaign, monday()).unwrap();
    s.run_due_campaigns(monday()).unwrap();
    s.pause_campaign(&r.campaign, monday() + MIN).unwrap();
    assert!(s.claim_due(monday() + DAY, 10).unwrap().is_empty(), "held");
    s.resume_campaign(&r.campaign, monday() + 2 * MIN).unwrap();
    let claimed = s.claim_due(monday() + 2 * MIN, 1).unwrap();
    assert_eq!(claimed.len(), 1);
    s.cancel_campaign(&r.campaign, monday() + 3 * MIN).unwrap();
    let p = s.campaign_progress(&r.campaign, None).unwrap();
    assert_eq!((p.queued, p.cancelled), (1, 2), "the one being sent stays");
    assert_eq!(
        s.start_campaign(&r.campaign, monday() + HOUR)
            .unwrap_err()
            .key(),
        "campaign.cancelled"
    );
}

/// Customers with Telegram, all tagged, and a campaign to them.
fn big_book(dir: &std::path::Path, n: usize) -> CampaignId {
    let mut s = Store::open_dir(dir).unwrap();
    s.set_zone(Arc::new(VN));
    for i in 0..n {
        tagged(&mut s, &format!("Khách {i:04}"), |c| {
            c.telegram_id = Some(format!("{}", 10_000 + i))
        });
    }
    let seg = segment_of_tag(&mut s);
    let tg = telegram_template(&mut s);
    let c = campaign(&mut s, &seg, vec![(SendChannel::Telegram, tg)], |_| {});
    s.start_campaign(&c, monday()).unwrap();
    c
}

/// The child half of `a_run_killed_half_way_reaches_everyone_once`.
#[test]
fn child_campaign_run_that_dies_after_a_batch() {
    let Ok(dir) = std::env::var("TEND_CHILD_CAMPAIGN_DIR") else {
        return;
    };
    let mut s = Store::open_dir(std::path::Path::new(&dir)).unwrap();
    s.set_zone(Arc::new(VN));
    let marker = std::path::Path::new(&dir).join("died-after-a-batch");
    let die = |queued: usize| {
        std::fs::write(&marker, queued.to_string()).unwrap();
        std::process::abort()
    };
    s.run_due_campaigns_with(monday(), Some(&die)).unwrap();
}

fn campaign_keys(s: &Store) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut offset = 0;
    loop {
        let page = s
            .list_outbox(&OutboxQuery {
                limit: 500,
                offset,
                ..Default::default()
            })
            .unwrap();
        let n = page.items.len();
        keys.extend(page.items.into_iter().map(|m| m.idempotency_key));
        if n < 500 {
            return keys;
        }
        offset += n as i64;
    }
}

#[test]
fn a_run_killed_half_way_reaches_everyone_once() {
    let dir = tempfile::tempdir().unwrap();
    let c = big_book(dir.path(), 1_100);
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "campaigns::child_campaign_run_that_dies_after_a_batch",
            "--nocapture",
        ])
        .env("TEND_CHILD_CAMPAIGN_DIR", dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the child died mid-run");
    let marker = std::fs::read_to_string(dir.path().join("died-after-a-batch"))
        .expect("the child committed a batch before dying");
    assert_eq!(marker, "500");
    let mut s = Store::open_dir(dir.path()).unwrap();
    s.set_zone(Arc::new(VN));
    assert_eq!(
        campaign_keys(&s).len(),
        500,
        "the committed batch, nothing more"
    );
    let p = s.campaign_progress(&c, None).unwrap();
    assert_eq!((p.queued, p.pending), (500, 600));
    // Opened again, the run is taken up where it stopped, and finishes.
    let tick = s.run_due_campaigns(monday() + MIN).unwrap();
    assert_eq!(tick.queued, 600);
    assert_eq!(
        s.get_campaign(&c).unwrap().status,
        CampaignStatus::Done,
        "a run taken up ends the campaign as a run does"
    );
    let keys = campaign_keys(&s);
    let unique: std::collections::HashSet<&String> = keys.iter().collect();
    assert_eq!(
        (keys.len(), unique.len()),
        (1_100, 1_100),
        "each customer once"
    );
    // Started twice more, from two connections at once: nothing new.
    let other = {
        let mut o = Store::open_dir(dir.path()).unwrap();
        o.set_zone(Arc::new(VN));
        o
    };
    s.start_campaign(&c, monday() + HOUR).unwrap();
    let handle = std::thread::spawn(move || {
        let mut other = other;
        other.run_due_campaigns(monday() + HOUR).unwrap().queued
    });
    let here = s.run_due_campaigns(monday() + HOUR).unwrap().queued;
    assert_eq!(here + handle.join().unwrap(), 0);
    assert_eq!(campaign_keys(&s).len(), 1_100);
}

#[test]
fn two_connections_starting_a_new_run_at_once_send_once() {
    let dir = tempfile::tempdir().unwrap();
    let c = big_book(dir.path(), 40);
    let open = || {
        let mut o = Store::open_dir(dir.path()).unwrap();
        o.set_zone(Arc::new(VN));
        o
    };
    let (mut a, mut b) = (open(), open());
    let t = std::thread::spawn(move || b.run_due_campaigns(monday()).unwrap().queued);
    let here = a.run_due_campaigns(monday()).unwrap().queued;
    assert_eq!(here + t.join().unwrap(), 40);
    assert_eq!(campaign_keys(&a).len(), 40);
    assert_eq!(a.campaign_runs(&c).unwrap().len(), 1);
}

#[test]
fn a_recurring_campaign_slept_through_runs_once_inside_its_window() {
    let mut s = store_in_vietnam();
    tagged(&mut s, "Nguyễn Văn An", |c| {
        c.telegram_id = Some("7001".into())
    });
    let seg = segment_of_tag(&mut s);
    let tg = telegram_template(&mut s);
    s.set_frequency_cap(&FrequencyCap { per_7_days: 0 })
        .unwrap();
    let c = campaign(&mut s, &seg, vec![(SendChannel::Telegram, tg)], |i| {
        i.repeat = Repeat::Daily;
        i.time_min = Some(9 * 60);
        i.window_start_min = Some(8 * 60);
        i.window_end_min = Some(20 * 60);
    });
    // Started Monday 10:00: today's 9:00 has passed, so the first run is Tuesday 9:00.
    let started = s.start_campaign(&c, monday()).unwrap();
    assert_eq!(started.next_run_at, Some(vn_time(2026, 11, 24, 9, 0)));
    assert_eq!(s.run_due_campaigns(monday()).unwrap().queued, 0);
    // The laptop sleeps until Thursday 15:00: one run, Thursday's.
    let thursday = vn_time(2026, 11, 26, 15, 0);
    assert_eq!(s.run_due_campaigns(thursday).unwrap().queued, 1);
    let runs = s.campaign_runs(&c).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].run_key, "2026-11-26");
    assert_eq!(
        s.get_campaign(&c).unwrap().next_run_at,
        Some(vn_time(2026, 11, 27, 9, 0))
    );
    assert_eq!(s.run_due_campaigns(thursday + HOUR).unwrap().queued, 0);
    // Asleep all Friday and opened at 21:00, after the window: Friday is skipped.
    let friday_night = vn_time(2026, 11, 27, 21, 0);
    assert_eq!(s.run_due_campaigns(friday_night).unwrap().queued, 0);
    assert_eq!(s.campaign_runs(&c).unwrap().len(), 1);
    assert_eq!(
        s.get_campaign(&c).unwrap().next_run_at,
        Some(vn_time(2026, 11, 28, 9, 0))
    );
    assert_eq!(
        s.run_due_campaigns(vn_time(2026, 11, 28, 9, 0))
            .unwrap()
            .queued,
        1
    );
    // Asleep all Sunday, opened Monday 8:00: Sunday is skipped, Monday's 9:00 run stays.
    let monday_early = vn_time(2026, 11, 30, 8, 0);
    assert_eq!(s.run_due_campaigns(monday_early).unwrap().queued, 0);
    assert_eq!(
        s.get_campaign(&c).unwrap().next_run_at,
        Some(vn_time(2026, 11, 30, 9, 0))
    );
    // A time outside the window is refused: it would never run.
    let mut input = CampaignInput {
        name: "Sai giờ".into(),
        segment_id: Some(seg.clone()),
        channels: s.get_campaign(&c).unwrap().channels,
        repeat: Repeat::Daily,
        time_min: Some(21 * 60),
        window_start_min: Some(8 * 60),
        window_end_min: Some(20 * 60),
        ..Default::default()
    };
    assert_eq!(
        s.save_campaign(None, &input, monday()).unwrap_err().key(),
        "campaign.time_outside_window"
    );
    input.time_min = Some(19 * 60);
    assert!(s.save_campaign(None, &input, monday()).is_ok());
}

#[test]
fn what_was_claimed_when_a_campaign_was_cancelled_does_not_go_out_on_retry() {
    let mut r = regulars();
    let s = &mut r.s;
    s.start_campaign(&r.campaign, monday()).unwrap();
    s.run_due_campaigns(monday()).unwrap();
    let claimed = s.claim_due(monday(), 10).unwrap();
    assert_eq!(claimed.len(), 3);
    s.cancel_campaign(&r.campaign, monday() + MIN).unwrap();
    // The sender gives them back for a retry after the cancel…
    for m in &claimed {
        s.mark_retry(&m.id, "timeout", None, monday() + 2 * MIN, monday() + MIN)
            .unwrap();
    }
    // …and its next pass withdraws them before claiming.
    assert_eq!(s.enforce_holds(monday() + 2 * MIN).unwrap(), 3);
    assert!(s.claim_due(monday() + HOUR, 10).unwrap().is_empty());
}

#[test]
fn a_campaign_that_cannot_run_is_paused_with_the_reason_and_the_others_go_on() {
    let mut s = store_in_vietnam();
    tagged(&mut s, "Nguyễn Văn An", |c| {
        c.telegram_id = Some("7001".into())
    });
    let seg = segment_of_tag(&mut s);
    let gone = telegram_template(&mut s);
    let kept = telegram_template(&mut s);
    let broken = campaign(
        &mut s,
        &seg,
        vec![(SendChannel::Telegram, gone.clone())],
        |_| {},
    );
    let fine = campaign(&mut s, &seg, vec![(SendChannel::Telegram, kept)], |i| {
        i.name = "Chào năm mới".into()
    });
    s.set_frequency_cap(&FrequencyCap { per_7_days: 0 })
        .unwrap();
    s.start_campaign(&broken, monday()).unwrap();
    s.start_campaign(&fine, monday()).unwrap();
    s.delete_template(&gone).unwrap();
    assert_eq!(s.run_due_campaigns(monday()).unwrap().queued, 1);
    let b = s.get_campaign(&broken).unwrap();
    assert_eq!(b.status, CampaignStatus::Paused);
    assert!(b.last_error.is_some());
    assert_eq!(s.get_campaign(&fine).unwrap().status, CampaignStatus::Done);
}

#[test]
fn a_no_while_a_personal_step_waits_skips_the_step_with_the_reason() {
    let mut s = store_in_vietnam();
    let an = tagged(&mut s, "Nguyễn Văn An", |c| {
        c.phones = customer_input("Nguyễn Văn An", "0912 345 678").phones;
    });
    let zalo = template_at(
        &mut s,
        TemplateChannel::Zalo,
        None,
        "Chào {{customer.given_name}}",
        monday(),
    );
    let mut step = message(&zalo, 0, 0, 0, DelayFrom::Start);
    step.channel = Some(SendChannel::ZaloPersonal);
    let sc = scenario(&mut s, vec![step], |_| {});
    enroll(&mut s, &sc, &an, monday());
    s.run_due_steps(monday(), None).unwrap();
    assert_eq!(s.assisted_queue(10).unwrap().len(), 1, "waiting in Today");
    s.record_consent(
        &ConsentInput {
            customer_id: an.clone(),
            channel: ConsentChannel::Zalo,
            state: ConsentState::Withdrawn,
            method: ConsentMethod::Message,
            note: None,
        },
        monday() + MIN,
    )
    .unwrap();
    assert!(s.assisted_queue(10).unwrap().is_empty());
    s.run_due_steps(monday() + 2 * MIN, None).unwrap();
    let log = log_of(&s, &an);
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].1, StepOutcome::Skipped);
}

#[test]
fn a_one_off_campaign_started_outside_its_window_waits_for_it() {
    let mut s = store_in_vietnam();
    tagged(&mut s, "Nguyễn Văn An", |c| {
        c.telegram_id = Some("7001".into())
    });
    let seg = segment_of_tag(&mut s);
    let tg = telegram_template(&mut s);
    let c = campaign(&mut s, &seg, vec![(SendChannel::Telegram, tg)], |i| {
        i.window_start_min = Some(8 * 60);
        i.window_end_min = Some(20 * 60);
    });
    let night = vn_time(2026, 11, 23, 21, 30);
    s.start_campaign(&c, night).unwrap();
    let tick = s.run_due_campaigns(night).unwrap();
    assert_eq!(tick.queued, 0);
    assert_eq!(tick.next_due, Some(vn_time(2026, 11, 24, 8, 0)));
    assert_eq!(
        s.run_due_campaigns(vn_time(2026, 11, 24, 8, 0))
            .unwrap()
            .queued,
        1
    );
}

#[test]
fn consent_and_the_cap_hold_across_a_scenario_and_a_campaign() {
    let mut s = store_in_vietnam();
    let an = tagged(&mut s, "Nguyễn Văn An", |c| {
        c.telegram_id = Some("7001".into())
    });
    s.set_frequency_cap(&FrequencyCap { per_7_days: 2 })
        .unwrap();
    let tg = telegram_template(&mut s);
    // A scenario: a message at once, another a day later.
    let sc = scenario(
        &mut s,
        vec![
            message(&tg, 0, 0, 0, DelayFrom::Start),
            message(&tg, 1, 0, 0, DelayFrom::Previous),
        ],
        |_| {},
    );
    enroll(&mut s, &sc, &an, monday());
    assert_eq!(s.run_due_steps(monday(), None).unwrap().done, 1);
    // A campaign the same morning: the second automated message of the week.
    let seg = segment_of_tag(&mut s);
    let c = campaign(
        &mut s,
        &seg,
        vec![(SendChannel::Telegram, tg.clone())],
        |_| {},
    );
    s.start_campaign(&c, monday() + MIN).unwrap();
    assert_eq!(s.run_due_campaigns(monday() + MIN).unwrap().queued, 1);
    // The scenario's next step, due Tuesday, waits until the first message leaves the 7 days.
    let plan_wait = s.plan(&sc, &an, monday() + 2 * MIN).unwrap();
    assert!(
        plan_wait[0].waits_until.is_some(),
        "the preview says it waits"
    );
    let tuesday = monday() + DAY;
    assert_eq!(s.run_due_steps(tuesday, None).unwrap().done, 0);
    let enrolment = &s.customer_enrollments(&an).unwrap()[0];
    assert_eq!(enrolment.next_due_at, Some(monday() + 7 * DAY + 1));
    // A second campaign now: skipped for the cap, and the preview said so.
    let c2 = campaign(
        &mut s,
        &seg,
        vec![(SendChannel::Telegram, tg.clone())],
        |i| i.name = "Khuyến mãi".into(),
    );
    let p = s.campaign_preview(&c2, tuesday).unwrap();
    assert_eq!(p.skipped_by_reason[0].reason, SkipReason::FrequencyCap);
    s.start_campaign(&c2, tuesday).unwrap();
    assert_eq!(s.run_due_campaigns(tuesday).unwrap().queued, 0);
    // By hand is not capped.
    s.compose(
        &ComposeRequest {
            customer_id: an.clone(),
            template_id: tg.clone(),
            channel: SendChannel::Telegram,
            idempotency_key: "by-hand-1".into(),
        },
        TODAY,
        tuesday,
    )
    .unwrap();
    // An withdraws consent on Telegram: the waiting step is skipped with the reason when due,
    // and nothing automated is queued for them any more.
    s.record_consent(
        &ConsentInput {
            customer_id: an.clone(),
            channel: ConsentChannel::Telegram,
            state: ConsentState::Withdrawn,
            method: ConsentMethod::Phone,
            note: None,
        },
        tuesday + HOUR,
    )
    .unwrap();
    let queued_automated = s
        .list_outbox(&OutboxQuery {
            status: Some(OutboxStatus::Queued),
            limit: 50,
            ..Default::default()
        })
        .unwrap()
        .items
        .into_iter()
        .filter(|m| m.origin != MessageOrigin::Manual)
        .count();
    assert_eq!(queued_automated, 0, "what was waiting is withdrawn");
    s.run_due_steps(monday() + 8 * DAY, None).unwrap();
    let log = log_of(&s, &an);
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].1, StepOutcome::Skipped);
    // A message by hand still goes (the compose panel warns).
    assert!(s
        .compose(
            &ComposeRequest {
                customer_id: an.clone(),
                template_id: tg,
                channel: SendChannel::Telegram,
                idempotency_key: "by-hand-2".into(),
            },
            TODAY,
            tuesday + 2 * HOUR,
        )
        .is_ok());
}

#[test]
fn a_stop_message_is_offered_once_as_a_withdrawal() {
    let mut s = store_in_vietnam();
    let an = tagged(&mut s, "Nguyễn Văn An", |c| {
        c.telegram_id = Some("7001".into())
    });
    let stop = s
        .log_interaction(
            &tend_core::crm::interactions::InteractionInput {
                direction: tend_core::crm::interactions::Direction::Inbound,
                kind: tend_core::crm::interactions::InteractionKind::Telegram,
                content: Some("STOP".into()),
                ..crate::support::crm::call(&an, monday())
            },
            monday(),
        )
        .unwrap();
    assert!(s.timeline(&an, 0, 10).unwrap().items[0].asks_to_stop);
    let consent = s
        .withdraw_consent_from_message(&stop.id, monday() + MIN)
        .unwrap();
    assert_eq!(consent.current[0].channel, ConsentChannel::Telegram);
    assert_eq!(consent.current[0].state, ConsentState::Withdrawn);
    assert_eq!(consent.current[0].method, ConsentMethod::Message);
    assert!(
        !s.timeline(&an, 0, 10).unwrap().items[0].asks_to_stop,
        "recorded: not offered again"
    );
}
