import type { OpsSnapshot } from '../../../shared/ops-snapshot';

/**
 * What `GET /api/ops/icims` shows without the API token (docs/INTERFACES.md §3): health, numbers
 * and configuration shape, for monitoring — but no error texts (iCIMS echoes request data, even
 * credentials, in them), no application ids (they identify candidates) and no alert details (they
 * quote the errors). Anyone on the machine can read this route; the API token sees everything.
 */
export function publicOpsSnapshot(snapshot: OpsSnapshot): Record<string, unknown> {
  const { recentFailures, alerts, statusReasons, worker, ...rest } = snapshot;
  return {
    ...rest,
    statusReasons: statusReasons.length > 0 ? ['Details need the API token.'] : [],
    alerts: alerts.map(({ id, severity, title, since }) => ({ id, severity, title, since })),
    worker: { ...worker, pausedReason: worker.pausedReason === null ? null : 'Details need the API token.' },
    recentFailures: recentFailures.map(({ at, operation, statusCode }) => ({ at, operation, statusCode })),
  };
}
