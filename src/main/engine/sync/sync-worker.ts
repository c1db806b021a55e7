import { setMaxListeners } from 'node:events';
import type { HoldReason, WorkerSnapshot } from '../../../shared/ops-snapshot';
import type { Clock } from '../clock';
import type { IcimsClient, NoteWriteResult } from '../icims/icims-client';
import type { Logger } from '../logger';
import { ClaimSizer } from './claim-sizer';
import { CompletionBatcher } from './completion-batcher';
import { settleFailedTry } from './failed-try';
import { matchNote } from './note-match';
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
  /**
   * ICIMS_READ_BACK, as now in effect: `auto` (default) reads an in-doubt job's notes back before
   * writing again; `off` trusts iCIMS to drop a repeated Idempotency-Key.
   */
  readBack?: () => 'auto' | 'off';
  /** False for a console started with SYNC_WORKER=off: `start` does nothing and nothing is sent. */
  sends?: boolean;
}

/**
 * The dispatcher: claims due jobs under a lease, up to the concurrency limit, and applies the
 * retry rules of docs/INTERFACES.md §6 to each outcome.
 *
 * Every path out of `tryJob` must leave the job in a definite state — completed, rescheduled,
 * failed, or released back to pending — because a job left `processing` is only taken up again
 * after its lease expires (minutes). The only exception is a crash, which is what leases are for.
 */
