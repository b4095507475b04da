/**
 * The desktop shell's main process: one locked-down window on the built renderer (served from the app:// scheme
 * with a strict CSP), the console backend in a utilityProcess, IPC through allow-listed channels only, native
 * dialogs, admin keys encrypted with safeStorage, window state remembered, one instance at a time.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, utilityProcess } from 'electron';
import type { BackendConfig } from '../../console-api/protocol.ts';
import { createBackendClient } from '../backend/client.ts';
import { registerConsoleIpc } from '../backend/transport/ipc-adapter.ts';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../backend/transport/security.ts';
import { readWindowState, writeWindowState } from './window-state.ts';

const SCHEME = 'app';
const ORIGIN = `${SCHEME}://console`;
const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');
const RENDERER = join(ROOT, 'renderer', 'dist');
// Electron adds resourcesPath to process in a packaged app.
const RESOURCES = (process as unknown as { resourcesPath?: string }).resourcesPath ?? ROOT;
const MODELS = app.isPackaged ? join(RESOURCES, 'models') : join(ROOT, 'models');

protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

function servePage(request: Request): Promise<Response> | Response {
  const url = new URL(request.url);
  const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
  const file = join(RENDERER, relative);
  if (url.host !== 'console' || !file.startsWith(RENDERER)) return new Response('Not found', { status: 404 });
  return net.fetch(pathToFileURL(file).href).then(
    async (response) =>
      new Response(await response.arrayBuffer(), {
        status: response.status,
        headers: {
          ...SECURITY_HEADERS,
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'Content-Type': contentType(file),
        },
      }),
  );
}

function contentType(file: string): string {
  if (file.endsWith('.html')) return 'text/html; charset=utf-8';
  if (file.endsWith('.js')) return 'text/javascript; charset=utf-8';
  if (file.endsWith('.css')) return 'text/css; charset=utf-8';
  if (file.endsWith('.svg')) return 'image/svg+xml';
  return 'application/octet-stream';
}

async function start(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const stateFile = join(userData, 'window-state.json');
  protocol.handle(SCHEME, servePage);

  const config: BackendConfig = {
    dbPath: join(userData, 'vigie.sqlite'),
    settingsPath: join(userData, 'console-settings.json'),
    modelsDir: MODELS,
    workDir: join(userData, 'work'),
    persistentVault: safeStorage.isEncryptionAvailable(),
  };
  const child = utilityProcess.fork(
    join(HERE, 'backend.js'),
    [`--vigie-config=${Buffer.from(JSON.stringify(config)).toString('base64url')}`],
    { serviceName: 'Vigie console backend' },
  );
  const backend = createBackendClient(child, {
    encrypt: (value) => safeStorage.encryptString(value).toString('base64'),
    decrypt: (value) => safeStorage.decryptString(Buffer.from(value, 'base64')),
  });
  child.on('exit', (code) => backend.fail(`the backend process exited with code ${code}`));

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (navigation, url) => {
      if (!url.startsWith(`${ORIGIN}/`)) navigation.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (attach) => attach.preventDefault());
    contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    contents.session.setPermissionCheckHandler(() => false);
  });

  const trusted = (event: { senderFrame: { url: string } | null }) =>
    event.senderFrame?.url.startsWith(`${ORIGIN}/`) === true;
  registerConsoleIpc(ipcMain, backend, {
    isTrustedSender: trusted,
    targets: () => BrowserWindow.getAllWindows().map((window) => window.webContents),
  });
  ipcMain.handle('vigie:pick-log-files', async (event) => {
    const window = BrowserWindow.getAllWindows()[0];
    if (!trusted(event) || !window) return [];
    const result = await dialog.showOpenDialog(window, {
      title: 'Import production logs',
      properties: ['openFile', 'multiSelections', ...(process.platform === 'darwin' ? ['openDirectory'] : [])],
      filters: [
        { name: 'Vigie logs', extensions: ['jsonl', 'gz'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    return result.canceled ? [] : result.filePaths;
  });
  ipcMain.handle('vigie:pick-report-path', async (event, format) => {
    const window = BrowserWindow.getAllWindows()[0];
    if (!trusted(event) || !window || (format !== 'html' && format !== 'json')) return null;
    const result = await dialog.showSaveDialog(window, {
      title: 'Save the drift report',
      defaultPath: join(app.getPath('documents'), `vigie-drift-report.${format}`),
      filters: [{ name: format.toUpperCase(), extensions: [format] }],
    });
    return result.canceled || !result.filePath ? null : result.filePath;
  });

  const state = readWindowState(stateFile);
  const window = new BrowserWindow({
    ...state,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Vigie console',
    backgroundColor: '#12161d',
    webPreferences: {
      preload: join(HERE, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () =>
    writeWindowState(stateFile, { ...window.getNormalBounds(), maximized: window.isMaximized() }),
  );

  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => {
    void backend.close().finally(() => app.quit());
  });
  await window.loadURL(`${ORIGIN}/index.html`);
}
