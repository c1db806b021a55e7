import { eventually, expect, jobRow, snap, test } from './fixtures';
import { schedulingEvent } from './scheduling-events';

test.describe('finding a note and knowing the health everywhere', () => {
  test('Search finds an application by part of its id in any case and shows its timeline; filters are in the URL', async ({
    page,
    icimsConsole,
    fake,
    signIn,
  }, testInfo) => {
    await signIn();
    const booked = schedulingEvent('booked', 'APP-71267', { candidateName: 'Zoë Okafor' });
    const { jobs } = await icimsConsole.postEvents([booked, schedulingEvent('booked', 'APP-55555')]);
    await eventually(() => fake.notes.length === 2, 'both notes to land');

    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByLabel('Search').fill('app-71267');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page).toHaveURL(/q=app-71267/);
    await expect(page.getByTestId('job-row')).toHaveCount(1);
    await expect(jobRow(page, jobs[0]!.jobId)).toBeVisible();
    // The status tabs count what the search found, not the whole queue.
    await expect(page.getByTestId('count-all')).toHaveText('1');
    await expect(page.getByTestId('count-completed')).toHaveText('1');

    const timeline = page.getByTestId('application-timeline');
    await expect(timeline).toContainText('APP-71267');
    const event = timeline.getByTestId('timeline-event');
    await expect(event).toHaveCount(1);
    await expect(event).toHaveAttribute('data-status', 'completed');
    await expect(event).toHaveAttribute('data-landed', 'true');
    await expect(event).toContainText(fake.notes.find((n) => n.applicationId === 'APP-71267')!.content);
    await expect(event).toContainText(/Landed in iCIMS \w{3} \d{1,2}, \d{4}/);
    await snap(page, testInfo, 'jobs-timeline');

    // The same view from a shared link, by candidate name.
    await page.goto(`${icimsConsole.url}/#/jobs?q=okafor`);
    await expect(page.getByTestId('timeline-event')).toHaveAttribute('data-landed', 'true');
    await expect(page.getByLabel('Search')).toHaveValue('okafor');
  });

  test('the top bar shows Down on Jobs and Settings while iCIMS rejects the credentials', async ({
    page,
    icimsConsole,
    fake,
    signIn,
  }) => {
    await signIn();
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await expect(page.getByTestId('health-badge')).toHaveAttribute('data-status', 'healthy');
    fake.fail('addNote', { status: 401 });
    await icimsConsole.postEvents(schedulingEvent('booked', 'APP-401'));
    await expect(page.getByTestId('health-badge')).toHaveAttribute('data-status', 'down');
    await expect(page.getByTestId('health-badge')).toHaveText(/Down/);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await expect(page.getByTestId('health-badge')).toHaveAttribute('data-status', 'down');
  });

  test('at 900 px nothing overflows, buttons are whole, and focus returns after Escape', async ({
    page,
    icimsConsole,
    signIn,
  }, testInfo) => {
    await page.setViewportSize({ width: 900, height: 800 });
    await signIn();
    const { jobs } = await icimsConsole.postEvents([1, 2, 3].map((i) => schedulingEvent('booked', `MISSING-${i}`)));
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    const row = jobRow(page, jobs[0]!.jobId);
    await expect(row).toHaveAttribute('data-status', 'failed');

    // The e2e project compiles without DOM types: the page's globals are described here.
    const overflow = await page.evaluate(() => {
      const view = globalThis as unknown as {
        innerWidth: number;
        document: { documentElement: { scrollWidth: number } };
      };
      return view.document.documentElement.scrollWidth - view.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    const cancel = row.getByRole('button', { name: 'Cancel', exact: true });
    await expect(cancel).toHaveText('Cancel');
    expect(
      await cancel.evaluate((b: { scrollWidth: number; clientWidth: number }) => b.scrollWidth <= b.clientWidth),
    ).toBe(true);
    const box = await cancel.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(900);

    // Escape on a confirm dialog returns focus to the button that opened it.
    await cancel.click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(cancel).toBeFocused();

    // The detail panel sits above the list without covering it, and Escape returns to the row.
    await row.getByRole('link', { name: `#${jobs[0]!.jobId}` }).click();
    const panel = page.getByRole('heading', { name: new RegExp(`Job #${jobs[0]!.jobId}`) });
    await expect(panel).toBeFocused();
    await snap(page, testInfo, 'jobs-detail-900');
    await page.keyboard.press('Escape');
    await expect(row.getByRole('link', { name: `#${jobs[0]!.jobId}` })).toBeFocused();

    // A retry that fails again says so when it comes back.
    await row.getByRole('button', { name: 'Retry', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('won’t fix itself');
    await dialog.getByRole('button', { name: 'Retry job' }).click();
    await expect(
      page.getByTestId('toast').filter({ hasText: `Job #${jobs[0]!.jobId} failed again: 404` }),
    ).toBeVisible();
  });
});
