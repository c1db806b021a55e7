import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileKeySecretStore } from '../../src/main/engine/settings/file-key-secret-store';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'console-key-'));
  dirs.push(dir);
  return dir;
}

describe('FileKeySecretStore (headless secrets)', () => {
  it('creates no key file until a secret is saved, then one readable by its owner only', () => {
    const dir = tempDir();
    const store = new FileKeySecretStore(dir);
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
    const sealed = store.encrypt('key-abcdefghij');
    expect(sealed).not.toContain('key-abcdefghij');
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('a later start with the same folder reads what an earlier one saved', () => {
    const dir = tempDir();
    const sealed = new FileKeySecretStore(dir).encrypt('key-abcdefghij');
    const key = readFileSync(join(dir, 'secret.key'), 'utf8');
    expect(new FileKeySecretStore(dir).decrypt(sealed)).toBe('key-abcdefghij');
    expect(readFileSync(join(dir, 'secret.key'), 'utf8')).toBe(key);
  });

  it('a damaged key file is named in the error', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'secret.key'), 'not a key\n');
    expect(() => new FileKeySecretStore(dir).encrypt('key-abcdefghij')).toThrow(/secret\.key is not a valid key file/);
  });
});
