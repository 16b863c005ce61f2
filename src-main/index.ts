// The Electron shell: opens the window with the renderer locked down, binds the headless core to IPC, and owns
// the app lifecycle. Everything else lives in src-main/core, which never imports electron.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, session, shell, type IpcMainInvokeEvent } from 'electron';
import { eventNames, ipcChannel, requestChannels } from '../src-preload/contract';
import { createCore, type Core } from './core/api';
import { appVersion } from './core/paths';
import { dispatch } from './core/rpc';
import { CSP } from './headless/server';

const here = fileURLToPath(new URL('.', import.meta.url));
const preloadPath = join(here, '../preload/index.cjs');
const rendererIndex = join(here, '../renderer/index.html');
const devUrl = process.env.ELECTRON_RENDERER_URL;
// SQLite built for Electron's ABI by scripts/electron-sqlite.mjs; without it the store reports a clear error.
const electronSqlite = join(here, '../electron-native/better_sqlite3.node');

let mainWindow: BrowserWindow | null = null;

/** IPC is answered only for our own window's top frame showing our own renderer. */
function trustedSender(e: IpcMainInvokeEvent): boolean {
  if (mainWindow === null || e.sender !== mainWindow.webContents) return false;
  const frame = e.senderFrame;
  if (frame === null || frame.parent !== null) return false;
  const url = frame.url;
  return devUrl !== undefined ? url.startsWith(devUrl) : url.startsWith('file://') && url.includes('/renderer/');
}

function bindIpc(core: Core): void {
  for (const channel of requestChannels) {
    ipcMain.handle(ipcChannel.request(channel), (e, payload: unknown) => {
      if (!trustedSender(e)) {
        return { ok: false, error: { code: 'refused', message: 'IPC from an untrusted frame is refused' } };
      }
      return dispatch(core.handlers, channel, payload);
    });
  }
  core.events.subscribe((event, payload) => {
    if (mainWindow !== null && !mainWindow.isDestroyed() && eventNames.includes(event)) {
      mainWindow.webContents.send(ipcChannel.event(event), payload);
    }
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    backgroundColor: '#0d1117',
    title: 'Quant Scalper',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the system browser; the app itself never opens windows.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (devUrl !== undefined) void win.loadURL(devUrl);
  else void win.loadFile(rendererIndex);
  return win;
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

void app.whenReady().then(() => {
  if (devUrl === undefined) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
  }
  const core = createCore({
    shell: 'electron',
    version: appVersion(),
    // QS_DATA_DIR points the desktop app at another data directory (tests, a second profile), as for the CLI.
    dataDir: process.env.QS_DATA_DIR ?? app.getPath('userData'),
    ...(existsSync(electronSqlite) ? { sqliteBinding: electronSqlite } : {}),
  });
  bindIpc(core);
  mainWindow = createWindow();
  core.start();
  app.on('window-all-closed', () => {
    void core.stop().finally(() => app.quit());
  });
});
