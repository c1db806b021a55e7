import { userInfo } from 'node:os';
import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { CONSOLE_METHODS, ConsoleApiError, consoleApiSchema, IPC_CHANNEL_PREFIX } from '../../shared/console-api';
import type { CallContext, ConsoleApiHandlers, ConsoleMethod, IpcResult, MethodOutput } from '../../shared/console-api';
import { toInputIssues } from '../../shared/scheduling-event';
import type { Logger } from '../engine/logger';

export interface ConsoleIpcOptions {
  api: ConsoleApiHandlers;
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
  logger: Logger;
}

const INTERNAL_ERROR_MESSAGE = 'The console hit an unexpected error; details are in the log.';

/**
 * One `ipcMain.handle('console:<method>')` per ConsoleApi method. Returns a function that removes
 * them again (for tests and for a clean shutdown).
 */
export function registerConsoleIpc(options: ConsoleIpcOptions): () => void {
  // The desktop app runs as one OS user: that is who acted, for the audit trail.
  const context: CallContext = { actor: { kind: 'desktop', label: desktopUser() } };
  for (const method of CONSOLE_METHODS) {
    ipcMain.handle(IPC_CHANNEL_PREFIX + method, (event, input: unknown) => {
      if (!options.isTrustedSender(event)) {
        options.logger.log('warn', 'ipc.forbidden_sender', {
          method,
          url: event.senderFrame?.url.split(/[?#]/)[0] ?? null,
        });
        return failure(new ConsoleApiError('forbidden', 'This window may not call the console API.'));
      }
      return callConsoleMethod(method, input, options.api, options.logger, context);
    });
  }
  return () => {
    for (const method of CONSOLE_METHODS) ipcMain.removeHandler(IPC_CHANNEL_PREFIX + method);
  };
}

/**
 * Parse → call → envelope. Nothing throws across IPC (Electron would flatten the error into a
 * string, stack included): a ConsoleApiError travels as its body, anything else as a generic
 * `internal` whose detail stays in the main-process log.
 *
 * The output is parsed with the contract's schema as well. That strips any key the contract does
 * not name, so a field an engine change adds by mistake (a secret, say) cannot reach the renderer;
 * an output that breaks the contract becomes `internal` rather than reaching the UI half-formed.
 */
export async function callConsoleMethod<M extends ConsoleMethod>(
  method: M,
  input: unknown,
  api: ConsoleApiHandlers,
  logger: Logger,
  context?: CallContext,
): Promise<IpcResult<MethodOutput<M>>> {
  const schema = consoleApiSchema[method];
  const parsedInput = schema.input.safeParse(input);
  if (!parsedInput.success) {
    const issues = toInputIssues(parsedInput.error);
    return failure(
      new ConsoleApiError(
        'invalid_input',
        `Invalid input for ${method}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        issues,
      ),
    );
  }
  let value: unknown;
  try {
    // The map is typed per method; TypeScript cannot correlate `method` with its own input here.
    const handler = api[method] as (input: unknown, context?: CallContext) => Promise<unknown>;
    value = await handler.call(api, parsedInput.data, context);
  } catch (error) {
    if (error instanceof ConsoleApiError) return failure(error);
    logger.log('error', 'ipc.unexpected_error', { method, error });
    return failure(new ConsoleApiError('internal', INTERNAL_ERROR_MESSAGE));
  }
  const parsedOutput = schema.output.safeParse(value);
  if (!parsedOutput.success) {
    // Paths and codes only: the offending values may be exactly what must not be logged.
    logger.log('error', 'ipc.output_invalid', {
      method,
      issues: parsedOutput.error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code })),
    });
    return failure(new ConsoleApiError('internal', INTERNAL_ERROR_MESSAGE));
  }
  return { ok: true, value: parsedOutput.data as MethodOutput<M> };
}

function failure(error: ConsoleApiError): { ok: false; error: ReturnType<ConsoleApiError['toBody']> } {
  return { ok: false, error: error.toBody() };
}

function desktopUser(): string {
  try {
    return userInfo().username || 'desktop user';
  } catch {
    return 'desktop user';
  }
}
