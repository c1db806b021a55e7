import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../src/main/engine/config/environment-files';
import { ConfigError } from '../../src/main/engine/icims/errors';

const dirs: string[] = [];
function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'icims-env-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadEnvironment', () => {
  it('merges real env over .env.local over .env', () => {
    const dir = dirWith({
      '.env': 'ICIMS_MODE=real\nICIMS_BASE_URL=https://from-env-file\nICIMS_NOTES_FIELD=dotenv\n',
      '.env.local': 'ICIMS_BASE_URL=https://from-env-local\n# comment\nICIMS_API_KEY="quoted key value"\n',
    });
    const { values, fromEnvironment } = loadEnvironment(dir, { ICIMS_NOTES_FIELD: 'real-env' });
    expect(values.ICIMS_MODE).toBe('real');
    expect(values.ICIMS_BASE_URL).toBe('https://from-env-local');
    expect(values.ICIMS_API_KEY).toBe('quoted key value');
    expect(values.ICIMS_NOTES_FIELD).toBe('real-env');
    expect([...fromEnvironment].sort()).toEqual(['ICIMS_API_KEY', 'ICIMS_BASE_URL', 'ICIMS_MODE', 'ICIMS_NOTES_FIELD']);
  });

  it('treats empty strings as unset at every level', () => {
    const dir = dirWith({
      '.env': 'ICIMS_BASE_URL=https://dotenv\nICIMS_CUSTOMER_ID=\n',
      '.env.local': 'ICIMS_BASE_URL=\n',
    });
    const { values, fromEnvironment } = loadEnvironment(dir, { ICIMS_BASE_URL: '', ICIMS_API_KEY: '' });
    expect(values.ICIMS_BASE_URL).toBe('https://dotenv');
    expect('ICIMS_CUSTOMER_ID' in values).toBe(false);
    expect(fromEnvironment.has('ICIMS_API_KEY')).toBe(false);
  });

  it('works without any file and does not touch process.env', () => {
    const dir = dirWith({ '.env': 'ICIMS_TEST_ONLY_VARIABLE=1\n' });
    expect(loadEnvironment(dirWith({}), {}).values).toEqual({});
    loadEnvironment(dir, {});
    expect(process.env.ICIMS_TEST_ONLY_VARIABLE).toBeUndefined();
  });

  it('an unreadable file is a ConfigError naming the file, not its content', () => {
    // A directory where the file should be: unreadable even for root (chmod would not be).
    const dir = dirWith({ '.env': 'ICIMS_API_KEY=do-not-show-0123456789\n' });
    mkdirSync(join(dir, '.env.local'));
    const error = (() => {
      try {
        loadEnvironment(dir, {});
        return null;
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toContain('.env.local');
    expect(error?.message).not.toContain('do-not-show');
  });
});
