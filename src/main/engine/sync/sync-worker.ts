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

export interface WorkerOptions<J extends ClaimedJob = ClaimedJob> {
  queue: WorkerQueue<J>;
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
  /**
   * A failed try made the dispatcher wait (a 429's Retry-After, an open circuit, the daily
   * budget). Team mode shares the wait with every engine (team/team-coordination.ts).
   */
  onHold?: (until: number, reason: HoldReason) => void;
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
 * after its lease expires (minutes). The exceptions are a crash, which is what leases are for,
 * and a queue that cannot record the outcome (below), which is handled as one.
 *
 * The queue is asynchronous (WorkerQueue: SQLite answers at once, the team's PostgreSQL over the
 * network), so the loop and the tries interleave at every queue call:
 * - free slots are counted before a claim is awaited; only the loop adds to `inFlight`, so tries
 *   that end meanwhile can only leave more room than was claimed for;
 * - a pause, a hold or `stop()` that arrives while a claim is awaited hands the claimed jobs back
 *   untouched (pending, due now, no try recorded) instead of starting them;
 * - `wake()` aborts the controller made at the top of the pass, so a try that ends during any
 *   awaited call of the pass cuts the sleep after it short: no wake-up is lost;
 * - completions are written one batch at a time (CompletionBatcher).
 *
 * A queue call that throws — PostgreSQL unreachable (team/pg-connection.ts), a full disk — never
 * ends the loop: the pass is logged, abandoned, and tried again after the poll interval. A try
 * whose outcome cannot be recorded (its completion or its failure) is logged with the outcome and
 * left as it is: `processing` under this worker's lease, which stops being renewed once the try
 * ends. That is safe because it is exactly a crash after the call: when the lease runs out, the
 * sweep of whichever worker runs it next puts the job back pending and in doubt, and its next try
 * reads the application's notes back before writing (the note written by the lost completion is
 * found, so it is not written twice). Each queue operation is one transaction, so a failed call
 * leaves nothing half-done; one whose commit went through but whose answer was lost leaves a
 * state the lease rules already cover (a claim nobody runs expires; a completion is simply done).
 */
