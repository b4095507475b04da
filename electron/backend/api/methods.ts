/** The console API: every method once, with its input schema and handler. Both transports serve this table. */
import type { Services } from '../services.ts';
import { anomalies } from '../handlers/anomalies.ts';
import { challengerCandidates, challengerReplay } from '../handlers/challenger.ts';
import { loadDemoData } from '../handlers/demo.ts';
import { drift, driftField } from '../handlers/drift.ts';
import { importFiles } from '../handlers/ingest.ts';
import { overview } from '../handlers/overview.ts';
import { importFromObjectStore } from '../handlers/object-store.ts';
import { pullFromApi } from '../handlers/pull.ts';
import { exportReport } from '../handlers/report.ts';
import { cancel, getSettings, setSettings } from '../handlers/settings.ts';
import { batchScore } from '../handlers/batch-score.ts';
import { deleteScenario, listScenarios, saveScenario } from '../handlers/scenarios.ts';
import { findRequest, listRequests } from '../handlers/stored-requests.ts';
import { whatIfFlips, whatIfReasons, whatIfScore, whatIfSensitivity, whatIfSetup } from '../handlers/what-if.ts';
import { changeAlias, listModels } from '../handlers/models.ts';
import {
  apiSplit,
  exportProfileReport,
  getProfileRun,
  listProfileRuns,
  listProviders,
  runProfile,
} from '../handlers/profiling.ts';
import { acknowledgeAlert, importOutcomes, performance } from '../handlers/performance.ts';
import { listQuarantine, listSources, returnToStore } from '../handlers/sources.ts';
import { INPUTS } from '../../../console-api/inputs.ts';
import type { MethodTable } from './method-table.ts';

export const METHODS: MethodTable<Services> = {
  importFiles: { input: INPUTS.importFiles, streaming: true, handler: importFiles },
  importFromObjectStore: { input: INPUTS.importFromObjectStore, streaming: true, handler: importFromObjectStore },
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
  whatIfSetup: { input: INPUTS.whatIfSetup, streaming: false, handler: whatIfSetup },
  whatIfScore: { input: INPUTS.whatIfScore, streaming: false, handler: whatIfScore },
  whatIfSensitivity: { input: INPUTS.whatIfSensitivity, streaming: false, handler: whatIfSensitivity },
  whatIfFlips: { input: INPUTS.whatIfFlips, streaming: false, handler: whatIfFlips },
  whatIfReasons: { input: INPUTS.whatIfReasons, streaming: false, handler: whatIfReasons },
  findRequest: { input: INPUTS.findRequest, streaming: false, handler: findRequest },
  listRequests: { input: INPUTS.listRequests, streaming: false, handler: listRequests },
  listScenarios: { input: INPUTS.listScenarios, streaming: false, handler: listScenarios },
  saveScenario: { input: INPUTS.saveScenario, streaming: false, handler: saveScenario },
  deleteScenario: { input: INPUTS.deleteScenario, streaming: false, handler: deleteScenario },
  batchScore: { input: INPUTS.batchScore, streaming: true, handler: batchScore },
  listModels: { input: INPUTS.listModels, streaming: false, handler: listModels },
  changeAlias: { input: INPUTS.changeAlias, streaming: false, handler: changeAlias },
  listProviders: { input: INPUTS.listProviders, streaming: false, handler: listProviders },
  runProfile: { input: INPUTS.runProfile, streaming: true, handler: runProfile },
  listProfileRuns: { input: INPUTS.listProfileRuns, streaming: false, handler: listProfileRuns },
  getProfileRun: { input: INPUTS.getProfileRun, streaming: false, handler: getProfileRun },
  exportProfileReport: { input: INPUTS.exportProfileReport, streaming: false, handler: exportProfileReport },
  apiSplit: { input: INPUTS.apiSplit, streaming: false, handler: apiSplit },
  challengerCandidates: { input: INPUTS.challengerCandidates, streaming: false, handler: challengerCandidates },
  challengerReplay: { input: INPUTS.challengerReplay, streaming: true, handler: challengerReplay },
  performance: { input: INPUTS.performance, streaming: false, handler: performance },
  importOutcomes: { input: INPUTS.importOutcomes, streaming: true, handler: importOutcomes },
  acknowledgeAlert: { input: INPUTS.acknowledgeAlert, streaming: false, handler: acknowledgeAlert },
};
