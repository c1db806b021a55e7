import { useSyncExternalStore } from 'react';

/**
 * One shared clock for every "3 min ago" on screen: a single timer, and components re-render
 * together instead of each running its own interval.
 */
const TICK_MS = 10_000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (timer === undefined) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of [...listeners]) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}

/**
 * Called whenever fresh server data lands: a timestamp the server made a moment ago must not
 * read "in a few seconds" against a clock that last ticked up to TICK_MS earlier.
 */
export function refreshNow(): void {
  now = Date.now();
  for (const l of [...listeners]) l();
}
