import { join, resolve } from 'node:path';
import { app, dialog, shell } from 'electron';
import type { BrowserWindow, WebContents } from 'electron';
import { ConsoleApiError } from '../../shared/console-api';
import { icimsWebUrlOrigin } from '../../shared/settings-rules';
import { loadEnvironment } from '../engine/config/environment-files';
import { createEngine } from '../engine/engine';
import type { Engine } from '../engine/engine-types';
import { ConfigError } from '../engine/icims/errors';
import type { Logger } from '../engine/logger';
import { startLocalServer } from '../server/local-server';
import type { LocalServer } from '../server/local-server';
import { registerConsoleIpc } from './console-ipc';
import { installCrashLogging } from './crash-logging';
import { createExternalLinkPolicy } from './external-links';
import { installGracefulQuit } from './graceful-quit';
import { createIpcSenderCheck } from './ipc-sender-check';
import { IssueNotifier } from './issue-notifier';
import { createMainWindow, revealWindow } from './main-window';
import { MainProcessLogger } from './main-process-logger';
import { electronNativeBinding, NATIVE_BINDING_HINT } from './native-binding';
import { forwardPushesToWindow } from './push-forwarding';
import { resolveRendererLocation } from './renderer-location';
import type { RendererLocation } from './renderer-location';
import { SafeStorageSecretStore } from './safe-storage-secret-store';
import { createFieldRedactor, SECRET_ENVIRONMENT_VARIABLES } from './secret-redaction';
import type { FieldRedactor } from './secret-redaction';
import { StatusTray } from './status-tray';
import { installWebContentsGuards } from './web-contents-guards';

const APP_USER_MODEL_ID = 'com.example.icims-sync-console';
export const STARTUP_FAILURE_TITLE = 'iCIMS Sync Console cannot start';

/**
 * The desktop app, start to finish. Order matters:
 * 1. single-instance lock (a second launch focuses the first window and exits);
 * 2. crash logging and the webContents guards, before anything can create a webContents;
 * 3. environment (`.env`, `.env.local`, real env — the config module's loadEnvironment) and data
 *    directory;
 * 4. after `ready`: secret store (safeStorage needs `ready`), engine, IPC, local API, window,
 *    tray, notifications;
 * 5. on quit: stop the local API, then the engine, then really quit.
 * A failure in 3–4 shows the exact message in an error box and exits with code 1.
 */
export async function runDesktopApp(): Promise<void> {
  let knownSecrets: (string | undefined)[] = [];
  const redact = createFieldRedactor(() => knownSecrets);
  const logger = new MainProcessLogger({ redact, filePath: null });
  installCrashLogging(app, logger);

  if (!app.requestSingleInstanceLock()) {
    logger.log('info', 'app.second_instance_exit', {});
    app.quit();
    return;
  }

  let env: Record<string, string | undefined> = process.env;
  let lastBaseUrl = '';
  // Settings' "iCIMS web address for links": its host may open in the user's browser too.
  let linkAddress = '';
  const location = resolveRendererLocation({
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
    isPackaged: app.isPackaged,
    indexHtmlPath: join(__dirname, '../renderer/index.html'),
  });
  installWebContentsGuards(app, {
    isOwnUrl: location.isOwnUrl,
    links: createExternalLinkPolicy(() => [env.ICIMS_BASE_URL ?? '', lastBaseUrl, linkAddress]),
    openExternal: (url) => shell.openExternal(url),
    cspHeader: location.target.kind === 'file',
    logger,
  });

  let engine: Engine | null = null;
  try {
    // docs/INTERFACES.md §1: real env > .env.local > .env, read from the working directory.
    env = loadEnvironment(process.cwd(), process.env).values;
    knownSecrets = SECRET_ENVIRONMENT_VARIABLES.map((name) => env[name]);
    await app.whenReady();
    const dataDir = env.CONSOLE_DATA_DIR ? resolve(env.CONSOLE_DATA_DIR) : app.getPath('userData');
    logger.setFilePath(join(dataDir, 'logs', 'main-process.log'));
    if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
    const nativeBinding = electronNativeBinding({
      isPackaged: app.isPackaged,
      appPath: app.getAppPath(),
      resourcesPath: process.resourcesPath,
    });
    engine = await createEngine({
      dataDir,
      env,
      secretStore: new SafeStorageSecretStore(),
      nativeBinding,
      logger,
      appVersion: app.getVersion(),
    });
    await engine.start();
    logger.log('info', 'app.engine_started', { dataDir, nativeBinding: nativeBinding ?? null });
    await startDesktopServices(engine, location, logger, {
      onBaseUrl: (baseUrl) => {
        lastBaseUrl = baseUrl;
      },
      onLinkAddress: (address) => {
        linkAddress = address;
      },
    });
  } catch (error) {
    await engine?.stop().catch(() => {});
    logger.log('error', 'app.startup_failed', { error });
    dialog.showErrorBox(STARTUP_FAILURE_TITLE, startupFailureMessage(error, redact));
    app.exit(1);
  }
}

