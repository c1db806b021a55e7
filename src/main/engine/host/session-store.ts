import { createHash, randomBytes } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';

export const SESSION_IDLE_MS = 12 * 60 * 60_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60_000;

export interface SessionRecord {
  tokenHash: string;
  label: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

interface SessionRow {
  token_hash: string;
  label: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface SessionLifetimes {
  idleMs: number;
  absoluteMs: number;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Activity younger than this does not rewrite the row: one write a minute per session is plenty. */
const TOUCH_GRANULARITY_MS = 60_000;

/**
 * Browser sessions of the headless console, in the database so they survive a restart. Only a
 * SHA-256 of each token is stored (the token is 256 random bits, so no salt or slow hash is
 * needed): a copy of the database cannot be used to sign in. A session ends at the first of its
 * idle end (no request for `idleMs`) and its absolute end (`absoluteMs` after sign-in), or at
 * Sign out.
 */
export class SessionStore {
  private readonly insert: Statement<[string, string, number, number, number]>;
  private readonly select: Statement<[string], SessionRow>;
  private readonly touchRow: Statement<[number, string]>;
  private readonly remove: Statement<[string]>;
  private readonly prune: Statement<[number, number]>;

  constructor(
    db: Database,
    private readonly now: () => number,
    readonly lifetimes: SessionLifetimes = { idleMs: SESSION_IDLE_MS, absoluteMs: SESSION_ABSOLUTE_MS },
  ) {
    this.insert = db.prepare(
      'INSERT INTO console_sessions (token_hash, label, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.select = db.prepare('SELECT * FROM console_sessions WHERE token_hash = ?');
    this.touchRow = db.prepare('UPDATE console_sessions SET last_seen_at = ? WHERE token_hash = ?');
    this.remove = db.prepare('DELETE FROM console_sessions WHERE token_hash = ?');
    this.prune = db.prepare('DELETE FROM console_sessions WHERE expires_at <= ? OR last_seen_at <= ?');
  }

  /** A new session; the token is returned once and only its hash is kept. */
  create(label: string): { token: string; session: SessionRecord } {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const session: SessionRecord = {
      tokenHash: hashToken(token),
      label,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.lifetimes.absoluteMs,
    };
    this.insert.run(session.tokenHash, label, now, now, session.expiresAt);
    return { token, session };
  }

  /** The live session this token opens (and notes the activity), or null. Expired ones are deleted. */
  use(token: string): SessionRecord | null {
    const row = this.select.get(hashToken(token));
    if (!row) return null;
    const now = this.now();
    if (now >= row.expires_at || now >= row.last_seen_at + this.lifetimes.idleMs) {
      this.remove.run(row.token_hash);
      return null;
    }
    if (now - row.last_seen_at >= TOUCH_GRANULARITY_MS) this.touchRow.run(now, row.token_hash);
    return {
      tokenHash: row.token_hash,
      label: row.label,
      createdAt: row.created_at,
      lastSeenAt: now,
      expiresAt: row.expires_at,
    };
  }

  /** Sign out: the token is refused from now on. Returns the session it ended, if it was live. */
  end(token: string): SessionRecord | null {
    const session = this.use(token);
    if (session) this.remove.run(session.tokenHash);
    return session;
  }

  pruneExpired(): number {
    const now = this.now();
    return this.prune.run(now, now - this.lifetimes.idleMs).changes;
  }
}
