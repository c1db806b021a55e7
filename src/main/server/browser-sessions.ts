import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tokensEqual } from './request-guards';

export const SESSION_COOKIE = 'console_session';
const LOGIN_CODE_TTL_MS = 15 * 60_000;

/**
 * How a browser signs in to the headless console without anyone copying the API token by hand:
 * the host prints a one-time login URL; opening it swaps the code for an HttpOnly, SameSite=Strict
 * session cookie the page's script can never read. Codes are single use and expire; sessions live
 * in memory, so a restart signs every browser out (and prints a fresh link).
 */
export class BrowserSessions {
  private readonly codes = new Map<string, number>();
  private readonly sessions = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  issueLoginCode(): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, this.now() + LOGIN_CODE_TTL_MS);
    return code;
  }

  /** Consumes the code; returns a new session id, or null when the code is unknown, used or expired. */
  redeem(code: string): string | null {
    for (const [known, expiresAt] of this.codes) {
      if (expiresAt < this.now()) this.codes.delete(known);
    }
    const expiresAt = this.codes.get(code);
    if (expiresAt === undefined) return null;
    this.codes.delete(code);
    const session = randomBytes(32).toString('base64url');
    this.sessions.add(session);
    return session;
  }

  isSignedIn(req: IncomingMessage): boolean {
    const session = readCookie(req, SESSION_COOKIE);
    if (!session) return false;
    for (const known of this.sessions) {
      if (tokensEqual(session, known)) return true;
    }
    return false;
  }

  cookieFor(session: string): string {
    return `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}
