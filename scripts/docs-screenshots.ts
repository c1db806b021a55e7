/**
 * Regenerates docs/screenshots/*.png from the REAL headless console (out/main/headless.js)
 * writing to the fake iCIMS, with a few minutes of realistic traffic and some failures.
 *
 *   npm run screenshots                                             # builds, then ~4 minutes of traffic
 *   npx tsx scripts/docs-screenshots.ts --minutes 1                  # quicker, thinner chart
 *   npx tsx scripts/docs-screenshots.ts --only in-doubt              # just the in-doubt shots (seconds)
 *   npx tsx scripts/docs-screenshots.ts --only timeline-held         # just the timeline and held-jobs shots
 *   npx tsx scripts/docs-screenshots.ts --only settings              # just Settings and Activity
 *
 * Chromium: /usr/bin/chromium unless CHROMIUM_PATH says otherwise.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { chromium } from '@playwright/test';
import { startFakeIcims } from '../test/fakes/fake-icims';
import type { FakeIcims } from '../test/fakes/fake-icims';
import { E2E_API_KEY, startHeadlessConsole } from '../test/e2e/headless-console';
import type { HeadlessConsole } from '../test/e2e/headless-console';
import type { EventType } from '../test/e2e/scheduling-events';
import { schedulingEvent } from '../test/e2e/scheduling-events';

const OUT_DIR = resolve(__dirname, '../docs/screenshots');
const WIDTH = 1280;
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

function minutesArg(): number {
  const index = process.argv.indexOf('--minutes');
  const value = index >= 0 ? Number(process.argv[index + 1]) : 4;
  if (!Number.isFinite(value) || value <= 0 || value > 60)
    throw new Error('--minutes takes a number of minutes between 0 and 60');
  return value;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const TYPES: EventType[] = ['link_created', 'booked', 'booked', 'booked', 'rescheduled', 'cancelled'];

/**
 * The whole page (the window made as tall as the page, so sticky bars stay where they belong),
 * or the first `height` pixels of it.
 */
async function shoot(page: Page, name: string, height?: number): Promise<void> {
  await page.setViewportSize({ width: WIDTH, height: 800 });
  const box = await page.locator('body').boundingBox();
  await page.setViewportSize({
    width: WIDTH,
    height: height ?? Math.min(2400, Math.max(800, Math.ceil(box?.height ?? 800))),
  });
  await page.screenshot({ path: join(OUT_DIR, `${name}.png`), animations: 'disabled', caret: 'hide' });
  await page.setViewportSize({ width: WIDTH, height: 800 });
  console.log(`  docs/screenshots/${name}.png`);
}

async function signedInPage(
  browser: Browser,
  app: HeadlessConsole,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: WIDTH, height: 800 },
    colorScheme,
    timezoneId: 'America/New_York',
    locale: 'en-US',
  });
  const page = await context.newPage();
  await page.goto(await app.mintLoginUrl());
  await page.getByTestId('status-card').waitFor();
  return page;
}

/** The dashboard with its chart on the last hour, settled. */
async function shootDashboard(page: Page, name: string): Promise<void> {
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '1 h' }).click();
  await page.getByRole('heading', { name: 'Latency, last hour' }).waitFor();
  await page.waitForTimeout(500);
  await shoot(page, name);
}

/** Jobs → Failed → the given job's details, tall enough for its whole attempt history. */
async function shootFailedJob(page: Page, jobId: number, name: string): Promise<void> {
  await page.getByTestId('status-filter-failed').click();
  await page.locator(`[data-testid="job-row"][data-job-id="${jobId}"] a`).first().click();
  await page.getByTestId('job-detail').getByTestId('job-note').waitFor();
  await shoot(page, name, 1360);
}

/**
 * A few minutes of a recruiting team's day: scheduling events every couple of seconds, an
 * application iCIMS does not know, a note iCIMS refuses, two short 5xx blips absorbed by the
 * in-request retries, an outage long enough to make one job wait for its retry, and a 429.
 */
