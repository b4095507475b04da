/**
 * Which stored records each part of a stored-period analysis counts (decision record 1000):
 * - input drift and prediction drift: the scored records (status ok), whoever answered them — the champion, the
 *   fallback model or the rules; prediction drift is also given per `served_by`, so fallback answers never mix
 *   silently with the champion's;
 * - data quality (missing rates, out-of-range values, unseen categories): every record that carried an applicant,
 *   the scored ones and the invalid ones (what clients sent, as far as it could be read), so a broken field shows up
 *   where it hits even when the API refused the request.
 * Rejected (auth, rate limit) and error records carry no applicant to judge and are left out of both.
 */
export const DRIFT_STATUSES: ReadonlyArray<'ok'> = Object.freeze(['ok'] as const);
export const QUALITY_STATUSES: ReadonlyArray<'ok' | 'invalid'> = Object.freeze(['ok', 'invalid'] as const);
/** The records data quality counts beyond the drift population. */
export const QUALITY_EXTRA_STATUSES: ReadonlyArray<'invalid'> = Object.freeze(['invalid'] as const);
