import { errorMessage } from '../../api/console-api-error';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useToast } from '../../components/Toasts';
import { useJobActions } from '../../hooks/use-job-actions';
import { useRetryOutcome } from '../../hooks/use-retry-outcome';
import type { JobActionRequest } from './job-action-request';
import { EVENT_TYPE_LABEL } from './job-eligibility';

/** The one confirmation dialog behind every row's Retry / Cancel (and the detail panel's). */
export function JobActionDialog({ request, onClose }: { request: JobActionRequest | null; onClose: () => void }) {
  const toast = useToast();
  const { retry, cancel } = useJobActions();
  const followRetry = useRetryOutcome();
  const mutation = request?.kind === 'cancel' ? cancel : retry;

  const confirm = () => {
    if (!request) return;
    const { id } = request.job;
    const kind = request.kind;
    mutation.mutate(id, {
      onSuccess: () => {
        if (kind === 'retry') {
          toast('info', `Job #${id} is being sent; the result follows here.`);
          followRetry(id);
        } else toast('success', `Job #${id} is cancelled; it will not be sent.`);
        onClose();
      },
      onError: (error) => {
        toast('error', `Job #${id}: ${errorMessage(error)}`);
        onClose();
      },
    });
  };

  const job = request?.job;
  const what = job ? `The “${EVENT_TYPE_LABEL[job.type]}” note for ${job.applicationId}` : '';
  return (
    <ConfirmDialog
      open={request !== null}
      title={request?.kind === 'cancel' ? `Cancel job #${job?.id}?` : `Retry job #${job?.id} now?`}
      confirmLabel={request?.kind === 'cancel' ? 'Cancel job' : 'Retry job'}
      tone={request?.kind === 'cancel' ? 'danger' : 'primary'}
      busy={mutation.isPending}
      onConfirm={confirm}
      onClose={onClose}
    >
      {request?.kind === 'cancel' ? (
        <p>
          {what} will never be written to iCIMS. This cannot be undone; the scheduling system would have to send the
          event again.
        </p>
      ) : (
        <p>
          {what} is sent to iCIMS right away
          {job?.status === 'failed' ? ', with a fresh set of retries' : ' instead of waiting for its next retry'}. Its
          idempotency key is kept, so iCIMS cannot receive the note twice.
        </p>
      )}
      {request?.kind === 'retry' && job?.lastError?.startsWith('404') ? (
        <p className="warning-text">
          It last failed with 404: iCIMS has no such application. A 404 won’t fix itself — retry only once the
          application exists in iCIMS.
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
