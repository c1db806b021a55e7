import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, jobRow, snap, test } from './fixtures';
import { schedulingEvent } from './scheduling-events';

test.describe('issues, activity, forecast', () => {
  test('a growing failure group is an issue until someone deals with it; every action lands in Activity', async ({
    page,
    fake,
    icimsConsole,
    signIn,
  }, testInfo) => {
    await signIn();
    // Three applications iCIMS does not know: three jobs fail with the same error.
    const { jobs } = await icimsConsole.postEvents([
      schedulingEvent('booked', 'MISSING-1001'),
      schedulingEvent('booked', 'MISSING-1002'),
      schedulingEvent('booked', 'MISSING-1003'),
    ]);
    const count = page.getByTestId('open-issues-count');
    await expect(count).toHaveText('1', { timeout: 20_000 });
    await expect(page.getByTestId('forecast')).toBeVisible();
    await snap(page, testInfo, 'dashboard-forecast');

    await page.getByRole('link', { name: /^Issues/ }).click();
    const issue = page.getByTestId('issue').filter({ hasText: 'jobs failed with the same error' });
    await expect(issue).toHaveAttribute('data-kind', 'failure_group');
    await expect(issue.getByTestId('issue-count')).toHaveText('3');
    await expect(issue).toContainText('does not exist');
    await snap(page, testInfo, 'issues-open');

    // Snoozed: quiet, and out of the top bar's count.
    await issue.getByLabel('Snooze for').selectOption('240');
    await issue.getByRole('button', { name: 'Snooze' }).click();
    await expect(issue).toHaveAttribute('data-state', 'snoozed');
    await expect(count).toHaveCount(0);

    // Resolved by a person: it stays resolved while the group does not grow …
    await issue.getByRole('button', { name: 'Resolve' }).click();
    const resolved = page.getByTestId('resolved-issues').getByTestId('issue');
    await expect(resolved).toHaveCount(1);
    // People are named by their browser session: browser, system and when it signed in.
    await expect(resolved).toContainText(/resolved .*\(\w+ on \w+, signed in \d{4}-\d{2}-\d{2}/);
    await resolved.getByText(/^History/).click();
    await expect(resolved).toContainText(/snoozed by \w+ on \w+, signed in /);
    await snap(page, testInfo, 'issues-resolved');

    // … and comes back, counted, when it does.
    await icimsConsole.postEvents(schedulingEvent('booked', 'MISSING-1004'));
    const again = page.getByTestId('open-issues').getByTestId('issue');
    await expect(again.getByTestId('issue-count')).toHaveText('4', { timeout: 20_000 });
    await expect(count).toHaveText('1');

    // A retry from the job's detail panel: the job shows who did it.
    fake.configure({ missingPrefix: 'NOT-A-PREFIX-' });
    const jobId = jobs[0]!.jobId;
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await jobRow(page, jobId).getByRole('button', { name: 'Retry', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Retry job' }).click();
    await expect(jobRow(page, jobId)).toHaveAttribute('data-status', 'completed');
    await jobRow(page, jobId).click();
    const detail = page.getByTestId('job-detail');
    await expect(detail.getByTestId('audit-entry')).toHaveAttribute('data-action', 'retry');
    await expect(detail.getByTestId('audit-entry')).toContainText(/signed in .*\(browser\)/);

    await page.getByRole('link', { name: 'Activity', exact: true }).click();
    const entries = page.getByTestId('audit-entry');
    await expect(entries.first()).toHaveAttribute('data-action', 'retry');
    expect(await entries.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')))).toEqual([
      'retry',
      'issue_resolve',
      'issue_snooze',
    ]);
    await expect(entries.first()).toContainText(`#${jobId}`);
    await snap(page, testInfo, 'activity');

    // The same trail for scripts.
    const api = await icimsConsole.api<{ entries: { action: string; actor: { kind: string } }[] }>('GET', '/api/audit');
    expect(api.body.entries.map((e) => [e.action, e.actor.kind])).toEqual([
      ['retry', 'session'],
      ['issue_resolve', 'session'],
      ['issue_snooze', 'session'],
    ]);
  });

  test('Settings → Alerts: a webhook that reaches a real receiver, field errors in plain words, and a diagnostics file without candidate data', async ({
    page,
    icimsConsole,
    signIn,
  }, testInfo) => {
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/services/T1/B2/secret-hook-e2e`;
    try {
      await icimsConsole.postEvents(schedulingEvent('booked', 'APP-2001', { candidateName: 'Ottilie Brandvold' }));
      await signIn();
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      const alerts = page.getByTestId('alert-settings');

      await alerts.getByLabel('Business hours').fill('weekdays 9 to 5');
      await alerts.getByRole('button', { name: 'Save alert settings' }).click();
      await expect(alerts.getByRole('alert')).toHaveText(/^Business hours must read like "Mon-Fri 09:00-17:00"/);

      await alerts.getByLabel('Business hours').fill('Mon-Fri 09:00-17:00');
      await alerts.getByLabel('Silence alert (minutes)').fill('120');
      await alerts.getByLabel('Webhook URL').fill(hookUrl);
      await alerts.getByRole('button', { name: 'Save alert settings' }).click();
      await expect(alerts.getByTestId('alert-settings-notice')).toHaveText('Alert settings saved.');
      await expect(alerts).toContainText(`saved (127.0.0.1:`);
      // Write-only: the URL never comes back to the page.
      await expect(alerts.getByLabel('Webhook URL')).toHaveValue('');
      expect(await page.content()).not.toContain('secret-hook-e2e');

      await alerts.getByRole('button', { name: 'Send test message' }).click();
      await expect(alerts.getByTestId('alert-settings-notice')).toHaveText(/accepted the test message \(HTTP 200\)/);
      expect(JSON.parse(received[0]!)).toMatchObject({ text: expect.stringContaining('Test message') });
      await snap(page, testInfo, 'settings-alerts');

      const diagnostics = page.getByTestId('diagnostics');
      const downloading = page.waitForEvent('download');
      await diagnostics.getByRole('button', { name: 'Download diagnostics' }).click();
      const file = await (await downloading).path();
      const text = readFileSync(file, 'utf8');
      expect(JSON.parse(text)).toMatchObject({ kind: 'icims-sync-console-diagnostics', includesPersonalData: false });
      for (const secret of ['Ottilie', 'secret-hook-e2e', icimsConsole.token]) expect(text).not.toContain(secret);

      // The headless console keeps secrets with a key file: the warning names the chosen method's secret.
      await page.getByLabel('Auth method').selectOption('oauth');
      await expect(page.getByTestId('secret-storage-warning')).toContainText('ICIMS_CLIENT_SECRET');
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
