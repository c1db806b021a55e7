import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useConsoleApi } from '../api/console-context';
import { invalidateChange } from '../api/query-keys';

/**
 * Retry / cancel / retry-all. The screens refetch rather than guess: a job's next state depends
 * on the worker (a retried job may already be `processing` or `completed` by the time we look).
 */
export function useJobActions() {
  const api = useConsoleApi();
  const queryClient = useQueryClient();
  const refresh = () => invalidateChange(queryClient, 'jobs');
  const retry = useMutation({ mutationFn: (id: number) => api.retryJob({ id }), onSettled: refresh });
  const cancel = useMutation({ mutationFn: (id: number) => api.cancelJob({ id }), onSettled: refresh });
  const retryAllFailed = useMutation({ mutationFn: () => api.retryAllFailed({}), onSettled: refresh });
  const retryGroup = useMutation({ mutationFn: (key: string) => api.retryFailureGroup({ key }), onSettled: refresh });
  const cancelGroup = useMutation({ mutationFn: (key: string) => api.cancelFailureGroup({ key }), onSettled: refresh });
  const retryJobs = useMutation({ mutationFn: (ids: number[]) => api.retryJobs({ ids }), onSettled: refresh });
  const cancelJobs = useMutation({ mutationFn: (ids: number[]) => api.cancelJobs({ ids }), onSettled: refresh });
  return { retry, cancel, retryAllFailed, retryGroup, cancelGroup, retryJobs, cancelJobs };
}
