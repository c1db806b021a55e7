import { writeFileSync } from 'node:fs';
import type { Page, TestInfo } from '@playwright/test';
import { test as base, expect } from '@playwright/test';
import { startFakeIcims } from '../fakes/fake-icims';
import type { FakeIcims } from '../fakes/fake-icims';
import type { HeadlessConsole } from './headless-console';
import { assertBuilt, E2E_API_KEY, startHeadlessConsole } from './headless-console';

/**
 * Per test: a fake iCIMS in this process (API-key auth) and the headless console as a child
 * process pointed at it, on a fresh data folder and port. `consoleEnv` (via `test.use`) adds to
 * or removes from the default environment: a `null` value removes that variable, e.g.
 * `{ ICIMS_BASE_URL: null }` for a console whose base URL the Settings screen may change.
 */

export type ConsoleEnv = Record<string, string | null>;

/** Real mode against the fake, with schedules short enough for a test to watch them happen. */
export function defaultConsoleEnv(fake: FakeIcims): Record<string, string> {
  return {
    ICIMS_MODE: 'real',
    ICIMS_BASE_URL: fake.url,
    ICIMS_API_KEY: E2E_API_KEY,
    ICIMS_HTTP_RETRY_BASE_MS: '5',
    ICIMS_RATE_LIMIT_PER_MIN: '6000',
    ICIMS_TIMEOUT_MS: '3000',
    ICIMS_CIRCUIT_COOLDOWN_MS: '60000',
    SYNC_BACKOFF_MS: '1000,2000,3000,4000,5000',
    SYNC_POLL_INTERVAL_MS: '250',
    SYNC_LEASE_MS: '10000',
  };
}

export function mergeEnv(defaults: Record<string, string>, overrides: ConsoleEnv): Record<string, string> {
  const env = { ...defaults };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  return env;
}

interface Fixtures {
  consoleEnv: ConsoleEnv;
  fake: FakeIcims;
  icimsConsole: HeadlessConsole;
  /** Signs `page` (default: the test's page) in with a fresh one-time link; lands on the dashboard. */
  signIn: (page?: Page) => Promise<void>;
}

export const test = base.extend<Fixtures>({
  consoleEnv: [{}, { option: true }],

  // Playwright reads the fixtures a function needs from its destructured first argument.
  // eslint-disable-next-line no-empty-pattern
  fake: async ({}, use) => {
    const fake = await startFakeIcims({ auth: { mode: 'apiKey', apiKey: E2E_API_KEY } });
    await use(fake);
    await fake.close();
  },

  icimsConsole: async ({ fake, consoleEnv }, use, testInfo) => {
    assertBuilt();
    const app = await startHeadlessConsole({ env: mergeEnv(defaultConsoleEnv(fake), consoleEnv) });
    try {
      await use(app);
    } finally {
      const failed = testInfo.status !== testInfo.expectedStatus;
      if (failed) {
        // What the console knew when the test failed, for the report.
        const state = await Promise.all([
          app.api('GET', '/api/ops/icims'),
          app.api('GET', '/api/jobs?limit=100'),
        ]).catch((error: unknown) => String(error));
        writeFileSync(testInfo.outputPath('console-state.json'), JSON.stringify(state, null, 2));
        await testInfo.attach('console-state.json', {
          path: testInfo.outputPath('console-state.json'),
          contentType: 'application/json',
        });
      }
      await app.stop();
      if (failed) {
        const { stdout, stderr } = app.output();
        writeFileSync(
          testInfo.outputPath('console-output.txt'),
          `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
        );
        await testInfo.attach('console-output.txt', {
          path: testInfo.outputPath('console-output.txt'),
          contentType: 'text/plain',
        });
      }
      await app.dispose();
    }
  },

  signIn: async ({ page, icimsConsole }, use) => {
    await use(async (target = page) => {
      const loginUrl = await icimsConsole.mintLoginUrl();
      await target.goto(loginUrl);
      await expect(target.getByRole('link', { name: 'Dashboard' })).toBeVisible();
      await expect(target.getByTestId('status-card')).toHaveAttribute('data-status', /healthy|degraded|down/);
    });
  },
});

export { expect };

/**
 * A whole-page screenshot in the test's output folder, attached to the report. The window is
 * made as tall as the page for it: Chromium's `fullPage` stitching paints the sticky top bar and
 * save bar in the middle of the picture.
 */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  const viewport = page.viewportSize() ?? { width: 1280, height: 720 };
  const box = await page.locator('body').boundingBox();
  const height = Math.min(4000, Math.max(viewport.height, Math.ceil(box?.height ?? 0)));
  await page.setViewportSize({ width: viewport.width, height });
  try {
    await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  } finally {
    await page.setViewportSize(viewport);
  }
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** Polls `check` until it returns a truthy value; for state outside the browser (the fake). */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A job row on the Jobs screen. */
export function jobRow(page: Page, jobId: number) {
  return page.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`);
}
