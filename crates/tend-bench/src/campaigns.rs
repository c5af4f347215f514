//! Segments and campaigns: counting a three-criteria segment of 100k customers, and previewing
//! then queueing a campaign to 10,000 recipients.

use std::time::{Duration, Instant};

use tend_core::base::time::system_now;
use tend_core::campaigns::{CampaignChannel, CampaignInput};
use tend_core::crm::sample;
use tend_core::messaging::outbox::SendChannel;
use tend_core::messaging::templates::{TemplateCategory, TemplateChannel, TemplateInput};
use tend_core::segments::{Criterion, CriterionOp, SegmentDefinition, SegmentField, SegmentInput};
use tend_core::Store;

use crate::{bench, bench_dir};

fn criterion(field: SegmentField, op: CriterionOp, value: &str) -> Criterion {
    Criterion {
        field,
        op,
        value: Some(value.to_string()),
        ..Default::default()
    }
}

/// "VIP, active, no contact in 30 days" on a book of 100k customers (the store of `book`):
/// the best of five counts after a first one, in milliseconds.
pub fn segment_count(store: &Store) -> Result<(), String> {
    let vip = store
        .list_tags()
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|t| t.name == "VIP")
        .ok_or("the sample book has no VIP tag")?;
    let def = SegmentDefinition {
        criteria: vec![
            criterion(SegmentField::Tag, CriterionOp::Has, vip.id.as_str()),
            criterion(SegmentField::Lifecycle, CriterionOp::Is, "active"),
            criterion(SegmentField::NoContactDays, CriterionOp::Within, "30"),
        ],
        ..Default::default()
    };
    let now = system_now();
    let first = Instant::now();
    let n = store.count_segment(&def, now).map_err(|e| e.to_string())?;
    let first = first.elapsed();
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        store.count_segment(&def, now).map_err(|e| e.to_string())?;
        times.push(start.elapsed());
    }
    times.sort();
    bench(
        "segment_count_100k_ms",
        times[times.len() / 2].as_secs_f64() * 1000.0,
        "ms",
    );
    println!(
        "  {n} customers match; the first count took {:.1} ms",
        first.as_secs_f64() * 1000.0
    );
    Ok(())
}

/// A campaign to 10,000 customers (email first, personal Zalo for the others): the recipient
/// preview, then the start and the run that queues every message, in seconds.
pub fn campaign_enqueue() -> Result<(), String> {
    let dir = bench_dir("campaigns")?;
    let mut store = Store::open_dir(&dir).map_err(|e| e.to_string())?;
    let now = system_now();
    sample::load_generated(&mut store, 7, 10_000, 0, now).map_err(|e| e.to_string())?;
    let e = |e: tend_core::Error| e.to_string();
    let template = |store: &mut Store, channel, subject: Option<&str>| {
        store.create_template(
            &TemplateInput {
                name: "Tri ân".into(),
                channel,
                category: TemplateCategory::ThankYou,
                subject: subject.map(String::from),
                body: "Chào {{customer.given_name}}, cảm ơn anh/chị đã đồng hành cùng {{default customer.company \"chúng tôi\"}}."
                    .into(),
                ..Default::default()
            },
            now,
        )
    };
    let mail = template(
        &mut store,
        TemplateChannel::Email,
        Some("Tri ân khách hàng"),
    )
    .map_err(e)?;
    let zalo = template(&mut store, TemplateChannel::Zalo, None).map_err(e)?;
    let segment = store
        .save_segment(
            None,
            &SegmentInput {
                name: "Cả sổ".into(),
                definition: SegmentDefinition::default(),
            },
            now,
        )
        .map_err(e)?;
    let campaign = store
        .save_campaign(
            None,
            &CampaignInput {
                name: "Tri ân cuối năm".into(),
                segment_id: Some(segment.id),
                channels: vec![
                    CampaignChannel {
                        channel: SendChannel::Email,
                        template_id: mail.id,
                    },
                    CampaignChannel {
                        channel: SendChannel::ZaloPersonal,
                        template_id: zalo.id,
                    },
                ],
                ..Default::default()
            },
            now,
        )
        .map_err(e)?;
    let start = Instant::now();
    let preview = store.campaign_preview(&campaign.id, now).map_err(e)?;
    let previewed = start.elapsed();
    store.start_campaign(&campaign.id, now).map_err(e)?;
    let tick = store.run_due_campaigns(now).map_err(e)?;
    bench("campaign_enqueue_10k_s", start.elapsed().as_secs_f64(), "s");
    println!(
        "  {} recipients: {} by email, {} personal Zalo, {} skipped; {} queued; the preview alone {:.2} s",
        preview.total,
        preview
            .by_channel
            .iter()
            .find(|c| c.channel == SendChannel::Email)
            .map_or(0, |c| c.count),
        preview.assisted,
        preview.skipped,
        tick.queued,
        previewed.as_secs_f64()
    );
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
