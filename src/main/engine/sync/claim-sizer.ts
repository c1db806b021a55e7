/** The most jobs one pass claims: one claim and one completing transaction per hundred jobs. */
export const MAX_CLAIM = 100;
/** A fast client gets as many jobs per pass as it has been finishing in this long. */
const CLAIM_WINDOW_MS = 20;

/**
 * How many jobs the worker claims per pass of its loop.
 *
 * Normally the free slots: ICIMS_MAX_CONCURRENCY minus the calls in flight, so a job is leased
 * only when a call can start. But when the client answers faster than the loop comes round (the
 * simulated iCIMS with no latency, an iCIMS on the same network), claiming a handful at a time
 * spends nearly all the time in claim and commit overhead instead of calls. Then the worker claims
 * what the client has been finishing in CLAIM_WINDOW_MS, up to MAX_CLAIM. The calls still go out
 * through the client, whose gate keeps real HTTP requests at ICIMS_MAX_CONCURRENCY; the extra jobs
 * wait there, leased (and renewed while in flight), for about CLAIM_WINDOW_MS at the pace just
 * seen. A slow client — a real iCIMS at tens of milliseconds a call — never reaches twice the
 * slots per window and keeps the one-job-per-free-slot behaviour exactly.
 *
 * The pace is what finished between two passes; a pass after a long idle spell measures a slow
 * pace and starts small again.
 */
export class ClaimSizer {
  private finishedCount = 0;
  private finishedAtLastPass = 0;
  private lastPassAt = Number.NaN;
  private jobsPerMs = 0;

  /** A claimed job left the worker (completed, rescheduled, failed or released). */
  finished(): void {
    this.finishedCount += 1;
  }

  /**
   * Jobs to claim now. `mayBatch` is false while the breaker is open or probing: then exactly the
   * free slots (one) are claimed, so a probe is never followed by a batch bouncing off the circuit.
   */
  limit(free: number, slots: number, now: number, mayBatch: boolean): number {
    const done = this.finishedCount - this.finishedAtLastPass;
    const elapsed = now - this.lastPassAt;
    if (done > 0 && elapsed >= 0) this.jobsPerMs = done / Math.max(1, elapsed);
    else if (elapsed > CLAIM_WINDOW_MS) this.jobsPerMs = 0;
    this.finishedAtLastPass = this.finishedCount;
    this.lastPassAt = now;
    if (!mayBatch || free <= 0) return free;
    const paced = Math.floor(this.jobsPerMs * CLAIM_WINDOW_MS);
    return paced >= 2 * slots ? Math.min(MAX_CLAIM, Math.max(free, paced)) : free;
  }
}
