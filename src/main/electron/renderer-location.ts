import { pathToFileURL } from 'node:url';

/**
 * Where the console's renderer comes from, and the one question every guard asks: "is this URL
 * our own page?". The answer decides whether a frame may call the ConsoleApi over IPC and whether
 * a navigation may happen, so it is deliberately narrow: in production exactly one file
 * (out/renderer/index.html, any hash or query), in development exactly the dev server's origin.
 */
export interface RendererLocation {
  readonly target: { kind: 'file'; path: string } | { kind: 'dev-server'; url: string };
  /** The URL the window shows first. */
  readonly entryUrl: string;
  isOwnUrl(url: string): boolean;
}

export interface RendererLocationOptions {
  /** `ELECTRON_RENDERER_URL`, set by `electron-vite dev`. */
  devServerUrl: string | undefined;
  /**
   * A packaged app ignores `ELECTRON_RENDERER_URL`: otherwise anyone who can set an environment
   * variable could point the window that holds the ConsoleApi (and so the credentials screen) at
   * a page of their choosing.
   */
  isPackaged: boolean;
  /** Absolute path of the built renderer's index.html. */
  indexHtmlPath: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function resolveRendererLocation(options: RendererLocationOptions): RendererLocation {
  const devServer = options.isPackaged ? null : parseDevServerUrl(options.devServerUrl);
  if (devServer) {
    return {
      target: { kind: 'dev-server', url: devServer.href },
      entryUrl: devServer.href,
      isOwnUrl: (url) => parseUrl(url)?.origin === devServer.origin,
    };
  }
  const indexUrl = pathToFileURL(options.indexHtmlPath);
  return {
    target: { kind: 'file', path: options.indexHtmlPath },
    entryUrl: indexUrl.href,
    isOwnUrl: (url) => {
      const parsed = parseUrl(url);
      // file: URLs have no meaningful origin ("null"): compare the exact file instead, so no
      // other local file (a downloaded .html, say) is ever treated as the console.
      return (
        parsed !== null &&
        parsed.protocol === 'file:' &&
        parsed.host === indexUrl.host &&
        parsed.pathname === indexUrl.pathname
      );
    },
  };
}

/** Only an http(s) dev server on loopback is accepted; anything else falls back to the built files. */
function parseDevServerUrl(value: string | undefined): URL | null {
  if (!value) return null;
  const url = parseUrl(value);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK_HOSTS.has(url.hostname)) return null;
  return url;
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
