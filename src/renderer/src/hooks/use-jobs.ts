import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useConsoleApi } from '../api/console-context';
import type { JobListParams } from '../api/query-keys';
import { queryKeys } from '../api/query-keys';

/**
 * One page of jobs. The previous page stays on screen while the next one loads (and while a push
 * refetches), so the table never collapses into a spinner and rows don't jump.
 */
export function useJobPage(params: JobListParams) {
  const api = useConsoleApi();
  return useQuery({
    queryKey: queryKeys.jobs(params),
    queryFn: () => api.listJobs(params),
    placeholderData: keepPreviousData,
  });
}

export function useJobCounts(applicationId: string | undefined) {
  const api = useConsoleApi();
  return useQuery({
    queryKey: queryKeys.jobCounts(applicationId),
    queryFn: () => api.getJobCounts(applicationId ? { applicationId } : {}),
    placeholderData: keepPreviousData,
  });
}

export function useJob(id: number | null) {
  const api = useConsoleApi();
  return useQuery({
    queryKey: queryKeys.job(id ?? 0),
    queryFn: () => api.getJob({ id: id ?? 0 }),
    enabled: id !== null,
  });
}
