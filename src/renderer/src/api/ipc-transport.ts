import type { ConsoleApi, ConsoleMethod, IpcResult, PreloadApi, PushEvent } from '../../../shared/console-api';
import { CONSOLE_METHODS } from '../../../shared/console-api';
import { consoleApiErrorFromBody } from './console-api-error';
import { createObservableValue } from './observable-value';
import { checkOutput } from './output-validation';
import type { PushSource } from './push-source';

/**
 * Desktop transport: the preload's `window.consoleApi`. Electron flattens thrown errors into a
 * string, so the main process answers an `IpcResult` envelope and errors are re-thrown here as
 * `ConsoleApiError` with their code and issues intact.
 */
export function createIpcClient(preload: PreloadApi): ConsoleApi {
  const call = async (method: ConsoleMethod, input: unknown): Promise<unknown> => {
    const invoke = preload[method] as (input: unknown) => Promise<IpcResult<unknown>>;
    const result = await invoke(input ?? {});
    if (!result.ok) throw consoleApiErrorFromBody(result.error);
    return checkOutput(method, result.value);
  };
  return Object.fromEntries(
    CONSOLE_METHODS.map((method) => [method, (input: unknown) => call(method, input)]),
  ) as ConsoleApi;
}

/** IPC pushes cannot be "lost" while the window lives, so this source is always live. */
export function createIpcPushSource(preload: PreloadApi): PushSource {
  return {
    state: createObservableValue('live' as const),
    subscribe: (listener: (event: PushEvent) => void) => preload.onPush(listener),
    onResync: () => () => undefined,
  };
}
