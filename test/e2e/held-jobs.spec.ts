import type { Page } from '@playwright/test';
import { E2E_API_KEY } from './headless-console';
import { eventually, expect, jobRow, snap, test } from './fixtures';
import { schedulingEvent } from './scheduling-events';

/*
 * Jobs are bound to the iCIMS they were made for. This console starts in mock mode with nothing
 * from the environment, so the admin can switch it to the (fake) real iCIMS and back on screen.
 */
const NOTHING_FROM_ENV = { ICIMS_MODE: null, ICIMS_BASE_URL: null, ICIMS_API_KEY: null };

async function saveSettings(page: Page, edit: () => Promise<void>): Promise<void> {
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await edit();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved and applied.' }).last()).toBeVisible();
}

async function setWorker(page: Page, button: 'Pause worker' | 'Resume worker'): Promise<void> {
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await page.getByRole('button', { name: button }).click();
  await expect(
    page.getByRole('button', { name: button === 'Pause worker' ? 'Resume worker' : 'Pause worker' }),
  ).toBeVisible();
}

test.describe('held jobs', () => {
  test.use({ consoleEnv: NOTHING_FROM_ENV });

  test('jobs made in mock mode are held after the switch to real iCIMS, never sent there, can be cancelled, and switching back releases them', async ({
    page,
    fake,
    icimsConsole,
    signIn,
  }, testInfo) => {
    await signIn();
    // No simulated traffic: only the jobs this test makes.
    await saveSettings(page, () => page.getByLabel('Simulate traffic').uncheck());
    // Paused, the mock jobs are still waiting when the console moves to real iCIMS.
    await setWorker(page, 'Pause worker');
    const { jobs } = await icimsConsole.postEvents(
      ['APP-HELD-1', 'APP-HELD-2', 'APP-HELD-3'].map((id) => schedulingEvent('booked', id)),
    );
    const [kept, dropped, other] = jobs.map((j) => j.jobId) as [number, number, number];

    await saveSettings(page, async () => {
      await page.getByLabel('Mode').selectOption('real');
      await page.getByLabel('Base URL').fill(fake.url);
      await page.getByLabel('API key', { exact: true }).fill(E2E_API_KEY);
    });
    await setWorker(page, 'Resume worker');
    // A job made now is for the real iCIMS, and it is the only note written there.
    const real = await icimsConsole.postEvents(schedulingEvent('booked', 'APP-REAL'));
    await eventually(() => fake.notes.length === 1, 'the job made for the real iCIMS to land');

    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await expect(jobRow(page, real.jobs[0]!.jobId)).toHaveAttribute('data-status', 'completed');
    for (const id of [kept, dropped, other]) {
      await expect(jobRow(page, id)).toHaveAttribute('data-status', 'held');
      await expect(jobRow(page, id)).toContainText('made for another iCIMS');
    }
    const group = page.locator('[data-testid="failure-group"][data-kind="held"]');
    await expect(group).toHaveAttribute('data-count', '3');
    await expect(group).toContainText('Made for mock (simulated iCIMS)');
    await snap(page, testInfo, 'held-jobs');

    // The detail says what it was made for and why it waits.
    await page.goto(`${icimsConsole.url}/#/jobs/${kept}`);
    const detail = page.getByTestId('job-detail');
    await expect(detail.getByTestId('job-destination')).toHaveText('mock (simulated iCIMS)');
    await expect(detail.getByTestId('job-held-reason')).toContainText(
      'not sent until the console points at this iCIMS',
    );
    await expect(detail.getByTestId('icims-link')).toHaveCount(0);

    // Cleared: cancelled like any waiting job.
    await page.goto(`${icimsConsole.url}/#/jobs/${dropped}`);
    await page.getByTestId('job-detail').getByRole('button', { name: 'Cancel this job' }).click();
    await page
      .getByRole('dialog', { name: `Cancel job #${dropped}?` })
      .getByRole('button', { name: 'Cancel job' })
      .click();
    await expect(jobRow(page, dropped)).toHaveAttribute('data-status', 'cancelled');
    await expect(group).toHaveAttribute('data-count', '2');

    // Nothing made for mock mode ever reached the real iCIMS.
    expect(fake.notes.map((n) => n.applicationId)).toEqual(['APP-REAL']);
    expect(fake.callsTo('addNote').filter((c) => c.path.includes('APP-HELD'))).toHaveLength(0);

    // Back to mock mode: the held jobs are released and written there; the cancelled one stays cancelled.
    await saveSettings(page, async () => {
      await page.getByLabel('Mode').selectOption('mock');
    });
    await page.goto(`${icimsConsole.url}/#/jobs`);
    for (const id of [kept, other]) {
      await expect(jobRow(page, id)).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
    }
    await expect(jobRow(page, dropped)).toHaveAttribute('data-status', 'cancelled');
    await expect(page.locator('[data-testid="failure-group"][data-kind="held"]')).toHaveCount(0);
    expect(fake.callsTo('addNote').filter((c) => c.path.includes('APP-HELD'))).toHaveLength(0);
  });
});
