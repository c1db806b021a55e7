import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/main/engine/config/resolve-config';
import { loadOrCreateKey } from '../../src/main/engine/host/private-files';
import { credentialFingerprint } from '../../src/main/engine/settings/credential-fingerprint';
import { openDatabase } from '../../src/main/engine/sync/database';
import { WorkerPauseStore } from '../../src/main/engine/sync/worker-pause-store';

/*
 * Attack 6: the paused-credentials fingerprint was a plain SHA-256 of mode + URL + method +
 * secret, so anyone with a copy of the database could test guessed keys offline.
 */
const dir = mkdtempSync(join(tmpdir(), 'fingerprint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEY = 'the-real-api-key-0123456789';
const config = resolveConfig({
  env: { ICIMS_MODE: 'real', ICIMS_BASE_URL: 'https://api.icims.com', ICIMS_API_KEY: KEY },
});
const plain = createHash('sha256')
  .update(['real', 'https://api.icims.com', 'apiKey', KEY].join('\u0000'))
  .digest('hex');

describe('the stored credential fingerprint cannot be checked against a guess without the install key', () => {
  it('what the database keeps for a paused worker is not the plain hash of the credentials', () => {
    const db = openDatabase(join(dir, 'console.db'));
    const key = loadOrCreateKey(join(dir, 'credential-key'));
    const store = new WorkerPauseStore(db, key).forCredentials(config);
    store.save({ reason: 'auth', message: '401 Unauthorized', at: 1 });
    const row = db.prepare("SELECT value FROM settings WHERE key = 'worker.pause'").get() as { value: string };
    db.close();
    const stored = (JSON.parse(row.value) as { credentials: string }).credentials;
    expect(stored).not.toBe(plain);
    expect(stored).toBe(credentialFingerprint(config, key));
  });

  it('is keyed per install: another key gives another fingerprint; the key lives in a 0600 file, not the database', () => {
    const a = loadOrCreateKey(join(dir, 'a-key'));
    const b = loadOrCreateKey(join(dir, 'b-key'));
    expect(credentialFingerprint(config, a)).not.toBe(credentialFingerprint(config, b));
    expect(loadOrCreateKey(join(dir, 'a-key')).equals(a)).toBe(true);
    expect(readFileSync(join(dir, 'a-key'), 'utf8')).not.toContain(KEY);
  });
});
