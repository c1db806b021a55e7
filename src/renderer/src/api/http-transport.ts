import type { ConsoleApi, ConsoleMethod } from '../../../shared/console-api';
import { CONSOLE_METHODS, RPC_PATH_PREFIX } from '../../../shared/console-api';
import { consoleApiErrorFromBody, ServerUnreachableError } from './console-api-error';
import type { ObservableValue } from './observable-value';
import { checkOutput } from './output-validation';

export type SessionState = 'signedIn' | 'signedOut';

/**
 * Headless transport: `POST /rpc/<method>` with the input as JSON. The server signs the browser
 * in with an HttpOnly SameSite cookie (set by the one-time login URL `npm run headless` prints),
 * so the renderer never holds a token; `credentials: 'same-origin'` sends that cookie. The JSON
 * content type also means no cross-site page can forge these requests without a CORS preflight.
 */
export function createHttpClient(session: ObservableValue<SessionState>): ConsoleApi {
  const call = async (method: ConsoleMethod, input: unknown): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetch(`${RPC_PATH_PREFIX}${method}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      throw new ServerUnreachableError();
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 401) {
      session.set('signedOut');
      throw consoleApiErrorFromBody(body, 401);
    }
    if (!response.ok) throw consoleApiErrorFromBody(body, response.status);
    session.set('signedIn');
    return checkOutput(method, body);
  };
  return Object.fromEntries(
    CONSOLE_METHODS.map((method) => [method, (input: unknown) => call(method, input)]),
  ) as ConsoleApi;
}
