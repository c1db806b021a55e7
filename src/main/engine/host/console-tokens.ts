import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleApiError } from '../../../shared/console-api';
import type { ConsoleTokenKind } from '../../../shared/console-tokens';
import { MIN_CONSOLE_TOKEN_LENGTH } from '../config/resolve-config';
import { PRIVATE_FILE_MODE, writePrivateFile } from './private-files';

export const TOKEN_FILES: Record<ConsoleTokenKind, string> = { api: 'api-token', ingest: 'ingest-token' };
export const TOKEN_VARIABLES: Record<ConsoleTokenKind, string> = {
  api: 'CONSOLE_API_TOKEN',
  ingest: 'CONSOLE_INGEST_TOKEN',
};

interface HeldToken {
  value: string;
  /** The 0600 file holding a generated token; null when the environment set it. */
  file: string | null;
}

/** Compares digests so neither the token's length nor a common prefix leaks through timing. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The console's two bearer tokens (docs/INTERFACES.md §1): the API token opens every local route
 * (it is the admin's); the ingest token only `POST /api/events` (it is the scheduling system's, so
 * a leak there cannot change settings or read candidates' jobs). Each comes from its environment
 * variable, else is generated at first start and kept in a 0600 file in the data folder, so it
 * survives restarts and is never printed or logged. A rotation replaces the file and the value in
 * memory at once: the old token is refused from the next request on.
 */
export class ConsoleTokens {
  private readonly held: Record<ConsoleTokenKind, HeldToken>;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly dataDir: string,
    fromEnvironment: Record<ConsoleTokenKind, string | null>,
  ) {
    this.held = {
      api: this.load('api', fromEnvironment.api),
      ingest: this.load('ingest', fromEnvironment.ingest),
    };
  }

  value(kind: ConsoleTokenKind): string {
    return this.held[kind].value;
  }

  file(kind: ConsoleTokenKind): string | null {
    return this.held[kind].file;
  }

  source(kind: ConsoleTokenKind): 'environment' | 'generated' {
    return this.held[kind].file === null ? 'environment' : 'generated';
  }

  /** Which token this is, if any. Both are compared, always, so timing does not tell which matched. */
  identify(given: string): ConsoleTokenKind | null {
    const api = tokensEqual(given, this.held.api.value);
    const ingest = tokensEqual(given, this.held.ingest.value);
    return api ? 'api' : ingest ? 'ingest' : null;
  }

  rotate(kind: ConsoleTokenKind): string {
    const held = this.held[kind];
    if (held.file === null) {
      throw new ConsoleApiError(
        'conflict',
        `The ${kind === 'api' ? 'API' : 'ingest'} token is set by environment (${TOKEN_VARIABLES[kind]}): change it there and restart the console`,
      );
    }
    const value = generateToken();
    writePrivateFile(held.file, value + '\n');
    this.held[kind] = { value, file: held.file };
    for (const listener of [...this.listeners]) listener();
    return value;
  }

  /**
   * Takes a token decided elsewhere (in team mode, the team's: team/team-settings.ts), kept like a
   * rotation: written to its 0600 file, the old value refused from the next request on, listeners
   * told. A token set by environment wins: nothing changes and the answer is false. A value too
   * short, or equal to the other token (the ingest token would then open every route), is refused.
   */
  adopt(kind: ConsoleTokenKind, value: string): boolean {
    const held = this.held[kind];
    if (held.file === null) return false;
    if (value.length < MIN_CONSOLE_TOKEN_LENGTH)
      throw new Error(`the ${kind} token to adopt is shorter than ${MIN_CONSOLE_TOKEN_LENGTH} characters`);
    if (value === this.held[kind === 'api' ? 'ingest' : 'api'].value)
      throw new Error('the API token and the ingest token must differ');
    if (value === held.value) return true;
    writePrivateFile(held.file, value + '\n');
    this.held[kind] = { value, file: held.file };
    for (const listener of [...this.listeners]) listener();
    return true;
  }

  /** Called after a rotation or an adoption (the engine's redactor must learn the new value). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  values(): string[] {
    return [this.held.api.value, this.held.ingest.value];
  }

  private load(kind: ConsoleTokenKind, fromEnvironment: string | null): HeldToken {
    if (fromEnvironment) return { value: fromEnvironment, file: null };
    const file = join(this.dataDir, TOKEN_FILES[kind]);
    if (existsSync(file)) {
      chmodSync(file, PRIVATE_FILE_MODE);
      const value = readFileSync(file, 'utf8').trim();
      // A shorter token was written by an older version: replace it rather than keep it.
      if (value.length >= MIN_CONSOLE_TOKEN_LENGTH) return { value, file };
    }
    const value = generateToken();
    writePrivateFile(file, value + '\n');
    return { value, file };
  }
}

/** 32 random bytes: 43 base64url characters. */
function generateToken(): string {
  return randomBytes(32).toString('base64url');
}
