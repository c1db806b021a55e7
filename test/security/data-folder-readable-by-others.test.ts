import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/main/engine/engine';
import { FileKeySecretStore } from '../../src/main/engine/settings/file-key-secret-store';

/*
 * Attack 5: a data folder that already existed kept 0755, and the database, its WAL and the
 * api-token file were 0644: any local user could read the queue (candidates) and the token.
 */
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'modes-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

describe.skipIf(process.platform === 'win32')('the data folder is private even when it pre-exists', () => {
  it('a 0755 folder with 0644 files left by an older version becomes 0700 with 0600 files', async () => {
    const dataDir = join(root, 'data');
    const env = { CONSOLE_HTTP_PORT: '0' };
    const first = await createEngine({ dataDir, env, secretStore: new FileKeySecretStore(dataDir) });
    await first.api.saveSettings({ values: { mode: 'mock' }, secrets: { apiKey: 'a-saved-key-0123456789' } });
    await first.stop();

    // What an older version (or a careless copy) left behind.
    chmodSync(dataDir, 0o755);
    for (const name of readdirSync(dataDir)) chmodSync(join(dataDir, name), 0o644);
    writeFileSync(join(dataDir, 'console.db-wal'), '', { flag: 'a' });
    chmodSync(join(dataDir, 'console.db-wal'), 0o644);
    mkdirSync(join(dataDir, 'logs'), { mode: 0o755 });
    writeFileSync(join(dataDir, 'logs', 'main-process.log'), '{}\n', { mode: 0o644 });

    const engine = await createEngine({ dataDir, env, secretStore: new FileKeySecretStore(dataDir) });
    try {
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'logs'))).toBe(0o700);
      const files = readdirSync(dataDir).filter((name) => statSync(join(dataDir, name)).isFile());
      for (const name of [
        'console.db',
        'console.db-wal',
        'api-token',
        'ingest-token',
        'credential-key',
        'secret.key',
      ]) {
        expect(files, name).toContain(name);
      }
      for (const name of files) expect(mode(join(dataDir, name)), name).toBe(0o600);
      expect(mode(join(dataDir, 'logs', 'main-process.log'))).toBe(0o600);
      if (existsSync(join(dataDir, 'console.db-shm'))) expect(mode(join(dataDir, 'console.db-shm'))).toBe(0o600);
    } finally {
      await engine.stop();
    }
  });
});
