import { benchTasks } from './bench-tasks';
import type { ChildChannel } from './child-channel';

/*
 * The child side of child-process.ts: waits for { type: 'start', task, params }, runs the task,
 * sends { type: 'result', result, maxRssMb } (or { type: 'error', message }) and exits.
 */

type Message = { type: string; [key: string]: unknown };

const listeners = new Set<(message: Message) => void>();
const channel: ChildChannel = {
  send: (message) => process.send?.(message),
  on: (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

process.on('message', (message: Message) => {
  if (message.type !== 'start') {
    for (const listener of listeners) listener(message);
    return;
  }
  const task = benchTasks[message.task as string];
  const run = task
    ? task(message.params as never, channel)
    : Promise.reject(new Error(`no bench task ${String(message.task)}`));
  run.then(
    (result) =>
      finish({ type: 'result', result, maxRssMb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10 }),
    (error: unknown) =>
      finish({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});

function finish(message: Message): void {
  process.send?.(message, () => process.exit(0));
}
