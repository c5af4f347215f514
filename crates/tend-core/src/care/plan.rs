//! The plan shown before enrolling: each step's date and its rendered message, and for a bulk
//! enrolment what its Zalo messages would cost.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::calendar::Zone;
use crate::base::error::Result;
use crate::base::ids::{CustomerId, ScenarioId, TagId, TemplateId};
use crate::base::time::UtcMillis;
use crate::care::model::get_scenario;
use crate::care::model::PlannedStep;
use crate::care::model::StepKind;
use crate::care::timing::{self};
use crate::crm::customers::get_customer;
use crate::db::store::Store;
use crate::messaging::consent::contact_block;
use crate::messaging::frequency;
use crate::messaging::outbox::{recipient_for, zalo_payload, SendChannel, ZaloPayload};
use crate::messaging::templates::{self, Me, RenderInput, Rendered};
use crate::messaging::zalo::route::ZaloRoute;

/// The local date as templates show it (dd/MM/yyyy).
pub(crate) fn local_date(zone: &dyn Zone, t: UtcMillis) -> String {
    crate::base::calendar::local_date_text(zone, t)
}

/// Renders a step's template for a customer.
pub(crate) fn render_step(
    conn: &Connection,
    template: &TemplateId,
    customer: &crate::crm::customers::Customer,
    channel: SendChannel,
    me: &Me,
    today: &str,
) -> Result<Rendered> {
    let t = templates::get(conn, template)?;
    let input = RenderInput::for_customer(customer, me, today);
    templates::render(
        t.subject.as_deref(),
        &t.body,
        &input,
        channel == SendChannel::Email,
    )
}

/// What a Zalo message step needs for the Zalo routes (see `outbox::zalo_payload`).
pub(crate) fn step_zalo_payload(
    conn: &Connection,
    template: &TemplateId,
    customer: &crate::crm::customers::Customer,
    channel: SendChannel,
    me: &Me,
    today: &str,
) -> Result<Option<(ZaloPayload, Option<String>)>> {
    let t = templates::get(conn, template)?;
    let input = RenderInput::for_customer(customer, me, today);
    zalo_payload(conn, channel, &t, customer, &input.context)
}

impl Store {
    /// What enrolling `customer` now would do: each step's time (window applied, each step
    /// assumed done when due) and its message for this customer, with anything that would fail.
    pub fn plan(
        &self,
        scenario: &ScenarioId,
        customer: &CustomerId,
        now: UtcMillis,
    ) -> Result<Vec<PlannedStep>> {
        let s = get_scenario(&self.conn, scenario)?;
        let c = get_customer(&self.conn, customer)?;
        let me = self.me()?;
        let mut out = Vec::with_capacity(s.steps.len());
        let mut last: Option<UtcMillis> = None;
        let cap = frequency::cap(&self.conn)?;
        for step in &s.steps {
            let due = timing::due(
                &step.delay(),
                now,
                last,
                s.window.as_ref(),
                self.zone.as_ref(),
            );
            let today = local_date(self.zone.as_ref(), due);
            let (rendered, problem) = match (step.kind, &step.template_id, step.channel) {
                (StepKind::Message, Some(t), Some(ch)) => {
                    match render_step(&self.conn, t, &c, ch, &me, &today) {
                        Ok(r) => {
                            let problem = if !r.missing.is_empty() {
                                Some(format!(
                                    "{} has no value for {}",
                                    c.full_name,
                                    r.missing
                                        .iter()
                                        .map(|m| format!("{{{{{m}}}}}"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ))
                            } else {
                                recipient_for(&c, ch).err().map(|e| e.to_string())
                            };
                            (Some(r), problem)
                        }
                        Err(e) => (None, Some(e.to_string())),
                    }
                }
                (StepKind::Message, None, _) => {
                    (None, Some("the step's template was deleted".into()))
                }
                _ => (None, None),
            };
            let route = match (&step.template_id, step.channel) {
                (Some(t), Some(ch @ (SendChannel::ZaloAuto | SendChannel::ZaloTemplate)))
                    if problem.is_none() =>
                {
                    self.zalo_route_preview(customer, t, ch, &today, now).ok()
                }
                _ => None,
            };
            let blocked = match (step.kind, step.channel) {
                (StepKind::Message, Some(ch)) => contact_block(&self.conn, customer, ch, false)?,
                _ => None,
            };
            let waits_until = match (step.kind, blocked) {
                (StepKind::Message, None) => {
                    frequency::check(&self.conn, customer, cap, due)?.wait_until
                }
                _ => None,
            };
            out.push(PlannedStep {
                position: step.position,
                kind: step.kind,
                due_at: due,
                title: step.title.clone(),
                channel: step.channel,
                rendered,
                problem,
                route,
                blocked,
                waits_until,
            });
            last = Some(due);
        }
        Ok(out)
    }
}

/// What enrolling everyone with a tag would send over Zalo if the messages went now: how many
/// messages by route, and what the template messages cost (shown before a bulk enrolment, beside
/// the OA's quota).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ZaloBulkEstimate {
    #[ts(type = "number")]
    pub customers: i64,
    #[ts(type = "number")]
    pub free_reply: i64,
    #[ts(type = "number")]
    pub consultation: i64,
    #[ts(type = "number")]
    pub template: i64,
    #[ts(type = "number")]
    pub personal: i64,
    /// Messages that could not go (a missing value, no phone or Zalo id).
    #[ts(type = "number")]
    pub blocked: i64,
    #[ts(type = "number")]
    pub cost_vnd: i64,
}

impl Store {
    /// The Zalo messages enrolling everyone tagged `tag` in `scenario` would send, by route.
    pub fn zalo_bulk_estimate(
        &self,
        scenario: &ScenarioId,
        tag: &TagId,
        now: UtcMillis,
    ) -> Result<ZaloBulkEstimate> {
        let s = get_scenario(&self.conn, scenario)?;
        let ids: Vec<CustomerId> = self
            .conn
            .prepare_cached(
                "SELECT ct.customer_id FROM customer_tags ct JOIN customers c ON c.id = ct.customer_id
                 WHERE ct.tag_id = ?1 AND c.deleted_at IS NULL",
            )?
            .query_map([tag], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let today = local_date(self.zone.as_ref(), now);
        let mut e = ZaloBulkEstimate {
            customers: ids.len() as i64,
            ..Default::default()
        };
        for step in &s.steps {
            let (Some(t), Some(ch @ (SendChannel::ZaloAuto | SendChannel::ZaloTemplate))) =
                (&step.template_id, step.channel)
            else {
                continue;
            };
            for c in &ids {
                match self.zalo_route_preview(c, t, ch, &today, now) {
                    Ok(p) => {
                        e.cost_vnd += p.cost_vnd;
                        match p.route {
                            ZaloRoute::FreeReply => e.free_reply += 1,
                            ZaloRoute::Consultation => e.consultation += 1,
                            ZaloRoute::Template => e.template += 1,
                            ZaloRoute::Personal => e.personal += 1,
                        }
                    }
                    Err(_) => e.blocked += 1,
                }
            }
        }
        Ok(e)
    }
}
