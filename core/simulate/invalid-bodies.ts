import type { Random } from './prng.ts';

type Body = Record<string, unknown>;

/**
 * The mistakes client applications make, one per invalid request. Each returns false when its field is not in the
 * body (a smaller schema), and the next one is tried.
 */
const MISTAKES: ReadonlyArray<(body: Body, random: Random) => boolean> = [
  function omitRequiredIncome(body) {
    if (!('AMT_INCOME_TOTAL' in body)) return false;
    delete body.AMT_INCOME_TOTAL;
    return true;
  },
  function sendCreditAsText(body) {
    if (typeof body.AMT_CREDIT !== 'number') return false;
    body.AMT_CREDIT = String(body.AMT_CREDIT);
    return true;
  },
  function flipDaysBirthSign(body) {
    if (typeof body.DAYS_BIRTH !== 'number') return false;
    body.DAYS_BIRTH = -body.DAYS_BIRTH;
    return true;
  },
  function spellGenderOut(body) {
    if (typeof body.CODE_GENDER !== 'string') return false;
    body.CODE_GENDER = body.CODE_GENDER === 'M' ? 'Male' : 'Female';
    return true;
  },
  function negativeChildren(body) {
    if (!('CNT_CHILDREN' in body)) return false;
    body.CNT_CHILDREN = -1;
    return true;
  },
  function addUnknownField(body, random) {
    body.FLAG_MOBIL = random.integer(0, 1);
    return true;
  },
];

/** A copy of a valid body with one client mistake in it. */
export function corruptBody(random: Random, values: Body): Body {
  const body = { ...values };
  const first = random.integer(0, MISTAKES.length - 1);
  for (let step = 0; step < MISTAKES.length; step += 1) {
    if (MISTAKES[(first + step) % MISTAKES.length]!(body, random)) break;
  }
  return body;
}
