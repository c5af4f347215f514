//! Reading customers' Zalo replies without a server: the OA's recent conversations are polled
//! while Tend is open, and each new message a user wrote is taken in once (keyed by Zalo's
//! `message_id`). From a customer, it becomes an inbound Zalo interaction, which ends the
//! scenarios that exit on reply; from anyone else, it makes them an unknown Zalo contact.
//!
//! A poll reads the OA's recent messages (all users mixed, newest first) a page of 10 at a time
//! down to the newest time a poll finished before; for each user among them it reads that
//! user's conversation, newest first, down to what was read of it before. Calls per poll are
//! capped: a poll cut short does not move the mark, so the next one reads again from there
//! (messages already taken in are skipped by id).

use rusqlite::OptionalExtension;

use crate::app::interactions::log_with_reactions;
use crate::base::error::{Error, Result};
use crate::base::ids::CustomerId;
use crate::base::time::UtcMillis;
use crate::crm::interactions::{Direction, InteractionInput, InteractionKind};
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::channels::zalo::{ChatMessage, ReadError, ZaloOa};
use crate::messaging::zalo::contacts::{self, Inbound};

/// Zalo's largest page of messages.
const PAGE: usize = 10;
/// At most this many calls to Zalo in one poll.
pub const MAX_CALLS_PER_POLL: usize = 20;
/// At most this many pages of one conversation in one poll.
const MAX_PAGES_PER_USER: usize = 3;
/// The setting holding when Tend first read the OA's conversations: messages older than that
/// set the windows but are not logged (they predate Tend and would end scenarios wrongly).
const SINCE_SETTING: &str = "zalo_replies_since";
/// The setting holding the newest message time of the last poll that read everything.
const MARK_SETTING: &str = "zalo_replies_read_up_to";

/// What one poll did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZaloPollReport {
    /// Replies logged on customers' timelines.
    pub replies: usize,
    /// Messages from users no customer has.
    pub from_unknown: usize,
    /// Calls made to Zalo.
    pub calls: usize,
    /// Zalo said the OA asks too often.
    pub rate_limited: bool,
    /// Zalo could not be reached: nothing was read.
    pub offline: bool,
}

impl ZaloPollReport {
    /// Whether anything new came in.
    pub fn found_news(&self) -> bool {
        self.replies + self.from_unknown > 0
    }
}

