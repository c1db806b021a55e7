/**
 * A stand-in for the `electron` module, for `vi.mock('electron', () => import('./electron-fake'))`.
 * No Electron binary runs on this machine, so the main-process code is exercised against these
 * fakes: they record what the code configured (window options, handlers, menus) and let a test
 * fire the events Electron would fire. They model only what src/main/electron and src/preload use.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Handler = (...args: never[]) => unknown;

export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeSession {
  permissionRequestHandler: Handler | null = null;
  permissionCheckHandler: Handler | null = null;
  devicePermissionHandler: Handler | null = null;
  headersReceivedListener: Handler | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: Handler) => {
      this.headersReceivedListener = listener;
    },
  };
  setPermissionRequestHandler(handler: Handler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Handler): void {
    this.devicePermissionHandler = handler;
  }
}

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  processId: number;
  routingId: number;
}

let nextContentsId = 1;
let nextRoutingId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly session: FakeSession;
  readonly mainFrame: FakeFrame;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  readonly send = vi.fn();

  constructor(url = 'about:blank', session: FakeSession = defaultSession) {
    super();
    this.session = session;
    this.mainFrame = { url, parent: null, processId: 100 + this.id, routingId: nextRoutingId++ };
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Fires a cancellable event as Electron would and says whether the code prevented it. */
  fire(name: string, ...args: unknown[]): FakeEvent {
    const event = new FakeEvent();
    this.emit(name, event, ...args);
    return event;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(async (url: string) => {
    this.webContents.mainFrame.url = url;
  });
  readonly loadFile = vi.fn(async (path: string) => {
    this.webContents.mainFrame.url = `file://${path}`;
  });
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  destroyed = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export const defaultSession = new FakeSession();
export const session = { defaultSession };

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
};

export const ipcRenderer = Object.assign(new EventEmitter(), {
  invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: null })),
});

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    this.exposed.set(key, api);
  },
};

export const nativeTheme = { shouldUseDarkColors: false };

export const shell = { openExternal: vi.fn(async (_url: string) => {}) };

export const safeStorage = {
  backend: 'gnome_libsecret' as string,
  available: true,
  isEncryptionAvailable(): boolean {
    return this.available;
  },
  getSelectedStorageBackend(): string {
    return this.backend;
  },
  /** Reversible but not the identity, so a test can tell stored text from plain text. */
  encryptString(plain: string): Buffer {
    return Buffer.from(`enc:${Buffer.from(plain, 'utf8').toString('hex')}`, 'utf8');
  },
  decryptString(cipher: Buffer): string {
    const text = cipher.toString('utf8');
    if (!text.startsWith('enc:'))
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(text.slice(4), 'hex').toString('utf8');
  },
};

export class Notification extends EventEmitter {
  static supported = true;
  static readonly shown: { title: string; body: string }[] = [];
  static isSupported(): boolean {
    return Notification.supported;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    Notification.shown.push(this.options);
  }
}

export const nativeImage = {
  createFromBuffer: (buffer: Buffer) => ({
    buffer,
    representations: [] as unknown[],
    addRepresentation(rep: unknown) {
      this.representations.push(rep);
    },
  }),
};

export interface FakeMenuItem {
  label?: string;
  type?: string;
  click?: () => void;
}

export const Menu = { buildFromTemplate: (items: FakeMenuItem[]) => ({ items }) };

export class Tray extends EventEmitter {
  static readonly created: Tray[] = [];
  image: unknown;
  toolTip = '';
  menu: { items: FakeMenuItem[] } | null = null;
  destroyed = false;
  constructor(image: unknown) {
    super();
    this.image = image;
    Tray.created.push(this);
  }
  setImage(image: unknown): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.toolTip = text;
  }
  setContextMenu(menu: { items: FakeMenuItem[] }): void {
    this.menu = menu;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  singleInstanceLock: true,
  userDataPath: '/nonexistent/user-data',
  appPath: '/nonexistent/app',
  requestSingleInstanceLock(): boolean {
    return this.singleInstanceLock;
  },
  whenReady: vi.fn(async () => {}),
  getPath(_name: string): string {
    return this.userDataPath;
  },
  getAppPath(): string {
    return this.appPath;
  },
  /** Electron answers package.json's version. */
  getVersion(): string {
    return '9.8.7';
  },
  setAppUserModelId: vi.fn(),
  /** Electron emits `before-quit` from quit(); a listener may prevent it. */
  quit: vi.fn((): void => {
    const event = new FakeEvent();
    app.emit('before-quit', event);
    if (!event.defaultPrevented) app.quitted = true;
  }),
  quitted: false,
  exit: vi.fn(),
});

export const dialog = { showErrorBox: vi.fn(), showMessageBox: vi.fn(async () => ({ response: 0 })) };

export const BrowserWindow = FakeBrowserWindow;
