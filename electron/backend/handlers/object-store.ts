/** Importing the log files shipped to an object store (decision record 1500), with progress and cancellation. */
import { ingestObjectStore, ObjectStoreError, type IngestSummary } from '../../../core/ingest/index.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { MethodContext } from '../api/method-table.ts';
import type { MethodInput, MethodOutput } from '../../../console-api/types.ts';
import type { Services } from '../services.ts';
import { reportProgress, storeChanged, toImportSummary } from './ingest.ts';

export async function importFromObjectStore(
  services: Services,
  input: MethodInput<'importFromObjectStore'>,
  context: MethodContext,
): Promise<MethodOutput<'importFromObjectStore'>> {
  const access = await services.settings.objectStoreAccess(input.storeId);
  if (!access) {
    throw new ConsoleError(
      'OBJECT_STORE_FAILED',
      'no secret access key is stored for this object store (the browser console keeps it only until it closes); enter it and save',
    );
  }
  const progress = reportProgress(context, 'Imported');
  let summary: IngestSummary;
  try {
    summary = await ingestObjectStore(services.store, access.location, access.credentials, {
      signal: context.signal,
      onProgress: progress,
      onListed: (objects) => context.progress(null, `Found ${objects.length.toLocaleString('en')} new file(s)`),
    });
  } catch (error) {
    if (error instanceof ObjectStoreError) throw new ConsoleError('OBJECT_STORE_FAILED', error.message);
    throw error;
  } finally {
    storeChanged(services);
  }
  if (summary.aborted) throw new ConsoleError('OPERATION_CANCELLED');
  return toImportSummary(summary);
}
