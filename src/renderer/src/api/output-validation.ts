import type { ConsoleMethod } from '../../../shared/console-api';
import { consoleApiSchema } from '../../../shared/console-api';

/**
 * Runs an answer through the contract's output schema, so both transports hand the screens the
 * same shape (unknown keys stripped). A mismatch means the main process and the renderer disagree
 * about the contract: worth a loud console error, but not worth blanking the screen an operator is
 * watching, so the value is then returned as received.
 */
export function checkOutput<T>(method: ConsoleMethod, value: T): T {
  const result = consoleApiSchema[method].output.safeParse(value);
  if (!result.success) {
    console.error(`ConsoleApi.${method}: the answer does not match the contract`, result.error.issues, value);
    return value;
  }
  return result.data as T;
}
