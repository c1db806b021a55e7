import { useCallback } from 'react';
import { useConsoleApi } from '../api/console-context';
import { useToast } from '../components/Toasts';

const POLL_MS = 1_000;
const GIVE_UP_MS = 120_000;

/**
 * "Will be sent now" is a promise, not an outcome: after a Retry the screen follows the job until
 * its try comes back and says how it went ("Job #18 failed again: 404 …"), so a retry that fails
 * at once does not pass for a success.
 */
export function useRetryOutcome(): (jobId: number) => void {
  const api = useConsoleApi();
  const toast = useToast();
  return useCallback(
    (jobId: number) => {
      const started = Date.now();
      const check = async () => {
        try {
          const job = await api.getJob({ id: jobId });
          const triedSince = job.history.some((attempt) => Date.parse(attempt.at) >= started - 1_000);
          if (job.status === 'completed') {
            toast('success', `Job #${jobId} landed in iCIMS.`);
            return;
          }
          if (job.status === 'failed') {
            toast('error', `Job #${jobId} failed again: ${job.lastError ?? 'no error recorded'}${hint(job.lastError)}`);
            return;
          }
          if (job.status === 'pending' && triedSince) {
            toast('error', `Job #${jobId} failed again and waits for its next retry: ${job.lastError ?? ''}`);
            return;
          }
          if (job.status === 'cancelled' || job.status === 'held') return;
        } catch {
          // The job list shows its state anyway; keep following until the time is up.
        }
        if (Date.now() - started < GIVE_UP_MS) setTimeout(() => void check(), POLL_MS);
      };
      setTimeout(() => void check(), POLL_MS / 2);
    },
    [api, toast],
  );
}

/** A 404 does not fix itself: say so where the failure is reported. */
export function hint(lastError: string | null): string {
  return lastError?.startsWith('404') ? ' (a 404 won’t fix itself: the application must exist in iCIMS first)' : '';
}