impl Store {
    /// Reads the OA's new messages from users; see the module's documentation.
    pub fn poll_zalo_replies(&mut self, oa: &ZaloOa, now: UtcMillis) -> Result<ZaloPollReport> {
        let since: UtcMillis = match self.setting(SINCE_SETTING)?.and_then(|s| s.parse().ok()) {
            Some(s) => s,
            None => {
                self.set_setting(SINCE_SETTING, Some(&now.to_string()))?;
                now
            }
        };
        let mark: UtcMillis = self
            .setting(MARK_SETTING)?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut report = ZaloPollReport::default();
        // Users with something newer than the mark: (user, their newest time), newest first.
        let mut news: Vec<(String, UtcMillis)> = Vec::new();
        let mut newest_seen = mark;
        let mut offset = 0;
        let mut whole = false;
        'pages: while report.calls < MAX_CALLS_PER_POLL {
            report.calls += 1;
            let page = match oa.recent_chats(offset, PAGE) {
                Ok(p) => p,
                Err(e) => return self.stopped(report, e),
            };
            for m in &page {
                if m.time <= mark {
                    whole = true;
                    break 'pages;
                }
                newest_seen = newest_seen.max(m.time);
                let user = m.user_id().to_string();
                if !news.iter().any(|(u, _)| *u == user) {
                    news.push((user, m.time));
                }
            }
            if page.len() < PAGE {
                whole = true;
                break;
            }
            offset += PAGE;
        }
        for (user, newest) in news {
            if report.calls >= MAX_CALLS_PER_POLL {
                whole = false;
                break;
            }
            let read_before = contacts::read_up_to(&self.conn, &user)?;
            if newest <= read_before {
                // Read by an earlier poll that was cut short before the mark could move.
                continue;
            }
            let mut messages: Vec<ChatMessage> = Vec::new();
            // Cut short only by the calls cap; the pages cap ends the read (a user with a long
            // history before Tend has it read back 30 messages, not forever).
            let mut complete = true;
            for page_no in 0..MAX_PAGES_PER_USER {
                if report.calls >= MAX_CALLS_PER_POLL {
                    complete = false;
                    break;
                }
                report.calls += 1;
                let page = match oa.conversation(&user, page_no * PAGE, PAGE) {
                    Ok(p) => p,
                    Err(e) => return self.stopped(report, e),
                };
                let short = page.len() < PAGE;
                let mut reached_old = false;
                for m in page {
                    if m.time <= read_before {
                        reached_old = true;
                        break;
                    }
                    messages.push(m);
                }
                if reached_old || short {
                    break;
                }
            }
            // Oldest first, so the timeline and the window end on the newest.
            messages.reverse();
            self.take_in_conversation(&user, &messages, since, now, &mut report)?;
            // A conversation read only in part is read again from its start next time (the
            // messages already taken in are skipped by id); read fully, it is done up to its
            // newest message.
            if complete {
                let tx = self.write_tx()?;
                contacts::set_read_up_to(&tx, &user, newest, now)?;
                tx.commit()?;
            } else {
                whole = false;
            }
        }
        if whole && newest_seen > mark {
            self.set_setting(MARK_SETTING, Some(&newest_seen.to_string()))?;
        }
        if report.found_news() {
            self.record(Effects::DATA_CHANGED);
        }
        Ok(report)
    }

    /// Takes in one user's messages (oldest first) in one transaction.
    fn take_in_conversation(
        &mut self,
        user: &str,
        messages: &[ChatMessage],
        since: UtcMillis,
        now: UtcMillis,
        report: &mut ZaloPollReport,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        let customer: Option<CustomerId> = tx
            .prepare_cached(
                "SELECT id FROM customers WHERE zalo_id = ?1 AND deleted_at IS NULL
                 ORDER BY created_at LIMIT 1",
            )?
            .query_row([user], |r| r.get(0))
            .optional()?;
        for m in messages.iter().filter(|m| m.from_id == user) {
            let text = message_text(m);
            let fresh = contacts::take_in(
                &tx,
                &Inbound {
                    user_id: user,
                    display_name: m.from_name.as_deref(),
                    message_id: &m.message_id,
                    text: &text,
                    time: m.time,
                },
                now,
            )?;
            if !fresh || m.time < since {
                continue;
            }
            match &customer {
                Some(customer_id) => {
                    log_with_reactions(
                        &tx,
                        &InteractionInput {
                            customer_id: customer_id.clone(),
                            kind: InteractionKind::Zalo,
                            direction: Direction::Inbound,
                            subject: None,
                            content: Some(text),
                            outcome: None,
                            duration_minutes: None,
                            occurred_at: Some(m.time.min(now)),
                            next_action: None,
                            next_action_date: None,
                            complete_task_id: None,
                        },
                        now,
                    )?;
                    report.replies += 1;
                }
                None => report.from_unknown += 1,
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Ends a poll that could not read: offline and rate limits are normal states (the worker
    /// waits), a refusal is something to fix.
    fn stopped(&mut self, mut report: ZaloPollReport, e: ReadError) -> Result<ZaloPollReport> {
        match e {
            ReadError::NoAnswer(_) => report.offline = true,
            ReadError::RateLimited => report.rate_limited = true,
            ReadError::Refused(why) => {
                return Err(Error::failed(
                    "zalo.read_refused",
                    format!("Zalo refused to give the OA's conversations: {why}"),
                )
                .with("detail", why))
            }
        }
        if report.found_news() {
            self.record(Effects::DATA_CHANGED);
        }
        Ok(report)
    }

    /// Links an unknown Zalo contact to a customer: the customer's Zalo user id becomes theirs,
    /// and their last message goes on the customer's timeline.
    pub fn link_zalo_contact(
        &mut self,
        user_id: &str,
        customer_id: &CustomerId,
        now: UtcMillis,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        let contact = contacts::get(&tx, user_id)?;
        let customer = crate::crm::customers::get_customer(&tx, customer_id)?;
        if customer.deleted_at.is_some() {
            return Err(Error::conflict(
                "customer.in_bin",
                "this customer is in the bin",
            ));
        }
        tx.execute(
            "UPDATE customers SET zalo_id = ?2, updated_at = ?3 WHERE id = ?1",
            rusqlite::params![customer_id, user_id, now],
        )?;
        if let (Some(at), Some(text)) = (contact.last_inbound_at, contact.last_inbound_text) {
            log_with_reactions(
                &tx,
                &InteractionInput {
                    customer_id: customer_id.clone(),
                    kind: InteractionKind::Zalo,
                    direction: Direction::Inbound,
                    subject: None,
                    content: Some(text),
                    outcome: None,
                    duration_minutes: None,
                    occurred_at: Some(at.min(now)),
                    next_action: None,
                    next_action_date: None,
                    complete_task_id: None,
                },
                now,
            )?;
        }
        tx.commit()?;
        self.record(Effects::DATA_CHANGED);
        Ok(())
    }
}

/// The text a message shows on the timeline: its words, or what kind of message it was.
fn message_text(m: &ChatMessage) -> String {
    if !m.text.trim().is_empty() {
        return m.text.clone();
    }
    format!("[Zalo {}]", m.kind)
}
