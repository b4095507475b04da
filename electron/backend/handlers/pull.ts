/** Pulling the scoring API's production log from the stored cursor, with progress, retries and cancellation. */
import { pullLogs, PullError } from '../../../core/ingest/index.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { MethodContext } from '../api/method-table.ts';
import type { MethodInput, MethodOutput } from '../../../console-api/types.ts';
import type { Services } from '../services.ts';
import { reportProgress, storeChanged, toImportSummary } from './ingest.ts';

/** `vigie api` never prints a key it generates (decision 0901): it names the file. */
const WHERE_THE_ADMIN_KEY_IS =
  'it is in the file vigie api named when it started (by default: cat var/admin-key where the API runs), or one of its VIGIE_ADMIN_KEYS';

/** The pull's failure said for the Sources page: the form's fields, not the CLI's flags and variables. */
export function inConsoleTerms(message: string, url: string): string {
  const origin = (() => {
    try {
      return new URL(url).origin;
    } catch {
      return url;
    }
  })();
  if (/\(401\)/.test(message)) {
    return `${origin} refused the admin key (401): enter the API's admin key and save; ${WHERE_THE_ADMIN_KEY_IS}`;
  }
  if (/\(403\)/.test(message)) {
    return `${origin} says this key may score but not read logs (403): it is a scoring key; enter the API's admin key and save`;
  }
  if (/\(404\)|did not answer with log lines/.test(message)) {
    return `${origin} is not a Vigie scoring API (no log lines at /v1/logs): check the URL and its port`;
  }
  const unreachable = /^cannot pull from \S+: (.*) \(gave up after \d+ tries\)$/.exec(message);
  if (unreachable)
    return `cannot reach ${origin} (${unreachable[1]}): check that the API is running and the URL's port`;
  return message.replace(/--url/g, 'the URL').replace(/\.$/, '');
}

export async function pullFromApi(
  services: Services,
  input: MethodInput<'pullFromApi'>,
  context: MethodContext,
): Promise<MethodOutput<'pullFromApi'>> {
  const key = input.key ?? (input.endpointId ? await services.settings.keyFor(input.endpointId) : undefined);
  if (!key)
    throw new ConsoleError(
      'PULL_FAILED',
      `no admin key is stored for this API; enter it and save (${WHERE_THE_ADMIN_KEY_IS})`,
    );
  const progress = reportProgress(context, 'Pulled');
  let summary;
  try {
    summary = await pullLogs(services.store, {
      url: input.url,
      key,
      signal: context.signal,
      onProgress: (p) => progress({ ...p, bytesTotal: 0 }),
      // Someone is waiting at the page: two tries, then a clear failure, rather than ten seconds of retries.
      maxAttempts: 2,
      onRetry: (retry) => context.progress(null, `Retrying in ${Math.round(retry.delayMs / 1000)} s: ${retry.reason}`),
    });
  } catch (error) {
    if (error instanceof PullError) throw new ConsoleError('PULL_FAILED', inConsoleTerms(error.message, input.url));
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
