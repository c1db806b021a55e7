import type { JobAttempt } from '../../../../shared/jobs';
import { RelativeTime } from '../../components/RelativeTime';
import { formatMs } from '../../format/numbers';

const OUTCOME: Record<JobAttempt['outcome'], { label: string; tone: string }> = {
  success: { label: 'Success', tone: 'good' },
  retryable_failure: { label: 'Failed, will retry', tone: 'warn' },
  permanent_failure: { label: 'Failed for good', tone: 'bad' },
  rate_limited: { label: 'Rate limited', tone: 'warn' },
  circuit_open: { label: 'Held: circuit open', tone: 'warn' },
  released: { label: 'Released', tone: 'neutral' },
  in_doubt: { label: 'Unknown — will check iCIMS before re-sending', tone: 'warn' },
  found_in_icims: { label: 'Found in iCIMS', tone: 'good' },
  not_found_written: { label: 'Not found, written', tone: 'good' },
};

export function JobAttempts({ history }: { history: JobAttempt[] }) {
  if (history.length === 0) return <p className="muted">Not tried yet.</p>;
  return (
    <ol className="attempts" data-testid="job-attempts">
      {history.map((attempt, index) => {
        const outcome = OUTCOME[attempt.outcome];
        return (
          <li
            key={`${attempt.at}-${index}`}
            className="attempt"
            data-testid="job-attempt"
            data-outcome={attempt.outcome}
          >
            <div className="attempt-head">
              <strong>{attempt.label}</strong>
              <span className={`badge tone-${outcome.tone}`}>{outcome.label}</span>
              {attempt.statusCode !== null ? <span className="mono">HTTP {attempt.statusCode}</span> : null}
              {attempt.latencyMs !== null ? <span className="muted">{formatMs(attempt.latencyMs)}</span> : null}
              <span className="muted attempt-time">
                <RelativeTime iso={attempt.at} />
              </span>
            </div>
            {attempt.error ? <p className="error-text wrap">{attempt.error}</p> : null}
          </li>
        );
      })}
    </ol>
  );
}
