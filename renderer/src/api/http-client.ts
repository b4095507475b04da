/** The browser transport: fetch to the browser shell (token in an HttpOnly cookie), events over Server-Sent Events. */
import type { CallResult, ConsoleEvent } from '../../../console-api/types.ts';
import { ApiError, type ConsoleClient } from './client.ts';

async function readResult<T>(response: Response): Promise<T> {
  let body: CallResult<T>;
  try {
    body = (await response.json()) as CallResult<T>;
  } catch {
    throw new ApiError({
      code: 'BACKEND_UNAVAILABLE',
      message: `The console server answered ${response.status} without a readable body. Is \`vigie console\` still running?`,
    });
  }
  if (!body.ok) throw new ApiError(body.error);
  return body.value;
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, credentials: 'same-origin' });
  } catch {
    throw new ApiError({
      code: 'BACKEND_UNAVAILABLE',
      message: 'Cannot reach the console server. Check that `vigie console` is still running, then reload the page.',
    });
  }
}

export function createHttpClient(base = ''): ConsoleClient {
  const listeners = new Set<(event: ConsoleEvent) => void>();
  let source: EventSource | null = null;

  function connect() {
    if (source || typeof EventSource === 'undefined') return;
    source = new EventSource(`${base}/api/events`);
    source.onmessage = (message) => {
      const event = JSON.parse(message.data as string) as ConsoleEvent;
      for (const listener of listeners) listener(event);
    };
  }

  return {
    platform: 'browser',
    async call(method, input, operationId) {
      const response = await send(`${base}/api/call/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ input, ...(operationId ? { operationId } : {}) }),
      });
      return readResult(response);
    },
    onEvent(listener) {
      connect();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async importDropped(files, operationId) {
      const totals = {
        files: 0,
        lines: 0,
        inserted: 0,
        duplicates: 0,
        quarantined: 0,
        byReason: {} as Record<string, number>,
        errors: [] as string[],
      };
      for (const file of files) {
        const id = totals.files === 0 ? operationId : `${operationId}-${totals.files}`;
        const query = new URLSearchParams({ name: file.name, operationId: id });
        const response = await send(`${base}/api/upload?${query}`, { method: 'POST', body: file });
        const summary = await readResult<typeof totals>(response);
        totals.files += summary.files;
        totals.lines += summary.lines;
        totals.inserted += summary.inserted;
        totals.duplicates += summary.duplicates;
        totals.quarantined += summary.quarantined;
        for (const [reason, count] of Object.entries(summary.byReason))
          totals.byReason[reason] = (totals.byReason[reason] ?? 0) + count;
        totals.errors.push(...summary.errors);
      }
      return totals;
    },
    async scoreDropped(file, options, operationId) {
      const query = new URLSearchParams({ purpose: 'score', name: file.name, operationId, ...options });
      const response = await send(`${base}/api/upload?${query}`, { method: 'POST', body: file });
      return readResult(response);
    },
    async saveScored(download) {
      const query = new URLSearchParams({ id: download.id, name: download.name });
      const link = document.createElement('a');
      link.href = `${base}/api/scored?${query}`;
      link.download = download.name;
      document.body.append(link);
      link.click();
      link.remove();
      return { where: `${download.name} in your downloads` };
    },
    pickLogFiles: null,
    async saveReport(range, format) {
      const query = new URLSearchParams({ format });
      if (range.from !== undefined) query.set('from', String(range.from));
      if (range.to !== undefined) query.set('to', String(range.to));
      const response = await send(`${base}/api/report?${query}`, { method: 'GET' });
      if (!response.ok) await readResult(response);
      const blob = await response.blob();
      const name = `vigie-drift-report.${format}`;
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      return { saved: true, where: `${name} in your downloads` };
    },
  };
}
