/**
 * Traffic scenarios: what each one injects into the simulated production logs, and when.
 *
 * The table is data so tests of ingest and analysis can assert that what was injected is what they find.
 * Timing is relative to the simulated period: `from: 'middle'` is day k = floor(days / 2) (day 0 for a one-day run),
 * `hours` narrows an injection to UTC hours [start, end) of its start day.
 */

export const SCENARIO_NAMES = [
  'stable',
  'gradual-drift',
  'sudden-shift',
  'data-quality',
  'incident',
  'concept-drift',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export type InjectionKind =
  | 'scale'
  | 'shift'
  | 'population'
  | 'category-share'
  | 'null-values'
  | 'unknown-category'
  | 'latency-spike'
  | 'error-burst'
  | 'fallback-burst'
  | 'concept';

export interface Injection {
  kind: InjectionKind;
  /** Applicant fields (under `input`) or record fields (`latency_ms`, `status`…) it changes directly. */
  fields: string[];
  /**
   * Fields that change as a consequence, through their correlation with the injected ones (e.g. EXT_SOURCE_1 follows
   * age): analysis may rightly find drift there too.
   */
  alsoAffects?: string[];
  /** First day it applies: the first day of the period, or day k = floor(days / 2). */
  from: 'start' | 'middle';
  /** UTC hours [start, end) of the start day it is limited to; absent: every hour to the end of the period. */
  hours?: [number, number];
  /** Multiplier growth per day, compounded (`scale`: 0.02 is +2 % a day). */
  perDay?: number;
  /** Additive change per day (`shift`). */
  shiftPerDay?: number;
  /** Share of requests affected. */
  share?: number;
  /** Multiplier (`latency-spike`). */
  factor?: number;
  /** The category whose share changes, or the unknown category that appears. */
  category?: string;
  /** `concept`: the weight left to the EXT_SOURCE terms of the hidden risk, and the log-odds of not owning a home. */
  extWeight?: number;
  noRealtyRisk?: number;
  /** The client key id of the requests it adds (a new partner channel). */
  client?: string;
  description: string;
}

export interface Scenario {
  name: ScenarioName;
  description: string;
  injections: Injection[];
}

/** Key id (first 8 hex characters of sha256 of the key, as the API logs it) of the new partner channel. */
export const PARTNER_CLIENT = '7d5e0a91';

export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  stable: {
    name: 'stable',
    description: 'The reference population throughout: nothing changes.',
    injections: [],
  },
  'gradual-drift': {
    name: 'gradual-drift',
    description: 'Incomes inflate and EXT_SOURCE_2 slides down a little every day, from the first day.',
    injections: [
      {
        kind: 'scale',
        fields: ['AMT_INCOME_TOTAL'],
        from: 'start',
        perDay: 0.02,
        description: 'AMT_INCOME_TOTAL grows by 2 % a day, compounded (x1.02^d on day d)',
      },
      {
        kind: 'shift',
        fields: ['EXT_SOURCE_2'],
        from: 'start',
        shiftPerDay: -0.01,
        description: 'EXT_SOURCE_2 moves down by 0.01 a day (-0.01 d on day d, clipped to its range)',
      },
    ],
  },
  'sudden-shift': {
    name: 'sudden-shift',
    description: 'From day k a new partner channel sends young applicants asking mostly for revolving loans.',
    injections: [
      {
        kind: 'population',
        fields: ['DAYS_BIRTH', 'DAYS_EMPLOYED', 'NAME_INCOME_TYPE', 'NAME_HOUSING_TYPE'],
        alsoAffects: ['DAYS_REGISTRATION', 'DAYS_ID_PUBLISH', 'EXT_SOURCE_1', 'OCCUPATION_TYPE', 'NAME_FAMILY_STATUS'],
        from: 'middle',
        share: 0.5,
        client: PARTNER_CLIENT,
        description:
          'half of the applicants come from the partner: 20 to 30 years old, working, more often with parents',
      },
      {
        kind: 'category-share',
        fields: ['NAME_CONTRACT_TYPE'],
        alsoAffects: ['AMT_CREDIT', 'AMT_ANNUITY', 'AMT_GOODS_PRICE'],
        from: 'middle',
        category: 'Revolving loans',
        share: 0.45,
        description: 'Revolving loans rise from 9.5 % to 45 % of applications',
      },
    ],
  },
  'data-quality': {
    name: 'data-quality',
    description: 'From day k an upstream feed breaks: EXT_SOURCE_3 arrives null and an unknown income type appears.',
    injections: [
      {
        kind: 'null-values',
        fields: ['EXT_SOURCE_3'],
        from: 'middle',
        share: 1,
        description: 'EXT_SOURCE_3 is null in every request',
      },
      {
        kind: 'unknown-category',
        fields: ['NAME_INCOME_TYPE'],
        from: 'middle',
        category: 'Self-employed',
        share: 0.05,
        description:
          '5 % of requests send NAME_INCOME_TYPE "Self-employed", which the schema rejects: invalid records (400 ' +
          'VALIDATION_FAILED) that keep the raw input',
      },
    ],
  },
  incident: {
    name: 'incident',
    description: 'For one hour on day k (14:00-15:00 UTC) the champion struggles: slow answers, errors, fallbacks.',
    injections: [
      {
        kind: 'latency-spike',
        fields: ['latency_ms'],
        from: 'middle',
        hours: [14, 15],
        factor: 10,
        description: 'latencies (total, queue, inference) are 10 times longer',
      },
      {
        kind: 'error-burst',
        fields: ['status', 'http_status', 'error'],
        from: 'middle',
        hours: [14, 15],
        share: 0.2,
        description: '12 % of requests fail with 500 INTERNAL_ERROR and 8 % are shed with 503 OVERLOADED',
      },
      {
        kind: 'fallback-burst',
        fields: ['served_by', 'degraded', 'model'],
        from: 'middle',
        hours: [14, 15],
        share: 0.5,
        description: 'half of the answered requests are served by the fallback model (degraded: champion timeout)',
      },
    ],
  },
  'concept-drift': {
    name: 'concept-drift',
    description:
      'From day k the inputs keep their distribution but what predicts default changes: the model ranks worse.',
    injections: [
      {
        kind: 'concept',
        fields: ['TARGET'],
        from: 'middle',
        extWeight: 0.15,
        noRealtyRisk: 1.2,
        description:
          'the EXT_SOURCE scores keep 15 % of their weight in the hidden risk and not owning a home adds 1.2 to ' +
          'its log-odds: only the outcomes (written with a lag) show it, never the logged inputs',
      },
    ],
  },
};

