/** One explainer over the committed model packages, shared by the tests of a file (loading three models is slow). */
import { openExplainer, type Explainer } from '../../../core/explain/index.ts';

export async function committedExplainer(): Promise<Explainer> {
  return openExplainer({ modelsDir: 'models', workers: 1 });
}
