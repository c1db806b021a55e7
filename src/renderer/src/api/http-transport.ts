import type { ConsoleApi, ConsoleMethod } from '../../../shared/console-api';
import { CONSOLE_METHODS, RPC_PATH_PREFIX } from '../../../shared/console-api';
import type { BrowserSession } from './browser-session';
import { consoleApiErrorFromBody, ServerUnreachableError } from './console-api-error';
import { checkOutput } from './output-validation';

/**
 * Headless transport: `POST /rpc/<method>` with the input as JSON and the session token as
 * `Authorization: Bearer`. No cookie is sent or needed (`credentials: 'omit'`): another page on
 * this machine has nothing ambient to ride on. A 401 means the session ended (idle, expired,
 * signed out in another tab): the sign-in page takes over.
 */
export function createHttpClient(session: BrowserSession): ConsoleApi {
  const call = async (method: ConsoleMethod, input: unknown): Promise<unknown> => {
    const token = session.token();
    let response: Response;
    try {
      response = await fetch(`${RPC_PATH_PREFIX}${method}`, {
        method: 'POST',
        credentials: 'omit',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      throw new ServerUnreachableError();
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 401) {
      session.ended();
      throw consoleApiErrorFromBody(body, 401);
    }
    if (!response.ok) throw consoleApiErrorFromBody(body, response.status);
    return checkOutput(method, body);
  };
  return Object.fromEntries(
    CONSOLE_METHODS.map((method) => [method, (input: unknown) => call(method, input)]),
  ) as ConsoleApi;
}
