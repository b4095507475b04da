/**
 * The probability written in simulated logs. The simulator must not depend on the engine or on a trained model, so
 * it uses this fixed, documented logistic formula (missing scores count as their average):
 *
 *   logit = -2.45 - 2.2 (EXT_SOURCE_1 - 0.50) - 2.6 (EXT_SOURCE_2 - 0.52) - 2.8 (EXT_SOURCE_3 - 0.51)
 *           - 0.012 (age - 43) + 0.25 ln(AMT_CREDIT / AMT_INCOME_TOTAL / 3) + 0.3 [CODE_GENDER = M]
 *   probability = 1 / (1 + e^-logit)
 *
 * with age = -DAYS_BIRTH / 365.25. A field the schema lacks counts as its average too (no term).
 * The fallback's stand-in uses the EXT_SOURCE terms only.
 */

export const STAND_IN_NOTE = 'stand-in function, not a trained model';
export const STAND_IN_FORMULA =
  'logit = -2.45 - 2.2 (EXT_SOURCE_1 - 0.50) - 2.6 (EXT_SOURCE_2 - 0.52) - 2.8 (EXT_SOURCE_3 - 0.51) ' +
  '- 0.012 (age - 43) + 0.25 ln(AMT_CREDIT / AMT_INCOME_TOTAL / 3) + 0.3 [CODE_GENDER = M]; missing scores count as ' +
  'their average; age = -DAYS_BIRTH / 365.25; probability = 1 / (1 + exp(-logit))';

const score = (value: unknown, mean: number) => (typeof value === 'number' ? value - mean : 0);

function extTerms(input: Record<string, unknown>): number {
  return (
    -2.2 * score(input.EXT_SOURCE_1, 0.5) -
    2.6 * score(input.EXT_SOURCE_2, 0.52) -
    2.8 * score(input.EXT_SOURCE_3, 0.51)
  );
}

const logistic = (logit: number) => Math.round((1 / (1 + Math.exp(-logit))) * 1e6) / 1e6;

/** The champion's stand-in probability of default for a valid input. */
export function standInProbability(input: Record<string, unknown>): number {
  const { DAYS_BIRTH: daysBirth, AMT_CREDIT: credit, AMT_INCOME_TOTAL: income } = input;
  const ageTerm = typeof daysBirth === 'number' ? -0.012 * (-daysBirth / 365.25 - 43) : 0;
  const burdenTerm =
    typeof credit === 'number' && typeof income === 'number' && credit > 0 && income > 0
      ? 0.25 * Math.log(credit / income / 3)
      : 0;
  const logit = -2.45 + extTerms(input) + ageTerm + burdenTerm + (input.CODE_GENDER === 'M' ? 0.3 : 0);
  return logistic(logit);
}

/** The fallback's stand-in: the EXT_SOURCE terms only. */
export function fallbackStandInProbability(input: Record<string, unknown>): number {
  return logistic(-2.4 + extTerms(input));
}
