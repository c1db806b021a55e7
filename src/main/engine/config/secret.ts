import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A credential (API key, client secret, password, console API token) as the config carries it.
 * Every way an object is usually turned into text — `String()`, template literals,
 * `JSON.stringify`, `util.inspect`/`console.log`, vitest's diffs — yields `[redacted]`; only an
 * explicit `.reveal()` at the point of use (building an Authorization header) gives the value.
 * The value sits in an ES private field, which neither `Object.keys`, spreading nor
 * `structuredClone` can see.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}

/** A Secret for a non-empty value, else null. */
export function secretOrNull(value: string | null | undefined): Secret | null {
  return value === null || value === undefined || value === '' ? null : new Secret(value);
}
