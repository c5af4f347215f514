//! Writing scenarios: validation, create, edit, duplicate, switch on or off, delete.
//!
//! Editing a scenario keeps the steps already done (the log) and recomputes the next step of
//! every live enrolment from the new definition.

use rusqlite::{params, Connection};

use crate::base::error::{Error, Result};
use crate::base::fold;
use crate::base::ids::{ScenarioId, StepId};
use crate::base::time::UtcMillis;
use crate::care::enrollments::reschedule_scenario;
use crate::care::model::get_scenario;
use crate::care::model::CatchUp;
use crate::care::model::Scenario;
use crate::care::model::ScenarioInput;
use crate::care::model::StepInput;
use crate::care::model::StepKind;
use crate::care::model::Trigger;
use crate::care::timing::SendWindow;
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::templates::{self};

/// Validated scenario fields, ready to write; the rest of the input is written as given.
pub(crate) struct ValidScenario {
    name: String,
    description: Option<String>,
    target: Option<String>,
    trigger_tag: Option<String>,
    steps: Vec<StepInput>,
}

/// The longest delay of a step: ten years.
const MAX_DELAY_DAYS: i64 = 3650;
/// The most hours a step may be late before "skip when late" skips it: a year.
const MAX_CATCH_UP_HOURS: i64 = 365 * 24;
/// How far a task's due time may be from its step's time: a year either way.
const MAX_DUE_OFFSET_MINUTES: i64 = 365 * 24 * 60;

/// An error about step `n` (1-based): the UI puts it on that step from the `step` parameter.
pub(crate) fn step_error(n: usize, key: &'static str, what: &str) -> Error {
    Error::field("steps", key, format!("step {n}: {what}")).with("step", n)
}

pub(crate) fn validate(conn: &Connection, input: &ScenarioInput) -> Result<ValidScenario> {
    let name = fold::clean(Some(&input.name))
        .ok_or_else(|| Error::field("name", "scenario.name_missing", "give the scenario a name"))?;
    if input.steps.is_empty() {
        return Err(Error::field(
            "steps",
            "scenario.no_steps",
            "add at least one step",
        ));
    }
    if input.steps.len() > 50 {
        return Err(Error::field(
            "steps",
            "scenario.too_many_steps",
            "a scenario has at most 50 steps",
        )
        .with("max", 50));
    }
    let trigger_tag = fold::clean(input.trigger_tag.as_deref());
    if input.trigger == Trigger::TagAdded && trigger_tag.is_none() {
        return Err(Error::field(
            "trigger_tag",
            "scenario.trigger_tag_missing",
            "choose the tag that enrols a customer",
        ));
    }
    if let Some(w) = &input.window {
        if !w.is_valid() {
            return Err(Error::field(
                "window",
                "scenario.window_invalid",
                "the send window needs hours and at least one day",
            ));
        }
    }
    if input.catch_up == CatchUp::SkipLate && input.catch_up_max_hours.is_none_or(|h| h < 0) {
        return Err(Error::field(
            "catch_up_max_hours",
            "scenario.catch_up_hours_missing",
            "say how many hours late a step may be before it is skipped",
        ));
    }
    if input
        .catch_up_max_hours
        .is_some_and(|h| h > MAX_CATCH_UP_HOURS)
    {
        return Err(Error::field(
            "catch_up_max_hours",
            "scenario.catch_up_hours_out_of_range",
            format!("a step may be at most {MAX_CATCH_UP_HOURS} hours late"),
        )
        .with("max", MAX_CATCH_UP_HOURS));
    }
    let mut steps = Vec::with_capacity(input.steps.len());
    for (i, s) in input.steps.iter().enumerate() {
        let n = i + 1;
        if s.delay_days < 0 || s.delay_hours < 0 || s.delay_minutes < 0 {
            return Err(step_error(
                n,
                "step.delay_negative",
                "delays cannot be negative",
            ));
        }
        // Each part is checked before they are added up, so no input can overflow the sum.
        let too_long = s.delay_days > MAX_DELAY_DAYS
            || s.delay_hours > MAX_DELAY_DAYS * 24
            || s.delay_minutes > MAX_DELAY_DAYS * 24 * 60
            || (s.delay_days * 24 + s.delay_hours) * 60 + s.delay_minutes
                > MAX_DELAY_DAYS * 24 * 60;
        if too_long {
            return Err(step_error(
                n,
                "step.delay_too_long",
                "the delay is longer than ten years",
            ));
        }
        if s.due_offset_minutes
            .is_some_and(|m| m.abs() > MAX_DUE_OFFSET_MINUTES)
        {
            return Err(step_error(
                n,
                "step.due_offset_out_of_range",
                "a task may be due at most a year before or after its step",
            ));
        }
        let mut s = s.clone();
        s.title = fold::clean(s.title.as_deref());
        match s.kind {
            StepKind::Task | StepKind::Notification => {
                if s.title.is_none() {
                    return Err(step_error(
                        n,
                        "step.title_missing",
                        &format!("write what the {} says", s.kind.as_str()),
                    )
                    .with("kind", s.kind.as_str()));
                }
            }
            StepKind::Message => {
                let Some(t) = &s.template_id else {
                    return Err(step_error(n, "step.template_missing", "choose a template"));
                };
                let channel = s
                    .channel
                    .ok_or_else(|| step_error(n, "step.channel_missing", "choose a channel"))?;
                let template = templates::get(conn, t)?;
                if !channel.accepts(template.channel) {
                    return Err(step_error(
                        n,
                        "step.template_wrong_channel",
                        &format!(
                            "the template “{}” is not written for this channel",
                            template.name
                        ),
                    )
                    .with("template", &template.name));
                }
            }
        }
        steps.push(s);
    }
    Ok(ValidScenario {
        name,
        description: fold::clean(input.description.as_deref()),
        target: fold::clean(input.target.as_deref()),
        trigger_tag,
        steps,
    })
}

