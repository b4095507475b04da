/**
 * The Challenger page's methods: the candidates a replay can use (the registry's aliases and versions, and the
 * shadow answers in the logs), and the replay itself (core/replay), streamed with progress and cancellable.
 */
import { EngineLoadError } from '../../../core/engine/index.ts';
import { readRegistry, RegistryError } from '../../../core/registry/index.ts';
import { fromShadowLogs, renderReplayHtml, replay, type ReplayReport } from '../../../core/replay/index.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { ChallengerCandidate, MethodInput, MethodOutput } from '../../../console-api/types.ts';
import type { MethodContext } from '../api/method-table.ts';
import type { Services } from '../services.ts';
import { effectiveRange } from './overview.ts';

function countWith(services: Services, path: string): number {
  return services.store.db
    .prepare(`SELECT count(*) FROM predictions WHERE json_extract(extra, '${path}') IS NOT NULL`)
    .pluck()
    .get() as number;
}

export async function challengerCandidates(services: Services): Promise<MethodOutput<'challengerCandidates'>> {
  const models: ChallengerCandidate[] = [];
  try {
    const registry = await readRegistry(services.config.modelsDir);
    const single = Object.keys(registry.models).length === 1;
    for (const [name, model] of Object.entries(registry.models)) {
      const prefix = single ? '' : `${name}/`;
      for (const [alias, version] of Object.entries(model.aliases)) {
        models.push({ ref: `${prefix}${alias}`, label: `${alias} (${name} version ${version})` });
      }
      for (const [version, entry] of Object.entries(model.versions)) {
        models.push({
          ref: `${prefix}${version}`,
          label: `${name} version ${version}${entry.kind ? `, ${entry.kind}` : ''}`,
        });
      }
    }
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
  }
  const counts = services.memo('challenger-counts', null, () => ({
    shadowRecords: countWith(services, '$.shadow'),
    armRecords: countWith(services, '$.arm'),
  }));
  return { models, ...counts };
}

export async function challengerReplay(
  services: Services,
  input: MethodInput<'challengerReplay'>,
  context: MethodContext,
): Promise<MethodOutput<'challengerReplay'>> {
  const { from, to } = effectiveRange(services, input.range);
  const filter = { from, to };
  const store = services.store;
  if (store.countScored(filter) === 0) throw new ConsoleError('NO_DATA_IN_RANGE');
  const onProgress = ({ rows, total }: { rows: number; total: number }) =>
    context.progress(
      total > 0 ? rows / total : null,
      `Replayed ${rows.toLocaleString('en')} of ${total.toLocaleString('en')} requests`,
      {
        rows,
        total,
      },
    );
  let report: ReplayReport;
  try {
    if (input.candidate === 'shadow') {
      report = fromShadowLogs({ source: store, filter, signal: context.signal, onProgress });
      if (report.candidate.models.length === 0) {
        throw new ConsoleError(
          'INVALID_INPUT',
          'no record of this period holds a shadow answer; run the API with a shadow model, or replay a model',
        );
      }
    } else {
      context.progress(0, 'Loading the models');
      report = await replay({
        source: store,
        filter,
        modelsDir: services.config.modelsDir,
        candidate: input.candidate,
        baseline: input.baseline ?? 'logged',
        signal: context.signal,
        onProgress,
      });
    }
  } catch (error) {
    if (error instanceof EngineLoadError || error instanceof RegistryError) {
      const which =
        error instanceof RegistryError && input.baseline && error.message.includes(input.baseline)
          ? 'baseline'
          : 'candidate';
      throw new ConsoleError('INVALID_INPUT', `the model cannot be used (${error.message})`, [
        { path: which, code: 'not_allowed', message: error.message },
      ]);
    }
    if (context.signal.aborted) throw new ConsoleError('OPERATION_CANCELLED');
    throw error;
  }
  return { report, html: renderReplayHtml(report), store: store.file };
}
