import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlertSettingsView } from '../../../shared/alert-settings';
import type { MethodInput } from '../../../shared/console-api';
import { useConsoleApi } from '../api/console-context';
import { invalidateChange, queryKeys } from '../api/query-keys';

const ISSUES_REFETCH_MS = 10_000;
const AUDIT_PAGE = 50;

export function useIssues() {
  const api = useConsoleApi();
  return useQuery({
    queryKey: queryKeys.issues(),
    queryFn: () => api.listIssues({}),
    refetchInterval: ISSUES_REFETCH_MS,
  });
}

/** Resolve or snooze; the list and the top bar's count refetch once done. */
export function useIssueAction() {
  const api = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: { kind: 'resolve'; id: number } | { kind: 'snooze'; id: number; minutes: number }) =>
      action.kind === 'resolve'
        ? api.resolveIssue({ id: action.id })
        : api.snoozeIssue({ id: action.id, minutes: action.minutes }),
    onSettled: () => invalidateChange(queryClient, 'alerts'),
  });
}

/** The audit trail, newest first, a page at a time; `jobId` narrows it to one job. */
export function useAuditTrail(jobId?: number) {
  const api = useConsoleApi();
  return useInfiniteQuery({
    queryKey: queryKeys.audit({ jobId }),
    queryFn: ({ pageParam }) =>
      api.listAudit({ limit: AUDIT_PAGE, ...(pageParam ? { cursor: pageParam } : {}), ...(jobId ? { jobId } : {}) }),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useAlertSettings() {
  const api = useConsoleApi();
  return useQuery({ queryKey: queryKeys.alertSettings(), queryFn: () => api.getAlertSettings({}) });
}

export function useSaveAlertSettings() {
  const api = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: MethodInput<'saveAlertSettings'>) => api.saveAlertSettings(input),
    onSuccess: (view: AlertSettingsView) => {
      queryClient.setQueryData(queryKeys.alertSettings(), view);
      void invalidateChange(queryClient, 'alerts');
    },
  });
}
