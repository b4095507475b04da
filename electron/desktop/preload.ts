/**
 * The only bridge between the page and the app (sandboxed preload, context isolation on): a fixed set of methods,
 * each forwarding to one IPC channel that the main process checks again. No Node API reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';

type Listener = (event: unknown) => void;

contextBridge.exposeInMainWorld('vigie', {
  call: (method: unknown, input: unknown, operationId: unknown) =>
    ipcRenderer.invoke('vigie:call', method, input, operationId),
  onEvent(listener: Listener) {
    const forward = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on('vigie:event', forward);
    return () => ipcRenderer.removeListener('vigie:event', forward);
  },
  pickLogFiles: () => ipcRenderer.invoke('vigie:pick-log-files'),
  pickReportPath: (format: unknown) => ipcRenderer.invoke('vigie:pick-report-path', format),
  pathForFile: (file: unknown) => webUtils.getPathForFile(file),
});
