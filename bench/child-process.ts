import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** What every bench child sends back when its task ends. */
export interface ChildOutcome<T> {
  result: T;
  /** Peak resident set of the child process over its whole life (getrusage ru_maxrss). */
  maxRssMb: number;
}

type Message = { type: string; [key: string]: unknown };

/**
 * One measurement in its own Node process (tsx loader), so every figure starts from a cold,
 * clean heap and its peak RSS belongs to that measurement alone. The child runs
 * `bench/child-entry.ts`; messages beyond start/result let a long-lived child (the fake
 * iCIMS) answer questions while it runs.
 */
export class BenchChild<T> {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<string, (message: Message) => void>();
  private readonly outcome: Promise<ChildOutcome<T>>;

  constructor(task: string, params: unknown, timeoutMs: number) {
    this.child = fork(join(__dirname, 'child-entry.ts'), [], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.outcome = new Promise<ChildOutcome<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`${task} did not finish within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.child.on('message', (message: Message) => {
        if (message.type === 'result') {
          clearTimeout(timer);
          resolve({ result: message.result as T, maxRssMb: message.maxRssMb as number });
        } else if (message.type === 'error') {
          clearTimeout(timer);
          reject(new Error(`${task} failed: ${String(message.message)}`));
        } else {
          const waiter = this.waiting.get(message.type);
          this.waiting.delete(message.type);
          waiter?.(message);
        }
      });
      this.child.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${task} exited early (code ${code}, signal ${signal})`));
      });
    });
    // An early rejection is read through result(); keep Node from calling it unhandled meanwhile.
    this.outcome.catch(() => {});
    this.child.send({ type: 'start', task, params });
  }

  /** Resolves with the next message of this type from the child. */
  next(type: string): Promise<Message> {
    return new Promise((resolve, reject) => {
      this.waiting.set(type, resolve);
      this.outcome.then(
        () => reject(new Error(`the child ended before sending ${type}`)),
        (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }

  send(message: Message): void {
    this.child.send(message);
  }

  result(): Promise<ChildOutcome<T>> {
    return this.outcome;
  }
}

/** Runs one task in a fresh child and returns what it measured. */
export function runChild<T>(task: string, params: unknown, timeoutMs = 600_000): Promise<ChildOutcome<T>> {
  return new BenchChild<T>(task, params, timeoutMs).result();
}
