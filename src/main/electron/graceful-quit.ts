import type { App } from 'electron';
import type { Logger } from '../engine/logger';

/**
 * Holds the first `before-quit` until the local API and the engine have stopped — the engine
 * lets in-flight iCIMS calls finish or releases their jobs, and closes SQLite cleanly — then quits
 * for real. Quit can be asked for again meanwhile (tray, Cmd+Q, window closed, a signal): those
 * are held too and do not start a second shutdown. If stopping hangs, the app still quits after
 * `timeoutMs`; jobs left `processing` are taken up again when their lease expires.
 */
export function installGracefulQuit(
  app: Pick<App, 'on' | 'quit'>,
  stop: () => Promise<void>,
  logger: Logger,
  timeoutMs = 15_000,
): void {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'stopped') return;
    event.preventDefault();
    if (state === 'stopping') return;
    state = 'stopping';
    logger.log('info', 'app.stopping', {});
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    Promise.race([stop().then(() => 'stopped' as const), timeout])
      .then((outcome) => {
        if (outcome === 'timeout') logger.log('warn', 'app.stop_timeout', { timeoutMs });
        else logger.log('info', 'app.stopped', {});
      })
      .catch((error: unknown) => logger.log('error', 'app.stop_failed', { error }))
      .finally(() => {
        clearTimeout(timer);
        state = 'stopped';
        app.quit();
      });
  });
}
