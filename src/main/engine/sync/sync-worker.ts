import { setMaxListeners } from 'node:events';
import type { WorkerSnapshot } from '../../../shared/ops-snapshot';
import type { Clock } from '../clock';
import { AuthError, CircuitOpenError, IcimsError, NetworkError } from '../icims/errors';
import type { IcimsClient } from '../icims/icims-client';
import type { Logger } from '../logger';
import { jobContext } from '../job-context';
import { ClaimSizer } from './claim-sizer';
import { CompletionBatcher } from './completion-batcher';
import { failureVerdict } from './failure-verdict';
import { attemptLabel } from './retry-schedule';
import type { AttemptRecord, ClaimedJob, WorkerQueue } from './worker-queue';

export interface PauseState {
  reason: 'auth' | 'admin';
  message: string;
  at: number;
}

export interface WorkerOptions {
  queue: WorkerQueue;
  /** The client in effect now: saving settings swaps it without restarting the worker. */
  client: () => IcimsClient;
  clock: Clock;
  logger: Logger;
  /** Identifies this engine run in `lease_owner`. */
  owner: string;
  leaseMs: number;
  pollIntervalMs: number;
  concurrency: () => number;
  /**
   * False while the circuit breaker is open or probing. Then at most one job is in flight: one
   * call decides whether iCIMS is back, and a full batch would only bounce the others off the
   * breaker — each holding the whole queue for the half-open wait after a probe that succeeded.
   */
  circuitClosed?: () => boolean;
  /** Persists the pause so a restart with the same bad credentials does not burn another job. */
  pauseStore: { load(): PauseState | null; save(state: PauseState | null): void };
  /** Something the console shows changed. */
  onChange: () => void;
  /** How long `stop()` lets in-flight calls finish before aborting them and releasing their jobs. */
  shutdownGraceMs?: number;
}

/**
 * The dispatcher: claims due jobs under a lease, up to the concurrency limit, and applies the
 * retry rules of CONTRACT section 6 to each outcome.
 *
 * Every path out of `process` must leave the job in a definite state — completed, rescheduled,
 * failed, or released back to pending — because a job left `processing` is only taken up again
 * after its lease expires (minutes). The only exception is a crash, which is what leases are for.
 */
export class SyncWorker {
  private running = false;
  private loopDone: Promise<void> | null = null;
  private readonly inFlight = new Map<number, { done: Promise<void>; abort: AbortController }>();
  private wakeUp: AbortController = new AbortController();
  /** A 429, the daily budget or an open circuit holds the whole dispatcher until then. */
  private holdUntil = 0;
  private pause: PauseState | null;
  /** Claims more than the free slots per pass only for a client that answers faster than the loop turns. */
  private readonly claimSizer = new ClaimSizer();
  /** Successful tries that return in the same turn are completed in one transaction. */
  private readonly completions: CompletionBatcher;

  constructor(private readonly options: WorkerOptions) {
    this.pause = options.pauseStore.load();
    this.completions = new CompletionBatcher(options.queue);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop().catch((error: unknown) => {
      this.options.logger.log('error', 'worker.crashed', { error });
      this.running = false;
    });
  }

  /** New or newly due work: look at the queue now instead of at the next poll. */
  wake(): void {
    // abort() builds its DOMException reason even when already aborted; a batch of jobs finishing
    // together would otherwise pay for one per job.
    if (!this.wakeUp.signal.aborted) this.wakeUp.abort();
  }

  pauseBy(reason: PauseState['reason'], message: string): void {
    this.pause = { reason, message, at: this.options.clock.now() };
    this.options.pauseStore.save(this.pause);
    this.options.logger.log('warn', 'worker.paused', { reason, message });
    this.options.onChange();
  }

  resume(): void {
    if (!this.pause) return;
    this.pause = null;
    this.options.pauseStore.save(null);
    this.options.logger.log('info', 'worker.resumed');
    this.options.onChange();
    this.wake();
  }

  /** Credentials changed: a pause caused by rejected credentials no longer applies. */
  credentialsChanged(): void {
    if (this.pause?.reason === 'auth') this.resume();
  }

  /** Lifts a rate-limit or breaker hold (for example after an admin resets the breaker). */
  clearHold(): void {
    this.holdUntil = 0;
    this.wake();
  }

  snapshot(): WorkerSnapshot {
    const now = this.options.clock.now();
    return {
      state: !this.running ? 'stopped' : this.pause ? 'paused' : 'running',
      pausedReason: this.pause ? this.pause.message : null,
      pausedAt: this.pause ? new Date(this.pause.at).toISOString() : null,
      rateLimitedUntil: this.holdUntil > now ? new Date(this.holdUntil).toISOString() : null,
      inFlight: this.inFlight.size,
    };
  }

  get pausedFor(): PauseState['reason'] | null {
    return this.pause?.reason ?? null;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loopDone;
    const pending = [...this.inFlight.values()];
    const grace = this.options.shutdownGraceMs ?? 10_000;
    const timer = setTimeout(() => pending.forEach((job) => job.abort.abort(new Error('console shutting down'))), grace);
    await Promise.allSettled(pending.map((job) => job.done));
    clearTimeout(timer);
  }

