import { useState } from 'react';
import { errorMessage } from '../../api/console-api-error';
import { useConsoleApi } from '../../api/console-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useToast } from '../../components/Toasts';
import { formatCount } from '../../format/numbers';
import type { JobFilters } from './job-filters';
import { listInput } from './job-filters';
import { useJobActions } from '../../hooks/use-job-actions';
import { readOnlyButton, useReadOnly } from '../../hooks/use-read-only';

const MAX_SELECTION = 20_000;
const jobs = (n: number) => `${formatCount(n)} ${n === 1 ? 'job' : 'jobs'}`;

/**
 * Actions on the checked rows, or on every job the filter matches (all pages): a burst of one
 * cause is cleared in two clicks, not two per job. Jobs whose state no longer allows the action
 * are skipped, and the toast says how many moved.
 */
export function SelectionBar({
  filters,
  checked,
  onChange,
}: {
  filters: JobFilters;
  checked: ReadonlySet<number>;
  onChange: (ids: Set<number>) => void;
}) {
  const api = useConsoleApi();
  const toast = useToast();
  const readOnly = useReadOnly();
  const { retryJobs, cancelJobs } = useJobActions();
  const [confirm, setConfirm] = useState<'retry' | 'cancel' | null>(null);
  const [loading, setLoading] = useState(false);
  const count = checked.size;

  const selectMatching = async () => {
    setLoading(true);
    try {
      const ids = new Set<number>();
      let cursor: string | undefined;
      do {
        const page = await api.listJobs({ ...listInput(filters), limit: 500, ...(cursor ? { cursor } : {}) });
        for (const job of page.jobs) ids.add(job.id);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && ids.size < MAX_SELECTION);
      onChange(ids);
    } catch (error) {
      toast('error', `Select all matching: ${errorMessage(error)}`);
    } finally {
      setLoading(false);
    }
  };

  const mutation = confirm === 'cancel' ? cancelJobs : retryJobs;
  const run = () =>
    mutation.mutate([...checked], {
      onSuccess: ({ count: moved }) => {
        const skipped = count - moved;
        const what = confirm === 'cancel' ? 'cancelled' : 'will be sent again';
        toast(
          'success',
          `${jobs(moved)} ${what}.${skipped > 0 ? ` ${jobs(skipped)} skipped: their state does not allow it.` : ''}`,
        );
        onChange(new Set());
        setConfirm(null);
      },
      onError: (error) => {
        toast('error', `${confirm === 'cancel' ? 'Cancel' : 'Retry'} selected: ${errorMessage(error)}`);
        setConfirm(null);
      },
    });

  return (
    <div className="selection-bar" data-testid="selection-bar" data-count={count}>
      <span>{count > 0 ? `${jobs(count)} selected` : 'Select rows to act on many jobs at once'}</span>
      <button type="button" className="button small" disabled={loading} onClick={() => void selectMatching()}>
        {loading ? 'Selecting…' : 'Select all matching'}
      </button>
      {count > 0 ? (
        <>
          <button
            type="button"
            className="button small"
            {...readOnlyButton(readOnly)}
            onClick={() => setConfirm('retry')}
          >
            Retry selected
          </button>
          <button
            type="button"
            className="button small danger-outline"
            {...readOnlyButton(readOnly)}
            onClick={() => setConfirm('cancel')}
          >
            Cancel selected
          </button>
          <button type="button" className="button small ghost" onClick={() => onChange(new Set())}>
            Clear selection
          </button>
        </>
      ) : null}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm === 'cancel' ? `Cancel ${jobs(count)}?` : `Retry ${jobs(count)}?`}
        confirmLabel={confirm === 'cancel' ? `Cancel ${jobs(count)}` : `Retry ${jobs(count)}`}
        tone={confirm === 'cancel' ? 'danger' : 'primary'}
        busy={mutation.isPending}
        onConfirm={run}
        onClose={() => setConfirm(null)}
      >
        <p>
          {confirm === 'cancel'
            ? 'Their notes will never be written to iCIMS. This cannot be undone. Completed and processing jobs are skipped.'
            : 'Failed ones get a fresh set of retries and waiting ones run now. Other states are skipped.'}
        </p>
      </ConfirmDialog>
    </div>
  );
}
