import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConsoleApiError } from '../../shared/console-api';
import { consoleApiSchema, RPC_EVENTS_PATH, RPC_PATH_PREFIX, type ConsoleMethod } from '../../shared/console-api';
import { dispatchConsoleCall } from '../engine/console-dispatcher';
import type { Engine } from '../engine/engine-types';
import type { Logger } from '../engine/logger';
import { STATUS_BY_CODE } from './api-error-status';
import { HttpError, sendJson } from './http-responses';
import type { PushStream } from './push-stream';
import { identifyCaller, requireConsoleCaller } from './request-auth';
import { readJson, requireJsonContentType, requireSameOrigin } from './request-guards';

export interface RpcRouteDeps {
  engine: Engine;
  pushes: PushStream;
  logger: Logger;
  ownOrigins: () => Set<string>;
}

/**
 * The headless transport of ConsoleApi: `POST /rpc/<method>` with the input as JSON, and
 * `GET /rpc/events` for pushes. Calls go through the same dispatcher as Electron IPC. A browser is
 * authorised by its session token, a script by the API token, both as `Authorization: Bearer`;
 * the ingest token is refused. Requests from another origin are refused before anything else.
 */
export async function handleRpcRoute(
  deps: RpcRouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  if (!url.pathname.startsWith(RPC_PATH_PREFIX)) return false;
  requireSameOrigin(req, deps.ownOrigins());
  const caller = identifyCaller(req, deps.engine);
  const actor = requireConsoleCaller(caller);

  if (url.pathname === RPC_EVENTS_PATH) {
    if (req.method !== 'GET')
      throw new HttpError(405, 'method_not_allowed', 'Use GET for the event stream', undefined, { Allow: 'GET' });
    deps.pushes.open(req, res, caller.kind === 'session' ? caller.session.tokenHash : null);
    return true;
  }

  const name = url.pathname.slice(RPC_PATH_PREFIX.length);
  if (!Object.hasOwn(consoleApiSchema, name))
    throw new HttpError(404, 'not_found', `No console method "${name.slice(0, 60)}"`);
  if (req.method !== 'POST')
    throw new HttpError(405, 'method_not_allowed', 'Use POST for console methods', undefined, { Allow: 'POST' });
  requireJsonContentType(req);

  const method = name as ConsoleMethod;
  const body = (await readJson(req)) ?? {};
  const result = await dispatchConsoleCall(method, body, deps.engine.api, { actor }, deps.logger);
  if (result.ok) sendJson(res, 200, result.value);
  else sendJson(res, STATUS_BY_CODE[result.error.error as ConsoleApiError['code']] ?? 500, result.error);
  return true;
}
