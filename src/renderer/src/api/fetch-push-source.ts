import type { PushEvent } from '../../../shared/console-api';
import { RPC_EVENTS_PATH } from '../../../shared/console-api';
import type { BrowserSession } from './browser-session';
import { createObservableValue } from './observable-value';
import { parsePushMessage } from './push-message';
import type { PushConnectionState, PushSource } from './push-source';

const MAX_RETRY_DELAY_MS = 15_000;

/**
 * Headless pushes: the server-sent event stream at `/rpc/events` (each `event: push` with
 * `data: {"topic":…}`), read with fetch rather than EventSource because EventSource cannot send
 * the session token header. Reconnects with a growing delay when the stream ends or fails, and
 * asks for a resync after every reconnection (pushes sent while away are lost). Stops while signed
 * out and starts again on sign-in.
 */
export function createFetchPushSource(session: BrowserSession): PushSource {
  const state = createObservableValue<PushConnectionState>('connecting');
  const listeners = new Set<(event: PushEvent) => void>();
  const resyncListeners = new Set<() => void>();
  let controller: AbortController | null = null;
  let retryDelay = 1_000;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let everOpened = false;

  const scheduleRetry = () => {
    state.set(everOpened ? 'reconnecting' : 'connecting');
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, MAX_RETRY_DELAY_MS);
  };

  const connect = async () => {
    const token = session.token();
    if (!token) return;
    const own = new AbortController();
    controller = own;
    try {
      const response = await fetch(RPC_EVENTS_PATH, {
        credentials: 'omit',
        headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
        signal: own.signal,
      });
      if (response.status === 401) {
        controller = null;
        session.ended();
        return;
      }
      if (!response.ok || !response.body) throw new Error(`push stream answered ${response.status}`);
      retryDelay = 1_000;
      if (everOpened) for (const listener of [...resyncListeners]) listener();
      everOpened = true;
      state.set('live');
      await readFrames(response.body, (event, data) => {
        if (event !== 'push') return;
        const push = parsePushMessage(data);
        if (push) for (const listener of [...listeners]) listener(push);
      });
    } catch {
      // Network error or abort: handled below.
    }
    if (controller !== own) return;
    controller = null;
    if (!own.signal.aborted && session.token()) scheduleRetry();
  };

  const stop = () => {
    controller?.abort();
    controller = null;
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    retryTimer = undefined;
  };

  const ensureConnected = () => {
    if (!controller && retryTimer === undefined) void connect();
  };

  session.view.subscribe(() => {
    const view = session.view.get();
    if (view.status === 'signedOut') stop();
    if (view.status === 'signedIn' && listeners.size > 0) ensureConnected();
  });

  return {
    state,
    subscribe(listener) {
      listeners.add(listener);
      ensureConnected();
      return () => listeners.delete(listener);
    },
    onResync(listener) {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
  };
}

/** Splits a text/event-stream body into frames and hands each frame's event name and data on. */
async function readFrames(body: ReadableStream<Uint8Array>, onFrame: (event: string, data: string) => void) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) onFrame(event, data.join('\n'));
    }
  }
}
