/** The drift alert rules' probe for the CLI: the core probe (core/alerts) over the store, with the champion of `--models-dir`. */
import { storedDriftProbe as coreDriftProbe, type DriftProbe } from '../../core/alerts/index.ts';
import type { Store } from '../../db/index.ts';
import { CliError } from '../errors.ts';
import { loadModel } from './drift.ts';

export function storedDriftProbe(store: Store, modelsDir: string): DriftProbe {
  return coreDriftProbe(store, async () => {
    try {
      return await loadModel({ modelsDir });
    } catch (error) {
      // No champion package: the drift rules cannot be judged.
      if (error instanceof CliError) return null;
      throw error;
    }
  });
}
