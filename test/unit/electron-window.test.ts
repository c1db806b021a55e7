import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RENDERER_CONTENT_SECURITY_POLICY } from '../../src/main/electron/content-security-policy';
import { createExternalLinkPolicy } from '../../src/main/electron/external-links';
import { icimsWebUrlOrigin } from '../../src/shared/settings-rules';
import {
  createMainWindow,
  mainWindowOptions,
  WINDOW_BACKGROUND_COLORS,
  WINDOW_TITLE,
} from '../../src/main/electron/main-window';
import { resolveRendererLocation } from '../../src/main/electron/renderer-location';
import { installWebContentsGuards } from '../../src/main/electron/web-contents-guards';
import type { WebContentsGuardOptions } from '../../src/main/electron/web-contents-guards';
import { silentLogger } from '../../src/main/engine/logger';
import { app, FakeSession, FakeWebContents, nativeTheme, shell } from './electron-fake';
import type { FakeBrowserWindow } from './electron-fake';

vi.mock('electron', () => import('./electron-fake'));

const INDEX_HTML = resolve('/opt/console/out/renderer/index.html');
const OWN_URL = pathToFileURL(INDEX_HTML).href;
const location = resolveRendererLocation({ devServerUrl: undefined, isPackaged: true, indexHtmlPath: INDEX_HTML });

let configuredBaseUrl = 'https://api-eu.icims.com';
const guardOptions = (overrides: Partial<WebContentsGuardOptions> = {}): WebContentsGuardOptions => ({
  isOwnUrl: location.isOwnUrl,
  links: createExternalLinkPolicy(() => [configuredBaseUrl]),
  openExternal: (url) => shell.openExternal(url),
  cspHeader: true,
  logger: silentLogger,
  ...overrides,
});

/** A webContents as Electron would announce it, with the app's guards installed by the hook. */
function guardedContents(options = guardOptions()): FakeWebContents {
  app.removeAllListeners('web-contents-created');
  installWebContentsGuards(app as never, options);
  const contents = new FakeWebContents(OWN_URL, new FakeSession());
  app.emit('web-contents-created', {}, contents);
  return contents;
}

beforeEach(() => {
  shell.openExternal.mockClear();
  configuredBaseUrl = 'https://api-eu.icims.com';
});

