/** The desktop transport: the preload bridge's allow-listed IPC calls; native dialogs for files and reports. */
import type { DesktopBridge } from './bridge.ts';
import { ApiError, type ConsoleClient } from './client.ts';

export function createIpcClient(bridge: DesktopBridge): ConsoleClient {
  const call: ConsoleClient['call'] = async (method, input, operationId) => {
    const result = await bridge.call(method, input, operationId);
    if (!result.ok) throw new ApiError(result.error);
    return result.value as never;
  };
  return {
    platform: 'desktop',
    call,
    onEvent: (listener) => bridge.onEvent(listener),
    importDropped: (files, operationId) =>
      call('importFiles', { paths: files.map((file) => bridge.pathForFile(file)) }, operationId),
    scoreDropped: (file, options, operationId) =>
      call('batchScore', { path: bridge.pathForFile(file), name: file.name, ...options }, operationId),
    saveScored: async (download) => ({ where: download.path }),
    pickLogFiles: () => bridge.pickLogFiles(),
    async saveReport(range, format) {
      const path = await bridge.pickReportPath(format);
      if (path === null) return { saved: false, where: '' };
      const result = await call('exportReport', { range, format, path });
      return { saved: true, where: result.path };
    },
  };
}
