/**
 * The generative model of one Home Credit applicant: the only place that knows the data set's semantics.
 *
 * Marginals follow the public `application_train.csv` (307 511 rows): 9.5 % revolving loans, 66 % women, 18 % pensioners
 * (DAYS_EMPLOYED = 365243, no occupation), EXT_SOURCE_1 missing 56 %, EXT_SOURCE_3 20 %, OCCUPATION_TYPE 31 %,
 * log-normal incomes around 147 150, credit ≈ 3 × income, annuity ≈ credit / 20, goods price ≈ 0.9 × credit.
 * Fields are drawn in causal order (income type → age → family → children → money) so they stay consistent.
 * The EXT_SOURCE scores are noisy readings of a hidden creditworthiness the risk function also sees.
 */
import { type Random, weightedTable } from './prng.ts';

export const NOT_EMPLOYED_DAYS = 365243;

/** Population changes a traffic scenario applies to new applicants. Every option defaults to "no change". */
export interface ApplicantShift {
  /** Multiplies AMT_INCOME_TOTAL. @default 1 */
  incomeFactor?: number;
  /** Added to EXT_SOURCE_2 before it is clipped to its range. @default 0 */
  ext2Shift?: number;
  /** Share of applicants drawn from a young (20–30 years), working population instead of the usual mix. @default 0 */
  youngShare?: number;
  /** Share of revolving loans. @default 0.095 */
  revolvingShare?: number;
}

/** One applicant before missing values are masked: what the hidden risk function sees. */
export interface CompleteApplicant {
  values: Record<string, number | string | null>;
  /** Hidden creditworthiness (standard normal, higher is safer); never written out. */
  quality: number;
  ageYears: number;
  /** EXT_SOURCE values before masking. */
  ext: [number, number, number];
}

const INCOME_TYPES = weightedTable([
  ['Working', 51.6],
  ['Commercial associate', 23.3],
  ['Pensioner', 18.0],
  ['State servant', 7.06],
  ['Unemployed', 0.007],
  ['Student', 0.006],
  ['Businessman', 0.003],
  ['Maternity leave', 0.002],
] as const);
const YOUNG_INCOME_TYPES = weightedTable([
  ['Working', 70],
  ['Commercial associate', 22],
  ['State servant', 6],
  ['Student', 2],
] as const);
const EDUCATION = weightedTable([
  ['Secondary / secondary special', 71.0],
  ['Higher education', 24.3],
  ['Incomplete higher', 3.3],
  ['Lower secondary', 1.24],
  ['Academic degree', 0.05],
] as const);
const FAMILY = weightedTable([
  ['Married', 66.0],
  ['Single / not married', 15.0],
  ['Civil marriage', 10.2],
  ['Separated', 6.8],
  ['Widow', 2.0],
  ['Unknown', 0.001],
] as const);
const FAMILY_SENIOR = weightedTable([
  ['Married', 58],
  ['Single / not married', 8],
  ['Civil marriage', 6],
  ['Separated', 6],
  ['Widow', 22],
] as const);
const HOUSING = weightedTable([
  ['House / apartment', 91.3],
  ['Municipal apartment', 3.7],
  ['Rented apartment', 1.6],
  ['With parents', 2.2],
  ['Office apartment', 0.85],
  ['Co-op apartment', 0.35],
] as const);
const HOUSING_YOUNG = weightedTable([
  ['House / apartment', 74],
  ['With parents', 16],
  ['Rented apartment', 4],
  ['Municipal apartment', 4],
  ['Office apartment', 1.5],
  ['Co-op apartment', 0.5],
] as const);
/** Base shares among applicants with an occupation, then multipliers by gender and education. */
const OCCUPATIONS: ReadonlyArray<readonly [string, number, number, number]> = [
  // name, share, weight multiplier for men, multiplier with higher education
  ['Laborers', 26.1, 1.6, 0.3],
  ['Sales staff', 15.2, 0.6, 0.6],
  ['Core staff', 13.1, 0.5, 2.2],
  ['Managers', 10.1, 1.3, 2.8],
  ['Drivers', 9.0, 4.0, 0.3],
  ['High skill tech staff', 5.4, 1.2, 2.0],
  ['Accountants', 4.6, 0.2, 2.5],
  ['Medicine staff', 4.0, 0.2, 1.5],
  ['Security staff', 3.2, 2.5, 0.4],
  ['Cooking staff', 2.8, 0.4, 0.3],
  ['Cleaning staff', 2.2, 0.2, 0.2],
  ['Private service staff', 1.2, 0.5, 0.8],
  ['Low-skill Laborers', 1.0, 1.8, 0.1],
  ['Waiters/barmen staff', 0.64, 0.6, 0.4],
  ['Secretaries', 0.62, 0.1, 1.0],
  ['Realty agents', 0.35, 0.6, 1.5],
  ['HR staff', 0.27, 0.2, 2.0],
  ['IT staff', 0.25, 2.0, 3.0],
];
const OCCUPATION_TABLES = [false, true].flatMap((male) =>
  [false, true].map((higher) =>
    weightedTable(
      OCCUPATIONS.map(([name, share, men, educated]) => [name, share * (male ? men : 1) * (higher ? educated : 1)]),
    ),
  ),
);
const CHILDREN_COUPLE = weightedTable([
  [0, 55],
  [1, 28],
  [2, 14],
  [3, 2.4],
  [4, 0.4],
  [5, 0.1],
  [6, 0.05],
  [8, 0.01],
  [11, 0.002],
] as const);
const CHILDREN_ALONE = weightedTable([
  [0, 80],
  [1, 15],
  [2, 4.2],
  [3, 0.7],
  [4, 0.1],
] as const);
const BUREAU_ENQUIRIES = weightedTable(
  [0, 27, 24, 19, 12.6, 7.8, 4.6, 2.6, 1.2, 0.6, 0.3, 0.2].map((w, i) => [i, w] as const),
);
const REVOLVING_SHARE = 0.095;
const HIGHER_EDUCATION = new Set(['Higher education', 'Academic degree']);