describe('main window', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, web security, our preload', () => {
    const options = mainWindowOptions('/opt/console/out/preload/index.js');
    expect(options.webPreferences).toMatchObject({
      preload: '/opt/console/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(options).toMatchObject({
      title: WINDOW_TITLE,
      width: 1280,
      height: 860,
      minWidth: 1000,
      minHeight: 700,
      show: false,
    });
  });

  it('paints the background of the page (light or dark) before the page loads', () => {
    const css = readFileSync(join(__dirname, '../../src/renderer/src/styles.css'), 'utf8');
    const backgrounds = [...css.matchAll(/--bg:\s*(#[0-9a-f]{6})/gi)].map((match) => match[1]);
    expect(backgrounds).toEqual([WINDOW_BACKGROUND_COLORS.light, WINDOW_BACKGROUND_COLORS.dark]);
    nativeTheme.shouldUseDarkColors = true;
    expect(mainWindowOptions('/p').backgroundColor).toBe(WINDOW_BACKGROUND_COLORS.dark);
    nativeTheme.shouldUseDarkColors = false;
    expect(mainWindowOptions('/p').backgroundColor).toBe(WINDOW_BACKGROUND_COLORS.light);
  });

  it('loads the built index.html and shows the window only once it is ready to paint', () => {
    const window = createMainWindow(location, '/p/preload.js', silentLogger) as unknown as FakeBrowserWindow;
    expect(window.loadFile).toHaveBeenCalledWith(INDEX_HTML);
    expect(window.loadURL).not.toHaveBeenCalled();
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalledTimes(1);
  });

  it('loads the dev server in development only, and only a loopback one', () => {
    const dev = resolveRendererLocation({
      devServerUrl: 'http://localhost:5173/',
      isPackaged: false,
      indexHtmlPath: INDEX_HTML,
    });
    const window = createMainWindow(dev, '/p/preload.js', silentLogger) as unknown as FakeBrowserWindow;
    expect(window.loadURL).toHaveBeenCalledWith('http://localhost:5173/');
    expect(dev.isOwnUrl('http://localhost:5173/#/jobs')).toBe(true);
    expect(dev.isOwnUrl('http://localhost:5174/')).toBe(false);

    // A packaged app ignores the variable; so does development for a non-loopback server.
    for (const [devServerUrl, isPackaged] of [
      ['http://localhost:5173/', true],
      ['https://evil.example/', false],
    ] as const) {
      expect(resolveRendererLocation({ devServerUrl, isPackaged, indexHtmlPath: INDEX_HTML }).target).toEqual({
        kind: 'file',
        path: INDEX_HTML,
      });
    }
  });

  it('treats exactly our index.html (any route) as our own page, no other file', () => {
    expect(location.isOwnUrl(`${OWN_URL}#/settings`)).toBe(true);
    expect(location.isOwnUrl(pathToFileURL(resolve('/home/me/Downloads/index.html')).href)).toBe(false);
    expect(location.isOwnUrl('https://api.icims.com/')).toBe(false);
    expect(location.isOwnUrl('not a url')).toBe(false);
  });
});

describe('navigation and new windows', () => {
  it('lets the console navigate within itself', () => {
    const contents = guardedContents();
    expect(contents.fire('will-navigate', `${OWN_URL}#/jobs`).defaultPrevented).toBe(false);
  });

  it('blocks navigation to any other page and opens nothing for a link that is not allow-listed', () => {
    const contents = guardedContents();
    for (const url of ['https://evil.example/phish', 'file:///etc/passwd', 'http://developer.icims.com/']) {
      expect(contents.fire('will-navigate', url).defaultPrevented).toBe(true);
      expect(contents.fire('will-redirect', url).defaultPrevented).toBe(true);
    }
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it('sends an allow-listed link to the browser instead of navigating the console away', () => {
    const contents = guardedContents();
    expect(contents.fire('will-navigate', 'https://developer.icims.com/REST-API').defaultPrevented).toBe(true);
    expect(shell.openExternal).toHaveBeenCalledWith('https://developer.icims.com/REST-API');
  });

  it('denies every new window; only allow-listed https links reach shell.openExternal', () => {
    const contents = guardedContents();
    const open = (url: string) => contents.windowOpenHandler?.({ url });
    for (const url of [
      'https://evil.example/',
      'http://www.icims.com/',
      'https://user:pw@www.icims.com/',
      'https://www.icims.com:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'ms-settings:',
    ]) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
    expect(shell.openExternal).not.toHaveBeenCalled();

    expect(open('https://www.icims.com/help')).toEqual({ action: 'deny' });
    expect(open('https://api-eu.icims.com/customers/1')).toEqual({ action: 'deny' });
    expect(shell.openExternal.mock.calls.map(([url]) => url)).toEqual([
      'https://www.icims.com/help',
      'https://api-eu.icims.com/customers/1',
    ]);
  });

  it('follows the configured iCIMS base URL as it changes', () => {
    const contents = guardedContents();
    configuredBaseUrl = 'https://api.icims.com';
    contents.windowOpenHandler?.({ url: 'https://api-eu.icims.com/' });
    contents.windowOpenHandler?.({ url: 'https://api.icims.com/' });
    expect(shell.openExternal.mock.calls.map(([url]) => url)).toEqual(['https://api.icims.com/']);
  });

  it("an Open in iCIMS link (target=_blank) goes to the browser only for the host of Settings' iCIMS web address", () => {
    const links = createExternalLinkPolicy(() => [
      configuredBaseUrl,
      icimsWebUrlOrigin('https://acme.icims.com/platform?app={applicationId}') ?? '',
      // Not usable (http): contributes nothing.
      icimsWebUrlOrigin('http://other.icims.com/{applicationId}') ?? '',
    ]);
    const contents = guardedContents(guardOptions({ links }));
    expect(contents.windowOpenHandler?.({ url: 'https://acme.icims.com/platform?app=APP-1' })).toEqual({
      action: 'deny',
    });
    contents.windowOpenHandler?.({ url: 'https://other.icims.com/APP-1' });
    contents.windowOpenHandler?.({ url: 'http://acme.icims.com/platform?app=APP-1' });
    expect(shell.openExternal.mock.calls.map(([url]) => url)).toEqual(['https://acme.icims.com/platform?app=APP-1']);
  });

  it('refuses <webview> attachment', () => {
    expect(guardedContents().fire('will-attach-webview', {}, {}).defaultPrevented).toBe(true);
  });
});

describe('session', () => {
  it('denies every permission request and check', () => {
    const { session } = guardedContents();
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      (session.permissionRequestHandler as (...args: unknown[]) => void)(
        {},
        permission,
        (granted: boolean) => answers.push(granted),
        {},
      );
      expect((session.permissionCheckHandler as (...args: unknown[]) => boolean)(null, permission, OWN_URL, {})).toBe(
        false,
      );
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect((session.devicePermissionHandler as (...args: unknown[]) => boolean)({})).toBe(false);
  });

  it('puts our CSP header on responses, replacing whatever policy the response had', () => {
    const { session } = guardedContents();
    let answer: { responseHeaders: Record<string, string[]> } | undefined;
    (session.headersReceivedListener as (...args: unknown[]) => void)(
      {
        url: 'https://example.test/',
        responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
      },
      (response: { responseHeaders: Record<string, string[]> }) => (answer = response),
    );
    expect(answer?.responseHeaders['Content-Security-Policy']).toEqual([RENDERER_CONTENT_SECURITY_POLICY]);
    expect(answer?.responseHeaders['content-security-policy']).toBeUndefined();
    expect(answer?.responseHeaders['Content-Type']).toEqual(['text/html']);
    expect(RENDERER_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(RENDERER_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:/);
  });

  it('leaves the dev server without the header (its inline preamble would be blocked)', () => {
    const { session } = guardedContents(guardOptions({ cspHeader: false }));
    expect(session.headersReceivedListener).toBeNull();
    expect(session.permissionRequestHandler).not.toBeNull();
  });

  it('keeps the header policy and the meta policy of the renderer page the same', () => {
    const html = readFileSync(join(__dirname, '../../src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    // frame-ancestors works only as a header (Chromium ignores it in a meta tag), so the meta copy may omit it.
    const directives = (policy: string) =>
      policy
        .split(';')
        .map((directive) => directive.trim())
        .filter((directive) => directive && !directive.startsWith('frame-ancestors'));
    expect(directives(meta).sort()).toEqual(directives(RENDERER_CONTENT_SECURITY_POLICY).sort());
    expect(RENDERER_CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });
});
