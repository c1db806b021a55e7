import type { App } from 'electron';
import type { Logger } from '../engine/logger';

/**
 * Crashes and uncaught errors go to the (redacting) log instead of Electron's default error
 * dialog. Nothing is uploaded anywhere: Electron's crashReporter is deliberately not started, since
 * a minidump of the main process can hold decrypted credentials.
 *
 * An uncaught exception in the main process does not end it (Electron's own behaviour too): the
 * engine keeps its jobs in SQLite transactions, so the worst case is a job retried after its lease.
 */
export function installCrashLogging(
  app: Pick<App, 'on'>,
  logger: Logger,
  proc: Pick<NodeJS.Process, 'on'> = process,
): void {
  proc.on('uncaughtException', (error) => logger.log('error', 'main.uncaught_exception', { error }));
  proc.on('unhandledRejection', (reason) => logger.log('error', 'main.unhandled_rejection', { error: reason }));
  app.on('render-process-gone', (_event, _contents, details) => {
    logger.log('error', 'renderer.gone', { reason: details.reason, exitCode: details.exitCode });
  });
  app.on('child-process-gone', (_event, details) => {
    logger.log('error', 'child_process.gone', {
      type: details.type,
      reason: details.reason,
      exitCode: details.exitCode,
      name: details.name ?? null,
    });
  });
}
