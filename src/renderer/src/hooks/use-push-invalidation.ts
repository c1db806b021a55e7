import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PushTopic } from '../../../shared/console-api';
import type { PushSource } from '../api/push-source';

/** Which query domains a push topic makes stale. Job changes move the dashboard's counts too. */
const DOMAINS_BY_TOPIC: Record<PushTopic, readonly string[]> = {
  jobs: ['jobs', 'ops'],
  ops: ['ops'],
  settings: ['settings', 'ops'],
};

/**
 * A busy engine can push many times a second (simulated traffic, a retry-all of thousands of
 * jobs). Refetching on every push would hammer the server for nothing, so topics are gathered for
 * a short window and each domain is invalidated once.
 */
const COALESCE_MS = 300;

export function usePushInvalidation(push: PushSource): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const pending = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      for (const domain of pending) void queryClient.invalidateQueries({ queryKey: [domain] });
      pending.clear();
    };
    const unsubscribe = push.subscribe(({ topic }) => {
      for (const domain of DOMAINS_BY_TOPIC[topic]) pending.add(domain);
      timer ??= setTimeout(flush, COALESCE_MS);
    });
    const unsubscribeResync = push.onResync(() => void queryClient.invalidateQueries());
    return () => {
      unsubscribe();
      unsubscribeResync();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [push, queryClient]);
}
