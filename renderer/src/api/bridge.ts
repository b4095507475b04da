/** What the desktop preload exposes on `window.vigie` (contextBridge); absent in a browser. */
import type { CallResult, ConsoleEvent, ReportFormat } from '../../../console-api/types.ts';

export interface DesktopBridge {
  call(method: string, input: unknown, operationId?: string): Promise<CallResult<unknown>>;
  onEvent(listener: (event: ConsoleEvent) => void): () => void;
  pickLogFiles(): Promise<string[]>;
  pickReportPath(format: ReportFormat): Promise<string | null>;
  pathForFile(file: File): string;
}

export function desktopBridge(): DesktopBridge | null {
  const candidate = (globalThis as { vigie?: DesktopBridge }).vigie;
  return candidate && typeof candidate.call === 'function' ? candidate : null;
}
