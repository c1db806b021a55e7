import { randomBytes } from 'node:crypto';
import type { Browser, Page } from '@playwright/test';
import { startFakeIcims } from '../fakes/fake-icims';
import type { FakeIcims } from '../fakes/fake-icims';
import type { PgCluster } from '../helpers/pg-cluster';
import { onDatabase, pgAvailable, pgSkipReason, startPgCluster } from '../helpers/pg-cluster';
import { defaultConsoleEnv, eventually, expect, jobRow, snap, test } from './fixtures';
import type { HeadlessConsole } from './headless-console';
import { assertBuilt, E2E_API_KEY, startHeadlessConsole } from './headless-console';
import { schedulingEvent } from './scheduling-events';
import { documentedGrants } from '../helpers/team-roles';

/**
 * Team mode as operators see it: a throwaway PostgreSQL cluster, two headless consoles sharing
 * its queue, and a third whose database role may only read (the viewer of docs/TEAM_MODE.md,
 * "Roles"). The consoles live for the whole file (serial): starting three engines per test
 * would cost more than the tests themselves.
 */

/** The GRANT block of docs/TEAM_MODE.md "Roles", run as written (the test cluster makes its own database). */
async function signInTo(page: Page, app: HeadlessConsole): Promise<void> {
  await page.goto(await app.mintLoginUrl());
  await expect(page.getByRole('link', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByTestId('status-card')).toHaveAttribute('data-status', /healthy|degraded|down/);
}

async function newSignedInPage(browser: Browser, app: HeadlessConsole): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signInTo(page, app);
  return page;
}

async function jobStatus(app: HeadlessConsole, jobId: number): Promise<string | null> {
  const { body } = await app.api<{ jobs?: { id: number; status: string }[] }>('GET', '/api/jobs?limit=100');
  return body.jobs?.find((job) => job.id === jobId)?.status ?? null;
}