/// Writes a validated definition over a scenario row: its fields and its steps.
pub(crate) fn write_definition(
    conn: &Connection,
    id: &ScenarioId,
    valid: &ValidScenario,
    input: &ScenarioInput,
    now: UtcMillis,
) -> Result<()> {
    let (ws, we, wd) = window_columns(input.window.as_ref());
    conn.execute(
        "UPDATE scenarios SET name = ?2, description = ?3, target = ?4, trigger = ?5,
             trigger_tag = ?6, exit_on_reply = ?7, window_start_min = ?8, window_end_min = ?9,
             window_days = ?10, catch_up = ?11, catch_up_max_hours = ?12, updated_at = ?13
         WHERE id = ?1",
        params![
            id,
            valid.name,
            valid.description,
            valid.target,
            input.trigger,
            valid.trigger_tag,
            input.exit_on_reply,
            ws,
            we,
            wd,
            input.catch_up,
            input.catch_up_max_hours,
            now
        ],
    )?;
    write_steps(conn, id, &valid.steps)
}

/// Writes a scenario's steps in their new order. A step that names one of this scenario's
/// saved steps is updated in place and keeps its id (what enrolments did is recorded against
/// that id); a step without one, or naming a step of another scenario (a duplicate's copy), is
/// added with a new id; saved steps no longer listed are removed.
pub(crate) fn write_steps(
    conn: &Connection,
    scenario: &ScenarioId,
    steps: &[StepInput],
) -> Result<()> {
    let saved: std::collections::HashSet<StepId> = conn
        .prepare_cached("SELECT id FROM scenario_steps WHERE scenario_id = ?1")?
        .query_map([scenario], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut kept = std::collections::HashSet::new();
    let ids: Vec<(StepId, bool)> = steps
        .iter()
        .map(|s| match &s.id {
            Some(id) if saved.contains(id) && kept.insert(id.clone()) => (id.clone(), true),
            _ => (StepId::new(), false),
        })
        .collect();
    for gone in saved.difference(&kept) {
        conn.execute("DELETE FROM scenario_steps WHERE id = ?1", [gone])?;
    }
    // Positions are unique per scenario: move the kept steps out of the way before renumbering.
    conn.execute(
        "UPDATE scenario_steps SET position = -1 - position WHERE scenario_id = ?1",
        [scenario],
    )?;
    let mut update = conn.prepare_cached(
        "UPDATE scenario_steps SET position = ?3, kind = ?4, delay_days = ?5, delay_hours = ?6,
             delay_minutes = ?7, delay_from = ?8, title = ?9, priority = ?10,
             due_offset_minutes = ?11, template_id = ?12, channel = ?13
         WHERE id = ?1 AND scenario_id = ?2",
    )?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO scenario_steps (id, scenario_id, position, kind, delay_days, delay_hours,
             delay_minutes, delay_from, title, priority, due_offset_minutes, template_id, channel)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for (i, (s, (id, exists))) in steps.iter().zip(&ids).enumerate() {
        let stmt = if *exists { &mut update } else { &mut insert };
        stmt.execute(params![
            id,
            scenario,
            i as i64,
            s.kind,
            s.delay_days,
            s.delay_hours,
            s.delay_minutes,
            s.delay_from,
            s.title,
            s.priority,
            s.due_offset_minutes,
            s.template_id,
            s.channel
        ])?;
    }
    Ok(())
}

pub(crate) fn window_columns(w: Option<&SendWindow>) -> (Option<i64>, Option<i64>, Option<i64>) {
    match w {
        Some(w) => (
            Some(w.start_min as i64),
            Some(w.end_min as i64),
            Some(w.days as i64),
        ),
        None => (None, None, None),
    }
}

impl Store {
    /// Creates a scenario (active).
    pub fn create_scenario(&mut self, input: &ScenarioInput, now: UtcMillis) -> Result<Scenario> {
        let tx = self.write_tx()?;
        let valid = validate(&tx, input)?;
        let id = ScenarioId::new();
        tx.execute(
            "INSERT INTO scenarios (id, name, active, created_at, updated_at) VALUES (?1, ?2, 1, ?3, ?3)",
            params![id, valid.name, now],
        )?;
        write_definition(&tx, &id, &valid, input, now)?;
        let s = get_scenario(&tx, &id)?;
        tx.commit()?;
        Ok(s)
    }

    /// Replaces a scenario's definition. Steps already done stay in the logs; every live
    /// enrolment's next step is recomputed from the new steps.
    pub fn update_scenario(
        &mut self,
        id: &ScenarioId,
        input: &ScenarioInput,
        now: UtcMillis,
    ) -> Result<Scenario> {
        let zone = self.zone.clone();
        let tx = self.write_tx()?;
        get_scenario(&tx, id)?;
        let valid = validate(&tx, input)?;
        write_definition(&tx, id, &valid, input, now)?;
        reschedule_scenario(&tx, id, zone.as_ref(), now)?;
        let s = get_scenario(&tx, id)?;
        tx.commit()?;
        self.record(Effects::WAKE_CARE);
        Ok(s)
    }

    /// Copies a scenario (inactive until switched on), without its enrolments.
    pub fn duplicate_scenario(
        &mut self,
        id: &ScenarioId,
        suffix: &str,
        now: UtcMillis,
    ) -> Result<Scenario> {
        let s = self.get_scenario(id)?;
        let input = ScenarioInput {
            name: format!("{} {suffix}", s.name),
            description: s.description,
            target: s.target,
            trigger: Trigger::Manual,
            trigger_tag: s.trigger_tag,
            exit_on_reply: s.exit_on_reply,
            window: s.window,
            catch_up: s.catch_up,
            catch_up_max_hours: s.catch_up_max_hours,
            steps: s
                .steps
                .into_iter()
                .map(|st| StepInput {
                    id: None,
                    kind: st.kind,
                    delay_days: st.delay_days,
                    delay_hours: st.delay_hours,
                    delay_minutes: st.delay_minutes,
                    delay_from: st.delay_from,
                    title: st.title,
                    priority: st.priority,
                    due_offset_minutes: st.due_offset_minutes,
                    template_id: st.template_id,
                    channel: st.channel,
                })
                .collect(),
        };
        let copy = self.create_scenario(&input, now)?;
        self.set_scenario_active(&copy.id, false, now)
    }

    /// Switches a scenario on or off. Off: no one can be enrolled and its live enrolments wait
    /// (no step runs); on again: they continue from where they were.
    pub fn set_scenario_active(
        &mut self,
        id: &ScenarioId,
        active: bool,
        now: UtcMillis,
    ) -> Result<Scenario> {
        let zone = self.zone.clone();
        let tx = self.write_tx()?;
        get_scenario(&tx, id)?;
        tx.execute(
            "UPDATE scenarios SET active = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, active, now],
        )?;
        reschedule_scenario(&tx, id, zone.as_ref(), now)?;
        let s = get_scenario(&tx, id)?;
        tx.commit()?;
        self.record(Effects::WAKE_CARE);
        Ok(s)
    }

    /// Deletes a scenario that has no live enrolments (cancel them first).
    pub fn delete_scenario(&mut self, id: &ScenarioId) -> Result<()> {
        let s = self.get_scenario(id)?;
        if s.enrolled_live > 0 {
            return Err(Error::conflict(
                "scenario.still_enrolled",
                format!(
                    "{} customers are still enrolled in “{}”: cancel their enrolments first",
                    s.enrolled_live, s.name
                ),
            )
            .with("count", s.enrolled_live)
            .with("name", &s.name));
        }
        self.conn
            .execute("DELETE FROM scenarios WHERE id = ?1", [id])?;
        Ok(())
    }
}
