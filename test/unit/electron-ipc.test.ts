import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { callConsoleMethod, registerConsoleIpc } from '../../src/main/electron/console-ipc';
import { createIpcSenderCheck } from '../../src/main/electron/ipc-sender-check';
import { forwardPushesToWindow } from '../../src/main/electron/push-forwarding';
import { resolveRendererLocation } from '../../src/main/electron/renderer-location';
import type { Logger } from '../../src/main/engine/logger';
import { CONSOLE_METHODS, ConsoleApiError, IPC_CHANNEL_PREFIX, IPC_PUSH_CHANNEL } from '../../src/shared/console-api';
import type { PushEvent } from '../../src/shared/transport';
import { FakeWebContents, ipcMain } from './electron-fake';
import type { FakeFrame } from './electron-fake';
import { fakeApi, fakeEngine } from './electron-ipc-fixtures';

vi.mock('electron', () => import('./electron-fake'));

const INDEX_HTML = '/opt/console/out/renderer/index.html';
const OWN_URL = pathToFileURL(INDEX_HTML).href;
const location = resolveRendererLocation({ devServerUrl: undefined, isPackaged: true, indexHtmlPath: INDEX_HTML });

let window: FakeWebContents;
let api: ReturnType<typeof fakeApi>;
let logged: { level: string; event: string; fields: Record<string, unknown> }[];
let unregister: () => void;
const logger: Logger = { log: (level, event, fields = {}) => logged.push({ level, event, fields }) };

beforeEach(() => {
  unregister?.();
  window = new FakeWebContents(OWN_URL);
  api = fakeApi();
  logged = [];
  unregister = registerConsoleIpc({
    api,
    isTrustedSender: createIpcSenderCheck(() => window as never, location.isOwnUrl),
    logger,
  });
});

/** What the renderer's `ipcRenderer.invoke('console:<method>', input)` would get back. */
function invoke(method: string, input: unknown, from: { sender?: FakeWebContents; frame?: FakeFrame | null } = {}) {
  const handler = ipcMain.handlers.get(IPC_CHANNEL_PREFIX + method);
  if (!handler) throw new Error(`no handler for ${method}`);
  const sender = from.sender ?? window;
  const senderFrame = from.frame === undefined ? sender.mainFrame : from.frame;
  return (handler as (event: unknown, input: unknown) => Promise<unknown>)({ sender, senderFrame }, input);
}

/** IPC calls act as the OS user running the app (the audit trail names them). */
const DESKTOP = { actor: { kind: 'desktop', label: expect.any(String) } };