test.describe('team mode: consoles sharing one queue on PostgreSQL', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  test.skip(!pgAvailable, pgSkipReason);

  let cluster: PgCluster | undefined;
  let fake: FakeIcims | undefined;
  let databaseUrl = '';
  const consoles: HeadlessConsole[] = [];
  let engineA: HeadlessConsole;
  let engineB: HeadlessConsole;
  const teamKey = randomBytes(32).toString('base64');

  const teamEnv = (name: string, extra: Record<string, string> = {}): Record<string, string> => ({
    ...defaultConsoleEnv(fake!),
    // A retryable failure waits a minute: long enough to act on the job on screen.
    SYNC_BACKOFF_MS: '60000,60000,60000,60000,60000',
    ICIMS_CIRCUIT_THRESHOLD: '100',
    SYNC_DATABASE_URL: databaseUrl,
    SYNC_NODE_NAME: name,
    SYNC_TEAM_KEY: teamKey,
    ...extra,
  });

  const start = async (name: string, extra: Record<string, string> = {}) => {
    const app = await startHeadlessConsole({ env: teamEnv(name, extra), startTimeoutMs: 60_000 });
    consoles.push(app);
    return app;
  };

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    assertBuilt();
    cluster = await startPgCluster();
    databaseUrl = await cluster.createDatabase('team_e2e');
    fake = await startFakeIcims({ auth: { mode: 'apiKey', apiKey: E2E_API_KEY } });
    // One after the other: the first engine creates the schema and publishes the team's settings.
    engineA = await start('engine-a');
    engineB = await start('engine-b');
  });

  test.afterAll(async () => {
    for (const app of consoles.reverse()) await app.dispose().catch(() => undefined);
    await fake?.close();
    await cluster?.stop();
  });

  test('the Team card lists both engines as active', async ({ page }, testInfo) => {
    await signInTo(page, engineA);
    const card = page.getByTestId('team-card');
    await expect(card.getByTestId('team-database')).toHaveAttribute('data-state', 'up');
    const nodes = card.getByTestId('team-nodes');
    for (const name of ['engine-a', 'engine-b']) {
      await expect(nodes.locator(`[data-testid="team-node"][data-node="${name}"]`)).toHaveAttribute(
        'data-state',
        'active',
      );
    }
    await expect(nodes.locator('[data-node="engine-a"]')).toContainText('(this console)');
    await expect(page.getByTestId('read-only-banner')).toHaveCount(0);
    await expect(page.getByTestId('database-banner')).toHaveCount(0);
    await card.scrollIntoViewIfNeeded();
    await snap(page, testInfo, 'team-card');
  });

  test("a job cancelled in one console shows as cancelled in the other's Jobs screen without a reload, and in its Activity", async ({
    browser,
  }, testInfo) => {
    // iCIMS is down for a moment: the job waits a minute for its next try, on whichever engine took it.
    fake!.fail('addNote', { status: 503 });
    const { jobs } = await engineA.postEvents(schedulingEvent('booked', 'APP-TEAM-1'));
    const jobId = jobs[0]?.jobId ?? 0;
    await eventually(
      async () => (await jobStatus(engineA, jobId)) === 'pending' && fake!.callsTo('addNote').length > 0,
      'the first try',
    );
    fake!.clearFaults();

    const pageA = await newSignedInPage(browser, engineA);
    const pageB = await newSignedInPage(browser, engineB);
    try {
      for (const page of [pageA, pageB]) {
        await page.getByRole('link', { name: 'Jobs', exact: true }).click();
        await expect(jobRow(page, jobId)).toHaveAttribute('data-status', 'pending');
      }

      await jobRow(pageA, jobId).getByRole('button', { name: 'Cancel', exact: true }).click();
      await pageA
        .getByRole('dialog', { name: `Cancel job #${jobId}?` })
        .getByRole('button', { name: 'Cancel job' })
        .click();
      await expect(jobRow(pageA, jobId)).toHaveAttribute('data-status', 'cancelled');
      // Console B learns it from the database (LISTEN/NOTIFY), and its screen from B's push.
      await expect(jobRow(pageB, jobId)).toHaveAttribute('data-status', 'cancelled', { timeout: 2_500 });
      // B's Activity names who cancelled it, and in which console: the audit trail is the team's.
      await pageB.getByRole('link', { name: 'Activity', exact: true }).click();
      const entry = pageB.getByTestId('audit-entry').filter({ hasText: `#${jobId}` });
      await expect(entry).toHaveAttribute('data-action', 'cancel', { timeout: 2_500 });
      await expect(entry).toContainText('on engine-a');
      await expect(pageB.getByTestId('activity')).toContainText('in every console of the team');
      await snap(pageB, testInfo, 'team-activity');
    } finally {
      await pageA.context().close();
      await pageB.context().close();
    }
  });

  test('a console whose database role may only read shows the queue read-only and says why', async ({
    page,
  }, testInfo) => {
    // Something to retry and something to cancel: a job for an application iCIMS does not know
    // (failed at once), and one waiting after a 503.
    const failed = (await engineA.postEvents(schedulingEvent('booked', 'MISSING-TEAM-2'))).jobs[0]?.jobId ?? 0;
    await eventually(async () => (await jobStatus(engineA, failed)) === 'failed', 'the failed job');
    fake!.fail('addNote', { status: 503 });
    const triesBefore = fake!.callsTo('addNote').length;
    const waiting = (await engineA.postEvents(schedulingEvent('rescheduled', 'APP-TEAM-3'))).jobs[0]?.jobId ?? 0;
    await eventually(
      async () => (await jobStatus(engineA, waiting)) === 'pending' && fake!.callsTo('addNote').length > triesBefore,
      'the waiting job',
    );
    fake!.clearFaults();

    await onDatabase(databaseUrl, (admin) => admin.query(documentedGrants('viewer-password')));
    const viewerUrl = databaseUrl.replace('postgres://postgres@', 'postgres://sync_viewer:viewer-password@');
    const viewer = await start('viewer', { SYNC_DATABASE_URL: viewerUrl, SYNC_WORKER: 'off' });

    await signInTo(page, viewer);
    const banner = page.getByTestId('read-only-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toHaveAttribute('role', 'status');
    await expect(banner).toContainText('may only read');
    const reason = (await banner.locator('#read-only-reason').textContent()) ?? '';
    expect(reason.length).toBeGreaterThan(20);

    const worker = page.getByTestId('worker-card');
    const pause = worker.getByRole('button', { name: /Pause workers|Resume workers/ });
    await expect(pause).toBeDisabled();
    await expect(pause).toHaveAttribute('title', `Read-only: ${reason}`);
    await expect(pause).toHaveAttribute('aria-describedby', 'read-only-reason');
    await expect(worker.getByRole('button', { name: 'Reset breaker' })).toBeDisabled();
    // The viewer sends nothing and may not register: only the two engines are listed.
    await expect(page.getByTestId('team-node')).toHaveCount(2);
    // It sends nothing, yet its call figures are the team's: the engines' failed tries, each named
    // (two 503s so far: too few calls to judge the health by, and the status card says so).
    await expect(page.getByTestId('status-card')).toContainText('too few calls were made to judge');
    await expect(page.getByTestId('metrics-scope')).toHaveText('all engines · last 24 hours');
    await expect(page.getByTestId('metric-success-rate')).not.toContainText('—');
    const failure = page.getByTestId('recent-failure').first();
    await expect(failure.getByTestId('failure-node')).toHaveText(/^on engine-(a|b)$/);
    await page.getByTestId('recent-failures').scrollIntoViewIfNeeded();
    await snap(page, testInfo, 'team-viewer-recent-failures');

    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await expect(jobRow(page, failed)).toHaveAttribute('data-status', 'failed');
    await expect(jobRow(page, waiting)).toHaveAttribute('data-status', 'pending');
    for (const [jobId, name] of [
      [failed, 'Retry'],
      [failed, 'Cancel'],
      [waiting, 'Cancel'],
    ] as const) {
      const button = jobRow(page, jobId).getByRole('button', { name, exact: true });
      await expect(button).toBeDisabled();
      await expect(button).toHaveAttribute('title', `Read-only: ${reason}`);
    }
    await expect(page.getByRole('button', { name: 'Retry all failed' })).toBeDisabled();
    const groups = page.getByTestId('failure-group');
    await expect(groups.first()).toBeVisible();
    await expect(groups.first().getByRole('button', { name: 'Cancel group' })).toBeDisabled();
    // The selection bar too; selecting rows changes nothing, so it stays possible.
    await jobRow(page, failed).getByRole('checkbox').check();
    await expect(page.getByTestId('selection-bar').getByRole('button', { name: 'Retry selected' })).toBeDisabled();
    await expect(page.getByTestId('selection-bar').getByRole('button', { name: 'Cancel selected' })).toBeDisabled();
    await jobRow(page, failed).getByRole('checkbox').uncheck();
    // The job detail's actions.
    await jobRow(page, failed)
      .getByRole('link', { name: `#${failed}` })
      .click();
    await expect(page.getByTestId('job-detail').getByRole('button', { name: 'Retry this job' })).toBeDisabled();
    await expect(page.getByTestId('job-detail').getByRole('button', { name: 'Cancel this job' })).toBeDisabled();

    // Settings: nothing to save; testing the connection changes nothing and stays possible.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Test connection' })).toBeEnabled();
    await expect(page.getByTestId('read-only-banner')).toBeVisible();

    // It reads the shared queue all the same.
    expect(await jobStatus(viewer, failed)).toBe('failed');

    for (const width of [1280, 900]) {
      await page.setViewportSize({ width, height: 800 });
      for (const screen of ['Dashboard', 'Jobs', 'Settings'] as const) {
        await page.getByRole('link', { name: screen, exact: true }).click();
        await expect(page.getByTestId('read-only-banner')).toBeVisible();
        await page.waitForTimeout(300);
        await snap(page, testInfo, `read-only-${screen.toLowerCase()}-${width}`);
      }
    }
  });
  test('while the team database is unreachable every screen says so, and the banner goes once it is back', async ({
    page,
  }, testInfo) => {
    await signInTo(page, engineA);
    await expect(page.getByTestId('database-banner')).toHaveCount(0);
    await cluster!.halt();
    try {
      const banner = page.getByTestId('database-banner');
      await expect(banner).toBeVisible({ timeout: 30_000 });
      await expect(banner).toHaveAttribute('role', 'alert');
      await expect(banner).toContainText('Team database unreachable');
      await expect(page.getByTestId('team-database')).toHaveAttribute('data-state', 'unreachable');
      await snap(page, testInfo, 'database-unreachable');
      await page.getByRole('link', { name: 'Jobs', exact: true }).click();
      await expect(banner).toBeVisible();
      // The Activity screen lists this console's own actions meanwhile, and says so.
      await page.getByRole('link', { name: 'Activity', exact: true }).click();
      await expect(page.getByTestId('activity-team-unavailable')).toBeVisible();
      await expect(page.getByTestId('audit-entry').first()).toHaveAttribute('data-action', 'sign_in');
      await snap(page, testInfo, 'activity-database-unreachable');
    } finally {
      await cluster!.start();
    }
    await expect(page.getByTestId('database-banner')).toHaveCount(0, { timeout: 30_000 });
  });

  test("an engine whose environment names another iCIMS: the Team card says where each sends, and that it sends only its own iCIMS' jobs", async ({
    page,
  }, testInfo) => {
    const other = await startFakeIcims({ auth: { mode: 'apiKey', apiKey: E2E_API_KEY } });
    try {
      await start('engine-c', { ICIMS_BASE_URL: other.url });
      await signInTo(page, engineA);
      const note = page.getByTestId('team-destinations-differ');
      await expect(note).toBeVisible();
      await expect(note).toContainText('2 different iCIMS');
      const destinations = page.getByTestId('team-node-destination');
      await expect(destinations).toHaveCount(3);
      await expect(page.locator('[data-node="engine-c"]').getByTestId('team-node-destination')).toContainText(
        other.url,
      );
      await page.getByTestId('team-card').scrollIntoViewIfNeeded();
      await snap(page, testInfo, 'team-card-destinations');
    } finally {
      await consoles.pop()?.dispose();
      await other.close();
    }
  });
});
