import type { PushEvent, PushTopic } from '../../../shared/console-api';
import { PUSH_TOPICS } from '../../../shared/console-api';

/**
 * The data of one server-sent `push` message (`{"topic":"jobs"|"ops"|"settings"}`) as a
 * PushEvent, or null for anything else. A message the renderer does not understand (a newer
 * server's topic, a proxy's garbage) is ignored rather than thrown: the periodic refetch still
 * keeps the screens current.
 */
export function parsePushMessage(data: unknown): PushEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(data);
    const topic = (parsed as { topic?: unknown } | null)?.topic;
    return typeof topic === 'string' && (PUSH_TOPICS as readonly string[]).includes(topic)
      ? { topic: topic as PushTopic }
      : null;
  } catch {
    return null;
  }
}
