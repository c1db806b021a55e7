import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../engine/engine-types';
import type { Logger } from '../engine/logger';
import { toHttpError } from './api-error-status';
import { handleApiRoute } from './api-routes';
import { BrowserSessions } from './browser-sessions';
import { HttpError, SECURITY_HEADERS, sendError, sendJson } from './http-responses';
import { PushStream } from './push-stream';
import { allowedHosts, checkHost, requireBearer } from './request-guards';
import { handleRpcRoute } from './rpc-routes';
import { serveStatic } from './static-files';

export interface LocalServerOptions {
  engine: Engine;
  /** Built renderer (out/renderer) to serve at `/`; null serves the API only (desktop app). */
  staticDir: string | null;
  logger: Logger;
}

export interface LocalServer {
  /** `http://host:port` */
  readonly url: string;
  /** A fresh one-time URL that signs a browser in to the console UI (sets an HttpOnly cookie). */
  loginUrl(): string;
  close(): Promise<void>;
}

/** Local HTTP API (docs/INTERFACES.md §3), the /rpc transport with server-sent events, and the static UI. */
export async function startLocalServer({ engine, staticDir, logger }: LocalServerOptions): Promise<LocalServer> {
  const sessions = new BrowserSessions();
  const pushes = new PushStream();
  const unsubscribe = engine.onPush((event) => pushes.publish(event));
  let hosts = new Set<string>();
  let baseUrl = '';
  const loginUrl = () => `${baseUrl}/login?code=${sessions.issueLoginCode()}`;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkHost(req, hosts);
    const url = new URL(req.url ?? '/', 'http://console.local');

    if (url.pathname === '/login') return login(req, res, url);
    if (url.pathname === '/api/session-links') {
      if (req.method !== 'POST')
        throw new HttpError(405, 'method_not_allowed', 'Use POST', undefined, { Allow: 'POST' });
      requireBearer(req, engine.apiToken);
      return sendJson(res, 201, { url: loginUrl() });
    }
    if (url.pathname.startsWith('/api/')) {
      if (await handleApiRoute(engine, req, res, url)) return;
      throw new HttpError(404, 'not_found', `No route ${req.method} ${url.pathname}`);
    }
    if (await handleRpcRoute(engine, sessions, pushes, req, res, url)) return;
    if (
      staticDir &&
      (req.method === 'GET' || req.method === 'HEAD') &&
      (await serveStatic(staticDir, url.pathname, res))
    )
      return;
    throw new HttpError(404, 'not_found', `No route ${req.method} ${url.pathname}`);
  }

  function login(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const session = sessions.redeem(url.searchParams.get('code') ?? '');
    if (!session) {
      res.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(
        'This login link was already used or has expired.\n' +
          'Get a new one: restart the console, or run\n' +
          `  curl -X POST -H "Authorization: Bearer $CONSOLE_API_TOKEN" ${baseUrl}/api/session-links\n`,
      );
      return;
    }
    res.writeHead(303, { ...SECURITY_HEADERS, 'Set-Cookie': sessions.cookieFor(session), Location: '/' });
    res.end();
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, toHttpError(error, logger, `${req.method} ${req.url}`));
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(engine.http.port, engine.http.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  hosts = allowedHosts(engine.http.host, port);
  const displayHost = engine.http.host.includes(':') ? `[${engine.http.host}]` : engine.http.host;
  baseUrl = `http://${displayHost === '0.0.0.0' ? '127.0.0.1' : displayHost}:${port}`;
  logger.log('info', 'server.listening', { url: baseUrl });

  return {
    url: baseUrl,
    loginUrl,
    close: async () => {
      unsubscribe();
      pushes.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
