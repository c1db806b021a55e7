import type { FakeIcims } from './fake-icims';
import type { FakeReply } from './fake-icims-routes';
import { json } from './fake-icims-routes';
import type { FakeFault, FakeIcimsOptions, FakeRoute } from './fake-icims-types';

/**
 * The fake's admin API, for QA and for end-to-end tests running in another process:
 *
 *   GET  /__admin/notes              → { notes }
 *   GET  /__admin/calls              → { calls }
 *   GET  /__admin/token-requests     → { tokenRequests }
 *   POST /__admin/faults             { route, status?, headers?, body?, delayMs?, hang?, reset?, malformedJson?, times?,
 *                                      probability?, afterStore? }  (route: getApplication, addNote, readNotes, token, *)
 *   DELETE /__admin/faults           clears scripted faults
 *   POST /__admin/config             a partial FakeIcimsOptions (auth, applications, latencyMs, rateLimit, …)
 *   POST /__admin/invalidate-tokens  every issued OAuth token answers 401 from now on
 *   POST /__admin/reset              forgets calls, notes, tokens and faults
 *
 * Admin requests are not recorded as calls and need no auth (the fake listens on loopback).
 */

const ROUTES: readonly FakeRoute[] = ['getApplication', 'addNote', 'readNotes', 'token', '*'];

function parse(body: string): Record<string, unknown> | null {
  if (body.trim() === '') return {};
  try {
    const value = JSON.parse(body) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export function handleAdmin(fake: FakeIcims, method: string, path: string, body: string): FakeReply {
  const input = parse(body);
  if (input === null) return json(400, { error: 'invalid_input', message: 'Body must be a JSON object' });
  const ok = json(200, { ok: true });
  switch (`${method} ${path}`) {
    case 'GET /__admin/notes':
      return json(200, { notes: fake.notes });
    case 'GET /__admin/calls':
      return json(200, { calls: fake.calls });
    case 'GET /__admin/token-requests':
      return json(200, { tokenRequests: fake.tokenRequests });
    case 'POST /__admin/faults': {
      const { route = '*', ...fault } = input;
      if (!ROUTES.includes(route as FakeRoute))
        return json(400, { error: 'invalid_input', message: `route must be one of ${ROUTES.join(', ')}` });
      fake.fail(route as FakeRoute, fault as FakeFault);
      return ok;
    }
    case 'DELETE /__admin/faults':
      fake.clearFaults();
      return ok;
    case 'POST /__admin/config':
      fake.configure(input as Partial<FakeIcimsOptions>);
      return ok;
    case 'POST /__admin/invalidate-tokens':
      fake.invalidateTokens();
      return ok;
    case 'POST /__admin/reset':
      fake.reset();
      return ok;
    default:
      return json(404, { error: 'not_found', message: `No admin route ${method} ${path}` });
  }
}
