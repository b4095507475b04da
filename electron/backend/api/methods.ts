/** The console API: every method once, with its input schema and handler. Both transports serve this table. */
import type { Services } from '../services.ts';
import { anomalies } from '../handlers/anomalies.ts';
import { loadDemoData } from '../handlers/demo.ts';
import { drift, driftField } from '../handlers/drift.ts';
import { importFiles } from '../handlers/ingest.ts';
import { overview } from '../handlers/overview.ts';
import { pullFromApi } from '../handlers/pull.ts';
import { exportReport } from '../handlers/report.ts';
import { cancel, getSettings, setSettings } from '../handlers/settings.ts';
import { listQuarantine, listSources, returnToStore } from '../handlers/sources.ts';
import { INPUTS } from '../../../console-api/inputs.ts';
import type { MethodTable } from './method-table.ts';

export const METHODS: MethodTable<Services> = {
  importFiles: { input: INPUTS.importFiles, streaming: true, handler: importFiles },
  pullFromApi: { input: INPUTS.pullFromApi, streaming: true, handler: pullFromApi },
  listSources: { input: INPUTS.listSources, streaming: false, handler: listSources },
  returnToStore: { input: INPUTS.returnToStore, streaming: false, handler: returnToStore },
  listQuarantine: { input: INPUTS.listQuarantine, streaming: false, handler: listQuarantine },
  overview: { input: INPUTS.overview, streaming: false, handler: overview },
  drift: { input: INPUTS.drift, streaming: false, handler: drift },
  driftField: { input: INPUTS.driftField, streaming: false, handler: driftField },
  anomalies: { input: INPUTS.anomalies, streaming: false, handler: anomalies },
  exportReport: { input: INPUTS.exportReport, streaming: true, handler: exportReport },
  getSettings: { input: INPUTS.getSettings, streaming: false, handler: getSettings },
  setSettings: { input: INPUTS.setSettings, streaming: false, handler: setSettings },
  loadDemoData: { input: INPUTS.loadDemoData, streaming: true, handler: loadDemoData },
  cancel: { input: INPUTS.cancel, streaming: false, handler: cancel },
};
