/** The Profiling page: providers, profiling runs (progress, Cancel, saved only when finished), reports, API split. */
import { randomUUID } from 'node:crypto';
import {
  buildOptimisationReport,
  DEFAULT_PRICES,
  listProviders as providersHere,
  machineInfo,
  periodCost,
  renderOptimisationHtml,
  runProfile as profile,
} from '../../../core/profiling/index.ts';
import { RegistryError } from '../../../core/registry/index.ts';
import { ProfileRunTable } from '../../../db/index.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { MethodContext } from '../api/method-table.ts';
import type { MethodInput, MethodOutput } from '../../../console-api/types.ts';
import type { Services } from '../services.ts';

const runs = (services: Services) => new ProfileRunTable(services.store.db);

export function listProviders(): MethodOutput<'listProviders'> {
  return { providers: providersHere(), machine: machineInfo() };
}

export async function runProfile(
  services: Services,
  input: MethodInput<'runProfile'>,
  context: MethodContext,
): Promise<MethodOutput<'runProfile'>> {
  let result;
  try {
    result = await profile(
      { modelsDir: services.config.modelsDir, ...input },
      {
        signal: context.signal,
        onProgress: (p) => context.progress(p.fraction, p.message, { done: p.cellsDone, total: p.cellsTotal }),
      },
    );
  } catch (error) {
    if (error instanceof RegistryError) throw new ConsoleError('INVALID_INPUT', error.message);
    if ((error as Error).name === 'AbortError' || context.signal.aborted) throw new ConsoleError('OPERATION_CANCELLED');
    throw error;
  }
  if (context.signal.aborted) throw new ConsoleError('OPERATION_CANCELLED');
  return runs(services).save(randomUUID(), result);
}

export function listProfileRuns(services: Services): MethodOutput<'listProfileRuns'> {
  return { runs: runs(services).runs() };
}

function reportOf(services: Services, id: string) {
  const table = runs(services);
  const result = table.run(id);
  if (!result) throw new ConsoleError('INVALID_INPUT', `no saved profiling run has the id ${id}`);
  return { result, report: buildOptimisationReport(result, table.apiSplitByHour({})) };
}

export function getProfileRun(services: Services, input: MethodInput<'getProfileRun'>): MethodOutput<'getProfileRun'> {
  return { id: input.id, ...reportOf(services, input.id) };
}

export function exportProfileReport(
  services: Services,
  input: MethodInput<'exportProfileReport'>,
): MethodOutput<'exportProfileReport'> {
  const { report } = reportOf(services, input.id);
  const stamp = report.run.finishedAt.slice(0, 19).replace(/[:T]/g, '-');
  return {
    fileName: `vigie-optimisation-report-${stamp}.${input.format}`,
    content: input.format === 'html' ? renderOptimisationHtml(report) : `${JSON.stringify(report, null, 2)}\n`,
    format: input.format,
  };
}

export function apiSplit(services: Services, input: MethodInput<'apiSplit'>): MethodOutput<'apiSplit'> {
  const hours = runs(services).apiSplitByHour(input.range ?? {});
  return { hours, cost: periodCost(hours, input.prices ?? DEFAULT_PRICES) };
}