async function runTraffic(
  app: HeadlessConsole,
  fake: FakeIcims,
  minutes: number,
): Promise<{ refusedJobId: number; waitingJobId: number }> {
  const start = Date.now();
  const end = start + minutes * 60_000;
  const at = (fraction: number) => start + fraction * (end - start);
  const unavailable = {
    errors: [{ errorMessage: 'Service temporarily unavailable, please retry later', errorCode: 503 }],
  };
  // `quietMs`: no other traffic for a moment after the step, so its faults hit its own job.
  // Steps due at `end` run after the steady traffic, so their jobs head the Jobs screen.
  const script: { when: number; quietMs?: number; run: () => Promise<unknown> | void }[] = [
    { when: at(0.15), run: () => fake.fail('addNote', { status: 503, times: 2, body: unavailable }) },
    { when: at(0.3), run: () => app.postEvents(schedulingEvent('booked', 'MISSING-58213')) },
    {
      when: at(0.5),
      run: () =>
        fake.fail('addNote', {
          status: 502,
          times: 1,
          body: { errors: [{ errorMessage: 'Bad gateway', errorCode: 502 }] },
        }),
    },
    {
      when: end,
      quietMs: 2_000,
      run: async () => {
        fake.fail('addNote', {
          status: 400,
          times: 1,
          body: { errors: [{ errorMessage: 'Note content exceeds the maximum length for this field', errorCode: 21 }] },
        });
        refusedJobId = (await app.postEvents(schedulingEvent('rescheduled', 'APP-40418'))).jobs[0]?.jobId ?? 0;
      },
    },
    {
      // A candidate withdrew before iCIMS had the application: ops cancels the failed job.
      when: end,
      quietMs: 2_000,
      run: async () => {
        const jobId = (await app.postEvents(schedulingEvent('link_created', 'MISSING-60007'))).jobs[0]?.jobId ?? 0;
        await sleep(1_500);
        await app.api('POST', `/api/jobs/${jobId}/cancel`);
      },
    },
    {
      // Four failed calls in a row: the initial write gives up and the job waits a minute.
      when: end,
      quietMs: 4_000,
      run: async () => {
        await sleep(2_000);
        fake.fail('addNote', { status: 503, times: 4, body: unavailable });
        waitingJobId = (await app.postEvents(schedulingEvent('booked', 'APP-40977'))).jobs[0]?.jobId ?? 0;
      },
    },
    {
      when: end,
      run: () =>
        fake.fail('addNote', {
          status: 429,
          times: 1,
          headers: { 'retry-after': '2' },
          body: { errors: [{ errorMessage: 'Request rate limit exceeded', errorCode: 429 }] },
        }),
    },
  ];
  let refusedJobId = 0;
  let waitingJobId = 0;
  let next = 0;
  let appNumber = 40_100;
  while (Date.now() < end) {
    const step = script[next];
    if (step && Date.now() >= step.when) {
      next += 1;
      await step.run();
      await sleep(step.quietMs ?? 300);
    }
    const batch = Array.from({ length: 1 + Math.floor(Math.random() * 4) }, () =>
      schedulingEvent(pick(TYPES), `APP-${(appNumber += 1 + Math.floor(Math.random() * 7))}`),
    );
    await app.postEvents(batch);
    await sleep(1_500 + Math.random() * 2_500);
  }
  for (const step of script.slice(next)) {
    await step.run();
    await sleep(step.quietMs ?? 300);
    await app.postEvents(schedulingEvent(pick(TYPES), `APP-${(appNumber += 3)}`));
    await sleep(1_500);
  }
  await sleep(3_000);
  return { refusedJobId, waitingJobId };
}

async function mainConsoleShots(browser: Browser, minutes: number): Promise<void> {
  const fake = await startFakeIcims({
    auth: { mode: 'apiKey', apiKey: E2E_API_KEY },
    latencyMs: { min: 90, max: 420 },
  });
  const app = await startHeadlessConsole({
    env: {
      ICIMS_MODE: 'real',
      ICIMS_BASE_URL: fake.url,
      ICIMS_API_KEY: E2E_API_KEY,
      ICIMS_HTTP_RETRY_BASE_MS: '100',
      SYNC_POLL_INTERVAL_MS: '1000',
    },
  });
  try {
    console.log(`Traffic for ${minutes} min against the fake at ${fake.url}…`);
    const { refusedJobId, waitingJobId } = await runTraffic(app, fake, minutes);
    const page = await signedInPage(browser, app);

    await shootDashboard(page, 'dashboard');

    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByTestId('job-row').first().waitFor();
    await page.locator(`[data-testid="job-row"][data-job-id="${waitingJobId}"]`).waitFor();
    await shoot(page, 'jobs', 900);

    await shootFailedJob(page, refusedJobId, 'job-detail');

    await page.getByTestId('job-detail').getByRole('button', { name: 'Retry this job' }).click();
    await page.getByRole('dialog').waitFor();
    await shoot(page, 'jobs-retry-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Go back' }).click();

    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Base URL').waitFor();
    await shoot(page, 'settings-env-locked');

    // The same console in a dark desktop theme (prefers-color-scheme).
    const dark = await signedInPage(browser, app, 'dark');
    await shootDashboard(dark, 'dashboard-dark');
    await dark.getByRole('link', { name: 'Jobs', exact: true }).click();
    await shootFailedJob(dark, refusedJobId, 'job-detail-dark');
    await dark.context().close();

    // The key is rotated on the iCIMS side: the next note gets a 401 and the console stops.
    fake.configure({ auth: { mode: 'apiKey', apiKey: 'rotated-on-the-icims-side-1234' } });
    await app.postEvents(schedulingEvent('booked', 'APP-41500'));
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.locator('[data-testid="status-card"][data-status="down"]').waitFor();
    await page.waitForTimeout(500);
    await shoot(page, 'dashboard-down');

    // The same trouble as an issue that stays until it is solved (the monitor looks every 5 s).
    await page.getByRole('link', { name: /^Issues/ }).click();
    await page.locator('[data-testid="issue"][data-kind="auth_failure"]').waitFor({ timeout: 20_000 });
    await shoot(page, 'issues');
    await page.context().close();
  } finally {
    await app.dispose();
    await fake.close();
  }
}

