import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The headless console (`node out/main/headless.js`) as a child process, the way an operator
 * runs it: its own temp data folder as working directory (so no developer `.env` leaks in), its
 * own port, and only the environment the caller gives it. Used by the end-to-end fixture and by
 * scripts/docs-screenshots.ts.
 */

const PROJECT_ROOT = resolve(__dirname, '../..');
export const HEADLESS_ENTRY = join(PROJECT_ROOT, 'out/main/headless.js');
const RENDERER_INDEX = join(PROJECT_ROOT, 'out/renderer/index.html');

export const E2E_API_KEY = 'e2e-icims-api-key-7c1f9a2b4d';
export const E2E_CONSOLE_TOKEN = 'e2e-console-token-0f3b8d6a2c9e-5d7a1c3e9b';

/** Variables of ours that must never be inherited from the shell that runs the tests. */
const OWN_PREFIXES = ['ICIMS_', 'CONSOLE_', 'SYNC_', 'ELECTRON_'];

export interface HeadlessConsole {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly token: string;
  readonly dataDir: string;
  /** Everything the child printed so far. */
  output(): { stdout: string; stderr: string };
  /** The one-time sign-in link the console printed at start (usable once). */
  readonly printedLoginUrl: string;
  /** A fresh one-time sign-in link from `POST /api/session-links`. */
  mintLoginUrl(): Promise<string>;
  /** Calls the local API with the bearer token; JSON in and out. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Posts one event or an array of events; throws unless the console answers 202. */
  postEvents(events: unknown): Promise<{ jobs: { eventId: string; jobId: number; duplicate: boolean }[] }>;
  /** SIGTERM, wait for the exit (SIGKILL after a grace period); keeps the data folder. */
  stop(): Promise<void>;
  /** stop() and remove the data folder. */
  dispose(): Promise<void>;
}

export interface StartOptions {
  /** The whole environment for the console (on top of PATH/HOME and the like). */
  env: Record<string, string>;
  /** Reuse a data folder (e.g. with settings seeded into it); default: a new temp folder. */
  dataDir?: string;
  startTimeoutMs?: number;
}

export function assertBuilt(): void {
  if (!existsSync(HEADLESS_ENTRY) || !existsSync(RENDERER_INDEX)) {
    throw new Error(
      `The console is not built (${existsSync(HEADLESS_ENTRY) ? RENDERER_INDEX : HEADLESS_ENTRY} is missing). Run \`npm run build\` (or \`npx electron-vite build\`) before the end-to-end tests.`,
    );
  }
}

function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !OWN_PREFIXES.some((prefix) => name.startsWith(prefix))) env[name] = value;
  }
  return env;
}

const LOGIN_LINE = /Console:\s+(http:\/\/\S+\/login\?code=\S+)/;

function waitForLoginUrl(
  child: ChildProcess,
  output: () => { stdout: string; stderr: string },
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const describe = () => {
      const { stdout, stderr } = output();
      return `\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`The headless console printed no sign-in link within ${timeoutMs} ms.${describe()}`));
    }, timeoutMs);
    const onData = () => {
      const match = LOGIN_LINE.exec(output().stdout);
      if (!match?.[1]) return;
      cleanup();
      resolvePromise(match[1]);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(
        new Error(`The headless console exited before it was ready (code ${code}, signal ${signal}).${describe()}`),
      );
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}

export async function startHeadlessConsole(options: StartOptions): Promise<HeadlessConsole> {
  assertBuilt();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'console-e2e-'));
  const token = options.env.CONSOLE_API_TOKEN ?? E2E_CONSOLE_TOKEN;
  const env = {
    ...inheritedEnv(),
    CONSOLE_HTTP_HOST: '127.0.0.1',
    // Port 0: the OS picks a free port and the console prints it; no window for another
    // process to take a port between our probe and the console's listen.
    CONSOLE_HTTP_PORT: '0',
    CONSOLE_DATA_DIR: dataDir,
    CONSOLE_API_TOKEN: token,
    ...options.env,
  };

  const child = spawn(process.execPath, [HEADLESS_ENTRY], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const output = () => ({ stdout, stderr });

  let printedLoginUrl: string;
  try {
    printedLoginUrl = await waitForLoginUrl(child, output, options.startTimeoutMs ?? 20_000);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const url = new URL(printedLoginUrl).origin;

  const api = async <T>(method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text for the error message
    }
    return { status: response.status, body: parsed as T };
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };

  return {
    url,
    token,
    dataDir,
    output,
    printedLoginUrl,
    async mintLoginUrl() {
      const { status, body } = await api<{ url: string }>('POST', '/api/session-links');
      if (status !== 201) throw new Error(`POST /api/session-links answered ${status}: ${JSON.stringify(body)}`);
      return body.url;
    },
    api,
    async postEvents(events) {
      const { status, body } = await api<{
        jobs?: { eventId: string; jobId: number; duplicate: boolean }[];
        eventId?: string;
        jobId?: number;
        duplicate?: boolean;
      }>('POST', '/api/events', events);
      if (status !== 202) throw new Error(`POST /api/events answered ${status}: ${JSON.stringify(body)}`);
      if (body.jobs) return { jobs: body.jobs };
      return { jobs: [{ eventId: body.eventId ?? '', jobId: body.jobId ?? 0, duplicate: body.duplicate ?? false }] };
    },
    stop,
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
