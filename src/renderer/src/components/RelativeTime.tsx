import { formatAbsolute, formatRelative } from '../format/time';
import { useNow } from '../hooks/use-now';

/** "5 minutes ago", with the exact time on hover; `fallback` when there is no time. */
export function RelativeTime({ iso, fallback = 'never' }: { iso: string | null | undefined; fallback?: string }) {
  const now = useNow();
  if (!iso) return <span className="muted">{fallback}</span>;
  return (
    <time dateTime={iso} title={formatAbsolute(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}
