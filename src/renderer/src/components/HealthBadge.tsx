import type { HealthStatus } from '../../../shared/ops-snapshot';
import { routeHref } from '../hooks/use-hash-route';
import { useSnapshot } from '../hooks/use-ops';

const LABELS: Record<HealthStatus, string> = { healthy: 'Healthy', degraded: 'Degraded', down: 'Down' };

/**
 * The sync's health on every screen (the top bar), from the same snapshot as the status card, so
 * Jobs and Settings never look fine while notes are not reaching iCIMS. Links to the reasons.
 */
export function HealthBadge() {
  const { data } = useSnapshot();
  if (!data) return null;
  const reasons = data.statusReasons.join(' ');
  return (
    <a
      className={`health-badge health-${data.status}`}
      href={routeHref('dashboard')}
      data-testid="health-badge"
      data-status={data.status}
      title={reasons || 'Notes are reaching iCIMS.'}
    >
      <span className="health-dot" aria-hidden="true" />
      <span className="visually-hidden">Sync health: </span>
      {LABELS[data.status]}
    </a>
  );
}
