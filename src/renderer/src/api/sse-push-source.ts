import type { PushEvent } from '../../../shared/console-api';
import { RPC_EVENTS_PATH } from '../../../shared/console-api';
import type { PushConnectionState, PushSource } from './push-source';
import { createObservableValue } from './observable-value';
import { parsePushMessage } from './push-message';

const MAX_RETRY_DELAY_MS = 15_000;

/**
 * Headless pushes: server-sent events at `/rpc/events`, each `event: push` with
 * `data: {"topic":"jobs"|"ops"|"settings"}`. EventSource reconnects by itself after a network
 * error, but gives up for good when the server answers with an error status (a restart, a 401):
 * then we open a new one ourselves with a growing delay. Every reconnection asks for a resync,
 * since pushes sent while we were away are lost.
 */
export function createSsePushSource(): PushSource {
  const state = createObservableValue<PushConnectionState>('connecting');
  const listeners = new Set<(event: PushEvent) => void>();
  const resyncListeners = new Set<() => void>();
  let source: EventSource | null = null;
  let retryDelay = 1_000;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let everOpened = false;

  const connect = () => {
    source = new EventSource(RPC_EVENTS_PATH);
    source.addEventListener('open', () => {
      retryDelay = 1_000;
      if (everOpened) for (const listener of [...resyncListeners]) listener();
      everOpened = true;
      state.set('live');
    });
    source.addEventListener('push', (message) => {
      const event = parsePushMessage(message.data);
      if (event) for (const listener of [...listeners]) listener(event);
    });
    source.addEventListener('error', () => {
      state.set(everOpened ? 'reconnecting' : 'connecting');
      if (source?.readyState !== EventSource.CLOSED) return;
      source = null;
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        connect();
      }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, MAX_RETRY_DELAY_MS);
    });
  };

  const ensureConnected = () => {
    if (!source && retryTimer === undefined) connect();
  };

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
