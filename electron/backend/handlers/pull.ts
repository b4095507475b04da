/** Pulling the scoring API's production log from the stored cursor, with progress, retries and cancellation. */
import { pullLogs, PullError } from '../../../core/ingest/index.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { MethodContext } from '../api/method-table.ts';
import type { MethodInput, MethodOutput } from '../../../console-api/types.ts';
import type { Services } from '../services.ts';
import { reportProgress, storeChanged, toImportSummary } from './ingest.ts';

export async function pullFromApi(
  services: Services,
  input: MethodInput<'pullFromApi'>,
  context: MethodContext,
): Promise<MethodOutput<'pullFromApi'>> {
  const key = input.key ?? (input.endpointId ? await services.settings.keyFor(input.endpointId) : undefined);
  if (!key) throw new ConsoleError('PULL_FAILED', 'no admin key is stored for this API; enter it and save');
  const progress = reportProgress(context, 'Pulled');
  let summary;
  try {
    summary = await pullLogs(services.store, {
      url: input.url,
      key,
      signal: context.signal,
      onProgress: (p) => progress({ ...p, bytesTotal: 0 }),
      onRetry: (retry) => context.progress(null, `Retrying in ${Math.round(retry.delayMs / 1000)} s: ${retry.reason}`),
    });
  } catch (error) {
    if (error instanceof PullError) throw new ConsoleError('PULL_FAILED', error.message.replace(/\.$/, ''));
    throw error;
  } finally {
    storeChanged(services);
  }
  if (summary.aborted) throw new ConsoleError('OPERATION_CANCELLED');
  const endpoint = services.store.catalog
    .listSources()
    .find((s) => s.kind === 'endpoint' && input.url.startsWith(s.location.replace(/\/v1\/logs$/, '')));
  return { ...toImportSummary(summary), cursor: endpoint?.cursor ?? null };
}
