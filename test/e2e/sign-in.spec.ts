import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, snap, test } from './fixtures';

/*
 * Headless sign-in as a person meets it: the printed link, the sign-in page, Sign out, and what
 * another web page on this machine can get at (nothing).
 */
test.describe('Sign-in', () => {
  test('a used sign-in link lands on the console’s own page, which says what to do; the API token signs in', async ({
    page,
    icimsConsole,
  }, testInfo) => {
    const link = await icimsConsole.mintLoginUrl();
    await page.goto(link);
    await expect(page.getByRole('link', { name: 'Dashboard' })).toBeVisible();
    // The code is gone from the address bar once used.
    expect(new URL(page.url()).search).toBe('');

    const other = await page.context().browser()!.newContext();
    const second = await other.newPage();
    await second.goto(link);
    const signedOut = second.getByTestId('signed-out');
    await expect(signedOut).toHaveAttribute('data-reason', 'link_invalid');
    await expect(
      second.getByRole('heading', { name: 'This sign-in link was already used or has expired' }),
    ).toBeVisible();
    await expect(signedOut).toContainText('Sign in with the API token below');
    await snap(second, testInfo, 'sign-in-link-used');

    await second.getByLabel('API token').fill('e2e-not-the-token-0000000000000000');
    await second.getByRole('button', { name: 'Sign in' }).click();
    await expect(second.getByRole('alert')).toContainText('not the console’s API token');

    await second.getByLabel('API token').fill(icimsConsole.token);
    await second.getByRole('button', { name: 'Sign in' }).click();
    await expect(second.getByTestId('status-card')).toBeVisible();
    await other.close();
  });

  test('Sign out ends the session: the page says so, and a reload stays signed out', async ({
    page,
    signIn,
  }, testInfo) => {
    await signIn();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'You signed out' })).toBeVisible();
    await snap(page, testInfo, 'signed-out');
    await page.reload();
    await expect(page.getByTestId('signed-out')).toHaveAttribute('data-reason', 'none');
    await expect(page.getByRole('heading', { name: 'Sign in to the iCIMS Sync Console' })).toBeVisible();
    await snap(page, testInfo, 'sign-in');
  });

  test('a page served on another port of this machine receives no console credential and can use none', async ({
    page,
    icimsConsole,
    signIn,
  }) => {
    const seen: { cookie: string | undefined; authorization: string | undefined }[] = [];
    const evil = createServer((req, res) => {
      seen.push({ cookie: req.headers.cookie, authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>another local app</title><p>hello</p>');
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    try {
      await signIn();
      await page.goto(`${evilUrl}/`);
      // The page and whatever else the browser fetches from that server (a favicon): no credential.
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((request) => request.cookie === undefined && request.authorization === undefined)).toBe(true);
      // Runs in the other page; the test's tsconfig has no DOM types, hence the casts.
      const stolen = await page.evaluate(async (consoleUrl) => {
        const browser = globalThis as unknown as { localStorage: object; document: { cookie: string } };
        const storage = JSON.stringify({ ...browser.localStorage });
        let read = 'no answer';
        try {
          const res = await fetch(`${consoleUrl}/rpc/getSettings`, {
            method: 'POST',
            credentials: 'include',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          });
          read = await res.text();
        } catch (error) {
          read = `blocked: ${String(error)}`;
        }
        return { storage, cookie: browser.document.cookie, read };
      }, icimsConsole.url);
      expect(stolen.storage).toBe('{}');
      expect(stolen.cookie).toBe('');
      expect(stolen.read).toMatch(/^blocked/);
    } finally {
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    }
  });
});

test.describe('Settings › Console tokens', () => {
  test('an admin reveals the ingest token and rotates it; the old one is refused at once', async ({
    page,
    icimsConsole,
    signIn,
  }, testInfo) => {
    await signIn();
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const ingest = page.getByTestId('console-token-ingest');
    await expect(ingest).toContainText('Give this one to the scheduling system');
    await expect(page.getByTestId('console-token-api')).toContainText('Set by environment (CONSOLE_API_TOKEN)');
    await expect(
      page.getByTestId('console-token-api').getByRole('button', { name: 'Rotate API token' }),
    ).toBeDisabled();

    await ingest.getByRole('button', { name: 'Reveal Ingest token' }).click();
    const value = page.getByTestId('console-token-value-ingest');
    const before = await value.inputValue();
    expect(before.length).toBeGreaterThanOrEqual(32);

    await ingest.getByRole('button', { name: 'Rotate Ingest token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate the ingest token?' });
    await expect(dialog).toContainText('The scheduling system is refused until it is given the new token');
    await dialog.getByRole('button', { name: 'Rotate Ingest token' }).click();
    await expect(ingest.getByRole('status')).toContainText('the old token is refused from now on');
    const after = await value.inputValue();
    expect(after).not.toBe(before);
    await snap(page, testInfo, 'settings-console-tokens');

    const post = (token: string) =>
      fetch(`${icimsConsole.url}/api/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '[]',
      }).then((res) => res.status);
    expect(await post(before)).toBe(401);
    // The new token is accepted (the empty batch is then refused as invalid, not unauthorised).
    expect(await post(after)).toBe(400);
  });
});
