import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPO = resolve(__dirname, '..', '..');
// Not console-harness's sleep: that module loads vitest, and the bench (bench/team) runs this too.
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
const ENTRY = join(REPO, 'src', 'main', 'headless.ts');
const TSX_LOADER = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface HeadlessProcess {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited (and been reaped), with its code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the local API's base URL once the console has printed it. */
  url(timeoutMs?: number): Promise<string>;
}

/**
 * `npm run headless` as a child process: src/main/headless.ts run by Node through tsx, so the
 * test does not depend on (or race with) a build in the shared `out/` folder. The child gets only
 * the environment given (plus PATH/HOME), and runs in `cwd` so no `.env` of the checkout is read.
 */
export function startHeadless(env: Record<string, string>, cwd: string): HeadlessProcess {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, ENTRY], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => done({ code, signal }));
  });
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async url(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = /Local API: (http:\/\/\S+)\/api/.exec(out);
        if (match?.[1]) return match[1];
        if (hasExited || Date.now() > deadline) {
          throw new Error(
            `The headless console did not print its URL${hasExited ? ' (it exited)' : ''}.\nstdout: ${out}\nstderr: ${err}`,
          );
        }
        await sleep(25);
      }
    },
  };
}

/** Stops a child that is still running (by its own pid) and waits until it is gone. */
export async function killHeadless(proc: HeadlessProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
  await proc.exited;
}
