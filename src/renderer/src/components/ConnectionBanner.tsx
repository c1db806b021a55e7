import { errorMessage, ServerUnreachableError } from '../api/console-api-error';
import { useSnapshot } from '../hooks/use-ops';
import { RelativeTime } from './RelativeTime';

/**
 * When the console server stops answering, every card would otherwise keep showing its last
 * picture as if it were current. One banner says so, on every page, with the age of the data.
 */
export function ConnectionBanner() {
  const snapshot = useSnapshot();
  if (!snapshot.isError) return null;
  const unreachable = snapshot.error instanceof ServerUnreachableError;
  return (
    <div className="connection-banner" role="alert" data-testid="connection-banner">
      <strong>Lost contact with the console server.</strong> {unreachable ? null : <>{errorMessage(snapshot.error)} </>}
      {snapshot.data ? (
        <>
          Figures below are from <RelativeTime iso={new Date(snapshot.dataUpdatedAt).toISOString()} /> and may be out of
          date.
        </>
      ) : null}{' '}
      Retrying every few seconds.
    </div>
  );
}
