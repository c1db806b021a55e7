import type { AuditPage } from '../../../shared/audit';
import { auditPage, storedAuditRow } from '../audit/audit-trail';
import type { AuditListInput, AuditLog, AuditRecord, AuditRow, AuditTrail } from '../audit/audit-trail';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { isConnectionLost } from './pg-connection';
import type { TeamDatabase } from './pg-connection';

/** NOTIFY channel: an entry was added to the team's audit trail; consoles refetch their Activity. */
export const AUDIT_CHANNEL = 'team_audit';

// The entry and the notification in one statement: the other consoles refetch once it is committed.
const PG_INSERT_AUDIT = `
  WITH added AS (
    INSERT INTO audit_log (at, node, actor_kind, actor_label, action, job_id, detail, result, error)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))
  SELECT pg_notify('${AUDIT_CHANNEL}', '')`;

const PG_AUDIT_COLUMNS = `id::float8 AS id, at::float8 AS at, node, actor_kind, actor_label, action,
         job_id::float8 AS job_id, detail, result, error`;

const PG_AUDIT_PAGE = `SELECT ${PG_AUDIT_COLUMNS} FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2`;

const PG_AUDIT_JOB_PAGE = `
  SELECT ${PG_AUDIT_COLUMNS} FROM audit_log WHERE job_id = $3 AND id < $1 ORDER BY id DESC LIMIT $2`;

type StoredRow = Omit<AuditRow, 'id'>;
type TeamRow = AuditRow & { node: string };

/** Entries kept while the team database is away, to be written once it is back. */
const MAX_BACKLOG = 1_000;

export interface TeamAuditTrailOptions {
  /** This engine's SYNC_NODE_NAME, stored with every entry it records. */
  node: string;
  clock: Clock;
  logger: Logger;
  redact: (text: string) => string;
  /** False for a console on a read-only role: its entries stay in its own trail. */
  writable: () => boolean;
}

/**
 * The team's audit trail: what people did in any console of the team, so an operator sees who
 * retried or cancelled a job whichever console they used. Every entry is recorded twice: in this
 * console's own trail (SQLite, as a single console keeps it: it survives the team database being
 * away) and in the team database's `audit_log` with the engine's name, which notifies every
 * console. Lists read the team's; while the team database is unreachable they read this console's
 * own and say so (`teamUnavailable`), and what is recorded meanwhile is written to the team's once
 * it is back. `record` never throws and never waits: an action that worked must not fail because
 * its log line could not be written; a team row refused for another reason is logged. A console
 * on a read-only role (a viewer) keeps its entries in its own trail.
 */
export class TeamAuditTrail implements AuditLog {
  private readonly pending = new Set<Promise<void>>();
  private readonly backlog: StoredRow[] = [];
  private onNotification: ((message: { channel: string }) => void) | null = null;

  constructor(
    private readonly db: TeamDatabase,
    private readonly own: AuditTrail,
    private readonly options: TeamAuditTrailOptions,
  ) {}

  record(entry: AuditRecord): void {
    this.own.record(entry);
    if (this.options.writable()) this.write(storedAuditRow(entry, this.options.clock.now(), this.options.redact));
  }

  /**
   * Writes one team row; one that met the database away waits in `backlog` (the oldest dropped
   * past MAX_BACKLOG) and is written when the listener is back, so the team's trail also shows
   * what was done meanwhile.
   */
  private write(row: StoredRow): void {
    const written = this.db
      .query(PG_INSERT_AUDIT, [
        row.at,
        this.options.node,
        row.actor_kind,
        row.actor_label,
        row.action,
        row.job_id,
        row.detail,
        row.result,
        row.error,
      ])
      .then(
        () => undefined,
        (error: unknown) => {
          if (isConnectionLost(error)) {
            if (this.backlog.push(row) > MAX_BACKLOG) this.backlog.shift();
            return;
          }
          this.options.logger.log('warn', 'team.audit_not_written', {
            action: row.action,
            error: error instanceof Error ? error.message : String(error),
          });
        },
      )
      .finally(() => this.pending.delete(written));
    this.pending.add(written);
  }

  private readonly onReconnected = (): void => {
    for (const row of this.backlog.splice(0)) this.write(row);
  };

  async list(input: AuditListInput): Promise<AuditPage> {
    const ownOnly = (): AuditPage => ({ ...this.own.list(input), teamUnavailable: true });
    // Known to be away: this console's own at once, not after a connection attempt times out.
    if (this.db.current.state === 'unreachable') return ownOnly();
    const below = input.cursor ?? Number.MAX_SAFE_INTEGER;
    try {
      const rows =
        input.jobId !== undefined
          ? await this.db.query<TeamRow>(PG_AUDIT_JOB_PAGE, [below, input.limit + 1, input.jobId])
          : await this.db.query<TeamRow>(PG_AUDIT_PAGE, [below, input.limit + 1]);
      return auditPage(rows, input.limit);
    } catch (error) {
      if (!isConnectionLost(error)) throw error;
      return ownOnly();
    }
  }

  /** Calls `changed` whenever any console of the team added an entry (this one included). */
  async follow(changed: () => void): Promise<void> {
    this.onNotification = (message) => {
      if (message.channel === AUDIT_CHANNEL) changed();
    };
    this.db.on('notification', this.onNotification);
    this.db.on('reconnected', this.onReconnected);
    await this.db.listen(AUDIT_CHANNEL);
  }

  stop(): void {
    if (this.onNotification) this.db.off('notification', this.onNotification);
    this.db.off('reconnected', this.onReconnected);
    this.onNotification = null;
  }

  /** Waits for the team rows being written (a clean shutdown, tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