/** The categories this model can emit, per field (the schema must allow every one of them). */
export const MODEL_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  NAME_CONTRACT_TYPE: ['Cash loans', 'Revolving loans'],
  CODE_GENDER: ['M', 'F', 'XNA'],
  FLAG_OWN_CAR: ['Y', 'N'],
  FLAG_OWN_REALTY: ['Y', 'N'],
  NAME_INCOME_TYPE: INCOME_TYPES.values,
  NAME_EDUCATION_TYPE: EDUCATION.values,
  NAME_FAMILY_STATUS: FAMILY.values,
  NAME_HOUSING_TYPE: HOUSING.values,
  OCCUPATION_TYPE: OCCUPATIONS.map(([name]) => name),
};

/** Every field the model generates, in the Kaggle column order. */
export const MODEL_FIELDS: readonly string[] = [
  'SK_ID_CURR',
  'NAME_CONTRACT_TYPE',
  'CODE_GENDER',
  'FLAG_OWN_CAR',
  'FLAG_OWN_REALTY',
  'CNT_CHILDREN',
  'AMT_INCOME_TOTAL',
  'AMT_CREDIT',
  'AMT_ANNUITY',
  'AMT_GOODS_PRICE',
  'NAME_INCOME_TYPE',
  'NAME_EDUCATION_TYPE',
  'NAME_FAMILY_STATUS',
  'NAME_HOUSING_TYPE',
  'REGION_POPULATION_RELATIVE',
  'DAYS_BIRTH',
  'DAYS_EMPLOYED',
  'DAYS_REGISTRATION',
  'DAYS_ID_PUBLISH',
  'OWN_CAR_AGE',
  'OCCUPATION_TYPE',
  'CNT_FAM_MEMBERS',
  'REGION_RATING_CLIENT',
  'EXT_SOURCE_1',
  'EXT_SOURCE_2',
  'EXT_SOURCE_3',
  'DAYS_LAST_PHONE_CHANGE',
  'AMT_REQ_CREDIT_BUREAU_YEAR',
];

