import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * A throwaway PostgreSQL 15 cluster for one test file: its own temp folder, its own free port,
 * fsync off, trust auth on 127.0.0.1 and a socket inside the folder. Real PostgreSQL, because
 * SKIP LOCKED, advisory locks, LISTEN/NOTIFY and clock_timestamp() are exactly what team mode
 * relies on and no fake reproduces them faithfully.
 *
 * Nothing may outlive the test run: afterAll stops the cluster, a process exit hook stops any
 * cluster a crashed test left behind, and the postmaster itself shuts down when its data folder
 * disappears (it rechecks its lock file periodically).
 */

const execFileAsync = promisify(execFile);

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
export const pgAvailable = existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'));
export const pgSkipReason = pgAvailable
  ? ''
  : `PostgreSQL binaries not found in ${PG_BIN} (install Debian's postgresql package or set PG_BIN): team-mode tests skipped`;

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const live = new Set<PgCluster>();

/** Runs `work` on one plain connection to `url` (as an admin runs SQL), closed afterwards. */
export async function onDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** A new empty database on this cluster; returns its connection string. */
  createDatabase(name?: string): Promise<string>;
  /** Immediate stop (as a crash would) and start again on the same port and data. */
  restart(): Promise<void>;
  /** Immediate stop, keeping the folder: the database is "away" until start(). */
  halt(): Promise<void>;
  start(): Promise<void>;
  /** Immediate stop and removal of the folder. Safe to call twice. */
  stop(): Promise<void>;
}

function pgCommand(tool: string, args: string[]): [string, string[]] {
  const bin = join(PG_BIN, tool);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

async function run(tool: string, args: string[]): Promise<void> {
  const [cmd, argv] = pgCommand(tool, args);
  try {
    await execFileAsync(cmd, argv, { timeout: 60_000 });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let databaseCounter = 0;

export async function startPgCluster(): Promise<PgCluster> {
  if (!pgAvailable) throw new Error(pgSkipReason);
  const dir = mkdtempSync(join(tmpdir(), 'team-pg-'));
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), -1);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  await run('initdb', ['-D', data, '-A', 'trust', '-N', '-U', 'postgres', '--no-instructions']);

  let port = 0;
  let running = false;
  // -l: pg_ctl's own stdout would otherwise stay open in the server and hold execFile forever.
  const startServer = async (): Promise<void> => {
    const options = `-F -c fsync=off -c full_page_writes=off -c listen_addresses=127.0.0.1 -p ${port} -k ${dir}`;
    await run('pg_ctl', ['-D', data, '-w', '-t', '60', '-l', log, '-o', options, 'start']);
    running = true;
  };
  const haltServer = async (): Promise<void> => {
    if (!running) return;
    await run('pg_ctl', ['-D', data, '-w', '-m', 'immediate', 'stop']);
    running = false;
  };

  // Another process may grab the free port between the probe and the bind: try a few.
  for (let tries = 0; ; tries++) {
    port = await freePort();
    try {
      await startServer();
      break;
    } catch (error) {
      if (tries >= 3) {
        const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`${(error as Error).message}\n${tail}`);
      }
    }
  }

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const cluster: PgCluster = {
    url,
    port,
    dir,
    async createDatabase(name = `t${process.pid}_${++databaseCounter}`) {
      await onDatabase(url, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async restart() {
      await haltServer();
      await startServer();
    },
    halt: haltServer,
    start: startServer,
    async stop() {
      if (!live.has(cluster)) return;
      live.delete(cluster);
      try {
        await haltServer();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  live.add(cluster);
  // Synchronous on purpose: 'exit' handlers cannot wait for promises.
  haltOnExit.set(cluster, () => {
    if (running) {
      const [cmd, argv] = pgCommand('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      try {
        execFileSync(cmd, argv, { stdio: 'ignore', timeout: 30_000 });
      } catch {
        // Best effort: the postmaster also exits once its folder is gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return cluster;
}

const haltOnExit = new Map<PgCluster, () => void>();
process.once('exit', () => {
  for (const cluster of live) haltOnExit.get(cluster)?.();
});
// A run stopped by a signal (Ctrl-C, a CI timeout, a killed runner) never reaches 'exit' by
// itself: stop the clusters, then end the way that signal would have.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    for (const cluster of live) haltOnExit.get(cluster)?.();
    live.clear();
    process.kill(process.pid, signal);
  });
}

if (!pgAvailable) console.warn(pgSkipReason);
