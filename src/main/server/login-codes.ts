import { randomBytes } from 'node:crypto';
import { tokensEqual } from '../engine/host/console-tokens';

const LOGIN_CODE_TTL_MS = 15 * 60_000;

/**
 * One-time sign-in codes: the link the headless console prints at start (and
 * `POST /api/session-links` mints) carries one. A code signs one browser in once and expires after
 * 15 minutes. Codes live in memory only: a restart prints a fresh link, and a code never outlives
 * the process that showed it.
 */
export class LoginCodes {
  private readonly codes = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, this.now() + LOGIN_CODE_TTL_MS);
    return code;
  }

  /** Consumes the code; false when it is unknown, used or expired. */
  redeem(code: string): boolean {
    const now = this.now();
    let match: string | null = null;
    for (const [known, expiresAt] of this.codes) {
      if (expiresAt <= now) this.codes.delete(known);
      else if (tokensEqual(code, known)) match = known;
    }
    if (match === null) return false;
    this.codes.delete(match);
    return true;
  }
}