const clamp = (value: number, min: number, max: number) => (value < min ? min : value > max ? max : value);
const round = (value: number, step: number) => Math.round(value / step) * step;
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;
/** A whole number of days back, as a negative count; `0 - x` so that zero stays 0 and never becomes -0. */
const daysBefore = (days: number) => 0 - Math.floor(days);

function drawAge(random: Random, incomeType: string, young: boolean): number {
  if (young) return random.between(20.5, 30);
  if (incomeType === 'Pensioner') return random.chance(0.9) ? random.between(55, 69.9) : random.between(35, 55);
  if (incomeType === 'Student') return random.between(20.5, 28);
  return clamp(40 + 10.5 * random.normal(), 20.5, 68);
}

function drawMoney(random: Random, income: number, revolving: boolean) {
  if (revolving) {
    const credit = clamp(round(income * random.logNormal(1.4, 0.5), 45_000), 45_000, 1_350_000);
    return { credit, annuity: credit * 0.05, goods: random.chance(0.99) ? credit : null };
  }
  const goods = clamp(round(income * random.logNormal(2.8, 0.6), 4_500), 40_500, 4_050_000);
  const goodsShare = random.chance(0.2) ? 1 : clamp(0.89 + 0.05 * random.normal(), 0.72, 1);
  const credit = round(goods / goodsShare, 0.5);
  const term = clamp(random.logNormal(20, 0.3), 8, 45);
  const annuity = Math.max(1_000, round(credit / term, 0.5));
  return { credit, annuity: random.chance(0.99996) ? annuity : null, goods: random.chance(0.9999) ? goods : null };
}

