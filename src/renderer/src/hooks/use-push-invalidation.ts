import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { invalidateTopic } from '../api/query-keys';
import type { PushSource } from '../api/push-source';

/**
 * Invalidates the queries of each pushed topic. The engine already coalesces pushes (at most one
 * per topic every 250 ms, src/main/engine/push-hub.ts) and decides which topics a change sends
 * (src/shared/live-updates.ts), so nothing is gathered or mapped again here.
 */
export function usePushInvalidation(push: PushSource): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const unsubscribe = push.subscribe(({ topic }) => void invalidateTopic(queryClient, topic));
    const unsubscribeResync = push.onResync(() => void queryClient.invalidateQueries());
    return () => {
      unsubscribe();
      unsubscribeResync();
    };
  }, [push, queryClient]);
}
