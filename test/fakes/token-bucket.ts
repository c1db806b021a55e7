/** A token bucket on the wall clock: `perMinute` refill, `capacity` burst. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly perMinute: number,
    readonly capacity: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.updatedAt = now();
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) * this.perMinute) / 60_000);
    this.updatedAt = now;
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  remaining(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  /** Milliseconds until one whole token is available. */
  msUntilToken(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
  }

  /** Milliseconds until the bucket is full again. */
  msUntilFull(): number {
    this.refill();
    return Math.ceil(((this.capacity - this.tokens) * 60_000) / this.perMinute);
  }
}
