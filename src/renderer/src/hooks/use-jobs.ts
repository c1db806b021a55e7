import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useConsoleApi } from '../api/console-context';
import type { JobCountsParams, JobListParams } from '../api/query-keys';
import { queryKeys } from '../api/query-keys';

/**
 * One page of jobs. While the next or previous page of the SAME filter loads, the current page
 * stays on screen (dimmed), so the table does not collapse and jump. Rows of another filter are
 * never shown in its place: a "Failed" tab must not list completed jobs, even for a moment.
 */
export function useJobPage(params: JobListParams) {
  const api = useConsoleApi();
  return useQuery({
    queryKey: queryKeys.jobs(params),
    queryFn: () => api.listJobs(params),
    placeholderData: (previous, previousQuery) => {
      const before = previousQuery?.queryKey[2] as JobListParams | undefined;
      return before && sameFilter(before, params) ? previous : undefined;
    },
  });
}

const sameFilter = (a: JobListParams, b: JobListParams) =>
  a.status === b.status &&
  a.applicationId === b.applicationId &&
  a.q === b.q &&
  a.type === b.type &&
  a.from === b.from &&
  a.to === b.to &&
  a.cause === b.cause;

/** Every event of one application and whether its note landed (the Jobs screen's timeline). */
export function useApplicationTimeline(applicationId: string | null) {
  const api = useConsoleApi();
  return useQuery({
    queryKey: queryKeys.timeline(applicationId ?? ''),
    queryFn: () => api.getApplicationTimeline({ applicationId: applicationId ?? '' }),
    enabled: applicationId !== null,
  });
}

/** Jobs per status: of the whole queue (`{}`), or of what the Jobs screen's search finds. */
export function useJobCounts(params: JobCountsParams) {
  const api = useConsoleApi();
  return useQuery({
    queryKey: queryKeys.jobCounts(params),
    queryFn: () => api.getJobCounts(params),
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

/** Failed, waiting and held jobs by cause; refreshed with every jobs push. */
export function useFailureGroups() {
  const api = useConsoleApi();
  return useQuery({ queryKey: queryKeys.failureGroups(), queryFn: () => api.listFailureGroups({}) });
}
