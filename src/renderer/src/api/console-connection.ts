import type { ConsoleApi, PreloadApi } from '../../../shared/console-api';
import { RENDERER_API_GLOBAL } from '../../../shared/console-api';
import type { SessionState } from './http-transport';
import { createHttpClient } from './http-transport';
import { createIpcClient, createIpcPushSource } from './ipc-transport';
import type { ObservableValue } from './observable-value';
import { createObservableValue } from './observable-value';
import type { PushSource } from './push-source';
import { createSsePushSource } from './sse-push-source';

declare global {
  interface Window {
    [RENDERER_API_GLOBAL]?: PreloadApi;
  }
}

/** Everything the screens need to talk to the main process, whichever transport carries it. */
export interface ConsoleConnection {
  readonly api: ConsoleApi;
  readonly push: PushSource;
  /** Only the headless transport can be signed out; the desktop one always reads `signedIn`. */
  readonly session: ObservableValue<SessionState>;
  readonly transport: 'ipc' | 'http';
}

export function createConsoleConnection(): ConsoleConnection {
  const preload = window[RENDERER_API_GLOBAL];
  if (preload) {
    return {
      api: createIpcClient(preload),
      push: createIpcPushSource(preload),
      session: createObservableValue<SessionState>('signedIn'),
      transport: 'ipc',
    };
  }
  const session = createObservableValue<SessionState>('signedIn');
  return { api: createHttpClient(session), push: createSsePushSource(), session, transport: 'http' };
}
