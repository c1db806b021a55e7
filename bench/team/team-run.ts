import type { ChildChannel } from '../child-channel';

/** What one worker process of a team contender reports. */
export interface TeamWorkerRun {
  /** Jobs this process completed (its handler ran and the completion was written). */
  jobs: number;
  /** Claim (fetch) round trips that returned work, where the contender's loop is the bench's. */
  batches?: number;
  /** From `go` to this process finding nothing left. */
  drainMs: number;
  /** CPU this Node process used over the drain (user + system), ms: the rest of the cost is PostgreSQL's. */
  cpuMs: number;
  /** Waiting on the claim (fetch) and on the completion statements, where the bench runs the loop. */
  claimMs?: number;
  completeMs?: number;
}

/** What filling a contender's database took (before the clock starts). */
export interface TeamFill {
  jobs: number;
  fillMs: number;
}

/**
 * A worker process connects and warms up first, says `ready`, and starts only on `go`: the
 * parent sends `go` to every process of a contender at once and times from there, so process
 * start, module loading and connecting are outside the figure for every contender alike.
 */
export function readyThenGo(channel: ChildChannel): Promise<void> {
  return new Promise((resolve) => {
    const off = channel.on((message) => {
      if (message.type !== 'go') return;
      off();
      resolve();
    });
    channel.send({ type: 'ready' });
  });
}

/** CPU (user + system) this process used since `start`, in ms. */
export const cpuMsSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
