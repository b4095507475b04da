/** Importing log files into the store, with progress and cancellation. */
import { basename } from 'node:path';
import { ingestPaths, IngestInputError, type IngestProgress, type IngestSummary } from '../../../core/ingest/index.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { MethodContext } from '../api/method-table.ts';
import type { ImportSummary, MethodInput, MethodOutput } from '../../../console-api/types.ts';
import type { Services } from '../services.ts';
import { evaluateConsoleAlerts } from './performance.ts';
import { prewarm } from './prewarm.ts';

export function toImportSummary(summary: IngestSummary): ImportSummary {
  return {
    files: summary.files,
    lines: summary.lines,
    inserted: summary.inserted,
    duplicates: summary.duplicates,
    quarantined: summary.quarantined,
    byReason: summary.by_reason,
    // The file's name, not its path: an upload's path is a temporary folder the user never chose.
    errors: summary.errors.map((e) => `${basename(e.source)}: ${e.error}`),
  };
}

export function reportProgress(context: MethodContext, verb: string) {
  return (progress: IngestProgress) => {
    const fraction = progress.bytesTotal > 0 ? Math.min(1, progress.bytesDone / progress.bytesTotal) : null;
    const rate = progress.elapsedMs > 0 ? Math.round((progress.lines * 1000) / progress.elapsedMs) : 0;
    context.progress(
      fraction,
      `${verb} ${progress.lines.toLocaleString('en')} lines (${rate.toLocaleString('en')}/s)`,
      {
        lines: progress.lines,
        inserted: progress.inserted,
        duplicates: progress.duplicates,
        quarantined: progress.quarantined,
        bytesDone: progress.bytesDone,
        bytesTotal: progress.bytesTotal,
      },
    );
  };
}

/** Tells every client the store changed, so pages reload and cached analyses are recomputed. */
export function storeChanged(services: Services): void {
  services.invalidate();
  services.emit({ type: 'data-changed' });
  prewarm(services);
  // Alert rules after every import, pull and demo load; failures show on the Performance page when it asks again.
  evaluateConsoleAlerts(services).catch(() => services.forget('alert-evaluation', services.store.file));
}

/** Absolute paths cut to their file names: an upload lives in a temporary folder the user never chose. */
function withoutFolders(message: string): string {
  return message.replace(/(?:[A-Za-z]:)?(?:[\\/][^\\/\s:"']+)+[\\/]([^\\/\s:"']+)/g, '$1');
}

export async function importFiles(
  services: Services,
  input: MethodInput<'importFiles'>,
  context: MethodContext,
): Promise<MethodOutput<'importFiles'>> {
  let summary: IngestSummary;
  try {
    summary = await ingestPaths(services.store, input.paths, {
      signal: context.signal,
      onProgress: reportProgress(context, 'Imported'),
    });
  } catch (error) {
    if (error instanceof IngestInputError) {
      const missing = /^no such file or folder: (.*)$/.exec(error.message);
      throw missing
        ? new ConsoleError('FILE_NOT_FOUND', missing[1])
        : new ConsoleError('IMPORT_REFUSED', withoutFolders(error.message));
    }
    throw error;
  } finally {
    storeChanged(services);
  }
  if (summary.aborted) throw new ConsoleError('OPERATION_CANCELLED');
  return toImportSummary(summary);
}
