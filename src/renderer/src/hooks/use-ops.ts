import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useConsoleApi } from '../api/console-context';
import { invalidateChange, queryKeys } from '../api/query-keys';

/** Pushes keep the snapshot fresh; the interval is the safety net for a missed push. */
const SNAPSHOT_REFETCH_MS = 5_000;
const LATENCY_REFETCH_MS = 60_000;

export function useSnapshot() {
  const api = useConsoleApi();
  return useQuery({
    queryKey: queryKeys.snapshot(),
    queryFn: () => api.getSnapshot({}),
    refetchInterval: SNAPSHOT_REFETCH_MS,
  });
}

export function useLatencySeries(hours = 24) {
  const api = useConsoleApi();
  return useQuery({
    queryKey: queryKeys.latencySeries(hours),
    queryFn: () => api.getLatencySeries({ hours }),
    refetchInterval: LATENCY_REFETCH_MS,
  });
}

type WorkerAction = 'pauseWorker' | 'resumeWorker' | 'resetBreaker';

/** Pause / resume the worker, reset the circuit breaker; the dashboard refetches once done. */
export function useWorkerAction(action: WorkerAction) {
  const api = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api[action]({}),
    onSettled: () => invalidateChange(queryClient, 'sync'),
  });
}
