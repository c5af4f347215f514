//! The automatic Zalo channel in the outbox: the route of each message is chosen when it is
//! sent (the customer's windows move while it waits), recorded on its row, and a route that
//! fails for good hands the message to the next one at once. The compose panel asks the same
//! choice in advance, with its cost.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::ids::{CustomerId, OutboxId, TemplateId};
use crate::base::time::UtcMillis;
use crate::crm::customers::get_customer;
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::outbox::{
    mark_sent_in, recipient_for, zalo_payload, ErrorHint, OutboxMessage, SendChannel, ZaloPayload,
};
use crate::messaging::templates::{self, RenderInput};
use crate::messaging::zalo::contacts::{
    self, ZaloWindow, CONSULTATION_WINDOW_MS, FREE_REPLY_WINDOW_MS,
};
use crate::messaging::zalo::route::{self, RouteNeeds, RouteReason, ZaloRoute};

/// The route a message would take now, for the compose panel and the plan preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoutePreview {
    pub route: ZaloRoute,
    pub reason: RouteReason,
    /// What the message costs, VNĐ (a template message); 0 for the free routes.
    #[ts(type = "number")]
    pub cost_vnd: i64,
    /// Free replies left in the 48-hour window.
    #[ts(type = "number")]
    pub free_replies_left: i64,
    /// When the window this route relies on closes (free reply or consultation).
    #[ts(type = "number | null")]
    pub window_closes_at: Option<UtcMillis>,
}

fn needs(p: &ZaloPayload) -> RouteNeeds {
    RouteNeeds {
        has_user_id: p.user_id.is_some(),
        has_phone: p.phone.is_some(),
        has_mapping: p.template_id.is_some() && p.template_data.is_some(),
    }
}

fn preview(
    p: &ZaloPayload,
    window: &ZaloWindow,
    tried: &[ZaloRoute],
    now: UtcMillis,
) -> RoutePreview {
    let (r, reason) = route::choose(window, needs(p), tried, now);
    let closes = |span: i64| window.last_inbound_at.map(|t| t + span);
    RoutePreview {
        route: r,
        reason,
        cost_vnd: match r {
            ZaloRoute::Template => p.template_price_vnd.unwrap_or(0),
            _ => 0,
        },
        free_replies_left: route::free_replies_left(window, now),
        window_closes_at: match r {
            ZaloRoute::FreeReply => closes(FREE_REPLY_WINDOW_MS),
            ZaloRoute::Consultation => closes(CONSULTATION_WINDOW_MS),
            _ => None,
        },
    }
}

impl Store {
    /// The route a Zalo message from `template` to `customer` on `channel` (Zalo automatic or
    /// Zalo template) would take now, why, and what it costs.
    pub fn zalo_route_preview(
        &self,
        customer: &CustomerId,
        template: &TemplateId,
        channel: SendChannel,
        today: &str,
        now: UtcMillis,
    ) -> Result<RoutePreview> {
        let c = get_customer(&self.conn, customer)?;
        let t = templates::get(&self.conn, template)?;
        recipient_for(&c, channel)?;
        let context = RenderInput::for_customer(&c, &self.me()?, today).context;
        let (payload, _) =
            zalo_payload(&self.conn, channel, &t, &c, &context)?.ok_or_else(|| {
                Error::field(
                    "channel",
                    "send.not_a_zalo_route",
                    "only Zalo (automatic) and Zalo template messages have a route",
                )
            })?;
        if channel == SendChannel::ZaloTemplate {
            return Ok(RoutePreview {
                route: ZaloRoute::Template,
                reason: RouteReason::OutsideWindows,
                cost_vnd: payload.template_price_vnd.unwrap_or(0),
                free_replies_left: 0,
                window_closes_at: None,
            });
        }
        let window = match &payload.user_id {
            Some(uid) => contacts::window(&self.conn, uid)?,
            None => ZaloWindow::default(),
        };
        Ok(preview(&payload, &window, &[], now))
    }

    /// Chooses the route of a claimed Zalo (automatic) message for this attempt, records it on
    /// the row (with the message a free reply quotes), and returns the message as it goes.
    pub(crate) fn take_zalo_route(
        &mut self,
        m: &OutboxMessage,
        now: UtcMillis,
    ) -> Result<OutboxMessage> {
        let mut payload = m.zalo_payload.clone().unwrap_or_default();
        let window = match &payload.user_id {
            Some(uid) => contacts::window(&self.conn, uid)?,
            None => ZaloWindow::default(),
        };
        let (r, _) = route::choose(&window, needs(&payload), &m.routes_tried, now);
        payload.quote_message_id = match r {
            ZaloRoute::FreeReply => window.last_inbound_message_id.clone(),
            _ => None,
        };
        let json = serde_json::to_string(&payload).map_err(|e| Error::Internal(e.to_string()))?;
        self.conn.execute(
            "UPDATE outbox SET route = ?2, zalo_payload = ?3, updated_at = ?4 WHERE id = ?1",
            params![m.id, r, json, now],
        )?;
        let mut taken = m.clone();
        taken.route = Some(r);
        taken.zalo_payload = Some(payload);
        Ok(taken)
    }

