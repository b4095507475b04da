/**
 * An analysis worker: answers drift, sketch and anomaly requests with clonable data. The client runs two of these,
 * one per lane (analysis-client.ts); inside a worker, interactive requests (the Drift page's sketch analyses) go
 * before queued work, and background sketch counting, done in small pieces, comes last, so a page never waits long
 * behind work nobody is looking at.
 */
import { parentPort } from 'node:worker_threads';
import { toConsoleError } from '../../console-api/errors.ts';
import {
  PeriodAnalyses,
  type AnomaliesRequest,
  type CompleteRequest,
  type PeriodRequest,
  type SketchBuildRequest,
} from './period-analyses.ts';

if (!parentPort) throw new Error('analysis-worker.ts must run as a worker thread');
const port = parentPort;
const analyses = new PeriodAnalyses();

export type AnalysisMessage =
  | { id: number; kind: 'period'; request: PeriodRequest }
  | { id: number; kind: 'complete'; request: CompleteRequest }
  | { id: number; kind: 'anomalies'; request: AnomaliesRequest }
  | { id: number; kind: 'sketch-build'; request: SketchBuildRequest };

type Task = { message: AnalysisMessage; counted: number };

const queues: Record<'high' | 'normal' | 'low', Task[]> = { high: [], normal: [], low: [] };
let running = false;

function priorityOf(message: AnalysisMessage): keyof typeof queues {
  if (message.kind === 'period' && message.request.lane === 'sketch') return 'high';
  if (message.kind === 'sketch-build') return 'low';
  return 'normal';
}

function reply(id: number, body: { analysis: unknown } | { error: unknown }): void {
  if ('error' in body) {
    const consoleError = toConsoleError(body.error);
    port.postMessage({ id, error: { code: consoleError.code, message: consoleError.message } });
  } else {
    port.postMessage({ id, analysis: body.analysis });
  }
}

async function run(task: Task): Promise<void> {
  const { message } = task;
  try {
    if (message.kind === 'sketch-build') {
      const step = await analyses.buildSketches(message.request);
      task.counted += step.counted;
      // The rest goes back to the end of the queue, behind whatever arrived meanwhile.
      if (step.remaining && step.counted > 0) queues.low.push(task);
      else reply(message.id, { analysis: { counted: task.counted } });
      return;
    }
    const analysis =
      message.kind === 'period'
        ? await analyses.period(message.request)
        : message.kind === 'complete'
          ? await analyses.complete(message.request)
          : analyses.anomalies(message.request);
    reply(message.id, { analysis });
  } catch (error) {
    reply(message.id, { error });
  }
}

async function drain(): Promise<void> {
  if (running) return;
  running = true;
  try {
    for (;;) {
      const task = queues.high.shift() ?? queues.normal.shift() ?? queues.low.shift();
      if (!task) break;
      await run(task);
      // Lets the messages that arrived during the task join the queues before the next one is picked.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    running = false;
  }
}

port.on('message', (message: AnalysisMessage | { close: true }) => {
  if ('close' in message) {
    analyses.close();
    port.close();
    return;
  }
  queues[priorityOf(message)].push({ message, counted: 0 });
  void drain();
});
