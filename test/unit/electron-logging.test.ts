import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installCrashLogging } from '../../src/main/electron/crash-logging';
import { MainProcessLogger } from '../../src/main/electron/main-process-logger';
import { createFieldRedactor, REDACTED } from '../../src/main/electron/secret-redaction';
import { startupFailureMessage } from '../../src/main/electron/desktop-app';
import { ConfigError } from '../../src/main/engine/icims/errors';

vi.mock('electron', () => import('./electron-fake'));

const API_KEY = 'sk-live-4f9d2c7a1b8e6f30';
const redact = createFieldRedactor(() => [API_KEY, undefined, 'abc']);
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function capture(filePath: string | null = null) {
  const lines: string[] = [];
  const logger = new MainProcessLogger({ redact, filePath, write: (line) => lines.push(line) });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('secret redaction in main-process logs', () => {
  it('drops credential-named fields and known secret values, keeps the rest readable', () => {
    const out = redact({
      apiKey: API_KEY,
      headers: { Authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      client_secret: 'x',
      message: `POST failed with key ${API_KEY} after 3 tries`,
      url: 'https://login.example/token?client_secret=s3cr3t-value&grant_type=client_credentials',
      note: 'Basic dXNlcjpwYXNzd29yZA== was rejected',
      status: 401,
      hasApiKey: true,
      shortWord: 'abc is too short to be treated as a secret',
    });
    expect(out).toEqual({
      apiKey: REDACTED,
      headers: { Authorization: REDACTED, 'content-type': 'application/json' },
      client_secret: REDACTED,
      message: `POST failed with key ${REDACTED} after 3 tries`,
      url: `https://login.example/token?client_secret=${REDACTED}&grant_type=client_credentials`,
      note: `Basic ${REDACTED} was rejected`,
      status: 401,
      hasApiKey: true,
      shortWord: 'abc is too short to be treated as a secret',
    });
  });

  it('writes errors with their message and stack, redacted', () => {
    const { logger, parsed } = capture();
    logger.log('error', 'x', { error: new Error(`connect failed for Bearer ${API_KEY}`) });
    const [line] = parsed();
    expect(line).toMatchObject({
      level: 'error',
      event: 'x',
      error: { name: 'Error', message: `connect failed for Bearer ${REDACTED}` },
    });
    expect(JSON.stringify(line)).not.toContain(API_KEY);
    expect((line?.error as { stack: string }).stack).toContain('electron-logging.test.ts');
  });

  it('keeps warnings and errors in the file, not info', () => {
    const dir = mkdtempSync(join(tmpdir(), 'electron-logging-'));
    dirs.push(dir);
    const file = join(dir, 'logs', 'main-process.log');
    const { logger, lines } = capture(file);
    logger.log('info', 'routine', {});
    logger.log('debug', 'noise', {});
    logger.log('warn', 'odd', { apiKey: API_KEY });
    expect(lines).toHaveLength(2);
    const stored = readFileSync(file, 'utf8').trim().split('\n');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toContain('"event":"odd"');
    expect(stored[0]).not.toContain(API_KEY);
  });
});

describe('crash logging', () => {
  it('logs uncaught errors, rejections and crashed processes with secrets redacted', () => {
    const { logger, parsed } = capture();
    const proc = new EventEmitter();
    const app = new EventEmitter();
    installCrashLogging(app as never, logger, proc as never);
    proc.emit('uncaughtException', new Error(`boom with ${API_KEY}`));
    proc.emit('unhandledRejection', `rejected: password=${API_KEY}`);
    app.emit('render-process-gone', {}, {}, { reason: 'crashed', exitCode: 139 });
    app.emit('child-process-gone', {}, { type: 'GPU', reason: 'oom', exitCode: 1 });
    const events = parsed();
    expect(events.map((line) => line.event)).toEqual([
      'main.uncaught_exception',
      'main.unhandled_rejection',
      'renderer.gone',
      'child_process.gone',
    ]);
    expect(events[2]).toMatchObject({ reason: 'crashed', exitCode: 139 });
    expect(JSON.stringify(events)).not.toContain(API_KEY);
  });
});

describe('startup failure message', () => {
  it('shows a ConfigError verbatim and explains a native module built for the wrong runtime', () => {
    expect(startupFailureMessage(new ConfigError('ICIMS_BASE_URL is required'), redact)).toBe(
      'ICIMS_BASE_URL is required',
    );
    const dlopen = Object.assign(
      new Error('was compiled against a different Node.js version using NODE_MODULE_VERSION 115'),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    expect(startupFailureMessage(dlopen, redact)).toMatch(/native\/electron\/better_sqlite3\.node/);
    expect(startupFailureMessage(new Error(`token ${API_KEY}`), redact)).toBe(`token ${REDACTED}`);
  });
});
