import { BrowserWindow, nativeTheme } from 'electron';
import type { BrowserWindowConstructorOptions } from 'electron';
import type { Logger } from '../engine/logger';
import type { RendererLocation } from './renderer-location';

export const WINDOW_TITLE = 'iCIMS Sync Console';
/**
 * The renderer's page background (`--bg` in src/renderer/src/styles.css, light and dark), so the
 * window does not flash white before React paints.
 */
export const WINDOW_BACKGROUND_COLORS = { light: '#f4f5f7', dark: '#0e1116' } as const;

/**
 * Electron's security checklist, applied to the one window: the renderer is an untrusted web
 * page that talks to the main process only through the preload's named functions.
 * - contextIsolation: the preload's world (with ipcRenderer) is separate from the page's;
 * - sandbox: the renderer process is OS-sandboxed and the preload can require only `electron`;
 * - nodeIntegration off everywhere (page, workers, subframes);
 * - webSecurity on, no insecure content, no <webview>, no experimental features.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: WINDOW_TITLE,
    width: 1280,
    height: 860,
    minWidth: 1000,
    minHeight: 700,
    backgroundColor: nativeTheme.shouldUseDarkColors ? WINDOW_BACKGROUND_COLORS.dark : WINDOW_BACKGROUND_COLORS.light,
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/** Creates the window, shows it once its first paint is ready, and loads the console into it. */
export function createMainWindow(location: RendererLocation, preloadPath: string, logger: Logger): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(preloadPath));
  window.once('ready-to-show', () => window.show());
  // The page's <title> must not rename the window (the tray and the task switcher use it).
  window.on('page-title-updated', (event) => event.preventDefault());
  const loading =
    location.target.kind === 'dev-server' ? window.loadURL(location.target.url) : window.loadFile(location.target.path);
  loading.catch((error: unknown) => {
    logger.log('error', 'window.load_failed', { error: error instanceof Error ? error.message : String(error) });
  });
  return window;
}

/** Brings the window to the front (second instance, tray, notification click). */
export function revealWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
