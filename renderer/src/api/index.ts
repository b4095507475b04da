import { desktopBridge } from './bridge.ts';
import type { ConsoleClient } from './client.ts';
import { createHttpClient } from './http-client.ts';
import { createIpcClient } from './ipc-client.ts';

export { ApiError, newOperationId, type ConsoleClient } from './client.ts';

/** The desktop bridge when the preload provided one, else HTTP to the browser shell that served this page. */
export function connectConsole(): ConsoleClient {
  const bridge = desktopBridge();
  return bridge ? createIpcClient(bridge) : createHttpClient();
}
