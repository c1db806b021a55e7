import type { ApplicationTimeline as Timeline } from '../../../../shared/jobs';
import { madeForRealIcims } from '../../../../shared/jobs';
import { Card } from '../../components/Card';
import { JobStatusBadge } from '../../components/JobStatusBadge';
import { IcimsLink, useIcimsLinks } from '../../components/IcimsLink';
import { QueryState } from '../../components/QueryState';
import { formatInZone, zoneShortName } from '../../format/time';
import { useDisplayZone } from '../../hooks/use-display-zone';
import { routeHref } from '../../hooks/use-hash-route';
import { useApplicationTimeline } from '../../hooks/use-jobs';
import { EVENT_TYPE_LABEL } from './job-eligibility';

function Events({ timeline }: { timeline: Timeline }) {
  const zone = useDisplayZone();
  const linkTo = useIcimsLinks();
  return (
    <ol className="timeline">
      {timeline.events.map((event) => {
        const landed = event.landedAt !== null;
        // A note written in mock mode has no page in the real iCIMS the links point at.
        const link =
          landed && madeForRealIcims(event.destination)
            ? linkTo({ applicationId: timeline.applicationId, noteId: event.icimsNoteId })
            : null;
        return (
          <li
            key={event.jobId}
            className={`timeline-event ${landed ? 'landed' : ''}`}
            data-testid="timeline-event"
            data-status={event.status}
            data-landed={landed ? 'true' : 'false'}
          >
            <div className="timeline-head">
              <strong>{EVENT_TYPE_LABEL[event.type]}</strong> <JobStatusBadge status={event.status} />{' '}
              <a href={routeHref('jobs', { jobId: event.jobId, query: { app: timeline.applicationId } })}>
                #{event.jobId}
              </a>
            </div>
            <p className="timeline-note">{event.note}</p>
            <p className="timeline-facts muted">
              {landed ? (
                <>
                  Landed in iCIMS <time dateTime={event.landedAt!}>{formatInZone(event.landedAt!, zone)}</time>
                </>
              ) : (
                <>Not in iCIMS yet</>
              )}
              {' · '}received <time dateTime={event.receivedAt}>{formatInZone(event.receivedAt, zone)}</time>
              {event.icimsNoteId ? <> · iCIMS note {event.icimsNoteId}</> : null}
              {' · '}event <span className="mono">{event.eventId}</span>
              {link ? (
                <>
                  {' · '}
                  <IcimsLink href={link} />
                </>
              ) : null}
            </p>
          </li>
        );
      })}
    </ol>
  );
}

/**
 * "Did the note for application X land, and when?" in one place: every event the console got for
 * the application, oldest first, with the note and the exact time iCIMS took it.
 */
export function ApplicationTimeline({ applicationId }: { applicationId: string }) {
  const query = useApplicationTimeline(applicationId);
  const candidate = query.data?.events.find((e) => e.candidateName)?.candidateName;
  const zone = useDisplayZone();
  return (
    <Card
      title={`Application ${applicationId}`}
      className="application-timeline"
      testId="application-timeline"
      aside={
        <span className="muted">
          {candidate ? `${candidate} · ` : ''}
          <span data-testid="timeline-zone">
            times in {zone}
            {zoneShortName(zone) === zone ? null : ` (${zoneShortName(zone)})`}
          </span>
        </span>
      }
    >
      <QueryState query={query} skeletonLines={3}>
        {(timeline) => <Events timeline={timeline} />}
      </QueryState>
    </Card>
  );
}
