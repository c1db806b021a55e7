import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/main/engine/engine';
import { FileKeySecretStore } from '../../src/main/engine/settings/file-key-secret-store';
import { startLocalServer } from '../../src/main/server/local-server';

/*
 * A bind address beyond loopback puts the console on the network: tokens, session tokens and
 * candidate data would cross it in the clear. Start-up refuses unless HTTPS is configured.
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tls-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const engineWith = (env: Record<string, string>, name: string) =>
  createEngine({ dataDir: join(dir, name), env, secretStore: new FileKeySecretStore(join(dir, name)) });

describe('a non-loopback bind needs TLS', () => {
  it.each(['0.0.0.0', '192.168.1.20', '::'])(
    'CONSOLE_HTTP_HOST=%s without a certificate stops start-up, saying why',
    async (host) => {
      await expect(engineWith({ CONSOLE_HTTP_HOST: host, CONSOLE_HTTP_PORT: '0' }, `refused-${host}`)).rejects.toThrow(
        /is not a loopback address.*Set CONSOLE_TLS_CERT and CONSOLE_TLS_KEY/,
      );
      expect(existsSync(join(dir, `refused-${host}`, 'console.db'))).toBe(false);
    },
  );

  it('only one of the two TLS variables is a configuration error naming the other', async () => {
    await expect(engineWith({ CONSOLE_TLS_CERT: '/x/cert.pem' }, 'half')).rejects.toThrow(
      /CONSOLE_TLS_CERT and CONSOLE_TLS_KEY must be set together/,
    );
  });

  it.skipIf(!existsSync('/usr/bin/openssl'))(
    'with a certificate and key the local API answers over HTTPS',
    async () => {
      const cert = join(dir, 'cert.pem');
      const key = join(dir, 'key.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-keyout',
          key,
          '-out',
          cert,
        ],
        { stdio: 'ignore' },
      );
      const engine = await engineWith(
        { CONSOLE_HTTP_HOST: '127.0.0.1', CONSOLE_HTTP_PORT: '0', CONSOLE_TLS_CERT: cert, CONSOLE_TLS_KEY: key },
        'https',
      );
      const server = await startLocalServer({ engine, staticDir: null, logger: { log: () => {} } });
      const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
      try {
        expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const res = await request(`${server.url}/api/ops/icims`, { dispatcher });
        expect(res.statusCode).toBe(200);
        expect(((await res.body.json()) as { status: string }).status).toBe('healthy');
      } finally {
        await dispatcher.close();
        await server.close();
        await engine.stop();
      }
    },
  );
});
