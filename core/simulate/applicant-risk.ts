/**
 * The hidden risk function that decides TARGET (1 = the applicant defaults).
 *
 * It reads the complete applicant (before missing values are masked) plus a share of purely hidden risk, so no model
 * trained on the written columns can be perfect: the EXT_SOURCE scores dominate, then age, employment length,
 * credit/income and annuity/income burdens, education, gender, region rating and occupation, with a non-linear
 * penalty for very low scores and an interaction between a young age and a heavy annuity. A gradient-boosted model
 * reaches a validation AUC of about 0.78 on 300 000 rows (LightGBM), a logistic regression about 0.77.
 */
import { NOT_EMPLOYED_DAYS, type CompleteApplicant } from './applicant-model.ts';
import type { Random } from './prng.ts';

/** Calibrated so that about 8 % of applicants default (the data set's 8.07 %). */
export const RISK_INTERCEPT = -3.34;

const EDUCATION_RISK: Record<string, number> = {
  'Higher education': -0.32,
  'Academic degree': -0.7,
  'Lower secondary': 0.35,
  'Incomplete higher': 0.08,
};
const OCCUPATION_RISK: Record<string, number> = {
  'Low-skill Laborers': 0.55,
  Drivers: 0.2,
  Laborers: 0.12,
  'Waiters/barmen staff': 0.2,
  'Security staff': 0.15,
  'Cooking staff': 0.12,
  Accountants: -0.3,
  Managers: -0.15,
  'High skill tech staff': -0.15,
  'Core staff': -0.1,
};

const scoreZ = (value: number) => (value - 0.5) / 0.2;

/**
 * A change of the relation between the applicant and default (the `concept-drift` scenario): the EXT_SOURCE terms
 * count `extWeight` times as much, and not owning a home adds `noRealtyRisk` to the log-odds.
 */
export interface ConceptShift {
  extWeight: number;
  noRealtyRisk: number;
}

/** The hidden log-odds of default, without the purely random part. */
export function riskLogit(applicant: CompleteApplicant, concept?: ConceptShift): number {
  const { values, ext, ageYears } = applicant;
  const [z1, z2, z3] = [scoreZ(ext[0]), scoreZ(ext[1]), scoreZ(ext[2])];
  const income = values.AMT_INCOME_TOTAL as number;
  const credit = values.AMT_CREDIT as number;
  const annuity = (values.AMT_ANNUITY as number | null) ?? credit / 20;
  const goods = (values.AMT_GOODS_PRICE as number | null) ?? credit;
  const daysEmployed = values.DAYS_EMPLOYED as number;
  const yearsEmployed = daysEmployed === NOT_EMPLOYED_DAYS ? null : -daysEmployed / 365.25;
  const annuityShare = annuity / income;

  let logit = RISK_INTERCEPT;
  const w = concept?.extWeight ?? 1;
  logit += w * (-0.3 * z1 - 0.34 * z2 - 0.38 * z3) - 0.2 * applicant.quality;
  logit += w * (0.7 * Math.max(0, -0.8 - z2) + 0.7 * Math.max(0, -0.8 - z3));
  logit += w * 0.12 * Math.min(z2, 0) * Math.min(z3, 0);
  if (concept && values.FLAG_OWN_REALTY === 'N') logit += concept.noRealtyRisk;
  logit += -0.012 * (ageYears - 43) + 0.035 * Math.max(0, 32 - ageYears);
  logit += yearsEmployed === null ? -0.1 : yearsEmployed < 1 ? 0.3 : -0.12 * Math.log1p(yearsEmployed);
  logit += 0.25 * Math.log(credit / income / 3);
  logit += 2.5 * Math.max(0, annuityShare - 0.2);
  if (ageYears < 30 && annuityShare > 0.2) logit += 0.3;
  logit += 0.8 * Math.max(0, credit / goods - 1.15);
  logit += EDUCATION_RISK[values.NAME_EDUCATION_TYPE as string] ?? 0;
  logit += OCCUPATION_RISK[values.OCCUPATION_TYPE as string] ?? 0;
  if (values.CODE_GENDER === 'M') logit += 0.3;
  logit += 0.28 * ((values.REGION_RATING_CLIENT as number) - 2);
  if (values.FLAG_OWN_CAR === 'Y') logit -= 0.1;
  if (values.NAME_CONTRACT_TYPE === 'Revolving loans') logit -= 0.35;
  if (values.NAME_FAMILY_STATUS === 'Civil marriage' || values.NAME_FAMILY_STATUS === 'Single / not married') {
    logit += 0.12;
  }
  return logit;
}

/** Draws TARGET: the hidden log-odds plus an unobservable part (normal, sd 0.9), through the logistic function. */
export function drawTarget(random: Random, applicant: CompleteApplicant, concept?: ConceptShift): 0 | 1 {
  const logit = riskLogit(applicant, concept) + 0.9 * random.normal();
  return random.float() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
}
