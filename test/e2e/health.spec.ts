import { E2E_API_KEY } from './headless-console';
import { eventually, expect, snap, test } from './fixtures';
import { eventBatch, schedulingEvent } from './scheduling-events';

/*
 * Faults scripted at the fake iCIMS move the status card on screen, with no reload: the
 * console pushes a change over server-sent events as each call ends.
 */

test.describe('health on screen follows iCIMS', () => {
  test('a 429 turns the console degraded with a rate-limit alert; the note still arrives once', async ({
    page,
    fake,
    icimsConsole,
    signIn,
  }, testInfo) => {
    await signIn();
    await icimsConsole.postEvents(schedulingEvent('booked', 'APP-20001'));
    await expect(page.getByTestId('queue-completed')).toHaveText('1');
    await expect(page.getByTestId('status-card')).toHaveAttribute('data-status', 'healthy');

    fake.fail('addNote', { status: 429, headers: { 'retry-after': '1' }, times: 1 });
    await icimsConsole.postEvents(schedulingEvent('link_created', 'APP-20002'));

    const status = page.getByTestId('status-card');
    await expect(status).toHaveAttribute('data-status', 'degraded');
    await expect(status).toContainText('429');
    await expect(page.getByTestId('metric-rate-limit-hits')).toHaveText('1');
    const alert = page.getByTestId('alert').filter({ hasText: 'rate limit' });
    await expect(alert).toHaveAttribute('data-severity', 'info');
    // The 429 was waited out: the job completes without spending a retry.
    await expect(page.getByTestId('queue-completed')).toHaveText('2');
    await snap(page, testInfo, 'degraded-rate-limit');
    expect(fake.notes.filter((n) => n.applicationId === 'APP-20002')).toHaveLength(1);

    // The rules keep a recent rate-limit hit "degraded" for the 15-minute window, fixed or not.
    await page.reload();
    await expect(page.getByTestId('status-card')).toHaveAttribute('data-status', 'degraded');
  });

  test('rejected credentials turn it down with a critical auth alert; Resume brings it back to healthy', async ({
    page,
    fake,
    icimsConsole,
    signIn,
  }, testInfo) => {
    await signIn();
    await icimsConsole.postEvents(schedulingEvent('booked', 'APP-21001'));
    await expect(page.getByTestId('queue-completed')).toHaveText('1');

    // Someone rotates the key on the iCIMS side.
    fake.configure({ auth: { mode: 'apiKey', apiKey: 'rotated-key-9f8e7d6c5b' } });
    const { jobs } = await icimsConsole.postEvents(schedulingEvent('rescheduled', 'APP-21002'));

    const status = page.getByTestId('status-card');
    await expect(status).toHaveAttribute('data-status', 'down');
    const alert = page.getByTestId('alert').filter({ hasText: 'rejected the credentials' });
    await expect(alert).toHaveAttribute('data-severity', 'critical');
    await expect(alert).toContainText('retries stopped');
    await expect(page.getByTestId('worker-state')).toHaveAttribute('data-state', 'paused');
    await expect(page.getByTestId('queue-failed')).toHaveText('1');
    await snap(page, testInfo, 'down-auth');

    // While paused nothing else is attempted.
    const callsWhilePaused = fake.callsTo('addNote').length;
    await icimsConsole.postEvents(schedulingEvent('booked', 'APP-21003'));
    await expect(page.getByTestId('queue-pending')).toHaveText('1');
    expect(fake.callsTo('addNote')).toHaveLength(callsWhilePaused);

    // The key is put back on the iCIMS side; the admin resumes the worker.
    fake.configure({ auth: { mode: 'apiKey', apiKey: E2E_API_KEY } });
    await page.getByRole('button', { name: 'Resume worker' }).click();
    await expect(page.getByTestId('worker-state')).toHaveAttribute('data-state', 'running');
    await expect(status).toHaveAttribute('data-status', 'healthy');
    await expect(page.getByTestId('alert')).toHaveCount(0);
    await expect(page.getByTestId('queue-completed')).toHaveText('2');
    expect(fake.notes.map((n) => n.applicationId).sort()).toEqual(['APP-21001', 'APP-21003']);
    expect(jobs[0]?.jobId).toBeGreaterThan(0);
  });

  test('5xx past the breaker threshold turns it down with the circuit open; reset and traffic bring it back', async ({
    page,
    fake,
    icimsConsole,
    signIn,
  }, testInfo) => {
    await signIn();
    await icimsConsole.postEvents(schedulingEvent('booked', 'APP-22001'));
    await expect(page.getByTestId('queue-completed')).toHaveText('1');

    // All of iCIMS is down: the read-back that follows a write in doubt fails too (a read-back that
    // succeeded would count as a good call and keep the breaker closed).
    fake.fail('addNote', { status: 503 });
    fake.fail('readNotes', { status: 503 });
    await icimsConsole.postEvents([schedulingEvent('booked', 'APP-22002'), schedulingEvent('booked', 'APP-22003')]);

    const status = page.getByTestId('status-card');
    await expect(status).toHaveAttribute('data-status', 'down');
    await expect(page.getByTestId('circuit-state')).toHaveAttribute('data-state', 'open');
    const alert = page.getByTestId('alert').filter({ hasText: 'Circuit breaker open' });
    await expect(alert).toHaveAttribute('data-severity', 'critical');
    await expect(page.getByTestId('recent-failure').first()).toContainText('503');
    await snap(page, testInfo, 'down-circuit-open');

    // iCIMS recovers; the admin resets the breaker instead of waiting out the cool-down.
    fake.clearFaults();
    await page.getByRole('button', { name: 'Reset breaker' }).click();
    await expect(page.getByTestId('circuit-state')).toHaveAttribute('data-state', 'closed');
    await expect(page.getByTestId('queue-completed')).toHaveText('3');
    // Still down by the success-rate rule: most recent calls failed.
    await expect(status).toHaveAttribute('data-status', 'down');
    await expect(status).toContainText('below 80 %');

    // Enough good traffic lifts the 15-minute success rate over 95 %.
    const failed = fake.calls.filter((c) => c.status === 503).length;
    const needed = failed * 20 + 10;
    await icimsConsole.postEvents(eventBatch(needed, 30_000));
    await eventually(() => fake.notes.length >= needed + 3, `${needed + 3} notes at the fake`, 30_000);
    await expect(status).toHaveAttribute('data-status', 'healthy');
    await expect(page.getByTestId('alert')).toHaveCount(0);
    await expect(page.getByTestId('queue-completed')).toHaveText(String(needed + 3));
  });
});
