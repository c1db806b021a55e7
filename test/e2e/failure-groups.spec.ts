import { eventually, expect, jobRow, snap, test } from './fixtures';
import { schedulingEvent } from './scheduling-events';

test.describe('a burst of one cause', () => {
  // The 503 job waits long enough to be read on screen as "waiting for retry".
  test.use({ consoleEnv: { SYNC_BACKOFF_MS: '600000', ICIMS_CIRCUIT_THRESHOLD: '100' } });

  test('failed jobs are grouped by cause; Cancel group (confirmed with the count) clears exactly that cause', async ({
    page,
    fake,
    icimsConsole,
    signIn,
  }, testInfo) => {
    await signIn();
    const missing = await icimsConsole.postEvents(
      [1, 2, 3, 4].map((i) => schedulingEvent('booked', `MISSING-${1000 + i}`)),
    );
    await eventually(async () => {
      const { body } = await icimsConsole.api('GET', '/api/jobs?status=failed');
      return (body as { jobs: unknown[] }).jobs.length === 4;
    }, 'the four 404s to fail');
    fake.fail('addNote', { status: 503 });
    const outage = await icimsConsole.postEvents(schedulingEvent('booked', 'APP-OUTAGE'));

    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    const notFound = page.getByTestId('failure-group').filter({ hasText: '404' });
    await expect(notFound).toHaveAttribute('data-count', '4');
    await expect(notFound).toHaveAttribute('data-kind', 'failed');
    await expect(notFound).toContainText('Application <application> does not exist');
    await expect(notFound).toContainText('does not fix itself');
    const waiting = page.getByTestId('failure-group').filter({ hasText: '503' });
    await expect(waiting).toHaveAttribute('data-count', '1');
    await expect(waiting).toHaveAttribute('data-kind', 'waiting');

    // Retry all failed warns that all four will fail again.
    await page.getByRole('button', { name: 'Retry all failed' }).click();
    const retryAll = page.getByRole('dialog', { name: 'Retry 4 failed jobs?' });
    await expect(retryAll.getByTestId('retry-all-hopeless')).toHaveAttribute('data-count', '4');
    await retryAll.getByRole('button', { name: 'Go back' }).click();
    await expect(retryAll).toBeHidden();
    // Focus is back where it was.
    await expect(page.getByRole('button', { name: 'Retry all failed' })).toBeFocused();

    await page.setViewportSize({ width: 1400, height: 900 });
    await snap(page, testInfo, 'failure-groups-1400');
    await page.setViewportSize({ width: 900, height: 900 });
    await snap(page, testInfo, 'failure-groups-900');

    await notFound.getByRole('button', { name: 'Cancel group' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel 4 jobs?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel 4 jobs' }).click();
    await expect(page.getByTestId('toast').filter({ hasText: '4 jobs cancelled' })).toBeVisible();
    for (const { jobId } of missing.jobs) await expect(jobRow(page, jobId)).toHaveAttribute('data-status', 'cancelled');
    await expect(notFound).toHaveCount(0);
    await expect(jobRow(page, outage.jobs[0]!.jobId)).toHaveAttribute('data-status', 'pending');
    // Nothing of the cancelled cause was sent again.
    expect(fake.callsTo('addNote').filter((c) => c.path.includes('MISSING-'))).toHaveLength(4);
  });

  test('row selection: check rows or select everything the filter matches, then act on all of them at once', async ({
    page,
    icimsConsole,
    signIn,
  }) => {
    await signIn();
    const { jobs } = await icimsConsole.postEvents([1, 2, 3].map((i) => schedulingEvent('booked', `MISSING-${i}`)));
    const ok = await icimsConsole.postEvents(schedulingEvent('booked', 'APP-FINE'));
    await page.goto(`${icimsConsole.url}/#/jobs?status=failed`);
    for (const { jobId } of jobs) await expect(jobRow(page, jobId)).toHaveAttribute('data-status', 'failed');

    await page.getByRole('checkbox', { name: `Select job #${jobs[0]!.jobId}` }).check();
    await expect(page.getByTestId('selection-bar')).toHaveAttribute('data-count', '1');
    await page.getByRole('button', { name: 'Select all matching' }).click();
    await expect(page.getByTestId('selection-bar')).toHaveAttribute('data-count', '3');
    await page.getByRole('button', { name: 'Cancel selected' }).click();
    await page.getByRole('dialog', { name: 'Cancel 3 jobs?' }).getByRole('button', { name: 'Cancel 3 jobs' }).click();
    await expect(page.getByTestId('toast').filter({ hasText: '3 jobs cancelled' })).toBeVisible();
    await page.goto(`${icimsConsole.url}/#/jobs`);
    for (const { jobId } of jobs) await expect(jobRow(page, jobId)).toHaveAttribute('data-status', 'cancelled');
    await expect(jobRow(page, ok.jobs[0]!.jobId)).toHaveAttribute('data-status', 'completed');
  });
});
