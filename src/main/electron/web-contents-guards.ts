import type { App, Session, WebContents } from 'electron';
import type { Logger } from '../engine/logger';
import { RENDERER_CONTENT_SECURITY_POLICY } from './content-security-policy';
import type { ExternalLinkPolicy } from './external-links';

export interface WebContentsGuardOptions {
  isOwnUrl(url: string): boolean;
  links: ExternalLinkPolicy;
  openExternal(url: string): Promise<void>;
  /** Attach the CSP response header (production; the dev server needs Vite's inline preamble). */
  cspHeader: boolean;
  logger: Logger;
}

/**
 * Applies the guards to every webContents the app ever creates — the main window, devtools,
 * anything a future change adds — by hooking `web-contents-created` before the first window
 * exists. Electron's security checklist items 12–14: limit navigation, limit new windows, never
 * hand an unchecked URL to `shell.openExternal`.
 */
export function installWebContentsGuards(app: Pick<App, 'on'>, options: WebContentsGuardOptions): void {
  const guardedSessions = new WeakSet<Session>();
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, options);
    if (!guardedSessions.has(contents.session)) {
      guardedSessions.add(contents.session);
      guardSession(contents.session, options);
    }
  });
}

export function guardWebContents(contents: WebContents, options: WebContentsGuardOptions): void {
  const refuseForeign = (event: { preventDefault(): void }, url: string, kind: string) => {
    if (options.isOwnUrl(url)) return;
    event.preventDefault();
    options.logger.log('warn', 'window.navigation_blocked', { kind, url: describeUrl(url) });
    openIfAllowed(url, options);
  };
  contents.on('will-navigate', (event, url) => refuseForeign(event, url, 'navigate'));
  contents.on('will-redirect', (event, url) => refuseForeign(event, url, 'redirect'));
  // The console has no <webview>; refuse one outright rather than reason about its preferences.
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    options.logger.log('warn', 'window.webview_blocked', {});
  });
  // No new Electron window, ever. An allow-listed link goes to the user's browser instead.
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url, options);
    return { action: 'deny' };
  });
}

/** Permissions: the console needs none (no camera, notifications from the page, geolocation…). */
export function guardSession(session: Session, options: Pick<WebContentsGuardOptions, 'cspHeader' | 'logger'>): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    options.logger.log('warn', 'window.permission_denied', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  if (options.cspHeader) {
    session.webRequest.onHeadersReceived((details, callback) => {
      const headers = { ...details.responseHeaders };
      // Replace, not add to, whatever CSP the response had: ours is the policy of record.
      for (const name of Object.keys(headers))
        if (name.toLowerCase() === 'content-security-policy') delete headers[name];
      callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [RENDERER_CONTENT_SECURITY_POLICY] } });
    });
  }
}

function openIfAllowed(url: string, options: Pick<WebContentsGuardOptions, 'links' | 'openExternal' | 'logger'>): void {
  if (!options.links.isAllowed(url)) {
    options.logger.log('warn', 'window.external_link_blocked', { url: describeUrl(url) });
    return;
  }
  options.openExternal(url).catch((error: unknown) => {
    options.logger.log('warn', 'window.external_link_failed', {
      url: describeUrl(url),
      error: error instanceof Error ? error.message : String(error),
    });
  });
}

/** Logs say where a link pointed, not its query string (which could carry a token). */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' ? 'file:' : `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
