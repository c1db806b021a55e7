import type { Database } from 'better-sqlite3';
import type { Issue, IssueEvent, IssueKind, IssueList, IssueSeverity } from '../../../shared/issues';
import { ConsoleApiError } from '../../../shared/console-api';

/** A problem the monitor sees right now. `key` tells one problem from another of the same kind. */
export interface IssueCondition {
  key: string;
  kind: IssueKind;
  severity: IssueSeverity;
  title: string;
  detail: string;
  /** What the problem counts (failed jobs in a group, 429s); absent: how often it began. */
  count?: number;
}

/** What changed in one evaluation, for people who are not looking (webhook, notification). */
export interface IssueTransition {
  type: 'opened' | 'escalated' | 'resolved';
  issue: Issue;
}

interface IssueRow {
  id: number;
  key: string;
  kind: IssueKind;
  severity: IssueSeverity;
  title: string;
  detail: string;
  state: Issue['state'];
  first_seen: number;
  last_seen: number;
  count: number;
  snoozed_until: number | null;
  resolved_at: number | null;
  resolved_by: string | null;
}

interface EventRow {
  at: number;
  event: string;
  actor_label: string | null;
  detail: string | null;
}

const RANK: Record<IssueSeverity, number> = { info: 0, warning: 1, critical: 2 };
const RESOLVED_KEPT_MS = 7 * 24 * 60 * 60 * 1000;
const RESOLVED_LISTED = 50;
/** Resolved issues (and their history) are kept this long, then pruned. */
export const ISSUE_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;
export const CONDITION_CLEARED = 'condition cleared';
/** Kinds whose count says whether the problem got worse since a person looked. */
const COUNTED_KINDS: ReadonlySet<IssueKind> = new Set(['failure_group']);

/**
 * Issues and their history in SQLite. `evaluate` is the only way the engine opens, updates and
 * resolves issues; people resolve and snooze through `resolve` and `snooze`. All of it runs in
 * one transaction per call, so a crash cannot leave an issue without its history line.
 */
export class IssueStore {
  /**
   * Counted problems a person resolved while they were still there (key → count then): a failure
   * group someone has dealt with stays quiet until it grows or clears. Kept in memory only: after
   * a restart such a problem opens once more, which errs on the side of telling people.
   */
  private readonly acknowledged = new Map<string, number>();
  private readonly live;
  private readonly byId;
  private readonly events;
  private readonly insertIssue;
  private readonly insertEvent;
  private readonly update;
  private readonly listed;
  private readonly openCountStmt;

  constructor(private readonly db: Database) {
    this.live = db.prepare<[], IssueRow>("SELECT * FROM issues WHERE state <> 'resolved'");
    this.byId = db.prepare<[number], IssueRow>('SELECT * FROM issues WHERE id = ?');
    this.events = db.prepare<[number], EventRow>(
      'SELECT at, event, actor_label, detail FROM issue_events WHERE issue_id = ? ORDER BY id',
    );
    this.insertIssue = db.prepare(
      `INSERT INTO issues (key, kind, severity, title, detail, state, first_seen, last_seen, count)
       VALUES (@key, @kind, @severity, @title, @detail, 'open', @now, @now, @count)`,
    );
    this.insertEvent = db.prepare(
      'INSERT INTO issue_events (issue_id, at, event, actor_label, detail) VALUES (?, ?, ?, ?, ?)',
    );
    this.update = db.prepare(
      `UPDATE issues SET severity = @severity, title = @title, detail = @detail, state = @state, last_seen = @last_seen,
         count = @count, snoozed_until = @snoozed_until, resolved_at = @resolved_at, resolved_by = @resolved_by
       WHERE id = @id`,
    );
    this.listed = db.prepare<[number, number], IssueRow>(
      `SELECT * FROM issues WHERE state <> 'resolved'
       UNION ALL
       SELECT * FROM (SELECT * FROM issues WHERE state = 'resolved' AND resolved_at >= ? ORDER BY resolved_at DESC LIMIT ?)`,
    );
    this.openCountStmt = db.prepare<[], number>("SELECT count(*) FROM issues WHERE state = 'open'").pluck();
  }

