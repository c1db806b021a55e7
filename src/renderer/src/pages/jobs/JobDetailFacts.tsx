import type { ReactNode } from 'react';
import type { JobDetail } from '../../../../shared/jobs';
import { madeForRealIcims } from '../../../../shared/jobs';
import { IcimsLink, useIcimsLinks } from '../../components/IcimsLink';
import { InDoubtBadge } from '../../components/InDoubtBadge';
import { RelativeTime } from '../../components/RelativeTime';
import { EVENT_TYPE_LABEL } from './job-eligibility';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function JobDetailFacts({ job }: { job: JobDetail }) {
  // A held job was made for another iCIMS, and one made in mock mode for none: the address for
  // links points at the current, real one.
  const linkTo = useIcimsLinks();
  const link =
    job.status === 'held' || !madeForRealIcims(job.destination)
      ? null
      : linkTo({ applicationId: job.applicationId, noteId: job.status === 'completed' ? job.icimsNoteId : null });
  return (
    <dl className="facts">
      <Fact label="Event">
        {EVENT_TYPE_LABEL[job.type]} <span className="mono muted">({job.eventId})</span>
      </Fact>
      <Fact label="Application">
        <span className="mono">{job.applicationId}</span>
        {link ? (
          <>
            {' · '}
            <IcimsLink href={link} />
          </>
        ) : null}
      </Fact>
      <Fact label="Entity">
        {job.entityType} <span className="mono muted break">{job.entityId}</span>
      </Fact>
      <Fact label="Made for">
        <span className="break" data-testid="job-destination">
          {job.destination ?? 'the iCIMS the console pointed at when it was stored'}
        </span>
        {job.status === 'held' ? (
          <div className="muted" data-testid="job-held-reason">
            Held: not sent until the console points at this iCIMS again, or cancelled.
          </div>
        ) : null}
      </Fact>
      <Fact label="Retries">
        {job.attempts} of {job.maxAttempts}
      </Fact>
      <Fact label="Next run">
        {job.status === 'pending' ? (
          <RelativeTime iso={job.runAfter} fallback="as soon as the worker is free" exact="inline" />
        ) : (
          <span className="muted">—</span>
        )}
      </Fact>
      {/* "Held" is a job status (made for another iCIMS); a lease is the worker's claim on a try. */}
      <Fact label="Worker lease">
        {job.leaseExpiresAt ? (
          <>
            taken, expires <RelativeTime iso={job.leaseExpiresAt} exact="inline" />
          </>
        ) : (
          <span className="muted">none</span>
        )}
      </Fact>
      <Fact label="Created">
        <RelativeTime iso={job.createdAt} exact="inline" />
      </Fact>
      <Fact label="Updated">
        <RelativeTime iso={job.updatedAt} exact="inline" />
      </Fact>
      {job.completedAt ? (
        <Fact label="Completed">
          <RelativeTime iso={job.completedAt} exact="inline" />
        </Fact>
      ) : null}
      {job.inDoubt ? (
        <Fact label="In iCIMS">
          <InDoubtBadge /> <span className="muted">the last write went unanswered; checked before re-sending</span>
        </Fact>
      ) : null}
      <Fact label="iCIMS note id">
        {job.icimsNoteId ? (
          <code data-testid="job-icims-note-id">{job.icimsNoteId}</code>
        ) : (
          <span className="muted">—</span>
        )}
      </Fact>
      <Fact label="Idempotency key">
        <code className="break" data-testid="job-idempotency-key">
          {job.idempotencyKey}
        </code>
      </Fact>
    </dl>
  );
}