    /// After a permanent failure of `failed` for a Zalo (automatic) message: that route is
    /// never tried again for it, and the message is due at once on the next route.
    pub(crate) fn fall_to_next_route(
        &mut self,
        id: &OutboxId,
        failed: ZaloRoute,
        error: &str,
        now: UtcMillis,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET status = 'queued', next_attempt_at = ?3, last_error = ?4,
                 error_hint = NULL, updated_at = ?3,
                 routes_tried = CASE WHEN routes_tried IS NULL OR routes_tried = '' THEN ?2
                                     ELSE routes_tried || ',' || ?2 END
             WHERE id = ?1",
            params![id, failed, now, error],
        )?;
        self.record(Effects::WAKE_OUTBOX);
        Ok(())
    }

    /// Records a Zalo (automatic) message as sent, in one transaction with what its route
    /// changes: a free reply counts against the customer's 8; a template message is what the
    /// customer got, so the row and the timeline show the template and its values.
    pub(crate) fn mark_zalo_sent(
        &mut self,
        m: &OutboxMessage,
        provider_id: Option<&str>,
        now: UtcMillis,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        let payload = m.zalo_payload.clone().unwrap_or_default();
        match m.route {
            Some(ZaloRoute::FreeReply) => {
                if let Some(uid) = payload.user_id.as_deref() {
                    contacts::count_free_reply(&tx, uid, now)?;
                }
            }
            Some(ZaloRoute::Template) => {
                if let (Some(name), Some(data)) = (&payload.template_name, &payload.template_data) {
                    let text = templates::zalo_summary(
                        name,
                        data.iter().map(|(k, v)| (k.as_str(), Some(v.as_str()))),
                    );
                    tx.execute(
                        "UPDATE outbox SET body_text = ?2 WHERE id = ?1",
                        params![m.id, text],
                    )?;
                }
            }
            _ => {}
        }
        mark_sent_in(&tx, &m.id, provider_id, now)?;
        tx.commit()?;
        Ok(())
    }
}

/// Whether a permanent failure of a Zalo (automatic) message on `route` moves it to the next
/// route rather than failing it: a refusal about this route for this customer (the window
/// closed, not a follower, no Zalo on the phone, template messages refused), on any route but
/// the last. A settings problem or an unexplained refusal fails the message as it is, with its
/// own reason: every other route would fail the same way, and Retry after the fix starts over.
pub(crate) fn falls_through(route: ZaloRoute, hint: Option<ErrorHint>) -> bool {
    route != ZaloRoute::Personal
        && matches!(
            hint,
            Some(ErrorHint::UsePersonalZalo | ErrorHint::AddRecipient)
        )
}

/// A customer whose free-reply or consultation window closes soon: reply now, while it is free.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClosingWindow {
    pub customer_id: CustomerId,
    pub customer_name: String,
    /// The window that closes: `free_reply` (48 hours) or `consultation` (7 days).
    pub route: ZaloRoute,
    #[ts(type = "number")]
    pub closes_at: UtcMillis,
    #[ts(type = "number")]
    pub free_replies_left: i64,
    /// What they wrote last.
    pub last_text: Option<String>,
}

impl Store {
    /// Customers whose free-reply or consultation window closes within `within_ms` of `now`,
    /// soonest first (a customer once, with the window that closes first).
    pub fn zalo_closing_windows(
        &self,
        now: UtcMillis,
        within_ms: i64,
    ) -> Result<Vec<ClosingWindow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id AS customer_id, c.full_name AS customer_name, z.last_inbound_at,
                    z.last_inbound_message_id, z.free_replies_used, z.last_inbound_text
             FROM zalo_contacts z JOIN customers c ON c.zalo_id = z.user_id AND c.deleted_at IS NULL
             WHERE z.last_inbound_at > ?1
             ORDER BY z.last_inbound_at",
        )?;
        let rows = stmt.query_map(params![now - CONSULTATION_WINDOW_MS], |r| {
            Ok((
                r.get::<_, CustomerId>("customer_id")?,
                r.get::<_, String>("customer_name")?,
                ZaloWindow {
                    last_inbound_at: r.get("last_inbound_at")?,
                    last_inbound_message_id: r.get("last_inbound_message_id")?,
                    free_replies_used: r.get("free_replies_used")?,
                },
                r.get::<_, Option<String>>("last_inbound_text")?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (customer_id, customer_name, w, last_text) = row?;
            let Some(at) = w.last_inbound_at else {
                continue;
            };
            let (route, closes_at) = if w.free_reply_open(now) {
                (ZaloRoute::FreeReply, at + FREE_REPLY_WINDOW_MS)
            } else if w.consultation_open(now) {
                (ZaloRoute::Consultation, at + CONSULTATION_WINDOW_MS)
            } else {
                continue;
            };
            if closes_at - now <= within_ms
                && !out
                    .iter()
                    .any(|c: &ClosingWindow| c.customer_id == customer_id)
            {
                out.push(ClosingWindow {
                    customer_id,
                    customer_name,
                    route,
                    closes_at,
                    free_replies_left: route::free_replies_left(&w, now),
                    last_text,
                });
            }
        }
        out.sort_by_key(|c| c.closes_at);
        Ok(out)
    }

    /// A Zalo template's parameters as they would be sent to `customer` with `params` (the
    /// template editor's preview, before the template is saved).
    pub fn preview_zalo_params(
        &self,
        zalo_template_id: &str,
        params: &crate::messaging::zalo::mapping::ParamMap,
        customer: &CustomerId,
        today: &str,
    ) -> Result<Vec<crate::messaging::zalo::mapping::ParamValue>> {
        let zt = crate::messaging::zalo::approved::get(&self.conn, zalo_template_id)?;
        let c = get_customer(&self.conn, customer)?;
        let context = RenderInput::for_customer(&c, &self.me()?, today).context;
        Ok(crate::messaging::zalo::mapping::resolve(
            &zt.params, params, &context,
        ))
    }
}
