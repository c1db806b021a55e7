import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

/*
 * The desktop app itself, launched from the build output (`npm run build`) by Playwright's
 * Electron driver. Needs an Electron binary; it comes from GitHub at install time, so on machines
 * that cannot reach it this spec is skipped and the same UI is covered in a browser by the
 * `console` project. Runs in the Playwright project `electron`.
 */

const projectRoot = resolve(__dirname, '../..');

test.describe('desktop app', () => {
  test('opens the console window with the dashboard, its status card, and only the contract API', async () => {
    // Imported at run time: the helper is an ES module and this spec is compiled to CommonJS.
    const { findElectronBinary } = await import('../../scripts/electron-binary.mjs');
    const electronBinary = findElectronBinary();
    if (!electronBinary.path) {
      // Said on the console too: the list reporter shows a skip without its reason.
      console.log(
        `Skipping the Electron spec: no Electron binary on this machine: ${electronBinary.reason}. The same UI is tested in Chromium by the console project.`,
      );
    }
    test.skip(!electronBinary.path, `no Electron binary on this machine: ${electronBinary.reason}`);
    expect(existsSync(join(projectRoot, 'out/main/index.js')), 'build first: npm run build').toBe(true);
    const dataDir = mkdtempSync(join(tmpdir(), 'console-electron-e2e-'));
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env))
      if (value !== undefined && !name.startsWith('ICIMS_') && !name.startsWith('CONSOLE_')) env[name] = value;
    delete env.ELECTRON_RENDERER_URL;
    Object.assign(env, { CONSOLE_DATA_DIR: dataDir, CONSOLE_HTTP_PORT: '0', ICIMS_MODE: 'mock' });

    const app = await electron.launch({
      executablePath: electronBinary.path ?? undefined,
      // Chromium refuses to start as root with its OS sandbox (CI containers run as root).
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), projectRoot],
      // The data directory has no .env files: the developer's own must not leak into the test.
      cwd: dataDir,
      env,
    });
    try {
      const window = await app.firstWindow();
      await expect(window.getByRole('link', { name: 'Dashboard' })).toBeVisible();
      await expect(window.getByTestId('status-card')).toBeVisible();
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle())).toBe(
        'iCIMS Sync Console',
      );

      // The page has no Node and sees only the preload's named functions.
      const surface = await window.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        api: Object.keys((globalThis as { consoleApi?: object }).consoleApi ?? {}).sort(),
      }));
      expect(surface.require).toBe('undefined');
      expect(surface.process).toBe('undefined');
      expect(surface.api).toContain('getSnapshot');
      expect(surface.api).toContain('onPush');
      expect(surface.api).not.toContain('ipcRenderer');
      expect(surface.api).not.toContain('invoke');
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
