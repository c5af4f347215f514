//! Reading customers' Zalo replies without a server: the OA's recent conversations are polled
//! while Tend is open, and each new message a user wrote is taken in once (keyed by Zalo's
//! `message_id`). From a customer, it becomes an inbound Zalo interaction, which ends the
//! scenarios that exit on reply; from anyone else, it makes them an unknown Zalo contact.
//!
//! A poll reads the OA's recent messages (all users mixed, newest first) a page of 10 at a time
//! down to the newest time a poll finished before (never further back than 7 days: older
//! messages open no window), and takes them in; then, for each user among them, it reads that
//! user's conversation, newest first, down to what was read of it before (for what the list may
//! not hold). Calls per poll are capped (30 pages of the list, 20 of conversations). A list scan
//! cut short remembers where it stopped: the next poll reads the messages that came in since,
//! then goes on below that point, so a backlog of any size is read over several polls. The mark
//! moves only when a poll read everything. A user whose conversation Zalo refuses is skipped.

use rusqlite::OptionalExtension;

use crate::app::interactions::log_with_reactions;
use crate::base::error::{Error, Result};
use crate::base::ids::CustomerId;
use crate::base::time::UtcMillis;
use crate::crm::interactions::{Direction, InteractionInput, InteractionKind};
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::channels::zalo::{ChatMessage, ReadError, ZaloOa};
use crate::messaging::zalo::contacts::{self, Inbound, CONSULTATION_WINDOW_MS};

/// Zalo's largest page of messages.
const PAGE: usize = 10;
/// At most this many pages of the OA's recent messages in one poll.
const LIST_CALLS_PER_POLL: usize = 30;
/// At most this many pages of users' conversations in one poll.
const CONVERSATION_CALLS_PER_POLL: usize = 20;
/// At most this many calls to Zalo in one poll.
pub const MAX_CALLS_PER_POLL: usize = LIST_CALLS_PER_POLL + CONVERSATION_CALLS_PER_POLL;
/// At most this many pages of one conversation in one poll.
const MAX_PAGES_PER_USER: usize = 3;
/// The setting holding when Tend first read the OA's conversations: messages older than that
/// set the windows but are not logged (they predate Tend and would end scenarios wrongly).
const SINCE_SETTING: &str = "zalo_replies_since";
/// The setting holding the newest message time of the last poll that read everything.
const MARK_SETTING: &str = "zalo_replies_read_up_to";
/// The setting holding where a scan cut short stopped (`offset:newest time`).
const RESUME_SETTING: &str = "zalo_replies_resume";

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
        // Nothing older than Zalo's longest window matters: it opens no window, and a reply that
        // old is history, not news.
        let floor = mark.max(now - CONSULTATION_WINDOW_MS);
        // A scan cut short last time: where it stopped, and the newest message it had seen.
        let resume: Option<(usize, UtcMillis)> = self.setting(RESUME_SETTING)?.and_then(|r| {
            let (o, t) = r.split_once(':')?;
            Some((o.parse().ok()?, t.parse().ok()?))
        });
        let mut report = ZaloPollReport::default();
        let mut listed: Vec<ChatMessage> = Vec::new();
        let mut newest_seen = mark;
        let mut offset = 0;
        let mut jumped = false;
        let mut reached = false;
        let mut list_calls = 0;
        'pages: while list_calls < LIST_CALLS_PER_POLL {
            list_calls += 1;
            report.calls += 1;
            let page = match oa.recent_chats(offset, PAGE) {
                Ok(p) => p,
                Err(e) => return self.stopped(report, e),
            };
            for (i, m) in page.iter().enumerate() {
                if let Some((resume_offset, resume_top)) = resume.filter(|_| !jumped) {
                    if m.time <= resume_top {
                        // From here down to where the last scan stopped was read then: go on
                        // below it, moved down by the messages that came in since.
                        offset = resume_offset + offset + i;
                        jumped = true;
                        continue 'pages;
                    }
                }
                if m.time <= floor {
                    reached = true;
                    break 'pages;
                }
                newest_seen = newest_seen.max(m.time);
                listed.push(m.clone());
            }
            if page.len() < PAGE {
                reached = true;
                break;
            }
            offset += PAGE;
        }
        if reached {
            self.set_setting(RESUME_SETTING, None)?;
        } else {
            self.set_setting(RESUME_SETTING, Some(&format!("{offset}:{newest_seen}")))?;
        }
        // The list holds whole messages: take them in at once, user by user, oldest first.
        let mut users: Vec<(String, UtcMillis)> = Vec::new();
        for m in &listed {
            if !users.iter().any(|(u, _)| u == m.user_id()) {
                users.push((m.user_id().to_string(), m.time));
            }
        }
        for (user, _) in &users {
            let mut theirs: Vec<ChatMessage> = listed
                .iter()
                .filter(|m| m.user_id() == user)
                .cloned()
                .collect();
            theirs.reverse();
            self.take_in_conversation(user, &theirs, since, now, &mut report)?;
        }
        // Then each of those users' conversation, for what the list may not hold.
        let mut whole = reached;
        let mut conversation_calls = 0;
        for (user, newest) in users {
            let read_before = contacts::read_up_to(&self.conn, &user)?.max(floor);
            if newest <= read_before {
                continue;
            }
            let mut messages: Vec<ChatMessage> = Vec::new();
            // Cut short only by the calls cap; the pages cap ends the read (a user with a long
            // history before Tend has it read back 30 messages, not forever).
            let mut complete = true;
            for page_no in 0..MAX_PAGES_PER_USER {
                if conversation_calls >= CONVERSATION_CALLS_PER_POLL {
                    complete = false;
                    break;
                }
                conversation_calls += 1;
                report.calls += 1;
                let page = match oa.conversation(&user, page_no * PAGE, PAGE) {
                    Ok(p) => p,
                    // One user's conversation refused (they blocked the OA, say): what the list
                    // gave of theirs is in; the others go on.
                    Err(ReadError::Refused(_)) => break,
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
            messages.reverse();
            self.take_in_conversation(&user, &messages, since, now, &mut report)?;
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
                    log_with_reactions(&tx, &zalo_reply(customer_id, text, m.time.min(now)), now)?;
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
            log_with_reactions(&tx, &zalo_reply(customer_id, text, at.min(now)), now)?;
        }
        tx.commit()?;
        self.record(Effects::DATA_CHANGED);
        Ok(())
    }
}

/// A customer's Zalo message as an inbound interaction at `at`.
fn zalo_reply(customer_id: &CustomerId, text: String, at: UtcMillis) -> InteractionInput {
    InteractionInput {
        customer_id: customer_id.clone(),
        kind: InteractionKind::Zalo,
        direction: Direction::Inbound,
        subject: None,
        content: Some(text),
        outcome: None,
        duration_minutes: None,
        occurred_at: Some(at),
        next_action: None,
        next_action_date: None,
        complete_task_id: None,
    }
}

/// The text a message shows on the timeline: its words, or what kind of message it was.
fn message_text(m: &ChatMessage) -> String {
    if !m.text.trim().is_empty() {
        return m.text.clone();
    }
    format!("[Zalo {}]", m.kind)
}
