//! Who gets what: for each customer of a campaign's segment, the first channel of the
//! campaign's order they can be reached on (consent, an address, every template value), or the
//! reason they get nothing. The preview and the run decide with this same function.

use rusqlite::Connection;

use crate::base::error::Result;
use crate::base::ids::{CampaignId, CustomerId};
use crate::base::time::UtcMillis;
use crate::campaigns::model::{CampaignChannel, SkipReason};
use crate::crm::customers::get_customer;
use crate::messaging::consent::{consent_state, ConsentChannel, ConsentState, ContactBlock};
use crate::messaging::frequency;
use crate::messaging::outbox::{
    recipient_for, zalo_payload, MessageOrigin, NewMessage, SendChannel,
};
use crate::messaging::templates::{self, Compiled, Me, RenderInput, Template};

/// What every decision of one campaign run shares, read once.
pub(crate) struct Plan {
    pub(crate) campaign: CampaignId,
    pub(crate) channels: Vec<(CampaignChannel, Template, Compiled)>,
    pub(crate) me: Me,
    /// Today as templates show it.
    pub(crate) today: String,
    pub(crate) cap: Option<i64>,
    pub(crate) require_consent: bool,
}

impl Plan {
    pub(crate) fn new(
        conn: &Connection,
        campaign: &CampaignId,
        channels: &[CampaignChannel],
        me: Me,
        today: String,
        require_consent: bool,
    ) -> Result<Plan> {
        let mut out = Vec::with_capacity(channels.len());
        for ch in channels {
            let t = templates::get(conn, &ch.template_id)?;
            let compiled = Compiled::new(
                t.subject.as_deref(),
                &t.body,
                ch.channel == SendChannel::Email,
            )?;
            out.push((ch.clone(), t, compiled));
        }
        Ok(Plan {
            campaign: campaign.clone(),
            channels: out,
            me,
            today,
            cap: frequency::cap(conn)?,
            require_consent,
        })
    }
}

/// What a campaign does for one customer.
pub(crate) enum Decision {
    /// The message to queue (its idempotency key is the caller's).
    Send(Box<NewMessage>),
    Skip(SkipReason, Option<String>),
}

fn block_reason(b: ContactBlock) -> SkipReason {
    match b {
        ContactBlock::DoNotContact => SkipReason::DoNotContact,
        ContactBlock::ConsentWithdrawn => SkipReason::ConsentWithdrawn,
        ContactBlock::NoConsent => SkipReason::NoConsent,
    }
}

/// Decides for one customer at `now`.
pub(crate) fn decide(
    conn: &Connection,
    plan: &Plan,
    customer: &CustomerId,
    now: UtcMillis,
) -> Result<Decision> {
    let c = get_customer(conn, customer)?;
    if c.deleted_at.is_some() {
        return Ok(Decision::Skip(SkipReason::Deleted, None));
    }
    if c.do_not_contact {
        return Ok(Decision::Skip(SkipReason::DoNotContact, None));
    }
    let cap = frequency::check(conn, customer, plan.cap, now)?;
    if cap.wait_until.is_some() {
        return Ok(Decision::Skip(
            SkipReason::FrequencyCap,
            Some(format!(
                "{} automated messages in the last 7 days",
                cap.used
            )),
        ));
    }
    // The first reason a reachable channel could not be used, reported if none can.
    let mut problem: Option<(SkipReason, Option<String>)> = None;
    for (ch, t, compiled) in &plan.channels {
        let channel = ch.channel;
        let Ok(recipient) = recipient_for(&c, channel) else {
            continue;
        };
        // "Do not contact" was looked at above; here, consent on this channel.
        let block = match consent_state(conn, customer, ConsentChannel::of(channel))? {
            Some(ConsentState::Withdrawn) => Some(ContactBlock::ConsentWithdrawn),
            None if plan.require_consent => Some(ContactBlock::NoConsent),
            _ => None,
        };
        if let Some(b) = block {
            problem.get_or_insert((block_reason(b), Some(channel.as_str().to_string())));
            continue;
        }
        let input = RenderInput::for_customer(&c, &plan.me, &plan.today);
        let rendered = compiled.render(&input)?;
        if !rendered.missing.is_empty() {
            let missing = rendered
                .missing
                .iter()
                .map(|m| format!("{{{{{m}}}}}"))
                .collect::<Vec<_>>()
                .join(", ");
            problem.get_or_insert((SkipReason::MissingValue, Some(missing)));
            continue;
        }
        if let Some(max) = channel.max_len() {
            let n = rendered.text.chars().count();
            if n > max {
                problem.get_or_insert((
                    SkipReason::TooLong,
                    Some(format!("{n} characters, at most {max}")),
                ));
                continue;
            }
        }
        let mut text = rendered.text;
        let payload = match zalo_payload(conn, channel, t, &c, &input.context) {
            Ok(Some((p, summary))) => {
                if let Some(s) = summary {
                    text = s;
                }
                Some(p)
            }
            Ok(None) => None,
            Err(e) => {
                problem.get_or_insert((SkipReason::MissingValue, Some(e.to_string())));
                continue;
            }
        };
        if text.trim().is_empty() {
            problem.get_or_insert((SkipReason::MissingValue, Some("empty message".into())));
            continue;
        }
        return Ok(Decision::Send(Box::new(NewMessage {
            channel,
            recipient,
            subject: rendered.subject,
            body_text: text,
            body_html: rendered.html,
            customer_id: Some(c.id.clone()),
            template_id: Some(t.id.clone()),
            idempotency_key: String::new(),
            zalo_payload: payload,
            origin: MessageOrigin::Campaign,
            campaign_id: Some(plan.campaign.clone()),
        })));
    }
    let (reason, detail) = problem.unwrap_or((SkipReason::NoChannel, None));
    Ok(Decision::Skip(reason, detail))
}