/**
 * Writes whose answers were lost, against an iCIMS that keeps every POST: one job waiting in doubt
 * (its read-back is owed), and one whose read-back found its note.
 */
async function inDoubtShots(browser: Browser): Promise<void> {
  const fake = await startFakeIcims({ auth: { mode: 'apiKey', apiKey: E2E_API_KEY }, dedupe: false, carryKeys: false });
  const app = await startHeadlessConsole({
    env: {
      ICIMS_MODE: 'real',
      ICIMS_BASE_URL: fake.url,
      ICIMS_API_KEY: E2E_API_KEY,
      ICIMS_TIMEOUT_MS: '1000',
      // The found job's retry comes at once; the waiting one's an hour later.
      SYNC_BACKOFF_MS: '500,3600000',
      SYNC_POLL_INTERVAL_MS: '200',
    },
  });
  try {
    for (const [type, id] of [
      ['booked', 'APP-52001'],
      ['link_created', 'APP-52002'],
    ] as const)
      await app.postEvents(schedulingEvent(type, id));
    await sleep(1_500);
    // Stored, then the gateway answers 504: found by the read-back half a second later.
    fake.fail('addNote', { afterStore: true, status: 504, times: 1 });
    const found = (await app.postEvents(schedulingEvent('booked', 'APP-52117'))).jobs[0]?.jobId ?? 0;
    await sleep(2_500);
    // Stored, answered too late twice (the write, then its re-send after the read-back failed): in doubt, waiting.
    fake.fail('addNote', { afterStore: true, delayMs: 1_500, times: 1 });
    fake.fail('readNotes', { status: 502, times: 4 });
    const waiting = (await app.postEvents(schedulingEvent('rescheduled', 'APP-52230'))).jobs[0]?.jobId ?? 0;
    await sleep(4_000);

    const page = await signedInPage(browser, app);
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.locator(`[data-testid="job-row"][data-job-id="${waiting}"] [data-testid="job-in-doubt"]`).waitFor();
    await shoot(page, 'jobs-in-doubt', 760);
    await page.locator(`[data-testid="job-row"][data-job-id="${found}"] a`).first().click();
    await page.getByTestId('job-detail').getByTestId('job-icims-note-id').waitFor();
    await shoot(page, 'job-detail-found-in-icims', 1400);
    await page.context().close();
  } finally {
    await app.dispose();
    await fake.close();
  }
}

/** A console with nothing set by environment, as on a first run: every field editable. */
async function settingsShots(browser: Browser): Promise<void> {
  const fake = await startFakeIcims({ auth: { mode: 'apiKey', apiKey: E2E_API_KEY } });
  const app = await startHeadlessConsole({ env: {} });
  try {
    const page = await signedInPage(browser, app);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Mode').selectOption('real');
    await page.getByLabel('Base URL').fill('api.icims.com/v1?customer=7301');
    await page.getByLabel('Base URL').blur();
    await shoot(page, 'settings-validation');

    await page.getByLabel('Base URL').fill(fake.url);
    await page.getByLabel('API key', { exact: true }).fill('an-old-key-from-2025');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('[data-testid="connection-result"][data-ok="false"]').waitFor();
    await shoot(page, 'settings-test-connection');

    const alerts = page.getByTestId('alert-settings');
    await alerts.getByLabel('Silence alert (minutes)').fill('90');
    await alerts.getByLabel('Business hours').fill('Mon-Fri 08:00-18:00');
    await alerts
      .getByLabel('Webhook URL', { exact: true })
      .fill('https://hooks.slack.com/services/T0000/B0000/XXXXXXXX');
    await alerts.getByRole('button', { name: 'Save alert settings' }).click();
    await alerts.getByTestId('alert-settings-notice').waitFor();
    await alerts.scrollIntoViewIfNeeded();
    await shoot(page, 'settings-alerts');

    // Who did what: the connection test and the alert settings saved above. The iCIMS settings
    // were only tested, not saved: dropping them first keeps the leave guard from asking.
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await page.getByRole('link', { name: 'Activity', exact: true }).click();
    await page.getByTestId('audit-entry').nth(1).waitFor();
    await shoot(page, 'activity');
    await page.context().close();
  } finally {
    await app.dispose();
    await fake.close();
  }
}

