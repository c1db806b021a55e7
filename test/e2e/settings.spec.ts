import { E2E_API_KEY } from './headless-console';
import { expect, snap, test } from './fixtures';

/*
 * Fields set by the environment are read-only on screen, so these consoles start with no ICIMS_*
 * variable at all: mock mode, everything editable, as on a first run.
 */
const NOTHING_FROM_ENV = { ICIMS_MODE: null, ICIMS_BASE_URL: null, ICIMS_API_KEY: null };

test.describe('Settings', () => {
  test.use({ consoleEnv: NOTHING_FROM_ENV });

  test('an invalid Base URL is rejected next to the field and nothing is saved; a valid one is saved', async ({
    page,
    icimsConsole,
    signIn,
  }, testInfo) => {
    await signIn();
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const baseUrl = page.getByLabel('Base URL');
    await expect(baseUrl).toHaveValue('');
    await expect(baseUrl).not.toHaveAttribute('readonly');

    await baseUrl.fill('api.icims.com/v1?tenant=acme');
    // The message belongs to the field: it is what a screen reader reads with it.
    await expect(baseUrl).toHaveAttribute('aria-invalid', 'true');
    await expect(baseUrl).toHaveAccessibleDescription(/Base URL must be an http\(s\) URL/);
    const field = page.locator('.field').filter({ has: baseUrl });
    await expect(field.getByRole('alert')).toHaveText(/Base URL must be an http\(s\) URL/);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(baseUrl).toBeFocused();
    await expect(page.getByText('1 field needs attention before saving.')).toBeVisible();
    await snap(page, testInfo, 'settings-invalid-base-url');

    await page.reload();
    await expect(page.getByLabel('Base URL')).toHaveValue('');
    const ops = await icimsConsole.api<{ config: { baseUrl: string } }>('GET', '/api/ops/icims');
    expect(ops.body.config.baseUrl).toBe('');

    await page.getByLabel('Base URL').fill('https://api-eu.icims.com');
    await expect(page.getByLabel('Base URL')).toHaveAttribute('aria-invalid', 'false');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Settings saved and applied.' })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Base URL')).toHaveValue('https://api-eu.icims.com');
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await expect(page.getByTestId('config-base-url')).toHaveText('https://api-eu.icims.com');
  });

  test('leaving Settings with unsaved changes asks first; Stay keeps them, Leave discards them', async ({
    page,
    signIn,
  }, testInfo) => {
    await signIn();
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Base URL').fill('https://api-eu.icims.com');

    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Leave without saving?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('1 setting was changed here and not saved');
    await snap(page, testInfo, 'settings-leave-guard');
    await dialog.getByRole('button', { name: 'Stay' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByLabel('Base URL')).toHaveValue('https://api-eu.icims.com');
    await expect(page.getByRole('link', { name: 'Settings', exact: true })).toHaveAttribute('aria-current', 'page');

    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await dialog.getByRole('button', { name: 'Leave without saving' }).click();
    await expect(page.getByRole('link', { name: 'Jobs', exact: true })).toHaveAttribute('aria-current', 'page');
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await expect(page.getByLabel('Base URL')).toHaveValue('');

    // Nothing changed: links just go.
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await expect(page.getByTestId('status-card')).toBeVisible();
    await expect(dialog).toBeHidden();
  });

  test('Test connection with a wrong API key reports the 401; the right key connects and is never shown again', async ({
    page,
    fake,
    signIn,
  }, testInfo) => {
    await signIn();
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Mode').selectOption('real');
    await page.getByLabel('Base URL').fill(fake.url);
    // Headless keeps saved secrets with a key file: the admin is told before typing one.
    await expect(page.getByTestId('secret-storage-warning')).toContainText('not encrypted securely');
    const wrongKey = 'not-the-right-key-123456';
    await page.getByLabel('API key', { exact: true }).fill(wrongKey);

    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByTestId('connection-result');
    await expect(result).toHaveAttribute('data-ok', 'false');
    await expect(result).toHaveRole('alert');
    await expect(result).toContainText('401');
    await expect(result).toContainText(/refused the credentials|unauthori[sz]ed/i);
    await snap(page, testInfo, 'settings-test-connection-401');
    // Testing saves nothing.
    await page.reload();
    await expect(page.getByLabel('Mode')).toHaveValue('mock');

    await page.getByLabel('Mode').selectOption('real');
    await page.getByLabel('Base URL').fill(fake.url);
    await page.getByLabel('API key', { exact: true }).fill(E2E_API_KEY);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(result).toHaveAttribute('data-ok', 'true');
    await expect(result).toContainText('credentials accepted');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Settings saved and applied.' })).toBeVisible();
    await expect(page.getByLabel('API key', { exact: true })).toHaveValue('');
    await expect(page.getByLabel('API key', { exact: true })).toHaveAttribute('placeholder', /saved/);
    expect(await page.content()).not.toContain(E2E_API_KEY);

    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await expect(page.getByTestId('config-mode')).toHaveText('Real iCIMS');
    await expect(page.getByTestId('config-base-url')).toHaveText(fake.url);
    await expect(page.getByTestId('config-credential')).toHaveAttribute('data-present', 'true');
    expect(await page.content()).not.toContain(E2E_API_KEY);
  });
});

test.describe('Settings with the credential set by environment', () => {
  test('the API key is read-only and no storage warning is shown: this screen stores no secret', async ({
    page,
    signIn,
  }, testInfo) => {
    await signIn();
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const apiKey = page.getByLabel('API key', { exact: true });
    await expect(apiKey).toHaveAttribute('readonly');
    await expect(page.getByText('set by environment (ICIMS_API_KEY)', { exact: false })).toBeVisible();
    await expect(page.getByTestId('secret-storage-warning')).toHaveCount(0);
    expect(await page.content()).not.toContain(E2E_API_KEY);
    await snap(page, testInfo, 'settings-env-locked');

    // Switching to OAuth shows a client secret this screen would store: now the warning matters.
    await page.getByLabel('Auth method').selectOption('oauth');
    await expect(page.getByTestId('secret-storage-warning')).toBeVisible();
  });
});
