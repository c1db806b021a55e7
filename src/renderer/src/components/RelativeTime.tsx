import { formatAbsolute, formatRelative } from '../format/time';
import { useDisplayZone } from '../hooks/use-display-zone';
import { useNow } from '../hooks/use-now';

/**
 * "5 minutes ago", with the exact time (in the display time zone) on hover; `exact` also shows
 * the exact time, in brackets after it (`inline`) or on a line of its own (`block`). `fallback`
 * when there is no time.
 */
export function RelativeTime({
  iso,
  fallback = 'never',
  exact,
}: {
  iso: string | null | undefined;
  fallback?: string;
  exact?: 'inline' | 'block';
}) {
  const now = useNow();
  const zone = useDisplayZone();
  if (!iso) return <span className="muted">{fallback}</span>;
  const absolute = formatAbsolute(iso, zone);
  return (
    <>
      <time dateTime={iso} title={absolute}>
        {formatRelative(iso, now)}
      </time>
      {exact === 'inline' ? <span className="muted exact-time"> ({absolute})</span> : null}
      {exact === 'block' ? <span className="muted small exact-time block">{absolute}</span> : null}
    </>
  );
}
