/**
 * Which canary arm answers an applicant: the first 32 bits of the keyed applicant hash (`applicant_ref`) read as a
 * share of 2³², compared with the canary's percent. The same applicant always lands in the same arm (sticky) for as
 * long as the hash key and the percent stay the same, and the split needs no state shared between replicas.
 */
export type Arm = 'champion' | 'challenger';

export function canaryArm(applicantRef: string | null, percent: number): Arm {
  if (applicantRef === null || !/^[0-9a-f]{8}/.test(applicantRef)) return 'champion';
  const position = Number.parseInt(applicantRef.slice(0, 8), 16) / 2 ** 32;
  return position * 100 < percent ? 'challenger' : 'champion';
}
