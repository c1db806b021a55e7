import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { registerConsoleIpc } from '../../src/main/electron/console-ipc';
import { createIpcSenderCheck } from '../../src/main/electron/ipc-sender-check';
import { resolveRendererLocation } from '../../src/main/electron/renderer-location';
import { silentLogger } from '../../src/main/engine/logger';
import { IPC_CHANNEL_PREFIX } from '../../src/shared/console-api';
import { FakeWebContents, ipcMain } from './electron-fake';
import { fakeApi, sampleSettings, sampleSnapshot } from './electron-ipc-fixtures';

vi.mock('electron', () => import('./electron-fake'));

/*
 * Guard test of the transport: the engine must never return a secret, but if a change ever made
 * it do so, the IPC layer must still not carry it to the renderer. The fake engine below
 * misbehaves on purpose.
 */

const API_KEY = 'sk-live-4f9d2c7a1b8e6f30';
const CLIENT_SECRET = 'oauth-client-secret-93b1';
const PASSWORD = 'hunter2-but-longer';

const INDEX_HTML = '/opt/console/out/renderer/index.html';
const location = resolveRendererLocation({ devServerUrl: undefined, isPackaged: true, indexHtmlPath: INDEX_HTML });
const window = new FakeWebContents(pathToFileURL(INDEX_HTML).href);
const api = fakeApi();

beforeAll(() => {
  registerConsoleIpc({
    api,
    isTrustedSender: createIpcSenderCheck(() => window as never, location.isOwnUrl),
    logger: silentLogger,
  });
});

async function invokeSerialized(method: string, input: unknown = {}): Promise<string> {
  const handler = ipcMain.handlers.get(IPC_CHANNEL_PREFIX + method) as (
    event: unknown,
    input: unknown,
  ) => Promise<unknown>;
  const result = await handler({ sender: window, senderFrame: window.mainFrame }, input);
  // Electron's structured clone carries what JSON would, and more: check the JSON and the object.
  return JSON.stringify(result);
}

function expectNoSecret(text: string): void {
  for (const secret of [API_KEY, CLIENT_SECRET, PASSWORD]) expect(text).not.toContain(secret);
}

describe('no secret crosses to the renderer', () => {
  it('getSettings: extra secret-bearing keys are stripped, the answer still arrives', async () => {
    const leaky = sampleSettings();
    Object.assign(leaky.values, { apiKey: API_KEY, clientSecret: CLIENT_SECRET });
    Object.assign(leaky, { rawSecrets: { password: PASSWORD } });
    api.getSettings.mockResolvedValueOnce(leaky);
    const text = await invokeSerialized('getSettings');
    expectNoSecret(text);
    expect(JSON.parse(text)).toMatchObject({
      ok: true,
      value: { secrets: { apiKey: true }, values: { baseUrl: 'https://api.icims.com' } },
    });
  });

  it('getSettings: a secret value where the contract has a flag fails closed', async () => {
    const leaky = sampleSettings();
    Object.assign(leaky.secrets, { apiKey: API_KEY });
    api.getSettings.mockResolvedValueOnce(leaky);
    const text = await invokeSerialized('getSettings');
    expectNoSecret(text);
    expect(JSON.parse(text)).toMatchObject({ ok: false, error: { error: 'internal' } });
  });

  it('saveSettings: the secrets just sent do not come back', async () => {
    api.saveSettings.mockImplementationOnce(async (input) => ({ ...sampleSettings(), echo: input }) as never);
    const text = await invokeSerialized('saveSettings', {
      values: {},
      secrets: { apiKey: API_KEY, password: PASSWORD },
    });
    expect(api.saveSettings).toHaveBeenCalledWith(
      { values: {}, secrets: { apiKey: API_KEY, password: PASSWORD } },
      { actor: { kind: 'desktop', label: expect.any(String) } },
    );
    expectNoSecret(text);
    expect(JSON.parse(text)).toMatchObject({ ok: true });
  });

  it('getSnapshot: a credential added to the config block is stripped', async () => {
    const leaky = sampleSnapshot();
    Object.assign(leaky.config, { apiKey: API_KEY });
    api.getSnapshot.mockResolvedValueOnce(leaky);
    const text = await invokeSerialized('getSnapshot');
    expectNoSecret(text);
    expect(JSON.parse(text)).toMatchObject({ ok: true, value: { config: { hasApiKey: true } } });
  });

  it('an engine error whose message holds a credential is not relayed', async () => {
    api.testConnection.mockRejectedValueOnce(new Error(`401 for Authorization: Bearer ${API_KEY}`));
    const text = await invokeSerialized('testConnection');
    expectNoSecret(text);
  });
});
