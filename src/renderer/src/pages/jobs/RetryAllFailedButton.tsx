import { useState } from 'react';
import { errorMessage } from '../../api/console-api-error';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useToast } from '../../components/Toasts';
import { formatCount } from '../../format/numbers';
import { useJobActions } from '../../hooks/use-job-actions';
import { useFailureGroups } from '../../hooks/use-jobs';
import { readOnlyButton, useReadOnly } from '../../hooks/use-read-only';

/** `failedCount`: every failed job (not only the filtered ones): that is what the server retries. */
export function RetryAllFailedButton({ failedCount }: { failedCount: number | undefined }) {
  const [open, setOpen] = useState(false);
  const toast = useToast();
  const readOnly = useReadOnly();
  const { retryAllFailed } = useJobActions();
  const confirm = () =>
    retryAllFailed.mutate(undefined, {
      onSuccess: ({ count }) => {
        toast(
          'success',
          count === 0
            ? 'There were no failed jobs to retry.'
            : `${formatCount(count)} failed ${count === 1 ? 'job' : 'jobs'} will be sent again.`,
        );
        setOpen(false);
      },
      onError: (error) => {
        toast('error', `Retry all failed: ${errorMessage(error)}`);
        setOpen(false);
      },
    });
  const count = failedCount ?? 0;
  const groups = useFailureGroups();
  const hopeless = groups.data?.failedPermanently ?? 0;
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={count === 0}
        {...readOnlyButton(readOnly, count === 0 ? 'No failed jobs' : undefined)}
        onClick={() => setOpen(true)}
      >
        Retry all failed
      </button>
      <ConfirmDialog
        open={open}
        title={`Retry ${formatCount(count)} failed ${count === 1 ? 'job' : 'jobs'}?`}
        confirmLabel={`Retry ${formatCount(count)} ${count === 1 ? 'job' : 'jobs'}`}
        busy={retryAllFailed.isPending}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      >
        <p>
          Every failed job goes back to the queue with a fresh set of retries and is sent as soon as the worker can. If
          the cause (credentials, a missing application) is not fixed, they will fail again.
        </p>
        {hopeless > 0 ? (
          <p className="warning-text" data-testid="retry-all-hopeless" data-count={hopeless}>
            {formatCount(hopeless)} of them failed for a cause that does not fix itself (such as 404: the application
            does not exist in iCIMS) and will fail again. See Problems by cause to cancel those instead.
          </p>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
