import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { opsSnapshotSchema } from '../../src/shared/ops-snapshot';
import { startFakeIcims } from '../fakes/fake-icims';
import type { FakeIcims } from '../fakes/fake-icims';
import { TEST_API_KEY, testEnv, waitFor } from '../helpers/console-harness';
import { killHeadless, startHeadless } from '../helpers/headless-process';
import type { HeadlessProcess } from '../helpers/headless-process';

let proc: HeadlessProcess | null = null;
let fake: FakeIcims | null = null;
const dirs: string[] = [];

afterEach(async () => {
  if (proc) await killHeadless(proc);
  proc = null;
  await fake?.close();
  fake = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'console-headless-'));
  dirs.push(dir);
  return dir;
}

describe('npm run headless (src/main/headless.ts in plain Node)', () => {
  it('real mode without a base URL exits non-zero with the contract message', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    proc = startHeadless(
      { ICIMS_MODE: 'real', ICIMS_API_KEY: TEST_API_KEY, CONSOLE_DATA_DIR: dataDir, CONSOLE_HTTP_PORT: '0' },
      dir,
    );
    const { code } = await proc.exited;
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(proc.stderr()).toContain('ICIMS_BASE_URL is required');
    // The message names the variable and never echoes the secret.
    expect(proc.stdout() + proc.stderr()).not.toContain(TEST_API_KEY);
    // A start that cannot succeed leaves no database, log, lock or key file behind.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('a too-short API key exits non-zero with the contract message and does not print the key', async () => {
    const dir = tempDir();
    proc = startHeadless(
      {
        ICIMS_MODE: 'real',
        ICIMS_BASE_URL: 'http://127.0.0.1:9',
        ICIMS_API_KEY: 'short',
        CONSOLE_DATA_DIR: dir,
        CONSOLE_HTTP_PORT: '0',
      },
      dir,
    );
    const { code } = await proc.exited;
    expect(code).not.toBe(0);
    expect(proc.stderr()).toContain('ICIMS_API_KEY appears invalid');
    expect(proc.stdout() + proc.stderr()).not.toMatch(/\bshort\b/);
  });

  it('with a valid configuration prints its URL, answers /api/ops/icims, writes a note, and exits 0 on SIGTERM', async () => {
    fake = await startFakeIcims({ auth: { mode: 'apiKey', apiKey: TEST_API_KEY } });
    const dir = tempDir();
    const env = testEnv(fake, { CONSOLE_DATA_DIR: dir });
    proc = startHeadless(env, dir);
    const url = await proc.url();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(proc.stdout()).toContain(`Health:    curl ${url}/api/ops/icims`);
    // The token is never printed.
    expect(proc.stdout()).not.toContain(env.CONSOLE_API_TOKEN);

    const res = await request(`${url}/api/ops/icims`);
    expect(res.statusCode).toBe(200);
    const snapshot = opsSnapshotSchema.parse(await res.body.json());
    expect(snapshot.config).toMatchObject({ mode: 'real', baseUrl: fake.url, hasApiKey: true });

    const posted = await request(`${url}/api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.CONSOLE_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        eventId: 'evt-headless-1',
        type: 'booked',
        applicationId: 'APP-12345',
        entityType: 'booking',
        entityId: '0b6f3c7e-6c1e-4f3b-9a59-5a1f7f2b8c11',
        occurredAt: '2026-01-15T18:59:00Z',
        interviewerEmail: 'interviewer@company.com',
        startsAt: '2026-01-16T19:00:00Z',
        timezone: 'America/New_York',
      }),
    });
    expect(posted.statusCode).toBe(202);
    await posted.body.dump();
    await waitFor(() => fake!.notes.length > 0, { what: 'the note' });
    expect(fake.notes.map((note) => note.content)).toEqual([
      'Interview scheduled: 2026-01-16 at 2:00 PM EST with interviewer@company.com',
    ]);

    proc.child.kill('SIGTERM');
    const { code, signal } = await proc.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(proc.stdout()).toContain('Stopped.');
  });
});
