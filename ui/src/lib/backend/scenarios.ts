import type { Enrollment } from '../bindings/Enrollment';
import type { EnrollReport } from '../bindings/EnrollReport';
import type { EnrollTarget } from '../bindings/EnrollTarget';
import type { Page } from '../bindings/Page';
import type { PlannedStep } from '../bindings/PlannedStep';
import type { Scenario } from '../bindings/Scenario';
import type { ScenarioInput } from '../bindings/ScenarioInput';
import type { ScenarioToday } from '../bindings/ScenarioToday';
import { call } from './call';

export interface ScenariosBackend {
  listScenarios(): Promise<Scenario[]>;
  getScenario(id: string): Promise<Scenario>;
  createScenario(input: ScenarioInput): Promise<Scenario>;
  updateScenario(id: string, input: ScenarioInput): Promise<Scenario>;
  /** `suffix` is appended to the copy's name, e.g. "(bản sao)". */
  duplicateScenario(id: string, suffix: string): Promise<Scenario>;
  setScenarioActive(id: string, active: boolean): Promise<Scenario>;
  /** Rejects with `conflict` while customers are enrolled. */
  deleteScenario(id: string): Promise<null>;
  /** Cancels every live enrolment of the scenario; resolves to how many were cancelled. */
  cancelScenarioEnrollments(id: string): Promise<number>;
  enroll(scenarioId: string, target: EnrollTarget): Promise<EnrollReport>;
  /** The steps a customer would get, with dates and rendered messages, before enrolling. */
  planEnrollment(scenarioId: string, customerId: string): Promise<PlannedStep[]>;
  pauseEnrollment(id: string): Promise<Enrollment>;
  resumeEnrollment(id: string): Promise<Enrollment>;
  cancelEnrollment(id: string): Promise<Enrollment>;
  customerEnrollments(customerId: string): Promise<Enrollment[]>;
  scenarioEnrollments(id: string): Promise<Page<Enrollment>>;
  scenarioToday(): Promise<ScenarioToday>;
  markStepSeen(enrollmentId: string, position: number): Promise<null>;
}

export const tauriScenarios: ScenariosBackend = {
  listScenarios: () => call('list_scenarios', {}),
  getScenario: (id) => call('get_scenario', { id }),
  createScenario: (input) => call('create_scenario', { input }),
  updateScenario: (id, input) => call('update_scenario', { id, input }),
  duplicateScenario: (id, suffix) => call('duplicate_scenario', { id, suffix }),
  setScenarioActive: (id, active) => call('set_scenario_active', { id, active }),
  deleteScenario: (id) => call('delete_scenario', { id }),
  cancelScenarioEnrollments: (id) => call('cancel_scenario_enrollments', { id }),
  enroll: (scenarioId, target) => call('enroll', { scenarioId, target }),
  planEnrollment: (scenarioId, customerId) => call('plan_enrollment', { scenarioId, customerId }),
  pauseEnrollment: (id) => call('pause_enrollment', { id }),
  resumeEnrollment: (id) => call('resume_enrollment', { id }),
  cancelEnrollment: (id) => call('cancel_enrollment', { id }),
  customerEnrollments: (customerId) => call('customer_enrollments', { customerId }),
  scenarioEnrollments: (id) => call('scenario_enrollments', { id }),
  scenarioToday: () => call('scenario_today', {}),
  markStepSeen: (enrollmentId, position) => call('mark_step_seen', { enrollmentId, position }),
};
