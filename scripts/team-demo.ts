import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import { startFakeIcims } from '../test/fakes/fake-icims';
import { pgAvailable, pgSkipReason, startPgCluster } from '../test/helpers/pg-cluster';

/**
 * `npm run team-demo`: team mode working in a minute, on this machine alone — a throwaway
 * PostgreSQL cluster, the fake iCIMS (120 calls a minute, enforced by the fake itself), two
 * engines sharing one queue, and a trickle of scheduling events posted to both. Prints a sign-in
 * link per console; open either and watch the Dashboard's Team card. Ctrl-C stops everything
 * and removes the cluster and the data folders.
 *
 *   TEAM_DEMO_SECONDS   stop by itself after this many seconds (default: run until Ctrl-C)
 *   TEAM_DEMO_RATE      the fake's calls per minute, and the team's limit (default 120)
 */

const REPO = resolve(__dirname, '..');
const HEADLESS = join(REPO, 'out', 'main', 'headless.js');
const RATE = Number(process.env.TEAM_DEMO_RATE ?? 120);
const SECONDS = process.env.TEAM_DEMO_SECONDS ? Number(process.env.TEAM_DEMO_SECONDS) : null;
const API_KEY = 'team-demo-icims-key-0001';

interface Engine {
  name: string;
  child: ChildProcess;
  url: string;
  signIn: string;
}

function startEngine(name: string, env: Record<string, string>): Promise<Engine> {
  const child = spawn(process.execPath, [HEADLESS], {
    cwd: env.CONSOLE_DATA_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  return new Promise((done, fail) => {
    child.once('exit', (code) => fail(new Error(`${name} exited (${code}) before it was ready:\n${out}${err}`)));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const api = /Local API: (http:\/\/\S+)\/api/.exec(out)?.[1];
      const signIn = /Console:\s+(http:\/\/\S+)/.exec(out)?.[1];
      if (api && signIn) done({ name, child, url: api, signIn });
    });
  });
}

async function call(url: string, token: string, path: string, body?: unknown): Promise<unknown> {
  const res = await request(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode} ${text}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

let eventNumber = 0;
function event(): Record<string, unknown> {
  eventNumber += 1;
  const start = new Date(Date.now() + 86_400_000 + eventNumber * 3_600_000);
  return {
    eventId: `team-demo-${process.pid}-${eventNumber}`,
    type: 'booked',
    applicationId: `DEMO-${1000 + (eventNumber % 40)}`,
    entityType: 'booking',
    entityId: randomUUID(),
    occurredAt: new Date().toISOString(),
    candidateName: `Candidate ${eventNumber}`,
    interviewerEmail: 'interviewer@example.com',
    timezone: 'America/New_York',
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 45 * 60_000).toISOString(),
  };
}

async function main(): Promise<void> {
  if (!existsSync(HEADLESS)) throw new Error('out/main/headless.js is missing: run `npm run build` first');
  if (!pgAvailable) throw new Error(`${pgSkipReason}. On Debian: apt-get install -y postgresql`);

  console.log('Starting a throwaway PostgreSQL cluster…');
  const cluster = await startPgCluster();
  const dirs: string[] = [];
  const engines: Engine[] = [];
  const fake = await startFakeIcims({
    auth: { mode: 'apiKey', apiKey: API_KEY },
    rateLimit: { perMinute: RATE, burst: RATE },
    latencyMs: { min: 60, max: 220 },
  });
  let stopping = false;
  // The event trickle and the status line: stopped first, so none of them asks a stopping engine.
  const timers: NodeJS.Timeout[] = [];
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const timer of timers) clearInterval(timer);
    console.log('\nStopping the engines, the fake iCIMS and the cluster…');
    for (const engine of engines) engine.child.kill('SIGTERM');
    await Promise.all(engines.map((engine) => new Promise((done) => engine.child.once('exit', done))));
    await fake.close();
    await cluster.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    console.log('Done: nothing is left running.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const databaseUrl = await cluster.createDatabase('team_demo');
    const token = randomBytes(24).toString('base64url');
    const teamKey = randomBytes(32).toString('base64');
    for (const name of ['engine-a', 'engine-b']) {
      const dir = mkdtempSync(join(tmpdir(), `team-demo-${name}-`));
      dirs.push(dir);
      // One after the other: the first engine migrates the database and publishes the team's settings.
      engines.push(
        await startEngine(name, {
          ICIMS_MODE: 'real',
          ICIMS_BASE_URL: fake.url,
          ICIMS_API_KEY: API_KEY,
          ICIMS_RATE_LIMIT_PER_MIN: String(RATE),
          SYNC_DATABASE_URL: databaseUrl,
          SYNC_NODE_NAME: name,
          SYNC_TEAM_KEY: teamKey,
          CONSOLE_DATA_DIR: dir,
          CONSOLE_HTTP_HOST: '127.0.0.1',
          CONSOLE_HTTP_PORT: '0',
          CONSOLE_API_TOKEN: token,
        }),
      );
    }

    console.log(
      [
        '',
        'Team mode demo: two engines, one queue on PostgreSQL, one iCIMS account (the fake) limited to',
        `${RATE} calls a minute for the whole team.`,
        '',
        ...engines.map((engine) => `  ${engine.name}: ${engine.signIn}`),
        '             one-time sign-in links; or open a console and sign in with the API token:',
        `             ${token}`,
        `  Fake iCIMS: ${fake.url}  ·  PostgreSQL: ${databaseUrl}`,
        '',
        'Events are posted to both engines; either engine sends any of them, each exactly once.',
        'Try: pause the worker in one console and watch both stop; stop one engine (kill its pid) and',
        'watch the other take over its jobs. Ctrl-C ends the demo.',
        '',
      ].join('\n'),
    );

    await call(engines[0]!.url, token, '/api/events', Array.from({ length: 30 }, event));
    let turn = 0;
    const trickle = setInterval(() => {
      const engine = engines[turn++ % engines.length]!;
      call(engine.url, token, '/api/events', event()).catch((error: unknown) => {
        if (!stopping) console.error(String(error));
      });
    }, 1_500);
    const report = setInterval(() => {
      call(engines[0]!.url, token, '/api/ops/icims')
        .then((snapshot) => {
          const { syncJobs, nodes } = snapshot as {
            syncJobs: { pending: number; processing: number; completedLast24h: number };
            nodes: { name: string; state: string; callsLastMinute: number }[];
          };
          const team = nodes.map((node) => `${node.name} ${node.state} ${node.callsLastMinute}/min`).join(', ');
          const duplicates = fake.notes.length - new Set(fake.notes.map((note) => note.idempotencyKey)).size;
          console.log(
            `notes in iCIMS ${fake.notes.length} (duplicates ${duplicates}) · pending ${syncJobs.pending} · ` +
              `sending ${syncJobs.processing} · ${team}`,
          );
        })
        .catch((error: unknown) => {
          if (!stopping) console.error(String(error));
        });
    }, 5_000);
    timers.push(trickle, report);
    if (SECONDS !== null) setTimeout(() => void stop(0), SECONDS * 1_000);
  } catch (error) {
    console.error(`team-demo: ${(error as Error).message}`);
    await stop(1);
  }
}

main().catch((error: unknown) => {
  console.error(`team-demo: ${(error as Error).message}`);
  process.exit(1);
});
