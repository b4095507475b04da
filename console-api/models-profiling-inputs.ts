/** Input schemas of the Models and Profiling methods (spread into INPUTS). */
import { array, number, object, oneOf, optional, refine, string, type Parser } from './schema.ts';
import type { ModelsProfilingMethods } from './types.ts';

const name = string({ min: 1, max: 128, pattern: /^[A-Za-z0-9._/-]+$/ });
const id = string({ min: 1, max: 128, pattern: /^[A-Za-z0-9._:-]+$/ });
const empty = object({}) as Parser<Record<string, never>>;
const time = number({ min: 0, max: 8.64e15, integer: true });
const prices = object({
  coreHour: number({ min: 0, max: 1000 }),
  gpuHour: number({ min: 0, max: 10_000 }),
  currency: string({ min: 1, max: 8, pattern: /^[A-Za-z$€£¥]+$/ }),
});

const aliasChange = refine(
  object({
    action: oneOf(['promote', 'rollback']),
    model: optional(name),
    alias: string({ min: 1, max: 64, pattern: /^[A-Za-z0-9._-]+$/ }),
    version: optional(string({ min: 1, max: 64, pattern: /^[A-Za-z0-9._-]+$/ })),
    reason: string({ max: 2000 }),
    by: optional(string({ min: 1, max: 128 })),
  }),
  (change) => {
    if (change.reason.trim() === '')
      return { path: 'reason', code: 'required', message: 'a reason is required: say why the alias changes' };
    if (change.action === 'promote' && change.version === undefined)
      return { path: 'version', code: 'required', message: 'choose the version to promote' };
    return null;
  },
);

export const MODELS_PROFILING_INPUTS: {
  [M in keyof ModelsProfilingMethods]: Parser<ModelsProfilingMethods[M]['input']>;
} = {
  listModels: empty,
  changeAlias: aliasChange,
  listProviders: empty,
  runProfile: object({
    models: array(name, { min: 1, max: 8 }),
    providers: array(string({ min: 1, max: 32, pattern: /^[a-z0-9_-]+$/ }), { min: 1, max: 8 }),
    batchSizes: array(number({ min: 1, max: 65_536, integer: true }), { min: 1, max: 8 }),
    workers: array(number({ min: 1, max: 64, integer: true }), { min: 1, max: 4 }),
    graphOptimizationLevels: optional(array(oneOf(['disabled', 'basic', 'extended', 'all']), { min: 1, max: 4 })),
    intraOpThreads: optional(number({ min: 1, max: 64, integer: true })),
    durationS: optional(number({ min: 0.05, max: 60 })),
    prices: optional(prices),
  }),
  listProfileRuns: empty,
  getProfileRun: object({ id }),
  exportProfileReport: object({ id, format: oneOf(['html', 'json']) }),
  apiSplit: object({ range: optional(object({ from: optional(time), to: optional(time) })), prices: optional(prices) }),
};
