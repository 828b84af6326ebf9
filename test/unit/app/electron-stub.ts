/**
 * A stand-in for the `electron` module (the one true edge the app's main process has): records
 * what the main process asks of it, so its wiring can run under plain Node.
 */
import { EventEmitter } from 'node:events';

export class FakeWebContents extends EventEmitter {
  sent: unknown[][] = [];
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  send(...args: unknown[]): void {
    this.sent.push(args);
  }
  isDestroyed(): boolean {
    return false;
  }
}

export class FakeWindow extends EventEmitter {
  static all: FakeWindow[] = [];
  static getAllWindows(): FakeWindow[] {
    return FakeWindow.all;
  }
  webContents = new FakeWebContents();
  loaded: string | undefined;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeWindow.all.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loaded = url;
    return Promise.resolve();
  }
  maximize(): void {}
  show(): void {}
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isMaximized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return false;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { x: 0, y: 0, width: 1000, height: 700 };
  }
}

export function createElectronStub(userData: string, appPath: string) {
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const app = Object.assign(new EventEmitter(), {
    name: 'Anytag',
    isPackaged: false,
    lock: true,
    quitCalled: false,
    requestSingleInstanceLock: () => app.lock,
    quit: () => {
      app.quitCalled = true;
    },
    exit: () => undefined,
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => (name === 'userData' ? userData : appPath),
    getAppPath: () => appPath,
  });
  const permission = {
    request: undefined as
      ((c: unknown, p: string, callback: (granted: boolean) => void) => void) | undefined,
    check: undefined as (() => boolean) | undefined,
  };
  const protocol = {
    privileged: [] as unknown[],
    handled: new Map<string, (request: Request) => Promise<Response>>(),
    registerSchemesAsPrivileged: (schemes: unknown[]) => protocol.privileged.push(...schemes),
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
      protocol.handled.set(scheme, handler),
  };
  return {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: {
      handlers,
      handle: (channel: string, handler: (...args: unknown[]) => unknown) =>
        handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
    },
    protocol,
    permission,
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof permission.request) => (permission.request = h),
        setPermissionCheckHandler: (h: typeof permission.check) => (permission.check = h),
      },
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    dialog: { showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }) },
    Menu: { setApplicationMenu: () => undefined, buildFromTemplate: (t: unknown) => t },
    shell: { openExternal: () => Promise.resolve() },
  };
}

export type ElectronStub = ReturnType<typeof createElectronStub>;
