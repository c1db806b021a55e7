import { useEffect, useSyncExternalStore } from 'react';

/**
 * A page with unsaved work (Settings) registers what leaving would lose; in-app links ask before
 * they take the user elsewhere (see LeaveGuardDialog). One guard at a time: only one page shows.
 */
let reason: string | null = null;
const listeners = new Set<() => void>();

function setReason(next: string | null): void {
  if (next === reason) return;
  reason = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** While `lost` is non-null, leaving the page through an in-app link asks first. */
export function useLeaveGuard(lost: string | null): void {
  useEffect(() => {
    setReason(lost);
    return () => setReason(null);
  }, [lost]);
}

/** What leaving now would lose, or null. */
export function useLeaveGuardReason(): string | null {
  return useSyncExternalStore(subscribe, () => reason);
}
