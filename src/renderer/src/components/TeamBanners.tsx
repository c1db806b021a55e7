import { useSnapshot } from '../hooks/use-ops';
import { READ_ONLY_REASON_ID, readOnlySentence } from '../hooks/use-read-only';

/**
 * Team mode only, under the top bar on every screen: the shared database is unreachable (the
 * figures are this console's last picture of it), and this console may only read the queue
 * (its PostgreSQL role's grants say so). The read-only sentence is what every disabled button
 * points at (aria-describedby), so it is on the page whenever a button is disabled for it.
 */
export function TeamBanners() {
  const team = useSnapshot().data?.team;
  if (!team) return null;
  return (
    <>
      {team.database.state === 'unreachable' ? (
        <div className="team-banner database" role="alert" data-testid="database-banner">
          <strong>Team database unreachable.</strong> New events are refused with 503 (their sender retries), nothing
          already accepted is lost, and the queue cannot be read or changed until it is back; this console keeps trying.
          {team.database.lastError ? <span className="muted"> ({team.database.lastError})</span> : null}
        </div>
      ) : null}
      {team.readOnly ? (
        <div className="team-banner read-only" role="status" data-testid="read-only-banner">
          <strong>Read-only.</strong> <span id={READ_ONLY_REASON_ID}>{readOnlySentence(team.readOnly)}</span>
        </div>
      ) : null}
    </>
  );
}
