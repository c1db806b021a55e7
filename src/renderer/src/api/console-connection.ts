import type { ConsoleApi, PreloadApi } from '../../../shared/console-api';
import { RENDERER_API_GLOBAL } from '../../../shared/console-api';
import type { BrowserSession, SessionView } from './browser-session';
import { createBrowserSession } from './browser-session';
import { createFetchPushSource } from './fetch-push-source';
import { createHttpClient } from './http-transport';
import { createIpcClient, createIpcPushSource } from './ipc-transport';
import { createObservableValue } from './observable-value';
import type { PushSource } from './push-source';

declare global {
  interface Window {
    [RENDERER_API_GLOBAL]?: PreloadApi;
  }
}

/** Everything the screens need to talk to the main process, whichever transport carries it. */
export interface ConsoleConnection {
  readonly api: ConsoleApi;
  readonly push: PushSource;
  /** Only the headless transport signs in and out; the desktop one is always signed in. */
  readonly session: BrowserSession;
  readonly transport: 'ipc' | 'http';
}

/** The desktop window is the OS user's: there is nothing to sign in to or out of. */
function desktopSession(): BrowserSession {
  const view = createObservableValue<SessionView>({ status: 'signedIn', label: 'Desktop' });
  return {
    view,
    token: () => null,
    signInWithApiToken: async () => null,
    signOut: async () => undefined,
    ended: () => undefined,
  };
}

export function createConsoleConnection(): ConsoleConnection {
  const preload = window[RENDERER_API_GLOBAL];
  if (preload) {
    return {
      api: createIpcClient(preload),
      push: createIpcPushSource(preload),
      session: desktopSession(),
      transport: 'ipc',
    };
  }
  const session = createBrowserSession();
  return { api: createHttpClient(session), push: createFetchPushSource(session), session, transport: 'http' };
}