/** Draws one complete applicant (nothing masked yet) with the given id. */
export function drawCompleteApplicant(random: Random, id: number, shift: ApplicantShift = {}): CompleteApplicant {
  const young = shift.youngShare !== undefined && random.chance(shift.youngShare);
  const revolving = random.chance(shift.revolvingShare ?? REVOLVING_SHARE);
  const incomeType = random.pick(young ? YOUNG_INCOME_TYPES : INCOME_TYPES);
  const notEmployed = incomeType === 'Pensioner' || incomeType === 'Unemployed';
  const ageYears = drawAge(random, incomeType, young);
  const senior = ageYears > 58;
  const gender = random.chance(0.00002) ? 'XNA' : random.chance(0.658) ? 'F' : 'M';
  const male = gender === 'M';
  const education = random.pick(EDUCATION);
  const higher = HIGHER_EDUCATION.has(education);
  const family = random.pick(senior ? FAMILY_SENIOR : FAMILY);
  const couple = family === 'Married' || family === 'Civil marriage';
  const children = senior ? (random.chance(0.96) ? 0 : 1) : random.pick(couple ? CHILDREN_COUPLE : CHILDREN_ALONE);
  const occupation =
    notEmployed || random.chance(0.165) ? null : random.pick(OCCUPATION_TABLES[(male ? 2 : 0) + (higher ? 1 : 0)]!);

  const quality = random.normal();
  const incomeLog =
    11.8 +
    (male ? 0.17 : 0) +
    (higher ? 0.22 : 0) +
    (incomeType === 'Pensioner' ? -0.3 : 0) +
    (incomeType === 'Commercial associate' ? 0.08 : 0) +
    (occupation === 'Managers' || occupation === 'IT staff' ? 0.3 : 0) +
    0.08 * quality +
    0.43 * random.normal();
  const income = Math.max(25_650, round(Math.exp(incomeLog) * (shift.incomeFactor ?? 1), 450));
  const money = drawMoney(random, income, revolving);

  const ownCar = random.chance((male ? 0.48 : 0.26) + (higher ? 0.08 : 0));
  const rating = random.chance(0.105) ? 1 : random.chance(0.825) ? 2 : 3;
  const populationMedian = rating === 1 ? 0.046 : rating === 2 ? 0.019 : 0.0075;
  const population = clamp(random.logNormal(populationMedian, 0.45), 0.00029, 0.072508);

  const ageDays = Math.round(ageYears * 365.25);
  const workingYears = notEmployed ? 0 : Math.min(random.logNormal(4.5, 0.95), ageYears - 18.5);
  const ageZ = (ageYears - 43) / 12;
  const ext1 = clamp(0.5 + 0.21 * (0.35 * quality + 0.55 * ageZ + 0.76 * random.normal()), 0.0146, 0.9627);
  const ext2Raw = 0.53 + 0.19 * (0.4 * quality + 0.1 * ageZ + 0.91 * random.normal()) + (shift.ext2Shift ?? 0);
  const ext2 = clamp(ext2Raw, 0.00001, 0.855);
  const ext3 = clamp(0.51 + 0.19 * (0.35 * quality + 0.2 * ageZ + 0.915 * random.normal()), 0.0005, 0.896);

  const values: Record<string, number | string | null> = {
    SK_ID_CURR: id,
    NAME_CONTRACT_TYPE: revolving ? 'Revolving loans' : 'Cash loans',
    CODE_GENDER: gender,
    FLAG_OWN_CAR: ownCar ? 'Y' : 'N',
    FLAG_OWN_REALTY: random.chance(0.694) ? 'Y' : 'N',
    CNT_CHILDREN: children,
    AMT_INCOME_TOTAL: income,
    AMT_CREDIT: money.credit,
    AMT_ANNUITY: money.annuity,
    AMT_GOODS_PRICE: money.goods,
    NAME_INCOME_TYPE: incomeType,
    NAME_EDUCATION_TYPE: education,
    NAME_FAMILY_STATUS: family,
    NAME_HOUSING_TYPE: random.pick(ageYears < 30 ? HOUSING_YOUNG : HOUSING),
    REGION_POPULATION_RELATIVE: round6(population),
    DAYS_BIRTH: -clamp(ageDays, 6570, 25550),
    DAYS_EMPLOYED: notEmployed ? NOT_EMPLOYED_DAYS : -Math.max(1, Math.round(workingYears * 365.25)),
    DAYS_REGISTRATION: daysBefore(random.float() * Math.min(ageYears - 16, 50) * 365.25),
    DAYS_ID_PUBLISH: daysBefore(random.float() ** 1.2 * Math.min((ageYears - 14) * 365.25, 7197)),
    OWN_CAR_AGE: ownCar ? clamp(Math.round(random.logNormal(9, 0.6)), 0, 65) : null,
    OCCUPATION_TYPE: occupation,
    CNT_FAM_MEMBERS: random.chance(0.00001) ? null : Math.min(21, children + (couple ? 2 : 1)),
    REGION_RATING_CLIENT: rating,
    EXT_SOURCE_1: round6(ext1),
    EXT_SOURCE_2: round6(ext2),
    EXT_SOURCE_3: round6(ext3),
    DAYS_LAST_PHONE_CHANGE: random.chance(0.12)
      ? 0
      : daysBefore(Math.min(4361, Math.round(random.logNormal(750, 0.9)))),
    AMT_REQ_CREDIT_BUREAU_YEAR: random.pick(BUREAU_ENQUIRIES),
  };
  return { values, quality, ageYears, ext: [ext1, ext2, ext3] };
}

/** Masks values the way the data set is missing them (EXT_SOURCE_1 56 %, EXT_SOURCE_3 20 %, bureau 13.5 %). */
export function maskMissing(random: Random, values: Record<string, number | string | null>): void {
  if (random.chance(0.564)) values.EXT_SOURCE_1 = null;
  if (random.chance(0.0021)) values.EXT_SOURCE_2 = null;
  if (random.chance(0.198)) values.EXT_SOURCE_3 = null;
  if (random.chance(0.135)) values.AMT_REQ_CREDIT_BUREAU_YEAR = null;
}
