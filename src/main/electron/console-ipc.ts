import { userInfo } from 'node:os';
import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import type { Actor, CallContext } from '../../shared/actor';
import { CONSOLE_METHODS, ConsoleApiError, IPC_CHANNEL_PREFIX } from '../../shared/console-api';
import type { ConsoleApiHandlers, ConsoleMethod, IpcResult, MethodOutput } from '../../shared/console-api';
import { dispatchConsoleCall } from '../engine/console-dispatcher';
import type { Logger } from '../engine/logger';

export interface ConsoleIpcOptions {
  api: ConsoleApiHandlers;
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
  logger: Logger;
  /** Who the desktop window acts as (default: the OS user running the app). */
  actor?: Actor;
}

/** The desktop window is whoever is logged in to the OS: the audit trail names that account. */
export function desktopActor(): Actor {
  let label = 'desktop user';
  try {
    label = userInfo().username || label;
  } catch {
    // No passwd entry (some containers): the generic label still says it came from the desktop.
  }
  return { kind: 'desktop', label };
}

/**
 * One `ipcMain.handle('console:<method>')` per ConsoleApi method, each going through the same
 * dispatcher as HTTP `/rpc`. Returns a function that removes them again (for tests and for a
 * clean shutdown).
 */
export function registerConsoleIpc(options: ConsoleIpcOptions): () => void {
  const context = { actor: options.actor ?? desktopActor() };
  for (const method of CONSOLE_METHODS) {
    ipcMain.handle(IPC_CHANNEL_PREFIX + method, (event, input: unknown) => {
      if (!options.isTrustedSender(event)) {
        options.logger.log('warn', 'ipc.forbidden_sender', {
          method,
          url: event.senderFrame?.url.split(/[?#]/)[0] ?? null,
        });
        return failure(new ConsoleApiError('forbidden', 'This window may not call the console API.'));
      }
      return dispatchConsoleCall(method, input, options.api, context, options.logger);
    });
  }
  return () => {
    for (const method of CONSOLE_METHODS) ipcMain.removeHandler(IPC_CHANNEL_PREFIX + method);
  };
}

/** Kept for callers that dispatch as the desktop user without a registered channel (tests). */
export function callConsoleMethod<M extends ConsoleMethod>(
  method: M,
  input: unknown,
  api: ConsoleApiHandlers,
  logger: Logger,
  context?: CallContext,
): Promise<IpcResult<MethodOutput<M>>> {
  return dispatchConsoleCall(method, input, api, context ?? { actor: desktopActor() }, logger);
}

function failure(error: ConsoleApiError): { ok: false; error: ReturnType<ConsoleApiError['toBody']> } {
  return { ok: false, error: error.toBody() };
}
