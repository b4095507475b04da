export { Random, weightedTable, type WeightedTable } from './prng.ts';
export { NOT_EMPLOYED_DAYS, type ApplicantShift } from './applicant-model.ts';
export { assertSchemaSupported } from './schema-support.ts';
export { type ApplicantStats } from './applicant-stats.ts';
export {
  FIRST_APPLICANT_ID,
  generateApplicants,
  writeApplicantsCsv,
  type ApplicantOptions,
  type SimulatedApplicant,
  type WriteApplicantsOptions,
} from './applicants.ts';
export {
  SCENARIOS,
  SCENARIO_NAMES,
  PARTNER_CLIENT,
  middleDay,
  resolveScenario,
  type Injection,
  type InjectionKind,
  type ResolvedInjection,
  type ResolvedScenario,
  type Scenario,
  type ScenarioName,
} from './scenarios.ts';
export { STAND_IN_FORMULA, STAND_IN_NOTE, standInProbability } from './stand-in-score.ts';
export { HOURLY_WEIGHTS, WEEKDAY_WEIGHTS } from './traffic-rhythm.ts';
export { SIMULATED_MODELS, SIMULATOR_HASH_KEY, applicantRef } from './traffic-records.ts';
export {
  DEFAULT_TRAFFIC_START,
  TRAFFIC_FIRST_ID,
  generateTraffic,
  generateTrafficDays,
  parseStartDay,
  planTraffic,
  type TrafficOptions,
  type TrafficPlan,
} from './traffic.ts';
export {
  engineScoring,
  scoredNote,
  scoreTraffic,
  type ScoreTrafficOptions,
  type TrafficAnswer,
  type TrafficEngine,
  type TrafficModelRef,
  type TrafficScoring,
} from './score-traffic.ts';
export { OUTCOME_LAG, OUTCOME_NEVER_SHARE, type SimulatedOutcome } from './outcomes.ts';
export type { ConceptShift } from './applicant-risk.ts';
export {
  MANIFEST_FILE,
  OUTCOMES_FILE,
  writeTrafficFiles,
  type TrafficFile,
  type TrafficManifest,
  type WriteTrafficOptions,
} from './traffic-files.ts';
