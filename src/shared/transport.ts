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

/**
 * Headless sign-in (docs/SECURITY.md): `POST` a one-time code or the API token to get a session
 * token, which the renderer keeps in the console origin's storage and sends as
 * `Authorization: Bearer …`. `POST` the sign-out path with it to end the session.
 */
export const SIGN_IN_PATH = '/auth/sign-in';
export const SIGN_OUT_PATH = '/auth/sign-out';
/** `GET`: the signed-in session's label and ends (for the top bar). */
export const SESSION_PATH = '/auth/session';
/** Where the printed one-time link lands: `/login?code=…` (the UI reads the code and signs in). */
export const LOGIN_PAGE_PATH = '/login';
