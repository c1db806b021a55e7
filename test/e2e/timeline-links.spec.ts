import type { Page } from '@playwright/test';
import { E2E_API_KEY } from './headless-console';
import { eventually, expect, snap, test } from './fixtures';
import { schedulingEvent } from './scheduling-events';

const LINK_TEMPLATE = 'https://acme.icims.com/platform?app={applicationId}&note={noteId}';

async function saveConsoleSettings(page: Page, values: { link: string; zone: string }): Promise<void> {
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByLabel('iCIMS web address for links').fill(values.link);
  await page.getByLabel('Display time zone').fill(values.zone);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved and applied.' }).last()).toBeVisible();
}

async function openTimeline(page: Page, applicationId: string) {
  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  await page.getByLabel('Search').fill(applicationId);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const timeline = page.getByTestId('application-timeline');
  await expect(timeline.getByTestId('timeline-event')).toHaveAttribute('data-landed', 'true');
  return timeline;
}

test.describe('links into iCIMS and the display time zone', () => {
  test('real mode with an address set: the timeline and job detail link to the application and note; times show in the chosen zone', async ({
    page,
    icimsConsole,
    fake,
    signIn,
  }, testInfo) => {
    await signIn();
    await saveConsoleSettings(page, { link: LINK_TEMPLATE, zone: 'Asia/Kolkata' });
    const { jobs } = await icimsConsole.postEvents(
      schedulingEvent('booked', 'APP-LINK-1', { candidateName: 'Priya Raman' }),
    );
    const note = await eventually(() => fake.notes.find((n) => n.applicationId === 'APP-LINK-1'), 'the note to land');
    const href = `https://acme.icims.com/platform?app=APP-LINK-1&note=${note.id}`;

    const timeline = await openTimeline(page, 'app-link-1');
    const link = timeline.getByTestId('icims-link');
    await expect(link).toHaveAttribute('href', href);
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', /noopener/);
    await expect(link).toHaveAccessibleName(/Open in iCIMS/);
    await expect(timeline.getByTestId('timeline-event')).toContainText(`iCIMS note ${note.id}`);
    // Absolute times are in the display time zone, with its short name.
    await expect(timeline.getByTestId('timeline-zone')).toHaveText('times in Asia/Kolkata (GMT+5:30)');
    await expect(timeline.getByTestId('timeline-event')).toContainText(
      /Landed in iCIMS \w{3} \d{1,2}, \d{4}, .* GMT\+5:30/,
    );
    await snap(page, testInfo, 'timeline-with-link');

    await page.goto(`${icimsConsole.url}/#/jobs/${jobs[0]!.jobId}`);
    const detail = page.getByTestId('job-detail');
    await expect(detail.getByTestId('icims-link')).toHaveAttribute('href', href);
    await expect(detail.locator('.exact-time').first()).toContainText('GMT+5:30');

    // The same zone on Activity (who saved the settings, when).
    await page.getByRole('link', { name: 'Activity', exact: true }).click();
    await expect(page.getByTestId('audit-entry').first().locator('.exact-time')).toContainText('GMT+5:30');
  });

  test.describe('in mock mode', () => {
    test.use({ consoleEnv: { ICIMS_MODE: null, ICIMS_BASE_URL: null, ICIMS_API_KEY: null } });

    test('no link even with an address set, nor later in real mode for a note written in mock mode; an unknown display time zone is refused next to its field', async ({
      page,
      fake,
      icimsConsole,
      signIn,
    }) => {
      await signIn();
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      const zone = page.getByLabel('Display time zone');
      await expect(zone).toHaveValue('');
      // Its placeholder names this computer's zone, the default.
      await expect(zone).toHaveAttribute('placeholder', /^This computer's: /);
      await zone.fill('Mars/Olympus_Mons');
      await expect(zone).toHaveAttribute('aria-invalid', 'true');
      await expect(zone).toHaveAccessibleDescription(/Display time zone must be an IANA time zone/);
      const link = page.getByLabel('iCIMS web address for links');
      await link.fill('http://acme.icims.com/{applicationId}');
      await expect(link).toHaveAccessibleDescription(/iCIMS web address for links must be an https address/);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(page.getByText('2 fields need attention before saving.')).toBeVisible();

      await saveConsoleSettings(page, { link: LINK_TEMPLATE, zone: 'UTC' });
      await icimsConsole.postEvents(schedulingEvent('booked', 'APP-MOCK-LINK'));
      const timeline = await openTimeline(page, 'APP-MOCK-LINK');
      await expect(timeline.getByTestId('timeline-zone')).toHaveText('times in UTC');
      await expect(timeline.getByTestId('icims-link')).toHaveCount(0);
      await page.getByTestId('job-row').first().getByRole('link').first().click();
      await expect(page.getByTestId('job-detail')).toBeVisible();
      await expect(page.getByTestId('job-detail').getByTestId('icims-link')).toHaveCount(0);

      // In real mode the application's next note links into iCIMS; the one written in mock mode
      // still does not (it has no page there).
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      await page.getByLabel('Mode').selectOption('real');
      await page.getByLabel('Base URL').fill(fake.url);
      await page.getByLabel('API key', { exact: true }).fill(E2E_API_KEY);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Settings saved and applied.' }).last()).toBeVisible();
      await icimsConsole.postEvents(schedulingEvent('cancelled', 'APP-MOCK-LINK'));
      await page.getByRole('link', { name: 'Jobs', exact: true }).click();
      await page.getByLabel('Search').fill('APP-MOCK-LINK');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      const events = page.getByTestId('application-timeline').getByTestId('timeline-event');
      await expect(events).toHaveCount(2);
      await expect(events.nth(1)).toHaveAttribute('data-landed', 'true');
      await expect(events.nth(0).getByTestId('icims-link')).toHaveCount(0);
      await expect(events.nth(1).getByTestId('icims-link')).toHaveCount(1);
    });
  });
});
