/**
 * Names both transports share. Kept free of zod and every other import: the sandboxed preload
 * bundles this file and can load nothing else.
 */

/** Pushed from the main process so the renderer invalidates the matching react-query keys. */
export const PUSH_TOPICS = ['jobs', 'ops', 'settings'] as const;
export type PushTopic = (typeof PUSH_TOPICS)[number];
export interface PushEvent {
  topic: PushTopic;
}

export const IPC_CHANNEL_PREFIX = 'console:';
export const IPC_PUSH_CHANNEL = 'console:push';
export const RPC_PATH_PREFIX = '/rpc/';
export const RPC_EVENTS_PATH = '/rpc/events';

/** The name under which the preload exposes the API to the renderer (`window.consoleApi`). */
export const RENDERER_API_GLOBAL = 'consoleApi';

/**
 * How an IPC handler answers. Electron flattens thrown errors into a string, so errors travel as
 * values and the renderer's IPC transport turns them back into `ConsoleApiError`.
 */
export type IpcResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: { error: string; message: string; issues?: { path: string; message: string }[] } };
