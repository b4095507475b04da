/** A scenario's injections turned into what they do to the requests received at a given time. */
import type { ApplicantShift } from './applicant-model.ts';
import type { ConceptShift } from './applicant-risk.ts';
import type { ResolvedInjection } from './scenarios.ts';
import type { TrafficPlan } from './traffic.ts';

/** Ordinary traffic: shares of requests per outcome, before any injection. */
export const RATES = {
  unauthenticated: 0.003,
  rateLimited: 0.006,
  internalError: 0.001,
  invalid: 0.025,
  fallback: 0.005,
};
const DAY_MS = 86_400_000;

/** What the scenario does to requests received at a given time. */
export interface Effects {
  shift: ApplicantShift;
  partnerShare: number;
  partnerClient: string | null;
  nulls: Array<[string, number]>;
  unknownCategory: { field: string; category: string; share: number } | null;
  latencyFactor: number;
  errorShare: number;
  fallbackShare: number;
  /** The hidden risk's change, for the outcomes only (undefined: the reference relation). */
  concept?: ConceptShift;
}

export interface Window {
  injection: ResolvedInjection;
  from: number;
  to: number;
}

export function injectionWindows(plan: TrafficPlan): Window[] {
  return plan.scenario.injections.map((injection) => ({
    injection,
    from: Date.parse(injection.startTs),
    to: Date.parse(injection.endTs),
  }));
}

export function effectsAt(windows: readonly Window[], time: number): Effects {
  const effects: Effects = {
    shift: {},
    partnerShare: 0,
    partnerClient: null,
    nulls: [],
    unknownCategory: null,
    latencyFactor: 1,
    errorShare: RATES.internalError,
    fallbackShare: RATES.fallback,
  };
  for (const { injection, from, to } of windows) {
    if (time < from || time >= to) continue;
    const elapsedDays = (time - from) / DAY_MS;
    const field = injection.fields[0]!;
    switch (injection.kind) {
      case 'scale':
        effects.shift.incomeFactor = (1 + injection.perDay!) ** elapsedDays;
        break;
      case 'shift':
        effects.shift.ext2Shift = injection.shiftPerDay! * elapsedDays;
        break;
      case 'population':
        effects.partnerShare = injection.share!;
        effects.partnerClient = injection.client ?? null;
        break;
      case 'category-share':
        effects.shift.revolvingShare = injection.share!;
        break;
      case 'null-values':
        for (const name of injection.fields) effects.nulls.push([name, injection.share!]);
        break;
      case 'unknown-category':
        effects.unknownCategory = { field, category: injection.category!, share: injection.share! };
        break;
      case 'latency-spike':
        effects.latencyFactor = injection.factor!;
        break;
      case 'error-burst':
        effects.errorShare = injection.share!;
        break;
      case 'fallback-burst':
        effects.fallbackShare = injection.share!;
        break;
      case 'concept':
        effects.concept = { extWeight: injection.extWeight!, noRealtyRisk: injection.noRealtyRisk! };
        break;
    }
  }
  return effects;
}
