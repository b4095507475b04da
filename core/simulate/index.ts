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
