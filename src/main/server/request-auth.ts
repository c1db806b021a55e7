import type { IncomingMessage } from 'node:http';
import type { Actor } from '../../shared/actor';
import type { Engine } from '../engine/engine-types';
import type { SessionRecord } from '../engine/host/session-store';
import { HttpError } from './http-responses';
import { bearerToken } from './request-guards';

/** Who sent a request, from its `Authorization: Bearer …` header alone (no cookie is ever read). */
export type Caller =
  | { kind: 'api' }
  | { kind: 'ingest' }
  | { kind: 'session'; session: SessionRecord; token: string }
  | { kind: 'anonymous' };

export function identifyCaller(req: IncomingMessage, engine: Engine): Caller {
  const token = bearerToken(req);
  if (token === null) return { kind: 'anonymous' };
  const kind = engine.tokens.identify(token);
  if (kind) return { kind };
  const session = engine.sessions.use(token);
  return session ? { kind: 'session', session, token } : { kind: 'anonymous' };
}

const UNAUTHORIZED_HEADERS = { 'WWW-Authenticate': 'Bearer realm="icims-sync-console"' };

/** Routes of the admin: the API token only. The ingest token is known but not enough (403). */
export function requireApiToken(caller: Caller): void {
  if (caller.kind === 'api') return;
  if (caller.kind === 'ingest') {
    throw new HttpError(
      403,
      'forbidden',
      'The ingest token may only POST /api/events; this route needs the API token (CONSOLE_API_TOKEN)',
    );
  }
  throw new HttpError(
    401,
    'unauthorized',
    'Send Authorization: Bearer <CONSOLE_API_TOKEN>',
    undefined,
    UNAUTHORIZED_HEADERS,
  );
}

/** `POST /api/events`: the ingest token or the API token. */
export function requireIngestOrApiToken(caller: Caller): void {
  if (caller.kind === 'api' || caller.kind === 'ingest') return;
  throw new HttpError(
    401,
    'unauthorized',
    'Send Authorization: Bearer <CONSOLE_INGEST_TOKEN> (or the API token)',
    undefined,
    UNAUTHORIZED_HEADERS,
  );
}

/** The console UI's routes: a browser session, or a script with the API token. */
export function requireConsoleCaller(caller: Caller): Actor {
  if (caller.kind === 'session') return { kind: 'session', label: caller.session.label };
  if (caller.kind === 'api') return { kind: 'token', label: 'API token' };
  if (caller.kind === 'ingest') {
    throw new HttpError(403, 'forbidden', 'The ingest token may only POST /api/events');
  }
  throw new HttpError(
    401,
    'unauthorized',
    'This browser is not signed in (or its session ended): sign in again',
    undefined,
    UNAUTHORIZED_HEADERS,
  );
}
