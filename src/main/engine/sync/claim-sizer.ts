/** The most jobs one pass claims: one claim and one completing transaction per hundred jobs. */
export const MAX_CLAIM = 100;
/** A fast client gets as many jobs per pass as it finishes in this long. */
const CLAIM_WINDOW_MS = 20;

/**
 * How many jobs the worker claims per pass of its loop.
 *
 * Normally the free slots: ICIMS_MAX_CONCURRENCY minus the calls in flight, so a job is leased
 * only when a call can start. But when the client answers faster than the loop comes round (the
 * simulated iCIMS with no latency, an iCIMS on the same network), claiming a handful at a time
 * spends nearly all the time in claim and commit overhead instead of calls. Then the worker claims
 * what the client finishes in CLAIM_WINDOW_MS, up to MAX_CLAIM. The calls still go out through the
 * client, whose gate keeps real HTTP requests at ICIMS_MAX_CONCURRENCY; the extra jobs wait there,
 * leased (and renewed while in flight), for about CLAIM_WINDOW_MS at the pace just seen. A slow
 * client — a real iCIMS at tens of milliseconds a call — never finishes twice its slots in a
 * window and keeps the one-job-per-free-slot behaviour exactly.
 *
 * The pace is counted over whole windows, never over the millisecond between two passes (two
 * jobs finishing in the same millisecond say nothing about the next twenty). Within a window
 * that is still open, what has finished so far is a lower bound, so a client that empties a
 * batch at once is recognised at once. A window spanning an idle spell measures a slow pace,
 * so a pass after a pause starts small again.
 */
export class ClaimSizer {
  private windowStart = Number.NaN;
  private finishedInWindow = 0;
  /** Jobs finished per CLAIM_WINDOW_MS, as last measured. */
  private perWindow = 0;

  /** A claimed job left the worker (completed, rescheduled, failed or released). */
  finished(): void {
    this.finishedInWindow += 1;
  }

  /**
   * Jobs to claim now. `mayBatch` is false while the breaker is open or probing: then exactly the
   * free slots (one) are claimed, so a probe is never followed by a batch bouncing off the circuit.
   */
  limit(free: number, slots: number, now: number, mayBatch: boolean): number {
    const elapsed = now - this.windowStart;
    if (Number.isNaN(elapsed) || elapsed < 0) {
      this.startWindow(now, 0);
    } else if (elapsed >= CLAIM_WINDOW_MS) {
      this.startWindow(now, (this.finishedInWindow * CLAIM_WINDOW_MS) / elapsed);
    } else {
      this.perWindow = Math.max(this.perWindow, this.finishedInWindow);
    }
    if (!mayBatch || free <= 0 || this.perWindow < 2 * slots) return free;
    return Math.min(MAX_CLAIM, Math.max(free, Math.floor(this.perWindow)));
  }

  private startWindow(now: number, perWindow: number): void {
    this.windowStart = now;
    this.finishedInWindow = 0;
    this.perWindow = perWindow;
  }
}
