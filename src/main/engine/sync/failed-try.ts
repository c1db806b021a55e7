import type { Clock } from '../clock';
import type { HoldReason } from '../../../shared/ops-snapshot';
import { AuthError, CircuitOpenError, DailyLimitError, IcimsError, NetworkError } from '../icims/errors';
import type { Logger } from '../logger';
import type { FailJobResult, FailureVerdict } from './fail-job';
import { failureVerdict } from './failure-verdict';
import type { AttemptRecord, ClaimedJob, WorkerQueue } from './worker-queue';

export interface FailedTry<J extends ClaimedJob = ClaimedJob> {
  job: J;
  /** The try's history label (attemptLabel at claim). */
  label: string;
  /** When the try started (epoch ms). */
  started: number;
  /** The pass's signal: aborted means shutdown cut the call short. */
  signal: AbortSignal;
  thrown: unknown;
  /**
   * What failed: the note write, or the read-back before it. Only a write can leave the note in
   * doubt; a failed read-back leaves the job as in doubt as it was.
   */
  phase: 'write' | 'read';
}

export interface FailedTryContext<J extends ClaimedJob = ClaimedJob> {
  queue: WorkerQueue<J>;
  owner: string;
  clock: Clock;
  logger: Logger;
  /** True while rejected credentials pause the worker. */
  pausedForAuth: boolean;
  /** ICIMS_READ_BACK=auto: an in-doubt write is read back before it is sent again. */
  readBack: boolean;
}

/** What the worker itself must do after the job was settled. */
export interface FailedTryEffect {
  /** A 429, the daily budget or an open circuit: hold every job until then (epoch ms). */
  holdUntil: number | null;
  /** Why sending is held: the dashboard names the real cause, not "rate limited" for all three. */
  holdReason: HoldReason | null;
  /** iCIMS refused the credentials: pause the worker with this (raw) message. */
  pauseForAuth: string | null;
}

const NO_EFFECT: FailedTryEffect = { holdUntil: null, holdReason: null, pauseForAuth: null };

/**
 * A try threw (the call failed, or its completion could not be written): applies the retry rules
 * of docs/INTERFACES.md §6 to the job — rescheduled, failed, or put back without spending a retry —
 * records the try in its history, logs it, and says what the worker must do next.
 *
 * The effect holds even when the queue could not record the try (the store was away): a 429 still
 * holds the dispatcher, a 401 still pauses it. The job then stays `processing` until its lease
 * runs out and comes back in doubt — see `record` below.
 */
export async function settleFailedTry<J extends ClaimedJob>(
  context: FailedTryContext<J>,
  failure: FailedTry<J>,
): Promise<FailedTryEffect> {
  const { owner, clock, logger } = context;
  const { job, label, started, signal } = failure;
  const now = clock.now();
  const attempt = (
    outcome: AttemptRecord['outcome'],
    statusCode: number | null,
    error: string | null,
  ): AttemptRecord => ({
    at: started,
    label,
    outcome,
    statusCode,
    latencyMs: Math.max(0, Math.round(clock.now() - started)),
    error,
  });
  const fields = { jobId: job.id, eventId: job.eventId, applicationId: job.applicationId, label };
  const record = async (
    verdict: FailureVerdict,
    error: string,
    tried: AttemptRecord,
    inDoubt?: boolean,
  ): Promise<FailJobResult | null> => {
    try {
      return await context.queue.fail(job, owner, now, verdict, error, tried, inDoubt);
    } catch (thrown) {
      // The store is away (PostgreSQL unreachable) or refused the write. Nothing is lost by
      // leaving the job as it is: it stays `processing` under this worker's lease, which is no
      // longer renewed once the try ends, so the lease sweep (of any engine) puts it back pending
      // and in doubt; its next try reads the application's notes back before writing.
      logger.log('error', 'job.outcome_unrecorded', { ...fields, outcome: tried.outcome, error: thrown });
      return null;
    }
  };
  const write = failure.phase === 'write';
  if (signal.aborted) {
    // Shutdown cut the call short: whether iCIMS got the note is unknown.
    await record(
      { kind: 'wait', waitMs: 0 },
      'Released at shutdown',
      attempt('released', null, 'released at shutdown'),
      write && context.readBack,
    );
    logger.log('info', 'job.released', fields);
    return NO_EFFECT;
  }
  const error = asIcimsError(failure.thrown);
  const verdict = failureVerdict(error);
  const statusCode = error.statusCode;

  if (verdict.kind === 'wait') {
    const outcome = error instanceof CircuitOpenError ? 'circuit_open' : 'rate_limited';
    await record(verdict, error.message, attempt(outcome, statusCode, error.message));
    logger.log('warn', `job.${outcome}`, { ...fields, waitMs: verdict.waitMs, error: error.message });
    const holdReason: HoldReason =
      error instanceof CircuitOpenError
        ? 'circuit_open'
        : error instanceof DailyLimitError
          ? 'daily_budget'
          : 'rate_limit';
    return { holdUntil: now + verdict.waitMs, holdReason, pauseForAuth: null };
  }

  if (error instanceof AuthError && context.pausedForAuth) {
    // Another job's 401 already paused the worker; this one was in flight alongside it and
    // says nothing new about the job, so it waits for the credentials instead of failing.
    await record({ kind: 'wait', waitMs: 0 }, error.message, attempt('released', statusCode, error.message));
    return NO_EFFECT;
  }

  // A write that may have reached iCIMS is never sent again blindly: the next try reads back.
  const inDoubt = write && context.readBack && error.inDoubt;
  const outcome = inDoubt ? 'in_doubt' : verdict.kind === 'retryable' ? 'retryable_failure' : 'permanent_failure';
  const message = failure.phase === 'read' ? `Reading the notes back failed: ${error.message}` : error.message;
  const result = await record(verdict, message, attempt(outcome, statusCode, message), inDoubt);
  if (result !== null) {
    const failed = result.status === 'failed';
    logger.log(failed ? 'error' : 'warn', failed ? 'job.failed' : 'job.retry_scheduled', {
      ...fields,
      phase: failure.phase,
      inDoubt,
      code: error.code,
      statusCode,
      attempts: result.attempts,
      runAfter: result.runAfter,
      error: error.message,
    });
  }
  // The raw error: health reasons and the auth alert wrap it in their own sentences.
  return { holdUntil: null, holdReason: null, pauseForAuth: error instanceof AuthError ? error.message : null };
}

/**
 * Anything that is not a typed iCIMS error is a bug or an environment problem on our side; it is
 * treated as retryable so the note is not lost, and named plainly in `last_error`.
 */
function asIcimsError(thrown: unknown): IcimsError {
  if (thrown instanceof IcimsError) return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  // It may have come after the note was written (its completion failed to save, say): in doubt.
  return new NetworkError(`Unexpected error: ${message}`, null, { mayHaveArrived: true });
}
