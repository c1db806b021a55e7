import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { LOGIN_PAGE_PATH } from '../../shared/transport';
import type { Engine } from '../engine/engine-types';
import type { Logger } from '../engine/logger';
import { toHttpError } from './api-error-status';
import { handleApiRoute } from './api-routes';
import { HttpError, sendError, sendJson } from './http-responses';
import { LoginCodes } from './login-codes';
import { PushStream } from './push-stream';
import { identifyCaller, requireApiToken } from './request-auth';
import { allowedHosts, checkHost, parseRequestUrl } from './request-guards';
import { handleRpcRoute } from './rpc-routes';
import type { SessionEvent } from './sign-in-routes';
import { handleSignInRoute, sessionAuditRecord } from './sign-in-routes';
import { serveStatic } from './static-files';

export type { SessionEvent } from './sign-in-routes';

export interface LocalServerOptions {
  engine: Engine;
  /** Built renderer (out/renderer) to serve at `/`; null serves the API only (desktop app). */
  staticDir: string | null;
  logger: Logger;
  /**
   * Serve the console UI's transport (`/rpc`, sign-in). Off in the desktop app, whose window talks
   * IPC: an HTTP door to the same methods would only be one more thing to attack. Default: on.
   */
  consoleTransport?: boolean;
  /** Sign-ins and sign-outs, after the engine's audit trail has recorded them (tests listen here). */
  onSessionEvent?: (event: SessionEvent) => void;
}

export interface LocalServer {
  /** `http(s)://host:port` */
  readonly url: string;
  /** A fresh one-time URL that signs a browser in to the console UI. */
  loginUrl(): string;
  close(): Promise<void>;
}

/** Local HTTP API (docs/INTERFACES.md §3), the /rpc transport with its push stream, sign-in, and the static UI. */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const { engine, staticDir, logger } = options;
  const consoleTransport = options.consoleTransport ?? true;
  const codes = new LoginCodes();
  const pushes = new PushStream();
  const unsubscribe = engine.onPush((event) => pushes.publish(event));
  let hosts = new Set<string>();
  let origins = new Set<string>();
  let baseUrl = '';
  const loginUrl = () => `${baseUrl}${LOGIN_PAGE_PATH}?code=${codes.issue()}`;
  const ownOrigins = () => origins;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkHost(req, hosts);
    const url = parseRequestUrl(req);

    if (url.pathname === '/api/session-links') {
      if (!consoleTransport) throw new HttpError(404, 'not_found', 'This console signs in through its desktop window');
      if (req.method !== 'POST')
        throw new HttpError(405, 'method_not_allowed', 'Use POST', undefined, { Allow: 'POST' });
      requireApiToken(identifyCaller(req, engine));
      return sendJson(res, 201, { url: loginUrl() });
    }
    if (url.pathname.startsWith('/api/')) {
      if (await handleApiRoute(engine, req, res, url)) return;
      throw new HttpError(404, 'not_found', `No route ${req.method} ${url.pathname}`);
    }
    if (consoleTransport) {
      const signIn = {
        engine,
        codes,
        ownOrigins,
        logger,
        onSessionEvent: (event: SessionEvent) => {
          engine.audit.record(sessionAuditRecord(event));
          options.onSessionEvent?.(event);
        },
        closeSessionStreams: (tokenHash: string) => pushes.closeSession(tokenHash),
      };
      if (await handleSignInRoute(signIn, req, res, url)) return;
      if (await handleRpcRoute({ engine, pushes, logger, ownOrigins }, req, res, url)) return;
    }
    if (staticDir && (req.method === 'GET' || req.method === 'HEAD')) {
      // The sign-in page is the UI itself: it reads the one-time code from the address and swaps it.
      const path = url.pathname === LOGIN_PAGE_PATH ? '/' : url.pathname;
      if (await serveStatic(staticDir, path, res)) return;
    }
    throw new HttpError(404, 'not_found', `No route ${req.method} ${url.pathname}`);
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, toHttpError(error, logger, `${req.method} ${(req.url ?? '').slice(0, 200)}`));
    });
  };
  const tls = engine.http.tls;
  const server: Server = tls
    ? createHttpsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, handler)
    : createServer(handler);
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
  const scheme = tls ? 'https' : 'http';
  // A browser leaves the default port out of Origin.
  const defaultPort = port === (tls ? 443 : 80);
  origins = new Set(
    [...hosts].filter((host) => defaultPort || host.endsWith(`:${port}`)).map((host) => `${scheme}://${host}`),
  );
  const displayHost = engine.http.host.includes(':') ? `[${engine.http.host}]` : engine.http.host;
  baseUrl = `${scheme}://${displayHost === '0.0.0.0' || displayHost === '[::]' ? '127.0.0.1' : displayHost}:${port}`;
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