/** Dismisses every toast, so a shot shows the screen and not the last few confirmations. */
async function dismissToasts(page: Page): Promise<void> {
  const buttons = page.getByTestId('toast').getByRole('button', { name: 'Dismiss message' });
  while ((await buttons.count()) > 0) await buttons.first().click();
}

async function saveSettings(page: Page, edit: () => Promise<void>): Promise<void> {
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await edit();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Settings saved and applied.' }).last().waitFor();
  await dismissToasts(page);
}

async function workerButton(page: Page, name: 'Pause worker' | 'Resume worker'): Promise<void> {
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await page.getByRole('button', { name }).click();
  await page.getByRole('button', { name: name === 'Pause worker' ? 'Resume worker' : 'Pause worker' }).waitFor();
  await dismissToasts(page);
}

/**
 * A console that started in mock mode with work still queued, then was pointed at the real
 * (fake) iCIMS with an "iCIMS web address for links" and a display time zone: the timeline with
 * its Open in iCIMS links, and the mock jobs held.
 */
async function timelineAndHeldShots(browser: Browser): Promise<void> {
  const fake = await startFakeIcims({
    auth: { mode: 'apiKey', apiKey: E2E_API_KEY },
    latencyMs: { min: 90, max: 300 },
  });
  const app = await startHeadlessConsole({ env: { SYNC_POLL_INTERVAL_MS: '500' } });
  try {
    const page = await signedInPage(browser, app);
    await saveSettings(page, () => page.getByLabel('Simulate traffic').uncheck());
    // Queued in mock mode while the worker is paused: made for the simulated iCIMS.
    await workerButton(page, 'Pause worker');
    await app.postEvents([
      schedulingEvent('booked', 'APP-60311', { candidateName: 'Marta Lindqvist' }),
      schedulingEvent('rescheduled', 'APP-60318', { candidateName: 'Kofi Mensah' }),
      schedulingEvent('link_created', 'APP-60342', { candidateName: 'Ana Souza' }),
    ]);
    await saveSettings(page, async () => {
      await page.getByLabel('Mode').selectOption('real');
      await page.getByLabel('Base URL').fill(fake.url);
      await page.getByLabel('API key', { exact: true }).fill(E2E_API_KEY);
      await page.getByLabel('Display time zone').fill('America/Chicago');
      await page
        .getByLabel('iCIMS web address for links')
        .fill('https://yourcompany.icims.com/platform?app={applicationId}&note={noteId}');
    });
    await workerButton(page, 'Resume worker');

    const booked = schedulingEvent('booked', 'APP-71267', { candidateName: 'Zoë Okafor' });
    await app.postEvents(booked);
    await sleep(1_200);
    await app.postEvents(
      schedulingEvent('rescheduled', 'APP-71267', {
        candidateName: 'Zoë Okafor',
        startsAt: '2026-01-17T19:00:00Z',
        previousStartsAt: '2026-01-16T19:00:00Z',
      }),
    );
    for (let i = 0; i < 6; i += 1) {
      await app.postEvents(schedulingEvent(pick(TYPES), `APP-${71_300 + i * 7}`));
      await sleep(300);
    }
    while (fake.notes.length < 8) await sleep(200);
    await sleep(1_000);

    // The held jobs on their own (the Held filter), with their group.
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.locator('[data-testid="failure-group"][data-kind="held"]').waitFor();
    await page.getByTestId('status-filter-held').click();
    await page.locator('[data-testid="job-row"][data-status="held"]').nth(2).waitFor();
    await page.waitForTimeout(300);
    await shoot(page, 'held-jobs', 720);

    // Cleared for good (Cancel group), so the timeline shot shows the timeline alone.
    await page.getByRole('button', { name: 'Cancel group' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel 3 jobs' }).click();
    await page.getByTestId('failure-groups').waitFor({ state: 'detached' });
    await dismissToasts(page);
    await page.goto(`${app.url}/#/jobs?q=app-71267`);
    await page.getByTestId('application-timeline').getByTestId('icims-link').nth(1).waitFor();
    await page.waitForTimeout(300);
    await shoot(page, 'jobs-timeline', 720);
    await page.context().close();
  } finally {
    await app.dispose();
    await fake.close();
  }
}

async function main(): Promise<void> {
  const minutes = minutesArg();
  mkdirSync(OUT_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const onlyIndex = process.argv.indexOf('--only');
    const only = onlyIndex >= 0 ? (process.argv[onlyIndex + 1] ?? 'in-doubt') : null;
    if (only === null) await mainConsoleShots(browser, minutes);
    if (only === null || only === 'settings') await settingsShots(browser);
    if (only === null || only === 'in-doubt') await inDoubtShots(browser);
    if (only === null || only === 'timeline-held') await timelineAndHeldShots(browser);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
