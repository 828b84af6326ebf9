/**
 * The Electron main process: one instance, one hardened window on the `anytag://app/` protocol,
 * the engine in this process behind the same Api as the CLI and the web mode, reached by the
 * renderer only through the IPC transport. While it holds the data folder, a local API listener
 * (API only, loopback, random token, recorded in writer.json) takes the commands that other
 * processes forward to it (`anytag index` while the app runs); it stops on quit.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  screen,
  session,
  shell,
  type WebContents,
} from 'electron';
import { Api } from '../engine/api/api.js';
import { Engine } from '../engine/engine.js';
import { applySavedRuntimeSettings } from '../engine/api/runtime-settings.js';
import type { AnytagServer } from '../server/http-server.js';
import { startDesktopApi } from '../server/local-api.js';
import {
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  APP_URL,
  createAppProtocolHandler,
} from './app-protocol.js';
import { installIpcTransport } from './ipc-transport.js';
import { menuTemplate } from './menu.js';
import { hardenSession, hardenWebContents, secureWebPreferences } from './security.js';
import { loadWindowState, saveWindowState, windowStateFile } from './window-state.js';

/** out/main/index.js → out/preload, out/renderer; packs beside the app or in its resources. */
export function appPaths(
  mainDir: string,
  packaged: boolean,
  resourcesPath: string,
  appPath: string,
): { preload: string; renderer: string; packs: string } {
  return {
    preload: path.join(mainDir, '../preload/index.cjs'),
    renderer: path.join(mainDir, '../renderer'),
    packs: packaged ? path.join(resourcesPath, 'packs') : path.join(appPath, 'resources', 'packs'),
  };
}

export interface RunningApp {
  window: BrowserWindow;
  api: Api;
  /** The listener for forwarded commands; null when the data folder was opened read-only. */
  forwarding: AnytagServer | null;
}

async function chooseFolders(window: BrowserWindow | undefined): Promise<string[] | null> {
  const options = {
    title: 'Choose folders of photos',
    properties: ['openDirectory', 'multiSelections'] as ('openDirectory' | 'multiSelections')[],
  };
  const result = window
    ? await dialog.showOpenDialog(window, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : result.filePaths;
}

export async function startApp(
  mainDir = path.dirname(fileURLToPath(import.meta.url)),
): Promise<RunningApp | null> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  await app.whenReady();

  const paths = appPaths(mainDir, app.isPackaged, process.resourcesPath, app.getAppPath());
  const userData = app.getPath('userData');
  let engine: Engine;
  try {
    engine = await Engine.open({
      dataDir: userData,
      packRoots: [paths.packs],
      watch: true,
      command: 'Anytag (desktop app)',
    });
  } catch (error) {
    // DATA_FOLDER_BUSY names the process holding the data folder (e.g. `anytag index`).
    dialog.showErrorBox('Anytag cannot open its data folder', (error as Error).message);
    app.quit();
    return null;
  }
  applySavedRuntimeSettings(engine, {});
  const api = new Api(engine);
  const lock = engine.dataFolder.lock;
  // Forwarding is a convenience: without it the app still runs, and other writers are refused.
  const forwarding = lock
    ? await startDesktopApi(api, lock).catch((error: unknown) => {
        console.warn('Anytag takes no forwarded commands:', (error as Error).message);
        return null;
      })
    : null;

  hardenSession(session.defaultSession);
  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({ rendererDir: paths.renderer, engine: () => engine }),
  );

  const stateFile = windowStateFile(userData);
  const state = await loadWindowState(
    stateFile,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const window = new BrowserWindow({
    ...state,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Anytag',
    backgroundColor: '#14171b',
    webPreferences: secureWebPreferences(paths.preload),
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    void saveWindowState(stateFile, {
      ...window.getNormalBounds(),
      maximized: window.isMaximized(),
    });
  });

  const targets = (): WebContents[] => BrowserWindow.getAllWindows().map((w) => w.webContents);
  const removeIpc = installIpcTransport({
    ipcMain,
    api,
    targets,
    chooseFolders: () => chooseFolders(window),
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        isMac: process.platform === 'darwin',
        appName: app.name,
        onAddFolder: () => {
          void chooseFolders(window).then((folders) => {
            for (const path of folders ?? [])
              void api.call('addFolder', { path }).catch(() => null);
          });
        },
        openHelp: () => void shell.openExternal('https://github.com/anytag/anytag#readme'),
      }),
    ),
  );

  app.on('second-instance', () => {
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    event.preventDefault();
    removeIpc();
    void Promise.resolve(forwarding?.close())
      .then(() => engine.close())
      .finally(() => app.exit(0));
  });

  await window.loadURL(APP_URL);
  return { window, api, forwarding };
}
