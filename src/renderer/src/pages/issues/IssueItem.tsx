import { useState } from 'react';
import type { Issue } from '../../../../shared/issues';
import { SNOOZE_CHOICES_MINUTES } from '../../../../shared/issues';
import { errorMessage } from '../../api/console-api-error';
import { RelativeTime } from '../../components/RelativeTime';
import { useIssueAction } from '../../hooks/use-issues';

const SEVERITY_LABEL: Record<Issue['severity'], string> = { critical: 'Critical', warning: 'Warning', info: 'Info' };
const SNOOZE_LABEL: Record<number, string> = { 30: '30 minutes', 60: '1 hour', 240: '4 hours', 1440: '1 day' };

export function IssueItem({ issue }: { issue: Issue }) {
  const action = useIssueAction();
  const [minutes, setMinutes] = useState<number>(60);
  const selectId = `snooze-${issue.id}`;
  return (
    <li
      className={`alert issue severity-${issue.severity} state-${issue.state}`}
      data-testid="issue"
      data-kind={issue.kind}
      data-state={issue.state}
      data-issue-id={issue.id}
    >
      <span className={`badge severity-${issue.severity}`}>{SEVERITY_LABEL[issue.severity]}</span>
      <div className="alert-text">
        <p className="alert-title">{issue.title}</p>
        <p className="alert-detail">{issue.detail}</p>
        <p className="muted small issue-facts">
          First seen <RelativeTime iso={issue.firstSeen} exact="inline" /> · last seen{' '}
          <RelativeTime iso={issue.lastSeen} exact="inline" /> · count{' '}
          <strong data-testid="issue-count">{issue.count}</strong>
          {issue.state === 'snoozed' ? (
            <>
              {' '}
              · snoozed until <RelativeTime iso={issue.snoozedUntil} exact="inline" />
            </>
          ) : null}
          {issue.state === 'resolved' ? (
            <>
              {' '}
              · resolved <RelativeTime iso={issue.resolvedAt} exact="inline" /> ({issue.resolvedBy})
            </>
          ) : null}
        </p>
        {issue.state !== 'resolved' ? (
          <div className="button-row">
            <button
              type="button"
              className="button small primary"
              disabled={action.isPending}
              onClick={() => action.mutate({ kind: 'resolve', id: issue.id })}
            >
              Resolve
            </button>
            <label htmlFor={selectId} className="inline-label">
              Snooze for
            </label>
            <select id={selectId} value={minutes} onChange={(event) => setMinutes(Number(event.target.value))}>
              {SNOOZE_CHOICES_MINUTES.map((choice) => (
                <option key={choice} value={choice}>
                  {SNOOZE_LABEL[choice]}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button small"
              disabled={action.isPending}
              onClick={() => action.mutate({ kind: 'snooze', id: issue.id, minutes })}
            >
              Snooze
            </button>
          </div>
        ) : null}
        {action.isError ? (
          <p className="error-text" role="alert">
            {errorMessage(action.error)}
          </p>
        ) : null}
        <details className="issue-history">
          <summary>History ({issue.history.length})</summary>
          <ol>
            {issue.history.map((event, index) => (
              <li key={index}>
                <RelativeTime iso={event.at} /> — {event.event}
                {event.actor ? ` by ${event.actor}` : ''}
                {event.detail ? <span className="muted"> · {event.detail}</span> : null}
              </li>
            ))}
          </ol>
        </details>
      </div>
    </li>
  );
}