  private async loop(): Promise<void> {
    const { queue, clock, leaseMs, pollIntervalMs } = this.options;
    let lastSweep = Number.NEGATIVE_INFINITY;
    // Leases are renewed and checked often enough that this worker's own leases never run out
    // while it lives, and a crashed run's jobs come back soon after theirs expire.
    const sweepEveryMs = Math.max(1, Math.min(pollIntervalMs, leaseMs / 2));
    while (this.running) {
      this.wakeUp = new AbortController();
      const now = clock.now();
      if (now - lastSweep >= sweepEveryMs) {
        lastSweep = now;
        // Renew first: a try that has run longer than the lease is still ours, not a crash.
        if (this.inFlight.size > 0) queue.renew(this.options.owner, [...this.inFlight.keys()], now + leaseMs);
        const released = queue.releaseExpired(now);
        if (released > 0) {
          this.options.logger.log('warn', 'jobs.lease_expired', { released });
          this.options.onChange();
        }
      }

      let waitMs = sweepEveryMs;
      if (this.pause) {
        // Nothing is attempted until credentials change or an admin resumes.
      } else if (now < this.holdUntil) {
        waitMs = Math.min(waitMs, this.holdUntil - now);
      } else {
        const circuitClosed = this.options.circuitClosed?.() !== false;
        const slots = circuitClosed ? this.options.concurrency() : 1;
        const free = slots - this.inFlight.size;
        if (free > 0) {
          const limit = this.claimSizer.limit(free, slots, now, circuitClosed);
          const jobs = queue.claim(this.options.owner, leaseMs, now, limit);
          if (jobs.length > 0) {
            // One controller per pass: stop() aborts every call in flight at once anyway, and a
            // controller per job cost about as much as writing the job's completion. Its listeners
            // are bounded by the pass's jobs, so Node's leak warning would only be noise.
            const abort = new AbortController();
            setMaxListeners(0, abort.signal);
            for (const job of jobs) this.run(job, abort);
            this.options.onChange();
          }
          // Fewer than asked came back: nothing else is due now; sleep until the next one is.
          if (jobs.length < limit) {
            const due = queue.nextDueAt();
            if (due !== null) waitMs = Math.min(waitMs, Math.max(1, due - now));
          }
        }
        // With every slot busy, a finishing job wakes the loop.
      }
      try {
        await clock.sleep(waitMs, this.wakeUp.signal);
      } catch {
        // Woken early: look at the queue again.
      }
    }
  }

  private run(job: ClaimedJob, abort: AbortController): void {
    const done = this.process(job, abort.signal)
      .catch((error: unknown) => this.options.logger.log('error', 'job.unhandled', { jobId: job.id, error }))
      .finally(() => {
        this.inFlight.delete(job.id);
        this.claimSizer.finished();
        this.options.onChange();
        this.wake();
      });
    this.inFlight.set(job.id, { done, abort });
  }

  private async process(job: ClaimedJob, signal: AbortSignal): Promise<void> {
    const { clock, queue, owner, logger } = this.options;
    const label = attemptLabel(job);
    const started = clock.now();
    const attempt = (outcome: AttemptRecord['outcome'], statusCode: number | null, error: string | null): AttemptRecord => ({
      at: started,
      label,
      outcome,
      statusCode,
      latencyMs: Math.max(0, Math.round(clock.now() - started)),
      error,
    });
    const fields = { jobId: job.id, eventId: job.eventId, applicationId: job.applicationId, label };

    try {
      // The job id rides along in the async context so each API call the client records is
      // linked to its job (the dashboard's recent failures link to the job).
      const result = await jobContext.run({ jobId: job.id }, () =>
        this.options.client().addApplicationNote(job.applicationId, job.noteText, job.idempotencyKey, signal),
      );
      const applied = await this.completions.complete(job, owner, clock.now(), attempt('success', result.statusCode, null));
      logger.log('info', applied ? 'job.completed' : 'job.lease_lost', { ...fields, latencyMs: result.latencyMs });
      return;
    } catch (thrown) {
      const now = clock.now();
      if (signal.aborted) {
        // Shutdown cut the call short: whether iCIMS got the note is unknown, and the
        // idempotency key makes the next try safe either way.
        queue.fail(job, owner, now, { kind: 'wait', waitMs: 0 }, 'Released at shutdown', attempt('released', null, 'released at shutdown'));
        logger.log('info', 'job.released', fields);
        return;
      }
      const error = asIcimsError(thrown);
      const verdict = failureVerdict(error);
      const statusCode = error.statusCode;

      if (verdict.kind === 'wait') {
        const outcome = error instanceof CircuitOpenError ? 'circuit_open' : 'rate_limited';
        queue.fail(job, owner, now, verdict, error.message, attempt(outcome, statusCode, error.message));
        this.holdUntil = Math.max(this.holdUntil, now + verdict.waitMs);
        logger.log('warn', `job.${outcome}`, { ...fields, waitMs: verdict.waitMs, error: error.message });
        return;
      }

      if (error instanceof AuthError && this.pause?.reason === 'auth') {
        // Another job's 401 already paused the worker; this one was in flight alongside it and
        // says nothing new about the job, so it waits for the credentials instead of failing.
        queue.fail(job, owner, now, { kind: 'wait', waitMs: 0 }, error.message, attempt('released', statusCode, error.message));
        return;
      }

      const result = queue.fail(job, owner, now, verdict, error.message, attempt(verdict.kind === 'retryable' ? 'retryable_failure' : 'permanent_failure', statusCode, error.message));
      const failed = result.status === 'failed';
      logger.log(failed ? 'error' : 'warn', failed ? 'job.failed' : 'job.retry_scheduled', {
        ...fields,
        code: error.code,
        statusCode,
        attempts: result.attempts,
        runAfter: result.runAfter,
        error: error.message,
      });
      if (error instanceof AuthError) {
        // The raw error: health reasons and the auth alert wrap it in their own sentences.
        this.pauseBy('auth', error.message);
      }
    }
  }
}

/**
 * Anything that is not a typed iCIMS error is a bug or an environment problem on our side; it is
 * treated as retryable so the note is not lost, and named plainly in `last_error`.
 */
function asIcimsError(thrown: unknown): IcimsError {
  if (thrown instanceof IcimsError) return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new NetworkError(`Unexpected error: ${message}`);
}
