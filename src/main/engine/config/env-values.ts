import type { ConfigIssue } from './config-error';

/**
 * Parsers for single environment variables. Each returns the parsed value, or the default and an
 * issue naming the variable. Values are echoed in messages only by callers that know the variable
 * is not a secret.
 */

export class EnvReader {
  readonly issues: ConfigIssue[] = [];

  constructor(private readonly env: Record<string, string | undefined>) {}

  /** The trimmed value, or undefined when unset or empty. */
  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  isSet(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  issue(variable: string, field: string | null, message: string): void {
    this.issues.push({ variable, field, message });
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  /** An integer in [min, max]; `min` defaults to 1 (a positive integer). */
  integer(name: string, fallback: number, bounds: { min?: number; max: number }, field: string | null = null): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const min = bounds.min ?? 1;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min) {
      this.issue(
        name,
        field,
        min === 1
          ? `${name} must be a positive integer (got "${raw}")`
          : `${name} must be an integer from ${min} to ${bounds.max} (got "${raw}")`,
      );
      return fallback;
    }
    if (value > bounds.max) {
      this.issue(name, field, `${name} must be at most ${bounds.max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T, field: string | null = null): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.issue(name, field, `${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
    return fallback;
  }

  /** A comma-separated list of positive integers, e.g. `60000,300000`. */
  integerList(name: string, fallback: number[], max: number): number[] {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const parts = raw.split(',').map((p) => p.trim());
    const values = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
    if (values.some((v) => !Number.isSafeInteger(v) || v < 1 || v > max)) {
      this.issue(name, null, `${name} must be a comma-separated list of positive integers up to ${max} (got "${raw}")`);
      return fallback;
    }
    return values;
  }
}
