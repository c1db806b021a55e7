import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IssueNotifier } from '../../src/main/electron/issue-notifier';
import {
  closeConsolesAfterEach,
  makeEvent,
  startConsole,
  TEST_API_KEY,
  testEnv,
  waitFor,
} from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';
import { Notification } from './electron-fake';

vi.mock('electron', () => import('./electron-fake'));

const WRONG_KEY = 'wrong-api-key-1234567890';
closeConsolesAfterEach();

beforeEach(() => {
  Notification.shown.length = 0;
  Notification.supported = true;
});

/** A real engine whose credentials are wrong, with the desktop notifier listening to it. */
async function consoleWithWrongKey(): Promise<ConsoleHarness> {
  const harness = await startConsole({
    env: (fake) => {
      const env = testEnv(fake);
      delete env.ICIMS_API_KEY;
      return env;
    },
    savedSettings: { secrets: { apiKey: WRONG_KEY } },
  });
  const notifier = new IssueNotifier(() => {});
  harness.engine.onIssueTransition((transition) => notifier.notify(transition));
  return harness;
}

async function rejectCredentials(harness: ConsoleHarness): Promise<void> {
  const { body } = await harness.api('POST', '/api/events', { body: makeEvent('booked') });
  await harness.waitForJob(body.jobId as number, 'failed');
  await harness.engine.checkIssues();
}

const titles = () => Notification.shown.map((shown) => shown.title);

describe('desktop notifications follow the Issues screen', () => {
  it('a critical issue notifies when it opens and when it is resolved', async () => {
    const harness = await consoleWithWrongKey();
    await rejectCredentials(harness);
    await waitFor(() => Notification.shown.length === 1, { what: 'the notification of the opened issue' });
    const [opened] = Notification.shown;
    const [issue] = (await harness.engine.api.listIssues({})).issues;
    expect(issue).toMatchObject({ kind: 'auth_failure', severity: 'critical', state: 'open' });
    expect(opened).toEqual({ title: issue!.title, body: issue!.detail });

    await harness.engine.api.saveSettings({ values: {}, secrets: { apiKey: TEST_API_KEY } });
    await waitFor(async () => (await harness.engine.api.getSnapshot({})).worker.state === 'running', {
      what: 'the worker to resume with the new key',
    });
    await harness.engine.checkIssues();
    await waitFor(() => Notification.shown.length === 2, { what: 'the notification of the resolution' });
    expect(titles()).toEqual([issue!.title, `Resolved: ${issue!.title}`]);
  });

  it('a snoozed issue stays quiet on the desktop until it comes back after it cleared', async () => {
    const harness = await consoleWithWrongKey();
    await rejectCredentials(harness);
    await waitFor(() => Notification.shown.length === 1, { what: 'the notification of the opened issue' });
    const [issue] = (await harness.engine.api.listIssues({})).issues;
    await harness.engine.api.snoozeIssue({ id: issue!.id, minutes: 60 });

    // Fixed while snoozed: the issue resolves without a word.
    await harness.engine.api.saveSettings({ values: {}, secrets: { apiKey: TEST_API_KEY } });
    await waitFor(async () => (await harness.engine.api.getSnapshot({})).worker.state === 'running', {
      what: 'the worker to resume with the new key',
    });
    expect(await harness.engine.checkIssues()).toEqual([]);
    expect((await harness.engine.api.listIssues({})).issues.find((i) => i.id === issue!.id)?.state).toBe('resolved');
    expect(titles()).toEqual([issue!.title]);

    // A new problem is a new issue: people hear of it again.
    await harness.engine.api.saveSettings({ values: {}, secrets: { apiKey: WRONG_KEY } });
    await rejectCredentials(harness);
    await waitFor(() => Notification.shown.length === 2, { what: 'the notification of the new issue' });
    expect(titles()).toEqual([issue!.title, issue!.title]);
  });

  it('warnings stay on screen, and a platform without notifications shows none', async () => {
    const notifier = new IssueNotifier(() => {});
    const issue = {
      id: 1,
      key: 'failure_group:x',
      kind: 'failure_group' as const,
      severity: 'warning' as const,
      title: '3 jobs failed with the same error',
      detail: 'Fix the cause, then retry them.',
      state: 'open' as const,
      firstSeen: '2026-12-03T06:00:00.000Z',
      lastSeen: '2026-12-03T06:00:00.000Z',
      count: 3,
      snoozedUntil: null,
      resolvedAt: null,
      resolvedBy: null,
      history: [],
    };
    notifier.notify({ type: 'opened', issue });
    Notification.supported = false;
    notifier.notify({ type: 'escalated', issue: { ...issue, severity: 'critical' } });
    expect(Notification.shown).toHaveLength(0);
  });
});