export class SyncWorker<J extends ClaimedJob = ClaimedJob> {
  private running = false;
  /** The current run's token: a loop whose run was stopped ends even if a new one has started. */
  private runToken: object | null = null;
  private loopDone: Promise<void> | null = null;
  private readonly inFlight = new Map<number, InFlight<J>>();
  private wakeUp: AbortController = new AbortController();
  /** Aborted by stop(): cuts short a back-off that wake() must not (the queue is failing). */
  private stopping: AbortController = new AbortController();
  /** A 429, the daily budget or an open circuit holds the whole dispatcher until then. */
  private holdUntil = 0;
  private holdReason: HoldReason | null = null;
  private pause: PauseState | null;
  /** Claims more than the free slots per pass only for a client that answers faster than the loop turns. */
  private readonly claimSizer = new ClaimSizer();
  /** Successful tries that return in the same turn are completed in one transaction. */
  private readonly completions: CompletionBatcher<J>;
  /** The last pass failed on a queue call: logged once, and once more when the queue answers again. */
  private queueFailing = false;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: WorkerOptions<J>) {
    this.pause = options.pauseStore.load();
    this.completions = new CompletionBatcher(options.queue);
  }

  start(): void {
    if (this.running || this.options.sends === false) return;
    this.running = true;
    const run = {};
    this.runToken = run;
    this.stopping = new AbortController();
    this.loopDone = this.loop(run).catch((error: unknown) => {
      this.options.logger.log('error', 'worker.crashed', { error });
      if (this.runToken === run) this.running = false;
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

  /**
   * Team mode: a pause set or lifted from another console (or another engine's 401) is followed
   * here without being written back.
   */
  followPause(state: PauseState | null): void {
    if (state?.reason === this.pause?.reason && state?.message === this.pause?.message) return;
    this.pause = state;
    this.options.logger.log(state ? 'warn' : 'info', state ? 'worker.paused' : 'worker.resumed', {
      by: 'team',
      ...(state ? { reason: state.reason, message: state.message } : {}),
    });
    this.options.onChange();
    if (!state) this.wake();
  }

  /** Team mode: another engine was told to wait (429, open circuit); never shortens a hold. */
  holdUntilAt(until: number, reason: HoldReason): void {
    if (until <= this.holdUntil) return;
    this.holdUntil = until;
    this.holdReason = reason;
    this.options.onChange();
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
    this.runToken = null;
    this.stopping.abort(WOKEN);
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

  private async loop(run: object): Promise<void> {
    const { clock, leaseMs, pollIntervalMs, logger } = this.options;
    // Leases are renewed and checked often enough that this worker's own leases never run out
    // while it lives, and a crashed run's jobs come back soon after theirs expire.
    const sweepEveryMs = Math.max(1, Math.min(pollIntervalMs, leaseMs / 2));
    while (this.runToken === run) {
      // Before any await of the pass: a try that ends during one wakes the sleep below.
      this.wakeUp = new AbortController();
      let waitMs: number;
      let signal = this.wakeUp.signal;
      try {
        waitMs = await this.pass(run, sweepEveryMs);
        if (this.queueFailing) {
          this.queueFailing = false;
          logger.log('info', 'worker.queue_recovered');
        }
      } catch (error) {
        // Nothing of the pass is half-done (each queue call is one transaction). Try again after
        // the poll interval; finishing tries must not turn the back-off into a busy loop, so only
        // stop() cuts it short.
        if (!this.queueFailing) {
          this.queueFailing = true;
          logger.log('error', 'worker.queue_failed', { error, retryInMs: pollIntervalMs });
        }
        waitMs = pollIntervalMs;
        signal = this.stopping.signal;
      }
      if (this.runToken !== run) break;
      try {
        await clock.sleep(waitMs, signal);
      } catch {
        // Woken early: look at the queue again.
      }
    }
  }

  /** One look at the queue: sweep leases when due, claim and start what the free slots allow; returns how long to sleep. */
  private async pass(run: object, sweepEveryMs: number): Promise<number> {
    const { queue, clock, leaseMs, owner } = this.options;
    const now = clock.now();
    if (now - this.lastSweep >= sweepEveryMs) {
      // Renew first: a try that has run longer than the lease is still ours, not a crash.
      if (this.inFlight.size > 0) {
        const held = [...this.inFlight.values()].map((entry) => entry.job);
        await queue.renew(owner, held, now, leaseMs);
      }
      const released = await queue.releaseExpired(now);
      this.lastSweep = now;
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
        const jobs = await queue.claim(owner, leaseMs, now, limit);
        if (jobs.length > 0) {
          if (this.mayStart(run)) {
            // One controller per pass: stop() aborts every call in flight at once anyway. Its
            // listeners are bounded by the pass's jobs, so Node's leak warning would only be noise.
            const abort = new AbortController();
            setMaxListeners(0, abort.signal);
            for (const job of jobs) this.run(job, abort);
            this.options.onChange();
          } else {
            await this.handBack(jobs);
            return waitMs;
          }
        }
        // Fewer than asked came back: nothing else is due now; sleep until the next one is.
        if (jobs.length < limit) {
          const due = await queue.nextDueAt(now);
          if (due !== null) waitMs = Math.min(waitMs, Math.max(1, due - now));
        }
      }
      // With every slot busy, a finishing job wakes the loop.
    }
    return waitMs;
  }

  /** Whether jobs just claimed may start: no stop (or restart), pause or hold arrived while the claim was awaited. */
  private mayStart(run: object): boolean {
    return this.runToken === run && this.pause === null && this.options.clock.now() >= this.holdUntil;
  }

  /**
   * Jobs claimed while the worker was being stopped, paused or held go back as they were: pending,
   * due now, nothing recorded (no call was made, so nothing is in doubt that was not before). If
   * the queue cannot take them back, their lease runs out like a crashed worker's.
   */
  private async handBack(jobs: readonly J[]): Promise<void> {
    const { queue, owner, clock } = this.options;
    const now = clock.now();
    for (const job of jobs) await queue.fail(job, owner, now, { kind: 'wait', waitMs: 0 }, null, null);
    this.options.onChange();
  }

  private run(job: J, abort: AbortController): void {
    // In the map before the try starts: a client that throws at once settles the try (and
    // removes the entry) before run() returns.
    const entry: InFlight<J> = { job, done: null, abort };
    this.inFlight.set(job.id, entry);
    entry.done = this.tryJob(job, abort.signal);
  }

  /**
   * One try of one job, from the call to the job's next state. It runs for every job, so the
   * success path keeps to one log record and no closures.
   */
  private async tryJob(job: J, signal: AbortSignal): Promise<void> {
    if (job.inDoubt && this.readsBack()) return this.tryInDoubtJob(job, signal);
    const { clock, owner } = this.options;
    const label = attemptLabel(job);
    const started = clock.now();
    let answered = false;
    try {
      const result = await writeNote(this.options.client(), job, signal);
      answered = true;
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
      if (answered) this.completionUnrecorded(job, label, 'success', thrown);
      else await this.settleFailure(job, label, started, signal, thrown, 'write');
    } finally {
      await this.tryEnded(job);
    }
  }

  /**
   * One try of a job whose last write may have reached iCIMS: read the application's notes back
   * first (docs/INTERFACES.md §6). Found → completed with no second write; not found → written.
   * The read goes through the same client (pacing, budget, breaker, auth) as a write.
   */
  private async tryInDoubtJob(job: J, signal: AbortSignal): Promise<void> {
    const { clock, owner, queue, logger } = this.options;
    const label = attemptLabel(job);
    const started = clock.now();
    let phase: 'read' | 'write' | 'record' = 'read';
    let outcome: AttemptRecord['outcome'] = 'found_in_icims';
    try {
      const client = this.options.client();
      const notes = await client.readNotes(job.applicationId, { signal, jobId: job.id });
      // After the read, as before: a note in it whose job completes meanwhile is then discounted.
      const match = matchNote(job, notes, await queue.completedTwins(job));
      const fields = { jobId: job.id, eventId: job.eventId, applicationId: job.applicationId, label };
      let attempt: AttemptRecord;
      let noteId = match.noteId;
      if (match.found) {
        attempt = {
          at: started,
          label,
          outcome,
          statusCode: 200,
          latencyMs: latencySince(started, clock.now()),
          error: null,
        };
      } else {
        phase = 'write';
        outcome = 'not_found_written';
        const result = await writeNote(client, job, signal);
        noteId = result.noteId;
        attempt = {
          at: started,
          label,
          outcome,
          statusCode: result.statusCode,
          latencyMs: latencySince(started, clock.now()),
          error: null,
        };
      }
      phase = 'record';
      const applied = await this.completions.complete(job, owner, clock.now(), attempt, noteId);
      logger.log('info', applied ? 'job.completed' : 'job.lease_lost', {
        ...fields,
        readBack: match.found ? 'found' : 'not_found_written',
        sameTextNotes: match.sameText,
      });
    } catch (thrown) {
      if (phase === 'record') this.completionUnrecorded(job, label, outcome, thrown);
      else await this.settleFailure(job, label, started, signal, thrown, phase);
    } finally {
      await this.tryEnded(job);
    }
  }

  private readsBack(): boolean {
    return (this.options.readBack?.() ?? 'auto') === 'auto';
  }

  /**
   * The call succeeded but its completion could not be written (the store is away, or refused
   * it). The job is left `processing` under this worker's lease, which ends with the try: when it
   * runs out the job comes back in doubt and its next try finds this note by reading back, so
   * nothing is lost or written twice (see the class comment). Logged, so the outcome is on record.
   */
  private completionUnrecorded(job: J, label: string, outcome: AttemptRecord['outcome'], error: unknown): void {
    this.options.logger.log('error', 'job.outcome_unrecorded', {
      jobId: job.id,
      eventId: job.eventId,
      applicationId: job.applicationId,
      label,
      outcome,
      error,
    });
  }

  private async settleFailure(
    job: J,
    label: string,
    started: number,
    signal: AbortSignal,
    thrown: unknown,
    phase: 'read' | 'write',
  ): Promise<void> {
    try {
      const effect = await settleFailedTry(
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
        if (effect.holdReason) this.options.onHold?.(effect.holdUntil, effect.holdReason);
      }
      if (effect.pauseForAuth !== null) this.pauseBy('auth', effect.pauseForAuth);
    } catch (error) {
      this.options.logger.log('error', 'job.unhandled', { jobId: job.id, error });
    }
  }

  private async tryEnded(job: J): Promise<void> {
    try {
      // A try that was in flight while the console was pointed elsewhere is held with its destination.
      await this.options.queue.holdIfElsewhere?.(job, this.options.clock.now());
    } catch (error) {
      // Claims filter on the destination, so the job is not sent elsewhere; it only shows as
      // pending or failed instead of held until the next switch.
      this.options.logger.log('warn', 'job.hold_failed', { jobId: job.id, error });
    }
    this.inFlight.delete(job.id);
    this.claimSizer.finished();
    this.options.onChange();
    this.wake();
  }
}

/** Why the loop's sleep was cut short: only ever caught and ignored by the loop. */
const WOKEN = new Error('worker woken');

interface InFlight<J extends ClaimedJob> {
  /** The claimed job, as its leases are renewed. */
  job: J;
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
