import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MainProcessLogger } from '../../src/main/electron/main-process-logger';
import type { LogLevel } from '../../src/main/engine/logger';
import { startLocalServer } from '../../src/main/server/local-server';
import type { LocalServer } from '../../src/main/server/local-server';
import { startConsole } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

/*
 * Attack 9: `GET /%` and `GET //[` answered 500 and each wrote an error line (a cheap way to fill
 * the log); the Electron main-process log had no size cap and the default file mode.
 */
let harness: ConsoleHarness;
let server: LocalServer;
const logged: { level: LogLevel; event: string }[] = [];
let staticDir: string;

beforeAll(async () => {
  harness = await startConsole();
  staticDir = mkdtempSync(join(tmpdir(), 'ui-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>console</title>');
  server = await startLocalServer({
    engine: harness.engine,
    staticDir,
    logger: { log: (level, event) => logged.push({ level, event }) },
  });
});
afterAll(async () => {
  await server?.close();
  await harness?.close();
  rmSync(staticDir, { recursive: true, force: true });
});

/** A raw request line: fetch and undici normalise these paths before sending them. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
    });
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.on('error', reject);
  });
}

describe('a malformed URL is the client’s mistake: 400 JSON, no error line', () => {
  it.each(['/%', '//[', '/%E0%A4%A', '/assets/%ZZ'])('GET %s', async (path) => {
    const res = await rawGet(path);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'invalid_url' });
    expect(logged.filter((entry) => entry.level === 'error')).toEqual([]);
  });
});

describe('the Electron main-process log', () => {
  it('is 0600 and rolls over at its size cap instead of growing without end', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mainlog-'));
    try {
      const file = join(dir, 'logs', 'main-process.log');
      const logger = new MainProcessLogger({ redact: (f) => f, filePath: file, write: () => {}, maxBytes: 4096 });
      for (let i = 0; i < 200; i++) logger.log('error', 'app.crash_loop', { i, detail: 'x'.repeat(100) });
      expect(statSync(file).size).toBeLessThanOrEqual(4096);
      expect(statSync(`${file}.1`).size).toBeLessThanOrEqual(4096);
      if (process.platform !== 'win32') {
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expect(statSync(join(dir, 'logs')).mode & 0o777).toBe(0o700);
      }
      expect(readFileSync(file, 'utf8')).toContain('"i":199');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
