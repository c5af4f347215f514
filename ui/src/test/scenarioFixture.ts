import type { PlannedStep } from '../lib/bindings/PlannedStep';
import type { Scenario } from '../lib/bindings/Scenario';

/** A stored scenario with no steps and nobody enrolled, plus `overrides`. */
export function scenarioFixture(overrides: Partial<Scenario> = {}): Scenario {
  return {
    id: 'sc1',
    name: 'Chăm sóc khách mới',
    description: null,
    target: null,
    trigger: 'manual',
    trigger_tag: null,
    active: true,
    exit_on_reply: true,
    window: null,
    catch_up: 'send_late',
    catch_up_max_hours: null,
    steps: [],
    enrolled_live: 0,
    enrolled_total: 0,
    created_at: 0,
    updated_at: 0,
    ...overrides,
  };
}

/** A step of an enrolment plan: a Telegram message due at `due_at` that would go as planned. */
export function plannedStepFixture(overrides: Partial<PlannedStep> = {}): PlannedStep {
  return {
    position: 0,
    kind: 'message',
    due_at: 0,
    title: null,
    channel: 'telegram',
    rendered: { subject: null, text: 'Chào Lan', html: null, missing: [] },
    problem: null,
    route: null,
    blocked: null,
    waits_until: null,
    ...overrides,
  };
}
