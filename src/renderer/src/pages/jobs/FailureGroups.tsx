import { useState } from 'react';
import type { FailureGroup } from '../../../../shared/failure-groups';
import { errorMessage } from '../../api/console-api-error';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { RelativeTime } from '../../components/RelativeTime';
import { useToast } from '../../components/Toasts';
import { formatCount } from '../../format/numbers';
import { routeHref } from '../../hooks/use-hash-route';
import { useJobActions } from '../../hooks/use-job-actions';
import { readOnlyButton, useReadOnly } from '../../hooks/use-read-only';
import { useFailureGroups } from '../../hooks/use-jobs';

const KIND_LABEL = { failed: 'Failed', waiting: 'Waiting for retry', held: 'Held' } as const;
const KIND_BADGE = { failed: 'job-failed', waiting: 'job-pending', held: 'job-held' } as const;

const jobs = (n: number) => `${formatCount(n)} ${n === 1 ? 'job' : 'jobs'}`;

interface GroupAction {
  kind: 'retry' | 'cancel';
  group: FailureGroup;
}

function GroupCard({ group, onAction }: { group: FailureGroup; onAction: (action: GroupAction) => void }) {
  const readOnly = useReadOnly();
  return (
    <li
      className={`failure-group kind-${group.kind}`}
      data-testid="failure-group"
      data-count={group.count}
      data-kind={group.kind}
    >
      <div className="failure-group-head">
        <span className={`badge ${KIND_BADGE[group.kind]}`}>{KIND_LABEL[group.kind]}</span>
        <strong className="failure-group-count">{jobs(group.count)}</strong>
        <span className="failure-group-cause break">{group.cause}</span>
      </div>
      <p className="failure-group-meaning">{group.meaning}</p>
      <p className="failure-group-action">
        <strong>What to do:</strong> {group.action}
      </p>
      <div className="failure-group-foot">
        <span className="muted">
          first <RelativeTime iso={group.firstSeen} />, last <RelativeTime iso={group.lastSeen} /> · e.g.{' '}
          <a href={routeHref('jobs', { jobId: group.example.jobId })}>
            #{group.example.jobId} ({group.example.applicationId})
          </a>{' '}
          · <a href={routeHref('jobs', { query: { cause: group.key } })}>Show these jobs</a>
        </span>
        <span className="failure-group-buttons">
          {group.retryable ? (
            <button
              type="button"
              className="button small"
              {...readOnlyButton(readOnly)}
              onClick={() => onAction({ kind: 'retry', group })}
            >
              Retry group
            </button>
          ) : null}
          <button
            type="button"
            className="button small danger-outline"
            {...readOnlyButton(readOnly)}
            onClick={() => onAction({ kind: 'cancel', group })}
          >
            Cancel group
          </button>
        </span>
      </div>
    </li>
  );
}

/**
 * The Jobs screen's answer to a bad morning: every failed, waiting or held job counted under its
 * cause, with what it means, and one action for the whole cause.
 */
export function FailureGroups() {
  const query = useFailureGroups();
  const [action, setAction] = useState<GroupAction | null>(null);
  const { retryGroup, cancelGroup } = useJobActions();
  const toast = useToast();
  const groups = query.data?.groups ?? [];
  if (groups.length === 0) return null;

  const mutation = action?.kind === 'retry' ? retryGroup : cancelGroup;
  const confirm = () => {
    if (!action) return;
    mutation.mutate(action.group.key, {
      onSuccess: ({ count }) => {
        toast(
          'success',
          action.kind === 'retry'
            ? `${jobs(count)} will be sent again.${action.group.permanent ? ' This cause does not fix itself: expect them to fail again unless it was fixed.' : ''}`
            : `${jobs(count)} cancelled; their notes will never be written.`,
        );
        setAction(null);
      },
      onError: (error) => {
        toast('error', `${action.kind === 'retry' ? 'Retry group' : 'Cancel group'}: ${errorMessage(error)}`);
        setAction(null);
      },
    });
  };
  const count = action?.group.count ?? 0;

  return (
    <Card
      title="Problems by cause"
      className="failure-groups"
      testId="failure-groups"
      aside={
        <span className="muted">
          {jobs(groups.reduce((n, g) => n + g.count, 0))} · {groups.length} {groups.length === 1 ? 'cause' : 'causes'}
        </span>
      }
    >
      <ul className="failure-group-list">
        {groups.map((group) => (
          <GroupCard key={group.key} group={group} onAction={setAction} />
        ))}
      </ul>
      <ConfirmDialog
        open={action !== null}
        title={action?.kind === 'retry' ? `Retry ${jobs(count)}?` : `Cancel ${jobs(count)}?`}
        confirmLabel={action?.kind === 'retry' ? `Retry ${jobs(count)}` : `Cancel ${jobs(count)}`}
        tone={action?.kind === 'cancel' ? 'danger' : 'primary'}
        busy={mutation.isPending}
        onConfirm={confirm}
        onClose={() => setAction(null)}
      >
        <p>
          {action?.kind === 'retry'
            ? `Every job with the cause “${action.group.cause}” is sent again now.`
            : `Every job with the cause “${action?.group.cause ?? ''}” is cancelled: its note is never written. This cannot be undone.`}
        </p>
        {action?.kind === 'retry' && action.group.permanent ? (
          <p className="warning-text">This cause does not fix itself: unless it was fixed, they will fail again.</p>
        ) : null}
      </ConfirmDialog>
    </Card>
  );
}