/** An injection placed on the calendar of one run. */
export interface ResolvedInjection extends Injection {
  /** Day index of its first day (0 = the first day of the period). */
  startDay: number;
  /** ISO time it starts (inclusive) and ends (exclusive). */
  startTs: string;
  endTs: string;
}

export interface ResolvedScenario extends Omit<Scenario, 'injections'> {
  injections: ResolvedInjection[];
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The day k that `from: 'middle'` means for a period of `days` days. */
export function middleDay(days: number): number {
  return Math.floor(days / 2);
}

/** Places a scenario's injections on the calendar of a run starting at `startMs` (UTC midnight) for `days` days. */
export function resolveScenario(name: ScenarioName, days: number, startMs: number): ResolvedScenario {
  const scenario = SCENARIOS[name];
  const injections = scenario.injections.map((injection): ResolvedInjection => {
    const startDay = injection.from === 'start' ? 0 : middleDay(days);
    const dayStart = startMs + startDay * DAY_MS;
    const [from, to] = injection.hours ?? [0, (days - startDay) * 24];
    return {
      ...injection,
      startDay,
      startTs: new Date(dayStart + from * HOUR_MS).toISOString(),
      endTs: new Date(dayStart + to * HOUR_MS).toISOString(),
    };
  });
  return { ...scenario, injections };
}
