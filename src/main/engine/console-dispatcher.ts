import type { CallContext } from '../../shared/actor';
import { ConsoleApiError, consoleApiSchema } from '../../shared/console-api';
import type { ConsoleApiHandlers, ConsoleMethod, IpcResult, MethodOutput } from '../../shared/console-api';
import { toInputIssues } from '../../shared/scheduling-event';
import type { Logger } from './logger';

const INTERNAL_ERROR_MESSAGE = 'The console hit an unexpected error; details are in the log.';

export type DispatchResult<M extends ConsoleMethod> = IpcResult<MethodOutput<M>>;

/**
 * THE way a ConsoleApi call enters the engine, for Electron IPC and HTTP `/rpc` alike, so the two
 * transports cannot drift: parse the input with the contract's schema, call the handler with the
 * caller the transport established, parse the output, map errors.
 *
 * Nothing is thrown: a ConsoleApiError travels as its body, anything else as a generic `internal`
 * whose detail stays in the log (its text may hold paths or internals no caller needs).
 *
 * The output is parsed with the contract's schema as well. That strips any key the contract does
 * not name, so a field an engine change adds by mistake (a secret, say) cannot reach a caller; an
 * output that breaks the contract becomes `internal` rather than reaching the UI half-formed.
 */
export async function dispatchConsoleCall<M extends ConsoleMethod>(
  method: M,
  input: unknown,
  api: ConsoleApiHandlers,
  context: CallContext,
  logger: Logger,
): Promise<DispatchResult<M>> {
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
    const handler = api[method] as (input: unknown, context: CallContext) => Promise<unknown>;
    value = await handler.call(api, parsedInput.data, context);
  } catch (error) {
    if (error instanceof ConsoleApiError) return failure(error);
    logger.log('error', 'console.unexpected_error', { method, error });
    return failure(new ConsoleApiError('internal', INTERNAL_ERROR_MESSAGE));
  }
  const parsedOutput = schema.output.safeParse(value);
  if (!parsedOutput.success) {
    // Paths and codes only: the offending values may be exactly what must not be logged.
    logger.log('error', 'console.output_invalid', {
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
