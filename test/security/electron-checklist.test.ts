import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { RENDERER_CONTENT_SECURITY_POLICY } from '../../src/main/electron/content-security-policy';
import { createExternalLinkPolicy } from '../../src/main/electron/external-links';
import { createIpcSenderCheck } from '../../src/main/electron/ipc-sender-check';
import { mainWindowOptions } from '../../src/main/electron/main-window';
import { resolveRendererLocation } from '../../src/main/electron/renderer-location';
import { installWebContentsGuards } from '../../src/main/electron/web-contents-guards';
import { silentLogger } from '../../src/main/engine/logger';
import { CONSOLE_METHODS, RENDERER_API_GLOBAL } from '../../src/shared/console-api';
import { app, contextBridge, FakeSession, FakeWebContents, ipcRenderer, shell } from '../unit/electron-fake';

vi.mock('electron', () => import('../unit/electron-fake'));

/*
 * Electron's security checklist (electronjs.org, Security tutorial), one test per point that
 * applies to this app; the points that do not apply are listed with why in docs/SECURITY.md.
 */
const INDEX_HTML = resolve('/opt/console/out/renderer/index.html');
const OWN_URL = pathToFileURL(INDEX_HTML).href;
const location = resolveRendererLocation({ devServerUrl: undefined, isPackaged: true, indexHtmlPath: INDEX_HTML });
const prefs = mainWindowOptions('/opt/console/out/preload/index.js').webPreferences ?? {};

function guarded(): FakeWebContents {
  app.removeAllListeners('web-contents-created');
  installWebContentsGuards(app as never, {
    isOwnUrl: location.isOwnUrl,
    links: createExternalLinkPolicy(() => ['https://api.icims.com']),
    openExternal: (url) => shell.openExternal(url),
    cspHeader: true,
    logger: silentLogger,
  });
  const contents = new FakeWebContents(OWN_URL, new FakeSession());
  app.emit('web-contents-created', {}, contents);
  return contents;
}

describe('Electron security checklist', () => {
  it('1. Only load secure content: the window loads the packaged index.html, never a remote page', () => {
    expect(location.target).toEqual({ kind: 'file', path: INDEX_HTML });
    const dev = resolveRendererLocation({
      devServerUrl: 'http://evil.example/',
      isPackaged: false,
      indexHtmlPath: INDEX_HTML,
    });
    expect(dev.target.kind).toBe('file');
  });

  it('2. Do not enable Node.js integration for remote content (nor any content)', () => {
    expect(prefs).toMatchObject({
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('3. Enable context isolation', () => {
    expect(prefs.contextIsolation).toBe(true);
  });

  it('4. Enable process sandboxing', () => {
    expect(prefs.sandbox).toBe(true);
  });

  it('5. Handle session permission requests from remote content: every permission is denied', () => {
    const { session } = guarded();
    const answers: boolean[] = [];
    (session.permissionRequestHandler as (...args: unknown[]) => void)(
      {},
      'media',
      (ok: boolean) => answers.push(ok),
      {},
    );
    expect(answers).toEqual([false]);
    expect((session.permissionCheckHandler as (...args: unknown[]) => boolean)(null, 'geolocation', OWN_URL, {})).toBe(
      false,
    );
  });

  it('6. Do not disable webSecurity', () => {
    expect(prefs.webSecurity).toBe(true);
  });

  it('7. Define a Content Security Policy: no remote origin, no inline script, no eval', () => {
    expect(RENDERER_CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(RENDERER_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(RENDERER_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
    const html = readFileSync(join(__dirname, '../../src/renderer/index.html'), 'utf8');
    expect(html).toMatch(/http-equiv="Content-Security-Policy"/);
  });

  it('8. Do not enable allowRunningInsecureContent', () => {
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });

  it('9. Do not enable experimental features', () => {
    expect(prefs.experimentalFeatures).toBe(false);
  });

  it('10. Do not use enableBlinkFeatures', () => {
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  it('11. <webview>: Do not use allowpopups — no <webview> at all: the tag is off and attaching one is refused', () => {
    expect(prefs.webviewTag).toBe(false);
    expect(guarded().fire('will-attach-webview', {}, {}).defaultPrevented).toBe(true);
  });

  it('12. <webview>: Verify options and params — refused before any option is looked at', () => {
    const event = guarded().fire('will-attach-webview', { preload: '/tmp/evil.js', nodeIntegration: true }, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('13. Disable or limit navigation: only our own page', () => {
    const contents = guarded();
    expect(contents.fire('will-navigate', `${OWN_URL}#/jobs`).defaultPrevented).toBe(false);
    expect(contents.fire('will-navigate', 'https://evil.example/').defaultPrevented).toBe(true);
    expect(contents.fire('will-redirect', 'file:///etc/passwd').defaultPrevented).toBe(true);
  });

  it('14. Disable or limit creation of new windows: every window.open is denied', () => {
    const contents = guarded();
    for (const url of ['https://evil.example/', OWN_URL, 'https://api.icims.com/']) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
  });

  it('15. Do not use shell.openExternal with untrusted content: https allow-list only', () => {
    shell.openExternal.mockClear();
    const contents = guarded();
    for (const url of ['http://api.icims.com/', 'file:///etc/passwd', 'smb://host/share', 'https://evil.example/']) {
      contents.windowOpenHandler?.({ url });
    }
    expect(shell.openExternal).not.toHaveBeenCalled();
    contents.windowOpenHandler?.({ url: 'https://developer.icims.com/' });
    expect(shell.openExternal).toHaveBeenCalledWith('https://developer.icims.com/');
  });

  it('17. Validate the sender of all IPC messages: our window, its main frame, our page', () => {
    const window = new FakeWebContents(OWN_URL);
    const check = createIpcSenderCheck(() => window as never, location.isOwnUrl);
    const from = (sender: FakeWebContents, frame: unknown) => check({ sender, senderFrame: frame } as never);
    expect(from(window, window.mainFrame)).toBe(true);
    expect(from(new FakeWebContents(OWN_URL), window.mainFrame)).toBe(false);
    expect(from(window, { ...window.mainFrame, parent: window.mainFrame })).toBe(false);
    expect(from(window, { ...window.mainFrame, url: 'https://evil.example/' })).toBe(false);
    expect(from(window, null)).toBe(false);
  });

  it('19. Check which fuses you can change: the packaging config flips every fuse we rely on', () => {
    const config = readFileSync(join(__dirname, '../../electron-builder.yml'), 'utf8');
    const block = /^electronFuses:\n((?:[ \t]+.*\n?)+)/m.exec(config)?.[1] ?? '';
    const fuses = Object.fromEntries(
      [...block.matchAll(/^\s+(\w+):\s*(true|false)\s*$/gm)].map((m) => [m[1], m[2] === 'true']),
    );
    expect(fuses).toEqual(
      expect.objectContaining({
        runAsNode: false,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableCookieEncryption: true,
        enableEmbeddedAsarIntegrityValidation: true,
        onlyLoadAppFromAsar: true,
      }),
    );
  });

  it('20. Do not expose Electron APIs to untrusted web content: named contract functions only', async () => {
    await import('../../src/preload/index');
    const exposed = contextBridge.exposed.get(RENDERER_API_GLOBAL) as Record<string, unknown>;
    expect(Object.keys(exposed).sort()).toEqual([...CONSOLE_METHODS, 'onPush'].sort());
    expect(Object.values(exposed)).not.toContain(ipcRenderer);
    expect(exposed).not.toHaveProperty('invoke');
  });
});
