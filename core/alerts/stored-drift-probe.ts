/**
 * The drift rules' probe over stored records: the one stored-period analysis (core/analysis `analyseStoredPeriod`,
 * daily windows, the package's reference) reduced to each window's drift share and each field's primary statistic,
 * so `vigie check`, the CLI imports' hook and the console judge the same numbers `vigie drift --db` prints.
 */
import { analyseStoredPeriod, driftConfig, DriftInputError, type DriftConfig } from '../analysis/index.ts';
import type { RecordSource } from '../analysis/source.ts';
import type { ModelPackage } from '../contract/index.ts';
import type { DriftWindowFigures } from './evaluate.ts';
import type { DriftProbe } from './evaluate-stored.ts';

const PRIMARY = { number: 'psi', category: 'jensen_shannon' } as const;

/** `loadModel` resolves the champion (null: no reference, so the drift rules cannot be judged). */
export function storedDriftProbe(
  source: RecordSource,
  loadModel: () => Promise<ModelPackage | null>,
  config: DriftConfig = driftConfig(),
): DriftProbe {
  return async (from, to) => {
    const model = await loadModel();
    if (!model) return null;
    let analysis;
    try {
      analysis = await analyseStoredPeriod(source, null, { model, range: { from, to }, config, window: 'day' });
    } catch (error) {
      // No scored records in the period, or no readable reference: the drift rules cannot be judged.
      if (error instanceof DriftInputError) return null;
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
