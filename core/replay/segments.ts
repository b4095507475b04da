/**
 * The segments a replay reports approval rates for: applicant gender, contract type and age band. Age comes from
 * DAYS_BIRTH (days before the application, negative), in the bands credit policies are usually reviewed by.
 */
import type { Applicant } from '../contract/index.ts';

export const SEGMENT_FIELDS = ['CODE_GENDER', 'NAME_CONTRACT_TYPE', 'AGE_BAND'] as const;
export type SegmentField = (typeof SEGMENT_FIELDS)[number];

const AGE_BANDS: ReadonlyArray<[number, string]> = [
  [25, '18–24'],
  [35, '25–34'],
  [45, '35–44'],
  [55, '45–54'],
  [Number.POSITIVE_INFINITY, '55+'],
];

const DAYS_PER_YEAR = 365.25;

export function ageBand(daysBirth: unknown): string {
  if (typeof daysBirth !== 'number' || !Number.isFinite(daysBirth)) return '(missing)';
  const age = -daysBirth / DAYS_PER_YEAR;
  for (const [below, band] of AGE_BANDS) if (age < below) return band;
  return AGE_BANDS.at(-1)![1];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '(missing)';
}

/** The segment values of one applicant, in SEGMENT_FIELDS order. */
export function segmentsOf(applicant: Applicant): [string, string, string] {
  return [text(applicant.CODE_GENDER), text(applicant.NAME_CONTRACT_TYPE), ageBand(applicant.DAYS_BIRTH)];
}