export class SyncWorker {
  private running = false;
  private loopDone: Promise<void> | null = null;
  private readonly inFlight = new Map<number, InFlight>();
  private wakeUp: AbortController = new AbortController();
  /** A 429, the daily budget or an open circuit holds the whole dispatcher until then. */
  private holdUntil = 0;
  private holdReason: HoldReason | null = null;
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
    if (this.running || this.options.sends === false) return;
    this.running = true;
    this.loopDone = this.loop().catch((error: unknown) => {
      this.options.logger.log('error', 'worker.crashed', { error });
      this.running = false;
    });
  }

  /** New or newly due work: look at the queue now instead of at the next poll. */
  wake(): void {
    // A shared reason: abort() would otherwise build (and capture a stack for) a DOMException per
    // finishing job, and the loop ignores why its sleep ended.
    if (!this.wakeUp.signal.aborted) this.wakeUp.abort(WOKEN);
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
      state: this.options.sends === false ? 'off' : !this.running ? 'stopped' : this.pause ? 'paused' : 'running',
      pausedReason: this.pause ? this.pause.message : null,
      pausedAt: this.pause ? new Date(this.pause.at).toISOString() : null,
      rateLimitedUntil: this.holdUntil > now ? new Date(this.holdUntil).toISOString() : null,
      holdReason: this.holdUntil > now ? this.holdReason : null,
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
    const timer = setTimeout(
      () => pending.forEach((job) => job.abort.abort(new Error('console shutting down'))),
      grace,
    );
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
            // One controller per pass: stop() aborts every call in flight at once anyway. Its
            // listeners are bounded by the pass's jobs, so Node's leak warning would only be noise.
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
    // In the map before the try starts: a client that throws at once settles the try (and
    // removes the entry) before run() returns.
    const entry: InFlight = { done: null, abort };
    this.inFlight.set(job.id, entry);
    entry.done = this.tryJob(job, abort.signal);
  }

  /**
   * One try of one job, from the call to the job's next state. It runs for every job, so the
   * success path keeps to one log record and no closures.
   */
  private async tryJob(job: ClaimedJob, signal: AbortSignal): Promise<void> {
    if (job.inDoubt && this.readsBack()) return this.tryInDoubtJob(job, signal);
    const { clock, owner } = this.options;
    const label = attemptLabel(job);
    const started = clock.now();
    try {
      const result = await writeNote(this.options.client(), job, signal);
      const now = clock.now();
      const success: AttemptRecord = {
        at: started,
        label,
        outcome: 'success',
        statusCode: result.statusCode,
        latencyMs: latencySince(started, now),
        error: null,
      };
      const { batch, index } = this.completions.add(job, owner, now, success, result.noteId);
      await batch.written;
      this.options.logger.log('info', batch.appliedAt(index) ? 'job.completed' : 'job.lease_lost', {
        jobId: job.id,
        eventId: job.eventId,
        applicationId: job.applicationId,
        label,
        latencyMs: result.latencyMs,
      });
    } catch (thrown) {
      this.settleFailure(job, label, started, signal, thrown, 'write');
    } finally {
      this.tryEnded(job);
    }
  }

  /**
   * One try of a job whose last write may have reached iCIMS: read the application's notes back
   * first (docs/INTERFACES.md §6). Found → completed with no second write; not found → written.
   * The read goes through the same client (pacing, budget, breaker, auth) as a write.
   */
  private async tryInDoubtJob(job: ClaimedJob, signal: AbortSignal): Promise<void> {
    const { clock, owner, queue, logger } = this.options;
    const label = attemptLabel(job);
    const started = clock.now();
    let phase: 'read' | 'write' = 'read';
    try {
      const client = this.options.client();
      const notes = await client.readNotes(job.applicationId, { signal, jobId: job.id });
      const match = matchNote(job, notes, queue.completedTwins(job));
      const fields = { jobId: job.id, eventId: job.eventId, applicationId: job.applicationId, label };
      let attempt: AttemptRecord;
      let noteId = match.noteId;
      if (match.found) {
        attempt = {
          at: started,
          label,
          outcome: 'found_in_icims',
          statusCode: 200,
          latencyMs: latencySince(started, clock.now()),
          error: null,
        };
      } else {
        phase = 'write';
        const result = await writeNote(client, job, signal);
        noteId = result.noteId;
        attempt = {
          at: started,
          label,
          outcome: 'not_found_written',
          statusCode: result.statusCode,
          latencyMs: latencySince(started, clock.now()),
          error: null,
        };
      }
      const applied = await this.completions.complete(job, owner, clock.now(), attempt, noteId);
      logger.log('info', applied ? 'job.completed' : 'job.lease_lost', {
        ...fields,
        readBack: match.found ? 'found' : 'not_found_written',
        sameTextNotes: match.sameText,
      });
    } catch (thrown) {
      this.settleFailure(job, label, started, signal, thrown, phase);
    } finally {
      this.tryEnded(job);
    }
  }

  private readsBack(): boolean {
    return (this.options.readBack?.() ?? 'auto') === 'auto';
  }

  private settleFailure(
    job: ClaimedJob,
    label: string,
    started: number,
    signal: AbortSignal,
    thrown: unknown,
    phase: 'read' | 'write',
  ): void {
    try {
      const effect = settleFailedTry(
        {
          queue: this.options.queue,
          owner: this.options.owner,
          clock: this.options.clock,
          logger: this.options.logger,
          pausedForAuth: this.pause?.reason === 'auth',
          readBack: this.readsBack(),
        },
        { job, label, started, signal, thrown, phase },
      );
      if (effect.holdUntil !== null && effect.holdUntil >= this.holdUntil) {
        this.holdUntil = effect.holdUntil;
        this.holdReason = effect.holdReason;
      }
      if (effect.pauseForAuth !== null) this.pauseBy('auth', effect.pauseForAuth);
    } catch (error) {
      this.options.logger.log('error', 'job.unhandled', { jobId: job.id, error });
    }
  }

  private tryEnded(job: ClaimedJob): void {
    // A try that was in flight while the console was pointed elsewhere is held with its destination.
    this.options.queue.holdIfElsewhere?.(job, this.options.clock.now());
    this.inFlight.delete(job.id);
    this.claimSizer.finished();
    this.options.onChange();
    this.wake();
  }
}

/** Why the loop's sleep was cut short: only ever caught and ignored by the loop. */
const WOKEN = new Error('worker woken');

interface InFlight {
  /** Settles when the try has left the job in its next state (null only while run() starts it). */
  done: Promise<void> | null;
  abort: AbortController;
}

/** The job id goes with the call, so each API call the client records is linked to its job. */
function writeNote(client: IcimsClient, job: ClaimedJob, signal: AbortSignal): Promise<NoteWriteResult> {
  return client.addApplicationNote(job.applicationId, job.noteText, job.idempotencyKey, { signal, jobId: job.id });
}

function latencySince(started: number, now: number): number {
  return Math.max(0, Math.round(now - started));
}
