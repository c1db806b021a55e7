import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/main/engine/engine';
import { FileKeySecretStore } from '../../src/main/engine/settings/file-key-secret-store';

/* Attack 4: any CONSOLE_API_TOKEN length was accepted (`abc` worked). */
let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'tokens-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const start = (env: Record<string, string>) =>
  createEngine({ dataDir, env: { CONSOLE_HTTP_PORT: '0', ...env }, secretStore: new FileKeySecretStore(dataDir) });

describe('console tokens are at least 32 characters', () => {
  it.each(['CONSOLE_API_TOKEN', 'CONSOLE_INGEST_TOKEN'])(
    'a short %s stops start-up, naming the variable',
    async (name) => {
      await expect(start({ [name]: 'abc' })).rejects.toThrow(
        new RegExp(`^${name} must be at least 32 characters \\(it has 3\\)`),
      );
      await expect(start({ [name]: 'x'.repeat(31) })).rejects.toThrow(name);
    },
  );

  it('the same value for both tokens is refused (the ingest token would be an admin token)', async () => {
    const same = 'same-token-for-both-0123456789-abcdef';
    await expect(start({ CONSOLE_API_TOKEN: same, CONSOLE_INGEST_TOKEN: same })).rejects.toThrow(
      /CONSOLE_INGEST_TOKEN must differ from CONSOLE_API_TOKEN/,
    );
  });

  it('without the variables both tokens are generated, long, different, 0600, and kept across restarts', async () => {
    const engine = await start({});
    const api = engine.tokens.value('api');
    const ingest = engine.tokens.value('ingest');
    await engine.stop();
    expect(api.length).toBeGreaterThanOrEqual(32);
    expect(ingest.length).toBeGreaterThanOrEqual(32);
    expect(api).not.toBe(ingest);
    for (const file of ['api-token', 'ingest-token']) {
      expect(statSync(join(dataDir, file)).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(join(dataDir, 'api-token'), 'utf8').trim()).toBe(api);
    const again = await start({});
    expect(again.tokens.value('api')).toBe(api);
    expect(again.tokens.value('ingest')).toBe(ingest);
    await again.stop();
  });
});
