/** Exports the drift report of a period (core/report) to the file the user chose. */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { modelInfo, renderReportHtml, renderReportJson, type Report } from '../../../core/report/index.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { MethodContext } from '../api/method-table.ts';
import type { MethodInput, MethodOutput } from '../../../console-api/types.ts';
import type { Services } from '../services.ts';
import { rangePerformance } from './performance.ts';
import { anomaliesWithin, storeAnomalies } from './anomalies.ts';
import { analyse } from './drift.ts';

export async function exportReport(
  services: Services,
  input: MethodInput<'exportReport'>,
  context: MethodContext,
): Promise<MethodOutput<'exportReport'>> {
  context.progress(0.1, 'Computing drift');
  const { analysis, range } = await analyse(services, input.range, undefined, undefined);
  context.progress(0.6, 'Looking for anomalies');
  const anomalies = anomaliesWithin(await storeAnomalies(services), range.from, range.to);
  const champion = await services.reference.tryGet();
  const report: Report = {
    title: 'Vigie drift report',
    generatedAt: Date.now(),
    // The file's name only: a report is shared, the folders of the machine that wrote it are nobody's business.
    source: basename(services.store.file),
    period: { from: range.from, to: range.to },
    drift: analysis,
    anomalies,
    model: champion ? modelInfo(champion.pkg) : null,
    performance: await rangePerformance(services, range.from, range.to),
  };
  context.progress(0.8, 'Writing the report');
  const content = input.format === 'html' ? renderReportHtml(report) : renderReportJson(report);
  try {
    await writeFile(input.path, content);
  } catch (error) {
    throw new ConsoleError('FILE_NOT_WRITABLE', `${input.path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return { path: input.path, bytes: Buffer.byteLength(content), format: input.format };
}
