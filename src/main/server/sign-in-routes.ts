import type { IncomingMessage, ServerResponse } from 'node:http';
import { SESSION_PATH, SIGN_IN_PATH, SIGN_OUT_PATH } from '../../shared/transport';
import type { AuditRecord } from '../engine/audit/audit-trail';
import type { Engine } from '../engine/engine-types';
import type { Logger } from '../engine/logger';
import { HttpError, SECURITY_HEADERS, sendJson } from './http-responses';
import type { LoginCodes } from './login-codes';
import { identifyCaller } from './request-auth';
import { readJson, requireJsonContentType, requireSameOrigin } from './request-guards';
import { sessionLabel } from './session-label';

/** A sign-in or sign-out, for the audit trail (it subscribes through the server options). */
export interface SessionEvent {
  type: 'signed_in' | 'signed_out';
  /** The session's label, e.g. "Firefox on Linux, signed in 2026-12-02 17:40 UTC". */
  label: string;
  /** How a sign-in was proven: the one-time link, or the API token typed on the sign-in page. */
  via?: 'link' | 'api_token';
  at: string;
}

/** A sign-in or sign-out as the audit trail shows it: the session's own label says who. */
export function sessionAuditRecord(event: SessionEvent): AuditRecord {
  return {
    actor: { kind: 'session', label: event.label },
    action: event.type === 'signed_in' ? 'sign_in' : 'sign_out',
    detail:
      event.type === 'signed_out'
        ? 'session ended'
        : event.via === 'api_token'
          ? 'with the API token'
          : 'with a one-time sign-in link',
  };
}

export interface SignInRouteDeps {
  engine: Engine;
  codes: LoginCodes;
  ownOrigins: () => Set<string>;
  logger: Logger;
  onSessionEvent: (event: SessionEvent) => void;
  /** Ends the push streams a session opened (its token is refused from now on). */
  closeSessionStreams: (tokenHash: string) => void;
}

/** `/auth/sign-in`, `/auth/sign-out`, `/auth/session`. Returns false for any other path. */
export async function handleSignInRoute(
  deps: SignInRouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const path = url.pathname;
  if (path !== SIGN_IN_PATH && path !== SIGN_OUT_PATH && path !== SESSION_PATH) return false;
  requireSameOrigin(req, deps.ownOrigins());

  if (path === SESSION_PATH) {
    allow(req, 'GET');
    const caller = identifyCaller(req, deps.engine);
    if (caller.kind !== 'session') throw new HttpError(401, 'unauthorized', 'This browser is not signed in');
    const { session } = caller;
    const idleEndsAt = session.lastSeenAt + deps.engine.sessions.lifetimes.idleMs;
    sendJson(res, 200, {
      label: session.label,
      expiresAt: new Date(Math.min(session.expiresAt, idleEndsAt)).toISOString(),
      absoluteExpiresAt: new Date(session.expiresAt).toISOString(),
    });
    return true;
  }

  allow(req, 'POST');
  if (path === SIGN_OUT_PATH) {
    const caller = identifyCaller(req, deps.engine);
    if (caller.kind === 'session') {
      deps.engine.sessions.end(caller.token);
      deps.closeSessionStreams(caller.session.tokenHash);
      emit(deps, { type: 'signed_out', label: caller.session.label, at: new Date().toISOString() });
    }
    // Signing out twice (or with an ended session) is not an error: the browser is signed out.
    res.writeHead(204, SECURITY_HEADERS);
    res.end();
    return true;
  }

  requireJsonContentType(req);
  const body = (await readJson(req)) as { code?: unknown; apiToken?: unknown } | undefined;
  let via: SessionEvent['via'];
  if (typeof body?.code === 'string') {
    if (!deps.codes.redeem(body.code)) {
      throw new HttpError(
        401,
        'sign_in_link_invalid',
        'This sign-in link was already used or has expired. Sign in with the API token, or open a new link.',
      );
    }
    via = 'link';
  } else if (typeof body?.apiToken === 'string') {
    const kind = deps.engine.tokens.identify(body.apiToken.trim());
    if (kind === 'ingest') {
      throw new HttpError(
        403,
        'forbidden',
        'That is the ingest token, which only posts events. Sign in with the API token (CONSOLE_API_TOKEN).',
      );
    }
    if (kind !== 'api') throw new HttpError(401, 'unauthorized', 'That is not the console’s API token.');
    via = 'api_token';
  } else {
    throw new HttpError(400, 'invalid_input', 'Send { "code": … } or { "apiToken": … }', [
      { path: '(root)', message: 'expected a code or an apiToken' },
    ]);
  }

  const { token, session } = deps.engine.sessions.create(sessionLabel(req.headers['user-agent'], Date.now()));
  emit(deps, { type: 'signed_in', label: session.label, via, at: new Date(session.createdAt).toISOString() });
  sendJson(res, 201, {
    token,
    label: session.label,
    expiresAt: new Date(session.expiresAt).toISOString(),
    idleMinutes: Math.round(deps.engine.sessions.lifetimes.idleMs / 60_000),
  });
  return true;
}

function emit(deps: SignInRouteDeps, event: SessionEvent): void {
  deps.logger.log('info', `session.${event.type}`, { label: event.label, ...(event.via ? { via: event.via } : {}) });
  try {
    deps.onSessionEvent(event);
  } catch (error) {
    deps.logger.log('error', 'session.listener_failed', { error });
  }
}

function allow(req: IncomingMessage, expected: string): void {
  if (req.method !== expected)
    throw new HttpError(405, 'method_not_allowed', `Use ${expected} for this route`, undefined, { Allow: expected });
}
