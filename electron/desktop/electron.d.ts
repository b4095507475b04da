/**
 * The part of Electron's API the desktop shell uses. Electron is an optional dependency whose binary (and types)
 * are absent on servers and CI, so the shell type-checks against this subset instead of the package's own types: `tsconfig.node.json` maps
 * the module name `electron` here, whether or not the package is installed, so the check is the same everywhere.
 */
interface WebContents {
  id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
  session: Session;
}
interface Session {
  setPermissionRequestHandler(
    handler: (wc: WebContents, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: () => boolean): void;
}
interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}
declare class BrowserWindow {
  constructor(options: Record<string, unknown>);
  webContents: WebContents;
  static getAllWindows(): BrowserWindow[];
  loadURL(url: string): Promise<void>;
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  isMinimized(): boolean;
  maximize(): void;
  restore(): void;
  focus(): void;
  show(): void;
  on(event: 'close' | 'closed' | 'ready-to-show', listener: () => void): void;
  once(event: 'ready-to-show', listener: () => void): void;
}
interface UtilityProcess {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): UtilityProcess;
  on(event: 'exit', listener: (code: number) => void): UtilityProcess;
  kill(): boolean;
}
export const app: {
  isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  enableSandbox(): void;
  quit(): void;
  exit(code?: number): void;
  getPath(name: 'userData' | 'documents' | 'downloads'): string;
  whenReady(): Promise<void>;
  on(
    event: 'second-instance' | 'window-all-closed' | 'activate' | 'before-quit',
    listener: (...args: unknown[]) => void,
  ): void;
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContents) => void): void;
};
export const ipcMain: {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
};
export interface IpcMainInvokeEvent {
  sender: WebContents;
  senderFrame: { url: string } | null;
}
export const dialog: {
  showOpenDialog(
    window: BrowserWindow,
    options: Record<string, unknown>,
  ): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(
    window: BrowserWindow,
    options: Record<string, unknown>,
  ): Promise<{ canceled: boolean; filePath?: string }>;
};
export const safeStorage: {
  isEncryptionAvailable(): boolean;
  encryptString(value: string): Buffer;
  decryptString(value: Buffer): string;
};
export const protocol: {
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>): void;
  handle(scheme: string, handler: (request: Request) => Promise<Response> | Response): void;
};
export const net: { fetch(url: string): Promise<Response> };
export const utilityProcess: {
  fork(modulePath: string, args?: string[], options?: Record<string, unknown>): UtilityProcess;
};
export const contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
export const ipcRenderer: {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
};
export const webUtils: { getPathForFile(file: unknown): string };
export { BrowserWindow };