  /** Brings the issues in line with the conditions seen now; returns what people should hear. */
  evaluate(conditions: IssueCondition[], now: number): IssueTransition[] {
    return this.db.transaction(() => {
      const transitions: { type: IssueTransition['type']; id: number; quiet: boolean }[] = [];
      const seen = new Map(conditions.map((c) => [c.key, c]));
      for (const row of this.live.all()) {
        const condition = seen.get(row.key);
        seen.delete(row.key);
        let state = row.state;
        let snoozedUntil = row.snoozed_until;
        if (state === 'snoozed' && snoozedUntil !== null && snoozedUntil <= now) {
          state = 'open';
          snoozedUntil = null;
          this.insertEvent.run(row.id, now, 'unsnoozed', null, 'the snooze ran out');
        }
        if (!condition) {
          this.write({
            ...row,
            state: 'resolved',
            resolved_at: now,
            resolved_by: CONDITION_CLEARED,
            snoozed_until: null,
          });
          this.insertEvent.run(row.id, now, 'resolved', null, CONDITION_CLEARED);
          transitions.push({ type: 'resolved', id: row.id, quiet: row.state === 'snoozed' });
          continue;
        }
        const escalated = RANK[condition.severity] > RANK[row.severity];
        this.write({
          ...row,
          severity: condition.severity,
          title: condition.title,
          detail: condition.detail,
          state,
          last_seen: now,
          count: Math.max(row.count, condition.count ?? row.count),
          snoozed_until: snoozedUntil,
        });
        if (escalated) {
          this.insertEvent.run(
            row.id,
            now,
            'escalated',
            null,
            `${row.severity} → ${condition.severity}: ${condition.title}`,
          );
          transitions.push({ type: 'escalated', id: row.id, quiet: state === 'snoozed' });
        }
      }
      for (const key of this.acknowledged.keys()) {
        const condition = conditions.find((c) => c.key === key);
        if (!condition || (condition.count ?? 0) > (this.acknowledged.get(key) ?? 0)) this.acknowledged.delete(key);
      }
      for (const condition of seen.values()) {
        if (this.acknowledged.has(condition.key)) continue;
        const id = Number(
          this.insertIssue.run({ ...condition, now, count: Math.max(1, condition.count ?? 1) }).lastInsertRowid,
        );
        this.insertEvent.run(id, now, 'opened', null, condition.title);
        transitions.push({ type: 'opened', id, quiet: false });
      }
      return transitions.filter((t) => !t.quiet).map((t) => ({ type: t.type, issue: this.get(t.id) }));
    })();
  }

  /**
   * A person says it is solved. A counted problem (a failure group) then opens again only when it
   * grows; any other problem that is still there opens a new issue at the next check.
   */
  resolve(id: number, actor: string, now: number): Issue {
    return this.db.transaction(() => {
      const row = this.require(id);
      if (row.state === 'resolved') throw new ConsoleApiError('conflict', `Issue #${id} is already resolved`);
      if (COUNTED_KINDS.has(row.kind)) this.acknowledged.set(row.key, row.count);
      this.write({ ...row, state: 'resolved', resolved_at: now, resolved_by: actor, snoozed_until: null });
      this.insertEvent.run(id, now, 'resolved', actor, null);
      return this.get(id);
    })();
  }

  /** Quiet until `now + minutes`: no webhook or notification, not in the open count. */
  snooze(id: number, minutes: number, actor: string, now: number): Issue {
    return this.db.transaction(() => {
      const row = this.require(id);
      if (row.state === 'resolved')
        throw new ConsoleApiError('conflict', `Issue #${id} is resolved; there is nothing to snooze`);
      const until = now + minutes * 60_000;
      this.write({ ...row, state: 'snoozed', snoozed_until: until });
      this.insertEvent.run(
        id,
        now,
        'snoozed',
        actor,
        `until ${new Date(until).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      );
      return this.get(id);
    })();
  }

  list(now: number): IssueList {
    const rows = this.listed.all(now - RESOLVED_KEPT_MS, RESOLVED_LISTED);
    const live = rows.filter((r) => r.state !== 'resolved').sort((a, b) => b.last_seen - a.last_seen || b.id - a.id);
    const resolved = rows.filter((r) => r.state === 'resolved');
    return { openCount: this.openCount(), issues: [...live, ...resolved].map((row) => this.toIssue(row)) };
  }

  openCount(): number {
    return this.openCountStmt.get() ?? 0;
  }

  prune(now: number): number {
    return this.db
      .prepare<[number]>("DELETE FROM issues WHERE state = 'resolved' AND resolved_at < ?")
      .run(now - ISSUE_RETENTION_MS).changes;
  }

  get(id: number): Issue {
    return this.toIssue(this.require(id));
  }

  private require(id: number): IssueRow {
    const row = this.byId.get(id);
    if (!row) throw new ConsoleApiError('not_found', `No issue #${id}`);
    return row;
  }

  private write(row: IssueRow): void {
    this.update.run(row);
  }

  private toIssue(row: IssueRow): Issue {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      id: row.id,
      key: row.key,
      kind: row.kind,
      severity: row.severity,
      title: row.title,
      detail: row.detail,
      state: row.state,
      firstSeen: new Date(row.first_seen).toISOString(),
      lastSeen: new Date(row.last_seen).toISOString(),
      count: row.count,
      snoozedUntil: iso(row.snoozed_until),
      resolvedAt: iso(row.resolved_at),
      resolvedBy: row.resolved_by,
      history: this.events.all(row.id).map((e): IssueEvent => ({
        at: new Date(e.at).toISOString(),
        event: e.event,
        actor: e.actor_label,
        detail: e.detail,
      })),
    };
  }
}