describe('console IPC', () => {
  it('registers exactly one handler per contract method and removes them again', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(CONSOLE_METHODS.map((m) => IPC_CHANNEL_PREFIX + m).sort());
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
    unregister = () => {};
  });

  it('refuses calls that do not come from our window showing our page', async () => {
    const foreignWindow = new FakeWebContents(OWN_URL);
    const { processId } = window.mainFrame;
    const iframe: FakeFrame = { url: OWN_URL, parent: window.mainFrame, processId, routingId: 9001 };
    const callers = [
      { sender: foreignWindow },
      { frame: iframe },
      // A frame that claims no parent but is not the window's main frame.
      { frame: { ...iframe, parent: null } },
      { frame: null },
      { frame: { ...window.mainFrame, url: 'https://evil.example/' } },
    ];
    for (const from of callers) {
      expect(await invoke('retryAllFailed', {}, from)).toEqual({
        ok: false,
        error: { error: 'forbidden', message: expect.any(String) },
      });
    }
    window.mainFrame.url = 'https://evil.example/';
    expect(await invoke('retryAllFailed', {})).toMatchObject({ ok: false, error: { error: 'forbidden' } });
    window.destroyed = true;
    window.mainFrame.url = OWN_URL;
    expect(await invoke('retryAllFailed', {})).toMatchObject({ ok: false, error: { error: 'forbidden' } });
    expect(api.retryAllFailed).not.toHaveBeenCalled();
    expect(logged.filter((line) => line.event === 'ipc.forbidden_sender')).toHaveLength(callers.length + 2);
  });

  it('accepts our page on any route, also through a fresh wrapper of the same frame', async () => {
    window.mainFrame.url = `${OWN_URL}#/jobs?status=failed`;
    expect(await invoke('retryAllFailed', {})).toEqual({ ok: true, value: { count: 0 } });
    expect(await invoke('retryAllFailed', {}, { frame: { ...window.mainFrame } })).toEqual({
      ok: true,
      value: { count: 0 },
    });
  });

  it('answers invalid input with invalid_input naming each bad field, without calling the engine', async () => {
    const result = await invoke('listJobs', { status: 'exploded', limit: 0, sql: 'DROP TABLE sync_jobs' });
    expect(result).toMatchObject({
      ok: false,
      error: { error: 'invalid_input', message: expect.stringContaining('listJobs') },
    });
    const paths = (result as { error: { issues: { path: string; message: string }[] } }).error.issues.map(
      (issue) => issue.path,
    );
    expect(paths).toEqual(expect.arrayContaining(['status', 'limit']));
    expect(await invoke('getJob', { id: 'abc' })).toMatchObject({
      ok: false,
      error: { error: 'invalid_input', issues: [{ path: 'id' }] },
    });
    expect(await invoke('pauseWorker', { now: true })).toMatchObject({ ok: false, error: { error: 'invalid_input' } });
    expect(api.listJobs).not.toHaveBeenCalled();
    expect(api.getJob).not.toHaveBeenCalled();
    expect(api.pauseWorker).not.toHaveBeenCalled();
  });

  it('hands the engine the parsed input, defaults applied, and the desktop user as who asked', async () => {
    await invoke('listJobs', { status: 'failed' });
    expect(api.listJobs).toHaveBeenCalledWith({ status: 'failed', limit: 50 }, DESKTOP);
    await invoke('getLatencySeries', undefined);
    expect(api.getLatencySeries).toHaveBeenCalledWith({ hours: 24 }, DESKTOP);
    await invoke('testConnection', undefined);
    expect(api.testConnection).toHaveBeenCalledWith({ values: {}, secrets: {} }, DESKTOP);
    expect(await invoke('retryJob', { id: 7 })).toEqual({ ok: true, value: { ok: true } });
    expect(api.retryJob).toHaveBeenCalledWith({ id: 7 }, DESKTOP);
  });

  it('returns a ConsoleApiError as its body', async () => {
    api.retryJob.mockRejectedValueOnce(
      new ConsoleApiError('conflict', 'Job 7 is completed; only failed or waiting jobs can be retried.'),
    );
    expect(await invoke('retryJob', { id: 7 })).toEqual({
      ok: false,
      error: { error: 'conflict', message: 'Job 7 is completed; only failed or waiting jobs can be retried.' },
    });
  });

  it('turns an unexpected error into a generic internal error; its text and stack stay in the log', async () => {
    api.getSnapshot.mockRejectedValueOnce(new Error('SQLITE_CORRUPT at /home/admin/.config/console.db'));
    const result = await invoke('getSnapshot', {});
    expect(result).toEqual({ ok: false, error: { error: 'internal', message: expect.any(String) } });
    const text = JSON.stringify(result);
    expect(text).not.toContain('SQLITE_CORRUPT');
    expect(text).not.toContain('console.db');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 'error',
        event: 'console.unexpected_error',
        fields: expect.objectContaining({ method: 'getSnapshot' }),
      }),
    );
  });

  it('refuses an engine answer that breaks the contract instead of passing it on', async () => {
    api.getJobCounts.mockResolvedValueOnce({ pending: 'many' } as never);
    expect(await invoke('getJobCounts', {})).toMatchObject({ ok: false, error: { error: 'internal' } });
    expect(logged).toContainEqual(expect.objectContaining({ event: 'console.output_invalid' }));
  });

  it('never throws across IPC, whatever the engine does', async () => {
    api.resetBreaker.mockImplementationOnce(() => {
      throw 'a string, not an Error';
    });
    await expect(callConsoleMethod('resetBreaker', {}, api, logger)).resolves.toMatchObject({
      ok: false,
      error: { error: 'internal' },
    });
  });
});

describe('push forwarding', () => {
  it('relays each engine push to the window as its topic only', () => {
    const host = fakeEngine();
    const stop = forwardPushesToWindow(host.engine, () => window as never);
    host.push({ topic: 'jobs' });
    host.push({ topic: 'ops', secret: 'x' } as PushEvent);
    host.push({ topic: 'not-a-topic' } as unknown as PushEvent);
    expect(window.send.mock.calls).toEqual([
      [IPC_PUSH_CHANNEL, { topic: 'jobs' }],
      [IPC_PUSH_CHANNEL, { topic: 'ops' }],
    ]);
    stop();
    host.push({ topic: 'settings' });
    expect(window.send).toHaveBeenCalledTimes(2);
  });

  it('drops pushes while there is no live window', () => {
    const host = fakeEngine();
    let current: FakeWebContents | null = null;
    forwardPushesToWindow(host.engine, () => current as never);
    host.push({ topic: 'jobs' });
    current = window;
    window.destroyed = true;
    host.push({ topic: 'jobs' });
    expect(window.send).not.toHaveBeenCalled();
  });
});
