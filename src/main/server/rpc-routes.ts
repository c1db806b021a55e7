import type { IncomingMessage, ServerResponse } from 'node:http';
import { consoleApiSchema, RPC_EVENTS_PATH, RPC_PATH_PREFIX, type ConsoleMethod } from '../../shared/console-api';
import { toInputIssues } from '../../shared/scheduling-event';
import type { CallContext } from '../../shared/actor';
import type { Engine } from '../engine/engine-types';
import { API_TOKEN_CONTEXT } from './api-routes';
import type { BrowserSessions } from './browser-sessions';
import { HttpError, sendJson } from './http-responses';
import type { PushStream } from './push-stream';
import { bearerToken, readJson, tokensEqual } from './request-guards';

/**
 * The headless transport of ConsoleApi: `POST /rpc/<method>` with the input as JSON, and
 * `GET /rpc/events` for pushes. The same zod schemas as the Electron IPC handlers parse every
 * input. A browser is authorised by its session cookie, a script by the bearer token.
 */
export async function handleRpcRoute(
  engine: Engine,
  sessions: BrowserSessions,
  pushes: PushStream,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  if (!url.pathname.startsWith(RPC_PATH_PREFIX)) return false;
  const context = authorise(engine, sessions, req);

  if (url.pathname === RPC_EVENTS_PATH) {
    if (req.method !== 'GET')
      throw new HttpError(405, 'method_not_allowed', 'Use GET for the event stream', undefined, { Allow: 'GET' });
    pushes.open(req, res);
    return true;
  }

  const name = url.pathname.slice(RPC_PATH_PREFIX.length);
  if (!Object.hasOwn(consoleApiSchema, name))
    throw new HttpError(404, 'not_found', `No console method "${name.slice(0, 60)}"`);
  if (req.method !== 'POST')
    throw new HttpError(405, 'method_not_allowed', 'Use POST for console methods', undefined, { Allow: 'POST' });
  // A JSON content type cannot be sent cross-site without a CORS preflight, which this server
  // never grants: together with SameSite=Strict cookies this shuts out cross-site requests.
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the method input as application/json');
  }

  const method = name as ConsoleMethod;
  const body = (await readJson(req)) ?? {};
  const parsed = consoleApiSchema[method].input.safeParse(body);
  if (!parsed.success)
    throw new HttpError(400, 'invalid_input', `Invalid input for ${method}`, toInputIssues(parsed.error));
  const handler = engine.api[method] as (input: unknown, context?: CallContext) => Promise<unknown>;
  sendJson(res, 200, await handler(parsed.data, context));
  return true;
}

/** Who is calling, for the audit trail: a signed-in browser or a script with the API token. */
function authorise(engine: Engine, sessions: BrowserSessions, req: IncomingMessage): CallContext {
  if (sessions.isSignedIn(req)) return { actor: { kind: 'session', label: 'browser session' } };
  const token = bearerToken(req);
  if (token !== null && tokensEqual(token, engine.apiToken)) return API_TOKEN_CONTEXT;
  throw new HttpError(
    401,
    'unauthorized',
    'This console session is not signed in: open the login link the console printed at start',
  );
}
