import type { Database } from 'better-sqlite3';
import type { Actor } from '../../../shared/actor';
import { SYSTEM_ACTOR } from '../../../shared/actor';
import type { AuditAction, AuditEntry, AuditPage } from '../../../shared/audit';
import type { Clock } from '../clock';

/** What a caller knows about an action once it has run. */
export interface AuditRecord {
  /** Who: the transport's actor; absent means the engine itself (tests, timers). */
  actor?: Actor | undefined;
  action: AuditAction;
  jobId?: number | null;
  /** Human text without secret values. */
  detail?: string | null;
  /** `null`/absent: it worked; a message: it failed, and why. */
  error?: string | null;
}

/** A stored entry, as both the SQLite and the team trail keep it. */
export interface AuditRow {
  id: number;
  at: number;
  actor_kind: Actor['kind'];
  actor_label: string;
  action: AuditAction;
  job_id: number | null;
  detail: string | null;
  result: 'ok' | 'error';
  error: string | null;
}

const MAX_TEXT = 1000;
/** An audit trail is for people: a year of clicks is small, and older entries answer nothing. */
export const AUDIT_RETENTION_MS = 365 * 24 * 60 * 60 * 1000;

/** What the handlers need of an audit trail: the console's own (SQLite) or the team's. */
export interface AuditLog {
  record(entry: AuditRecord): void;
  list(input: AuditListInput): AuditPage | Promise<AuditPage>;
}

export interface AuditListInput {
  limit: number;
  cursor?: number | undefined;
  jobId?: number | undefined;
}

/**
 * The audit trail's table. `record` never throws: an action that worked must not be reported as
 * failed because its log line could not be written.
 */
export class AuditTrail implements AuditLog {
  private readonly insert;
  private readonly page;
  private readonly jobPage;
  private readonly prune;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly onRecorded: () => void = () => {},
    /** Error texts can quote what a server answered: secrets are taken out before they are stored. */
    private readonly redact: (text: string) => string = (text) => text,
  ) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (at, actor_kind, actor_label, action, job_id, detail, result, error)
       VALUES (@at, @actor_kind, @actor_label, @action, @job_id, @detail, @result, @error)`,
    );
    this.page = db.prepare<[number, number], AuditRow>('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?');
    this.jobPage = db.prepare<[number, number, number], AuditRow>(
      'SELECT * FROM audit_log WHERE job_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
    );
    this.prune = db.prepare<[number]>('DELETE FROM audit_log WHERE at < ?');
  }

  record(entry: AuditRecord): void {
    const row = storedAuditRow(entry, this.clock.now(), this.redact);
    try {
      this.insert.run(row);
      this.onRecorded();
    } catch {
      // The database is closing or full; the action itself already happened.
    }
  }

  /** Newest first; `cursor` is the last id of the previous page. */
  list(input: AuditListInput): AuditPage {
    const below = input.cursor ?? Number.MAX_SAFE_INTEGER;
    const rows =
      input.jobId !== undefined
        ? this.jobPage.all(input.jobId, below, input.limit + 1)
        : this.page.all(below, input.limit + 1);
    return auditPage(rows, input.limit);
  }

  pruneOlderThan(now: number): number {
    return this.prune.run(now - AUDIT_RETENTION_MS).changes;
  }

  count(): number {
    return this.db.prepare<[], number>('SELECT count(*) FROM audit_log').pluck().get() ?? 0;
  }
}

/** The row an entry is stored as: the engine itself when no actor, texts redacted and clipped. */
export function storedAuditRow(entry: AuditRecord, at: number, redact: (text: string) => string): Omit<AuditRow, 'id'> {
  const actor = entry.actor ?? SYSTEM_ACTOR;
  return {
    at,
    actor_kind: actor.kind,
    actor_label: clip(actor.label) ?? '',
    action: entry.action,
    job_id: entry.jobId ?? null,
    detail: clip(entry.detail ? redact(entry.detail) : null),
    result: entry.error ? 'error' : 'ok',
    error: clip(entry.error ? redact(entry.error) : null),
  };
}

/**
 * A page from up to `limit + 1` rows, newest first: the extra row only says another page follows,
 * which starts below the last entry shown. A row's `node` (the team's trail) is kept.
 */
export function auditPage(rows: readonly (AuditRow & { node?: string })[], limit: number): AuditPage {
  const entries = rows
    .slice(0, limit)
    .map((row) => (row.node === undefined ? toEntry(row) : { ...toEntry(row), node: row.node }));
  return { entries, nextCursor: rows.length > limit ? (entries.at(-1)?.id ?? null) : null };
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: { kind: row.actor_kind, label: row.actor_label },
    action: row.action,
    jobId: row.job_id,
    detail: row.detail,
    result: row.result,
    error: row.error,
  };
}

function clip(text: string | null): string | null {
  if (text === null) return null;
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}
