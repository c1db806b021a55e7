import { eventually, expect, jobRow, snap, test } from './fixtures';
import { schedulingEvent } from './scheduling-events';

test.describe('fixing jobs from the console', () => {
  test('a failed job shows on the dashboard and the Jobs screen; Retry (confirmed) completes it with exactly one note', async ({
    page,
    fake,
    icimsConsole,
    signIn,
  }, testInfo) => {
    await signIn();
    // iCIMS does not know this application yet: 404, failed at once (no retry can help).
    const { jobs } = await icimsConsole.postEvents(schedulingEvent('booked', 'MISSING-4711'));
    const jobId = jobs[0]?.jobId ?? 0;

    const failure = page.getByTestId('recent-failure').filter({ hasText: 'MISSING-4711' });
    await expect(failure).toContainText('404');
    await expect(failure).toContainText('does not exist');
    await expect(page.getByTestId('queue-failed')).toHaveText('1');
    await snap(page, testInfo, 'dashboard-recent-failure');

    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    const row = jobRow(page, jobId);
    await expect(row).toHaveAttribute('data-status', 'failed');
    await expect(row).toContainText('MISSING-4711');
    await expect(row).toContainText('does not exist');
    await snap(page, testInfo, 'jobs-failed');

    // The application now exists in iCIMS (say the candidate record was created late).
    fake.configure({ missingPrefix: 'NOT-A-PREFIX-' });
    await row.getByRole('button', { name: 'Retry', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Retry job #${jobId} now?` });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('MISSING-4711');
    await snap(page, testInfo, 'retry-dialog');
    await dialog.getByRole('button', { name: 'Retry job' }).click();
    await expect(dialog).toBeHidden();

    await expect(row).toHaveAttribute('data-status', 'completed');
    await expect(row.getByRole('button', { name: 'Retry', exact: true })).toHaveCount(0);
    const notes = fake.notes.filter((n) => n.applicationId === 'MISSING-4711');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.content).toMatch(/^Interview scheduled: /);
    expect(fake.callsTo('addNote').filter((c) => c.status === 201)).toHaveLength(1);
  });

  test.describe('a waiting job', () => {
    // The initial write fails retryably and the job waits 5 s: long enough to cancel it on
    // screen, short enough to watch its would-be retry time pass.
    test.use({ consoleEnv: { SYNC_BACKOFF_MS: '5000,5000,5000,5000,5000', ICIMS_CIRCUIT_THRESHOLD: '100' } });

    test('Cancel (confirmed) stops a pending job: it is never sent', async ({
      page,
      fake,
      icimsConsole,
      signIn,
    }, testInfo) => {
      await signIn();
      fake.fail('addNote', { status: 503 });
      const { jobs } = await icimsConsole.postEvents(schedulingEvent('rescheduled', 'APP-31337'));
      const jobId = jobs[0]?.jobId ?? 0;

      await page.getByRole('link', { name: 'Jobs', exact: true }).click();
      const row = jobRow(page, jobId);
      await expect(row).toHaveAttribute('data-status', 'pending');
      await expect(row).toContainText('next try in');
      // From here on iCIMS would accept the note: only the cancel keeps it out.
      fake.clearFaults();
      const callsBefore = fake.callsTo('addNote').length;

      await row.getByRole('button', { name: 'Cancel', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `Cancel job #${jobId}?` });
      await expect(dialog).toContainText('will never be written to iCIMS');
      // Focus starts on the safe choice: a stray Enter does not cancel anything.
      await expect(dialog.getByRole('button', { name: 'Go back' })).toBeFocused();
      await dialog.getByRole('button', { name: 'Cancel job' }).click();
      await expect(row).toHaveAttribute('data-status', 'cancelled');
      await expect(row.getByRole('button')).toHaveCount(0);
      await snap(page, testInfo, 'jobs-cancelled');

      const listed = await icimsConsole.api<{ jobs: { id: number; runAfter: string | null; status: string }[] }>(
        'GET',
        '/api/jobs?applicationId=APP-31337',
      );
      const job = listed.body.jobs.find((j) => j.id === jobId);
      expect(job?.status).toBe('cancelled');
      const due = Date.parse(job?.runAfter ?? '') || Date.now() + 5_000;
      // Past the time the retry would have run, plus a few worker polls.
      await page.waitForTimeout(Math.max(0, due - Date.now()) + 1_500);
      expect(fake.notes.filter((n) => n.applicationId === 'APP-31337')).toHaveLength(0);
      expect(fake.callsTo('addNote')).toHaveLength(callsBefore);
      await expect(row).toHaveAttribute('data-status', 'cancelled');

      // The same application still gets later notes: the fake was accepting all along.
      await icimsConsole.postEvents(schedulingEvent('cancelled', 'APP-31337'));
      await eventually(() => fake.notes.some((n) => n.applicationId === 'APP-31337'), 'the later note for APP-31337');
      expect(fake.notes.filter((n) => n.applicationId === 'APP-31337')).toHaveLength(1);
      expect(fake.notes.find((n) => n.applicationId === 'APP-31337')?.content).toMatch(/^Interview cancelled: /);
    });
  });

  test('keyboard only: open a job, back out of a retry with Escape, then retry it', async ({
    page,
    fake,
    icimsConsole,
    signIn,
  }, testInfo) => {
    await signIn();
    const { jobs } = await icimsConsole.postEvents(schedulingEvent('booked', 'MISSING-5150'));
    const jobId = jobs[0]?.jobId ?? 0;
    await page.getByRole('link', { name: 'Jobs', exact: true }).focus();
    await page.keyboard.press('Enter');
    const row = jobRow(page, jobId);
    await expect(row).toHaveAttribute('data-status', 'failed');

    // The row's link opens the details; the panel's heading takes the focus; Escape closes it.
    await row.getByRole('link', { name: `#${jobId}` }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: `Job #${jobId}` })).toBeFocused();
    await expect(page.getByTestId('job-detail')).toContainText('does not exist');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('job-detail')).toHaveCount(0);

    fake.configure({ missingPrefix: 'NOT-A-PREFIX-' });
    const retry = row.getByRole('button', { name: 'Retry', exact: true });
    await retry.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Retry job #${jobId} now?` });
    await expect(dialog.getByRole('button', { name: 'Go back' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(retry).toBeFocused();
    await expect(row).toHaveAttribute('data-status', 'failed');
    expect(fake.notes).toHaveLength(0);

    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('button', { name: 'Go back' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Retry job' })).toBeFocused();
    await snap(page, testInfo, 'keyboard-retry-dialog');
    await page.keyboard.press('Enter');
    await expect(row).toHaveAttribute('data-status', 'completed');
    expect(fake.notes.filter((n) => n.applicationId === 'MISSING-5150')).toHaveLength(1);
  });

  test('Retry all failed (confirmed) sends every failed job again', async ({
    page,
    fake,
    icimsConsole,
    signIn,
  }, testInfo) => {
    await signIn();
    const apps = ['MISSING-801', 'MISSING-802', 'MISSING-803'];
    const { jobs } = await icimsConsole.postEvents(apps.map((app) => schedulingEvent('link_created', app)));
    await icimsConsole.postEvents(schedulingEvent('booked', 'APP-800'));

    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    for (const job of jobs) await expect(jobRow(page, job.jobId)).toHaveAttribute('data-status', 'failed');
    await expect(page.getByTestId('count-failed')).toHaveText('3');

    fake.configure({ missingPrefix: 'NOT-A-PREFIX-' });
    await page.getByRole('button', { name: 'Retry all failed' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry 3 failed jobs?' });
    await expect(dialog).toBeVisible();
    await snap(page, testInfo, 'retry-all-dialog');
    // Backing out changes nothing.
    await dialog.getByRole('button', { name: 'Go back' }).click();
    await expect(dialog).toBeHidden();
    await expect(jobRow(page, jobs[0]?.jobId ?? 0)).toHaveAttribute('data-status', 'failed');

    await page.getByRole('button', { name: 'Retry all failed' }).click();
    await dialog.getByRole('button', { name: 'Retry 3 jobs' }).click();
    await expect(page.getByRole('status').filter({ hasText: '3 failed jobs will be sent again.' })).toBeVisible();
    for (const job of jobs) await expect(jobRow(page, job.jobId)).toHaveAttribute('data-status', 'completed');
    await expect(page.getByTestId('count-failed')).toHaveText('0');
    await expect(page.getByRole('button', { name: 'Retry all failed' })).toBeDisabled();
    await snap(page, testInfo, 'jobs-after-retry-all');
    for (const app of apps)
      expect(
        fake.notes.filter((n) => n.applicationId === app),
        app,
      ).toHaveLength(1);
    expect(fake.notes).toHaveLength(4);
  });
});
