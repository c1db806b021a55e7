import type { AuditEntry } from '../../../../shared/audit';
import { AUDIT_ACTION_LABELS } from '../../../../shared/audit';
import { RelativeTime } from '../../components/RelativeTime';
import { routeHref } from '../../hooks/use-hash-route';

const ACTOR_KIND: Record<AuditEntry['actor']['kind'], string> = {
  desktop: 'desktop',
  session: 'browser',
  token: 'API',
  system: 'console',
};

/** Audit entries as a table: when, who, what, which job, how it ended. */
export function AuditList({ entries, showJob = true }: { entries: AuditEntry[]; showJob?: boolean }) {
  return (
    <div className="table-scroll">
      <table className="jobs-table audit-table">
        <caption className="visually-hidden">Actions people took, newest first</caption>
        <thead>
          <tr>
            <th scope="col" className="col-when">
              When
            </th>
            <th scope="col" className="col-who">
              Who
            </th>
            <th scope="col">What</th>
            {showJob ? (
              <th scope="col" className="col-job">
                Job
              </th>
            ) : null}
            <th scope="col" className="col-result">
              Result
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="audit-entry" data-action={entry.action} data-result={entry.result}>
              <td className="nowrap">
                <RelativeTime iso={entry.at} exact="block" />
              </td>
              <td>
                {entry.actor.label} <span className="muted">({ACTOR_KIND[entry.actor.kind]})</span>
                {entry.node ? <div className="muted small">on {entry.node}</div> : null}
              </td>
              <td>
                {AUDIT_ACTION_LABELS[entry.action]}
                {entry.detail ? <div className="muted small wrap">{entry.detail}</div> : null}
              </td>
              {showJob ? (
                <td>{entry.jobId ? <a href={routeHref('jobs', { jobId: entry.jobId })}>#{entry.jobId}</a> : '—'}</td>
              ) : null}
              <td>
                {entry.result === 'ok' ? (
                  <span className="badge tone-good">OK</span>
                ) : (
                  <>
                    <span className="badge tone-bad">Failed</span>
                    {entry.error ? <div className="error-text small wrap">{entry.error}</div> : null}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
