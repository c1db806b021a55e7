import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDesktopApp, STARTUP_FAILURE_TITLE } from '../../src/main/electron/desktop-app';
import { installGracefulQuit } from '../../src/main/electron/graceful-quit';
import { electronNativeBinding } from '../../src/main/electron/native-binding';
import { SafeStorageSecretStore } from '../../src/main/electron/safe-storage-secret-store';
import { createEngine } from '../../src/main/engine/engine';
import type { EngineOptions } from '../../src/main/engine/engine-types';
import { ConfigError } from '../../src/main/engine/icims/errors';
import { silentLogger } from '../../src/main/engine/logger';
import { startLocalServer } from '../../src/main/server/local-server';
import { IPC_CHANNEL_PREFIX } from '../../src/shared/console-api';
import { app, dialog, FakeBrowserWindow, FakeEvent, ipcMain, Tray } from './electron-fake';
import { fakeEngine } from './electron-ipc-fixtures';

vi.mock('electron', () => import('./electron-fake'));
// The engine and the local API are others' work and need a real database and port; here only the
// desktop app's use of them is under test.
vi.mock('../../src/main/engine/engine', () => ({ createEngine: vi.fn() }));
vi.mock('../../src/main/server/local-server', () => ({ startLocalServer: vi.fn() }));

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'electron-lifecycle-'));
  app.removeAllListeners();
  app.quitted = false;
  app.quit.mockClear();
  app.exit.mockClear();
  app.singleInstanceLock = true;
  dialog.showErrorBox.mockClear();
  ipcMain.handlers.clear();
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('graceful quit', () => {
  const quitHarness = (stop: () => Promise<void>, timeoutMs?: number) => {
    const listeners: ((event: FakeEvent) => void)[] = [];
    let quits = 0;
    const target = {
      on: (_name: string, listener: (event: FakeEvent) => void) => listeners.push(listener),
      quit: () => {
        const event = new FakeEvent();
        listeners.forEach((listener) => listener(event));
        if (!event.defaultPrevented) quits++;
      },
    };
    installGracefulQuit(target as never, stop, silentLogger, timeoutMs);
    return { quit: () => target.quit(), quits: () => quits };
  };

  it('holds the quit until stopping finished, stops once however often quit is asked, then quits', async () => {
    let finish: () => void = () => {};
    const stop = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const harness = quitHarness(stop);
    harness.quit();
    harness.quit();
    harness.quit();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(harness.quits()).toBe(0);
    finish();
    await vi.waitFor(() => expect(harness.quits()).toBe(1));
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('quits even when stopping fails or hangs', async () => {
    const failing = quitHarness(() => Promise.reject(new Error('database is locked')));
    failing.quit();
    await vi.waitFor(() => expect(failing.quits()).toBe(1));

    vi.useFakeTimers();
    try {
      const hanging = quitHarness(() => new Promise<void>(() => {}), 5_000);
      hanging.quit();
      await vi.advanceTimersByTimeAsync(4_999);
      expect(hanging.quits()).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(hanging.quits()).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('native binding', () => {
  it('uses native/electron in development and the unpacked build when packaged, only if present', () => {
    const present = new Set([join('/project', 'native', 'electron', 'better_sqlite3.node')]);
    expect(
      electronNativeBinding({ isPackaged: false, appPath: '/project', resourcesPath: '/r' }, (p) => present.has(p)),
    ).toBe(join('/project/native/electron/better_sqlite3.node'));
    expect(
      electronNativeBinding({ isPackaged: false, appPath: '/elsewhere', resourcesPath: '/r' }, (p) => present.has(p)),
    ).toBeUndefined();
    const packaged = join(
      '/r',
      'app.asar.unpacked',
      'node_modules',
      'better-sqlite3',
      'build',
      'Release',
      'better_sqlite3.node',
    );
    expect(
      electronNativeBinding({ isPackaged: true, appPath: '/r/app.asar', resourcesPath: '/r' }, (p) => p === packaged),
    ).toBe(packaged);
  });
});

describe('desktop app start and stop', () => {
  const startWith = (engineHost = fakeEngine()) => {
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    vi.stubEnv('CONSOLE_DATA_DIR', join(dir, 'data'));
    vi.stubEnv('ELECTRON_RENDERER_URL', '');
    // Signals and crash listeners are process-wide: keep the test worker's own.
    vi.spyOn(process, 'on').mockImplementation(() => process);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const order: string[] = [];
    engineHost.engine.start.mockImplementation(async () => void order.push('engine.start'));
    engineHost.engine.stop.mockImplementation(async () => void order.push('engine.stop'));
    vi.mocked(createEngine).mockImplementation(async () => engineHost.engine);
    vi.mocked(startLocalServer).mockImplementation(async () => ({
      url: 'http://127.0.0.1:3000',
      loginUrl: () => 'http://127.0.0.1:3000/login?once=x',
      close: async () => void order.push('server.close'),
    }));
    return { engineHost, order };
  };

  it('starts the engine with the merged environment and safeStorage, then the API, IPC, window and tray', async () => {
    writeFileSync(join(dir, '.env'), 'ICIMS_MODE=real\nICIMS_TIMEOUT_MS=1000\n');
    writeFileSync(join(dir, '.env.local'), 'ICIMS_TIMEOUT_MS=2000\n');
    vi.stubEnv('ICIMS_MODE', 'mock');
    const { engineHost, order } = startWith();
    const windowsBefore = FakeBrowserWindow.created.length;
    await runDesktopApp();

    const options = vi.mocked(createEngine).mock.calls[0]?.[0] as EngineOptions;
    expect(options.dataDir).toBe(join(dir, 'data'));
    // .env, .env.local over it, the real environment over both.
    expect(options.env).toMatchObject({ ICIMS_MODE: 'mock', ICIMS_TIMEOUT_MS: '2000' });
    expect(options.secretStore).toBeInstanceOf(SafeStorageSecretStore);
    // The diagnostics bundle names the app's own version, not the npm script's.
    expect(options.appVersion).toBe('9.8.7');
    expect(order).toEqual(['engine.start']);
    expect(startLocalServer).toHaveBeenCalledWith(
      expect.objectContaining({ engine: engineHost.engine, staticDir: null }),
    );
    expect(ipcMain.handlers.has(`${IPC_CHANNEL_PREFIX}getSnapshot`)).toBe(true);
    expect(FakeBrowserWindow.created.length).toBe(windowsBefore + 1);
    expect(Tray.created.at(-1)?.isDestroyed()).toBe(false);
    expect(dialog.showErrorBox).not.toHaveBeenCalled();

    app.quit();
    expect(app.quitted).toBe(false);
    await vi.waitFor(() => expect(app.quitted).toBe(true));
    expect(order).toEqual(['engine.start', 'server.close', 'engine.stop']);
    expect(ipcMain.handlers.size).toBe(0);
    expect(engineHost.listenerCounts()).toEqual({ push: 0, issue: 0 });
  });

  it('shows a configuration error exactly as written and exits non-zero', async () => {
    startWith();
    vi.mocked(createEngine).mockRejectedValueOnce(new ConfigError('ICIMS_BASE_URL is required'));
    await runDesktopApp();
    expect(dialog.showErrorBox).toHaveBeenCalledWith(STARTUP_FAILURE_TITLE, 'ICIMS_BASE_URL is required');
    expect(app.exit).toHaveBeenCalledWith(1);
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('stops an engine that was created but failed to start', async () => {
    const { engineHost } = startWith();
    engineHost.engine.start.mockRejectedValueOnce(new ConfigError('ICIMS_API_KEY appears invalid'));
    await runDesktopApp();
    expect(engineHost.engine.stop).toHaveBeenCalled();
    expect(dialog.showErrorBox).toHaveBeenCalledWith(STARTUP_FAILURE_TITLE, 'ICIMS_API_KEY appears invalid');
    expect(app.exit).toHaveBeenCalledWith(1);
  });

  it('a second instance starts nothing and hands over to the first', async () => {
    startWith();
    vi.mocked(createEngine).mockClear();
    app.singleInstanceLock = false;
    await runDesktopApp();
    expect(createEngine).not.toHaveBeenCalled();
    expect(app.quit).toHaveBeenCalled();
  });

  it('the first instance brings its window forward when a second one starts', async () => {
    startWith();
    await runDesktopApp();
    const window = FakeBrowserWindow.created.at(-1);
    window?.show.mockClear();
    app.emit('second-instance');
    expect(window?.show).toHaveBeenCalled();
    expect(window?.focus).toHaveBeenCalled();
  });
});
