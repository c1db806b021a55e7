import { describe, expect, it } from 'vitest';
import { IssueStore } from '../../src/main/engine/issues/issue-store';
import type { IssueCondition } from '../../src/main/engine/issues/issue-store';
import { openDatabase } from '../../src/main/engine/sync/database';
import { openTempDb } from '../helpers/temp-db';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

const circuit = (severity: IssueCondition['severity'] = 'critical'): IssueCondition => ({
  key: 'circuit_open',
  kind: 'circuit_open',
  severity,
  title: 'Circuit breaker open',
  detail: '5 consecutive calls failed',
});
const rate = (severity: IssueCondition['severity']): IssueCondition => ({
  key: 'success_rate_low',
  kind: 'success_rate_low',
  severity,
  title: `success rate ${severity}`,
  detail: 'calls failed',
});

describe('issues with a lifecycle', () => {
  it('opens once, counts and updates last seen while the problem lasts, resolves when it clears', () => {
    const { db } = openTempDb();
    const store = new IssueStore(db);
    expect(store.evaluate([circuit()], T0).map((t) => t.type)).toEqual(['opened']);
    expect(store.evaluate([circuit()], T0 + MIN)).toEqual([]);
    let [issue] = store.list(T0 + MIN).issues;
    expect(issue).toMatchObject({ state: 'open', firstSeen: new Date(T0).toISOString(), count: 1 });
    expect(issue!.lastSeen).toBe(new Date(T0 + MIN).toISOString());
    expect(store.openCount()).toBe(1);

    const [cleared] = store.evaluate([], T0 + 2 * MIN);
    expect(cleared).toMatchObject({ type: 'resolved', issue: { state: 'resolved', resolvedBy: 'condition cleared' } });
    expect(store.openCount()).toBe(0);
    [issue] = store.list(T0 + 2 * MIN).issues;
    expect(issue!.history.map((h) => h.event)).toEqual(['opened', 'resolved']);
  });

  it('a warning that turns critical is escalated, not a second issue', () => {
    const { db } = openTempDb();
    const store = new IssueStore(db);
    store.evaluate([rate('warning')], T0);
    const [escalated] = store.evaluate([rate('critical')], T0 + MIN);
    expect(escalated).toMatchObject({
      type: 'escalated',
      issue: { severity: 'critical', title: 'success rate critical' },
    });
    expect(store.list(T0).issues).toHaveLength(1);
    // Back to a warning is no news.
    expect(store.evaluate([rate('warning')], T0 + 2 * MIN)).toEqual([]);
  });

  it('snoozed issues are quiet and out of the open count until the snooze runs out', () => {
    const { db } = openTempDb();
    const store = new IssueStore(db);
    store.evaluate([rate('warning')], T0);
    const id = store.list(T0).issues[0]!.id;
    const snoozed = store.snooze(id, 30, 'Dana', T0 + MIN);
    expect(snoozed).toMatchObject({ state: 'snoozed', snoozedUntil: new Date(T0 + 31 * MIN).toISOString() });
    expect(store.openCount()).toBe(0);
    // Escalating while snoozed tells no one …
    expect(store.evaluate([rate('critical')], T0 + 10 * MIN)).toEqual([]);
    // … and once the snooze is over the issue is open again.
    store.evaluate([rate('critical')], T0 + 32 * MIN);
    expect(store.get(id)).toMatchObject({ state: 'open', severity: 'critical', snoozedUntil: null });
    expect(store.get(id).history.map((h) => [h.event, h.actor])).toEqual([
      ['opened', null],
      ['snoozed', 'Dana'],
      ['escalated', null],
      ['unsnoozed', null],
    ]);
  });

  it('a person can resolve it; if the problem is still there, the next check opens a new issue', () => {
    const { db, file } = openTempDb();
    const store = new IssueStore(db);
    store.evaluate([circuit()], T0);
    const first = store.list(T0).issues[0]!.id;
    expect(store.resolve(first, 'Dana', T0 + MIN)).toMatchObject({ state: 'resolved', resolvedBy: 'Dana' });
    expect(() => store.resolve(first, 'Dana', T0 + MIN)).toThrow(/already resolved/);
    const [again] = store.evaluate([circuit()], T0 + 2 * MIN);
    expect(again).toMatchObject({ type: 'opened' });
    expect(again!.issue.id).not.toBe(first);

    // History survives a restart.
    db.close();
    const reopened = openDatabase(file);
    try {
      const issues = new IssueStore(reopened).list(T0 + 3 * MIN).issues;
      expect(issues.map((i) => [i.id, i.state])).toEqual([
        [again!.issue.id, 'open'],
        [first, 'resolved'],
      ]);
      expect(issues[1]!.history.map((h) => [h.event, h.actor])).toEqual([
        ['opened', null],
        ['resolved', 'Dana'],
      ]);
    } finally {
      reopened.close();
    }
  });

  it('a failure group a person resolved stays quiet until it grows, and opens afresh after it cleared', () => {
    const { db } = openTempDb();
    const store = new IssueStore(db);
    const group = (count: number): IssueCondition => ({
      key: 'failure_group:HTTP 422',
      kind: 'failure_group',
      severity: 'warning',
      title: `${count} jobs failed with the same error`,
      detail: 'HTTP 422',
      count,
    });
    store.evaluate([group(3)], T0);
    const id = store.list(T0).issues[0]!.id;
    store.resolve(id, 'Dana', T0 + MIN);
    expect(store.evaluate([group(3)], T0 + 2 * MIN)).toEqual([]);
    const [grown] = store.evaluate([group(4)], T0 + 3 * MIN);
    expect(grown).toMatchObject({ type: 'opened', issue: { count: 4 } });
    store.resolve(grown!.issue.id, 'Dana', T0 + 4 * MIN);
    store.evaluate([], T0 + 5 * MIN);
    expect(store.evaluate([group(3)], T0 + 6 * MIN).map((t) => t.type)).toEqual(['opened']);
  });

  it('snoozing or resolving an unknown or resolved issue is a clear error', () => {
    const { db } = openTempDb();
    const store = new IssueStore(db);
    expect(() => store.snooze(99, 30, 'Dana', T0)).toThrow('No issue #99');
    store.evaluate([circuit()], T0);
    const id = store.list(T0).issues[0]!.id;
    store.evaluate([], T0 + MIN);
    expect(() => store.snooze(id, 30, 'Dana', T0 + 2 * MIN)).toThrow(/resolved; there is nothing to snooze/);
  });
});
