import type { WebContents } from 'electron';
import { IPC_PUSH_CHANNEL, PUSH_TOPICS } from '../../shared/transport';
import type { PushEvent } from '../../shared/transport';
import type { Engine } from '../engine/engine-types';

/**
 * Relays the engine's "something changed" events to the window, which invalidates the matching
 * react-query keys. Only the topic crosses: a push is a hint to refetch, never data.
 */
export function forwardPushesToWindow(
  engine: Pick<Engine, 'onPush'>,
  ownWebContents: () => WebContents | null,
): () => void {
  return engine.onPush((event) => {
    const contents = ownWebContents();
    if (!contents || contents.isDestroyed() || !PUSH_TOPICS.includes(event.topic)) return;
    const message: PushEvent = { topic: event.topic };
    contents.send(IPC_PUSH_CHANNEL, message);
  });
}
