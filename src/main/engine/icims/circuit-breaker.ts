import type { Clock } from '../clock';
import { CircuitOpenError } from './errors';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  threshold: number;
  openedAt: number | null;
  /** When the open circuit lets its one probe through (epoch ms), else null. */
  nextProbeAt: number | null;
}

export type CircuitListener = (snapshot: CircuitBreakerSnapshot) => void;

/** Proof that the breaker let a call through; hand it back with the call's outcome. */
export interface CircuitPermit {
  readonly probe: boolean;
}

/**
 * ICIMS_CIRCUIT_THRESHOLD consecutive failed calls open the circuit; while open, calls fail fast
 * with CircuitOpenError and nothing is sent; after ICIMS_CIRCUIT_COOLDOWN_MS exactly one probe
 * goes through (half-open): success closes the circuit, failure opens it for another cool-down.
 *
 * What counts: only failures that say "iCIMS is not answering properly" — 5xx, timeouts,
 * connection errors. Any HTTP response that proves the server is up (2xx, 4xx, 429) resets the
 * count and, for a probe, closes the circuit: a 401 is a credentials problem the worker pauses
 * on, a 429 a pacing problem the limiter handles; neither is an outage.
 * A call that never completed (aborted at shutdown) is neutral; an aborted probe hands the probe
 * back so the next caller can try at once.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private openedAt: number | null = null;
  private nextProbeAt: number | null = null;
  private probeInFlight = false;
  private readonly listeners = new Set<CircuitListener>();

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly clock: Clock,
  ) {}

  /** Throws CircuitOpenError when the call may not go out. */
  acquire(): CircuitPermit {
    if (this.state === 'closed') return { probe: false };
    const now = this.clock.now();
    if (this.state === 'open' && this.nextProbeAt !== null && now >= this.nextProbeAt && !this.probeInFlight) {
      this.probeInFlight = true;
      this.transition('half_open');
      return { probe: true };
    }
    const wait = Math.max(0, (this.nextProbeAt ?? now) - now);
    const why =
      this.state === 'half_open'
        ? 'a probe call is deciding whether iCIMS is back'
        : `next probe in ${Math.ceil(wait / 1000)} s`;
    throw new CircuitOpenError(
      `Circuit open after ${this.failures} consecutive failed iCIMS calls; nothing was sent (${why})`,
      this.state === 'half_open' ? Math.max(1000, Math.min(this.cooldownMs, 5000)) : wait,
    );
  }

  /** The server answered (2xx, 4xx, 429). */
  recordSuccess(permit: CircuitPermit): void {
    // Also a call let through before the circuit opened that came back fine: the server is up.
    if (permit.probe) this.probeInFlight = false;
    const changed = this.state !== 'closed' || this.failures !== 0;
    this.failures = 0;
    this.openedAt = null;
    this.nextProbeAt = null;
    if (this.state !== 'closed') this.transition('closed');
    else if (changed) this.emit();
  }

  /** 5xx, timeout or connection error. */
  recordFailure(permit: CircuitPermit): void {
    this.failures += 1;
    if (permit.probe) {
      this.probeInFlight = false;
      this.open();
      return;
    }
    if (this.state === 'closed' && this.failures >= this.threshold) this.open();
    else this.emit();
  }

  /** The call never completed (aborted): it proves nothing either way. */
  recordNeutral(permit: CircuitPermit): void {
    if (!permit.probe) return;
    this.probeInFlight = false;
    this.nextProbeAt = this.clock.now();
    this.transition('open');
  }

  /** An admin closes the circuit by hand ("Reset breaker"). */
  reset(): void {
    this.failures = 0;
    this.openedAt = null;
    this.nextProbeAt = null;
    this.probeInFlight = false;
    this.transition('closed');
  }

  snapshot(): CircuitBreakerSnapshot {
    return {
      state: this.state,
      consecutiveFailures: this.failures,
      threshold: this.threshold,
      openedAt: this.openedAt,
      nextProbeAt: this.nextProbeAt,
    };
  }

  /** Called on every change of state or failure count. Returns an unsubscribe. */
  onChange(listener: CircuitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private open(): void {
    const now = this.clock.now();
    this.openedAt = now;
    this.nextProbeAt = now + this.cooldownMs;
    this.transition('open');
  }

  private transition(state: CircuitState): void {
    this.state = state;
    this.emit();
  }

  private emit(): void {
    const snapshot = this.snapshot();
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch {
        // A listener's bug must not break the call path.
      }
    }
  }
}
