import { E2E_API_KEY } from './headless-console';
import { expect, snap, test } from './fixtures';
import { schedulingEvent } from './scheduling-events';

test.describe('dashboard of a fresh console', () => {
  test('shows healthy, the navigation, queue counts and the configuration — never the API key', async ({
    page,
    icimsConsole,
    fake,
  }, testInfo) => {
    // The link the console printed at start signs the browser in.
    await page.goto(icimsConsole.printedLoginUrl);
    await expect(page).toHaveURL(`${icimsConsole.url}/`);

    for (const name of ['Dashboard', 'Jobs', 'Settings'])
      await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
    await expect(page.getByTestId('status-card')).toHaveAttribute('data-status', 'healthy');
    await expect(page.getByTestId('status-card')).toContainText('No calls to iCIMS yet');
    for (const id of ['queue-pending', 'queue-processing', 'queue-completed', 'queue-failed'])
      await expect(page.getByTestId(id)).toHaveText('0');
    await expect(page.getByTestId('recent-failures')).toBeAttached();
    await expect(page.getByTestId('recent-failure')).toHaveCount(0);
    await expect(page.getByTestId('latency-chart')).toBeVisible();

    const config = page.getByTestId('config-card');
    await expect(config.getByTestId('config-mode')).toHaveText('Real iCIMS');
    await expect(config.getByTestId('config-base-url')).toHaveText(fake.url);
    await expect(config.getByTestId('config-credential')).toHaveAttribute('data-present', 'true');
    await expect(config.getByTestId('config-credential')).toHaveText('Present');

    // An event posted to the local API shows up without a reload (server-sent pushes).
    await icimsConsole.postEvents(schedulingEvent('booked', 'APP-12345'));
    await expect(page.getByTestId('queue-completed')).toHaveText('1');
    await expect(page.getByTestId('metric-success-rate')).toHaveText('100.0 %');
    await expect(page.getByTestId('status-card')).toHaveAttribute('data-status', 'healthy');
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '1 h' }).click();
    await expect(page.getByRole('heading', { name: 'Latency, last hour' })).toBeVisible();
    await expect(page.getByTestId('latency-chart')).toHaveAttribute(
      'aria-label',
      /^1 call in the last hour, average \d+ ms/,
    );
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Latency, last hour' })).toBeVisible();
    await snap(page, testInfo, 'dashboard-fresh');

    expect(await page.content()).not.toContain(E2E_API_KEY);
    // Settings, where the key is set by the environment: read-only, and still never shown.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const apiKey = page.getByLabel('API key', { exact: true });
    await expect(apiKey).toHaveAttribute('readonly', '');
    await expect(apiKey).toHaveValue('');
    await expect(page.getByLabel('Base URL')).toHaveValue(fake.url);
    expect(await page.content()).not.toContain(E2E_API_KEY);
    expect(JSON.stringify((await icimsConsole.api('GET', '/api/ops/icims')).body)).not.toContain(E2E_API_KEY);
    expect(fake.notes).toHaveLength(1);
  });

  test('a used sign-in link does not sign a second browser in', async ({ page, browser, icimsConsole, signIn }) => {
    await signIn();
    await expect(page.getByTestId('status-card')).toBeVisible();

    const other = await browser.newContext();
    try {
      const stranger = await other.newPage();
      // The printed link was never used, so it still works once…
      const response = await stranger.goto(icimsConsole.printedLoginUrl);
      expect(response?.status()).toBe(200);
      await expect(stranger.getByTestId('status-card')).toBeVisible();
      // …and then never again.
      const third = await (await browser.newContext()).newPage();
      // The page is the console's own sign-in page, saying what happened and what to do.
      await third.goto(icimsConsole.printedLoginUrl);
      await expect(third.getByTestId('signed-out')).toHaveAttribute('data-reason', 'link_invalid');
      await expect(third.locator('body')).toContainText('already used or has expired');
      await expect(third.getByTestId('status-card')).toHaveCount(0);
      await third.goto(`${icimsConsole.url}/`);
      await expect(third.getByTestId('signed-out')).toBeVisible();
      await expect(third.getByTestId('status-card')).toHaveCount(0);
      await third.context().close();
    } finally {
      await other.close();
    }
  });
});

test.describe('a console started with SYNC_WORKER=off', () => {
  test.use({ consoleEnv: { SYNC_WORKER: 'off' } });

  test('shows the worker as Off with the reason, offers no Pause, and keeps events waiting', async ({
    page,
    icimsConsole,
    fake,
    signIn,
  }, testInfo) => {
    await signIn();
    await icimsConsole.postEvents(schedulingEvent('booked', 'APP-OFF-9001'));
    await expect(page.getByTestId('queue-pending')).toHaveText('1');
    const worker = page.getByTestId('worker-card');
    await expect(worker.getByTestId('worker-state')).toHaveAttribute('data-state', 'off');
    await expect(worker.getByTestId('worker-off-reason')).toContainText('sends nothing');
    await expect(worker.getByRole('button', { name: /Pause worker|Resume worker/ })).toHaveCount(0);
    await expect(page.getByTestId('forecast-backlog')).toHaveText(
      '1 job waiting: this console sends nothing (SYNC_WORKER=off)',
    );
    await worker.scrollIntoViewIfNeeded();
    await snap(page, testInfo, 'worker-off');
    expect(fake.calls).toHaveLength(0);
  });
});
