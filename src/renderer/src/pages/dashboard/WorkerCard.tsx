import type { ReactNode } from 'react';
import type { OpsSnapshot } from '../../../../shared/ops-snapshot';
import { errorMessage } from '../../api/console-api-error';
import { Card } from '../../components/Card';
import { QueryState } from '../../components/QueryState';
import { Countdown } from '../../components/Countdown';
import { RelativeTime } from '../../components/RelativeTime';
import { useToast } from '../../components/Toasts';
import { useSnapshot, useWorkerAction } from '../../hooks/use-ops';
import { readOnlyButton, useReadOnly } from '../../hooks/use-read-only';

const CIRCUIT_LABEL = { closed: 'Closed', open: 'Open', half_open: 'Half-open' } as const;
const CIRCUIT_HINT = {
  closed: 'Calls flow normally.',
  open: 'Calls are held back after repeated failures; no retries are spent meanwhile.',
  half_open: 'One probe call decides whether calls resume.',
} as const;
/** The real cause of a hold: "rate limited" only when iCIMS answered 429. */
const HOLD_LABEL = {
  rate_limit: 'Rate limited (429)',
  circuit_open: 'Circuit open (outage)',
  daily_budget: 'Daily budget used',
} as const;
const WORKER_LABEL = { running: 'Running', paused: 'Paused', stopped: 'Stopped', off: 'Off' } as const;

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function WorkerFacts({ worker, circuit, readOnly }: Pick<OpsSnapshot, 'worker' | 'circuit'> & { readOnly: boolean }) {
  return (
    <dl className="facts">
      <Row label="Worker">
        <span className={`badge worker-${worker.state}`} data-testid="worker-state" data-state={worker.state}>
          {WORKER_LABEL[worker.state]}
        </span>
        {worker.state === 'running' ? <span className="muted"> · {worker.inFlight} in flight</span> : null}
        {worker.state === 'off' ? (
          <span className="muted" data-testid="worker-off-reason">
            {' '}
            · this console sends nothing (started with SYNC_WORKER=off); it shows{readOnly ? '' : ' and operates'} the
            queue
          </span>
        ) : null}
      </Row>
      {worker.pausedReason ? (
        <Row label="Paused because">
          {worker.pausedReason}
          {worker.pausedAt ? (
            <span className="muted">
              {' '}
              (<RelativeTime iso={worker.pausedAt} />)
            </span>
          ) : null}
        </Row>
      ) : null}
      <Row label="Sending held">
        {worker.rateLimitedUntil ? (
          <span data-testid="worker-hold" data-reason={worker.holdReason ?? ''}>
            <span className="badge tone-warn">{HOLD_LABEL[worker.holdReason ?? 'rate_limit']}</span> resumes{' '}
            <Countdown iso={worker.rateLimitedUntil} />
          </span>
        ) : (
          <span className="muted">no</span>
        )}
      </Row>
      <Row label="Circuit breaker">
        <span className={`badge circuit-${circuit.state}`} data-testid="circuit-state" data-state={circuit.state}>
          {CIRCUIT_LABEL[circuit.state]}
        </span>
        <span className="muted">
          {' '}
          · {circuit.consecutiveFailures} of {circuit.threshold} failures in a row
        </span>
      </Row>
      <Row label="">
        <span className="muted">{CIRCUIT_HINT[circuit.state]}</span>
        {circuit.nextProbeAt && circuit.state === 'open' ? (
          <span className="muted">
            {' '}
            Next probe <Countdown iso={circuit.nextProbeAt} />.
          </span>
        ) : null}
      </Row>
    </dl>
  );
}

/**
 * In team mode Pause and Resume act on every engine's worker (the team's pause), so a console
 * that sends nothing itself (SYNC_WORKER=off) has them too; `pausedReason` says whether the team
 * is paused.
 */
function WorkerButtons({ worker, circuit, team }: Pick<OpsSnapshot, 'worker' | 'circuit'> & { team: boolean }) {
  const toast = useToast();
  const pause = useWorkerAction('pauseWorker');
  const resume = useWorkerAction('resumeWorker');
  const reset = useWorkerAction('resetBreaker');
  const readOnly = useReadOnly();
  const run = (mutation: typeof pause, done: string) =>
    mutation.mutate(undefined, {
      onSuccess: () => toast('success', done),
      onError: (error) => toast('error', errorMessage(error)),
    });
  const paused = worker.state === 'off' ? worker.pausedReason !== null : worker.state !== 'running';
  const what = team ? 'workers' : 'worker';
  return (
    <div className="button-row">
      {worker.state === 'off' && !team ? null : paused ? (
        <button
          type="button"
          className="button primary"
          disabled={resume.isPending}
          {...readOnlyButton(readOnly, team ? 'Every engine of the team sends again' : undefined)}
          onClick={() =>
            run(
              resume,
              team ? 'Workers resumed: every engine sends again.' : 'Worker resumed: jobs are being sent again.',
            )
          }
        >
          Resume {what}
        </button>
      ) : (
        <button
          type="button"
          className="button"
          disabled={pause.isPending}
          {...readOnlyButton(readOnly, team ? 'Every engine of the team stops sending until you resume' : undefined)}
          onClick={() =>
            run(
              pause,
              team
                ? 'Workers paused: no engine sends until you resume.'
                : 'Worker paused: no jobs are sent until you resume.',
            )
          }
        >
          Pause {what}
        </button>
      )}
      <button
        type="button"
        className="button"
        disabled={reset.isPending || circuit.state === 'closed'}
        {...readOnlyButton(
          readOnly,
          circuit.state === 'closed'
            ? 'The breaker is closed; nothing to reset.'
            : 'Close the breaker and let calls through now.',
        )}
        onClick={() => run(reset, 'Circuit breaker reset: calls flow again.')}
      >
        Reset breaker
      </button>
    </div>
  );
}

export function WorkerCard() {
  const query = useSnapshot();
  return (
    <Card title="Worker" className="span-5" testId="worker-card">
      <QueryState query={query} skeletonLines={5}>
        {({ worker, circuit, team }) => (
          <>
            <WorkerFacts worker={worker} circuit={circuit} readOnly={team?.readOnly != null} />
            <WorkerButtons worker={worker} circuit={circuit} team={team !== undefined} />
          </>
        )}
      </QueryState>
    </Card>
  );
}
