/**
 * The drift alert rules' only door to the stored-period drift analysis (core/analysis `analyseStoredPeriod`, through
 * `vigie drift`'s `analyseStore`, so a gate judges the same numbers the drift command prints).
 */
import type { DriftProbe, DriftWindowFigures } from '../../core/alerts/index.ts';
import type { Store } from '../../db/index.ts';
import { CliError } from '../errors.ts';
import { analyseStore, configFromFlags } from './drift.ts';

const PRIMARY = { number: 'psi', category: 'jensen_shannon' } as const;

export function storedDriftProbe(store: Store, modelsDir: string): DriftProbe {
  return async (from, to) => {
    let analysis;
    try {
      ({ analysis } = await analyseStore(store, { modelsDir, from, to, window: 'day' }, await configFromFlags({})));
    } catch (error) {
      // No champion reference or no scored records in the period: the drift rules cannot be judged.
      if (error instanceof CliError) return null;
      throw error;
    }
    const kinds = new Map(analysis.fields.map((field) => [field.name, field.kind]));
    return analysis.windows.map((w): DriftWindowFigures => ({
      start: w.start,
      end: w.end,
      driftShare: w.driftShare,
      fields: Object.entries(w.fields).flatMap(([name, field]) => {
        const method = kinds.get(name) === 'number' ? PRIMARY.number : PRIMARY.category;
        const result = field.methods[method];
        return result && Number.isFinite(result.statistic) ? [{ name, method, statistic: result.statistic }] : [];
      }),
    }));
  };
}
