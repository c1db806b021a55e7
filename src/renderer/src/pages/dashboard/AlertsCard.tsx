import type { Alert } from '../../../../shared/ops-snapshot';
import { Card } from '../../components/Card';
import { QueryState } from '../../components/QueryState';
import { RelativeTime } from '../../components/RelativeTime';
import { useSnapshot } from '../../hooks/use-ops';

const ORDER: Record<Alert['severity'], number> = { critical: 0, warning: 1, info: 2 };
const SEVERITY_LABEL: Record<Alert['severity'], string> = { critical: 'Critical', warning: 'Warning', info: 'Info' };

export function AlertsCard() {
  const query = useSnapshot();
  const count = query.data?.alerts.length ?? 0;
  return (
    <Card
      title="Active alerts"
      testId="alerts-card"
      className="span-12"
      aside={count > 0 ? <span className="count-pill">{count}</span> : null}
    >
      <QueryState query={query} skeletonLines={1}>
        {(snapshot) =>
          snapshot.alerts.length === 0 ? (
            <p className="empty-state compact">No active alerts.</p>
          ) : (
            <ul className="alerts">
              {[...snapshot.alerts]
                .sort((a, b) => ORDER[a.severity] - ORDER[b.severity])
                .map((alert) => (
                  <li
                    key={alert.id}
                    className={`alert severity-${alert.severity}`}
                    data-testid="alert"
                    data-severity={alert.severity}
                  >
                    <span className={`badge severity-${alert.severity}`}>{SEVERITY_LABEL[alert.severity]}</span>
                    <div className="alert-text">
                      <p className="alert-title">
                        {alert.title}{' '}
                        <span className="muted alert-since">
                          · since <RelativeTime iso={alert.since} />
                        </span>
                      </p>
                      <p className="alert-detail">{alert.detail}</p>
                      <p className="alert-action">
                        <strong>What to do:</strong> {alert.action}
                      </p>
                    </div>
                  </li>
                ))}
            </ul>
          )
        }
      </QueryState>
    </Card>
  );
}