/** Everything that runs on top of a started engine: IPC, local API, window, tray, notifications. */
async function startDesktopServices(
  engine: Engine,
  location: RendererLocation,
  logger: Logger,
  links: { onBaseUrl: (baseUrl: string) => void; onLinkAddress: (address: string) => void },
): Promise<void> {
  const { onBaseUrl } = links;
  let window: BrowserWindow | null = null;
  const ownWebContents = (): WebContents | null => (window && !window.isDestroyed() ? window.webContents : null);
  const showConsole = (): void => {
    if (!window || window.isDestroyed()) {
      const created = createMainWindow(location, join(__dirname, '../preload/index.js'), logger);
      created.on('closed', () => {
        if (window === created) window = null;
      });
      window = created;
    }
    revealWindow(window);
  };

  const unregisterIpc = registerConsoleIpc({
    api: engine.api,
    isTrustedSender: createIpcSenderCheck(ownWebContents, location.isOwnUrl),
    logger,
  });
  const stopPushes = forwardPushesToWindow(engine, ownWebContents);

  let server: LocalServer | null = null;
  let serverError: string | null = null;
  try {
    // The scheduling system posts events here while the desktop app runs. The window talks IPC,
    // so the console's own HTTP transport (/rpc, sign-in) stays off.
    server = await startLocalServer({ engine, staticDir: null, logger, consoleTransport: false });
    logger.log('info', 'app.local_api_started', { url: server.url });
  } catch (error) {
    serverError = error instanceof Error ? error.message : String(error);
    logger.log('error', 'app.local_api_failed', { error });
  }

  showConsole();
  app.on('second-instance', showConsole);
  app.on('activate', showConsole);

  const notifier = new IssueNotifier(showConsole);
  const stopAlerts = engine.onIssueTransition((transition) => notifier.notify(transition));
  const tray = new StatusTray({
    api: engine.api,
    showConsole,
    quit: () => app.quit(),
    onSnapshot: (snapshot) => {
      onBaseUrl(snapshot.config.baseUrl);
    },
    logger,
  });
  const refreshLinkAddress = (): void => {
    engine.api
      .getSettings({})
      .then((view) => links.onLinkAddress(icimsWebUrlOrigin(view.values.icimsWebUrl) ?? ''))
      .catch((error: unknown) => logger.log('warn', 'app.settings_read_failed', { error }));
  };
  const stopTrayUpdates = engine.onPush((event) => {
    if (event.topic === 'ops' || event.topic === 'settings') void tray.refresh();
    if (event.topic === 'settings') refreshLinkAddress();
  });
  void tray.refresh();
  refreshLinkAddress();

  if (serverError !== null) {
    void dialog.showMessageBox({
      type: 'warning',
      title: 'Local API not available',
      message:
        'The console runs, but its local API could not start, so the scheduling system cannot post events to it.',
      detail: `${serverError}\n\nCheck CONSOLE_HTTP_HOST and CONSOLE_HTTP_PORT (is another program using the port?) and restart the console.`,
    });
  }

  // Closing the window quits (the local API stops with it); macOS keeps the app in the dock.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  installGracefulQuit(
    app,
    async () => {
      stopTrayUpdates();
      stopAlerts();
      stopPushes();
      unregisterIpc();
      tray.destroy();
      // The API first: no new event may arrive while the engine is closing its database.
      await server?.close().catch((error: unknown) => logger.log('warn', 'app.local_api_close_failed', { error }));
      await engine.stop();
    },
    logger,
  );
}

/** A ConfigError's message is shown exactly as written (docs/INTERFACES.md §1 fixes some of them). */
export function startupFailureMessage(error: unknown, redact: FieldRedactor): string {
  if (error instanceof ConfigError || error instanceof ConsoleApiError) return error.message;
  const message = String(redact(error instanceof Error ? error.message : String(error)));
  if ((error as NodeJS.ErrnoException | null)?.code === 'ERR_DLOPEN_FAILED')
    return `${message}\n\n${NATIVE_BINDING_HINT}`;
  return message;
}
