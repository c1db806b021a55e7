import { randomBytes } from 'node:crypto';
import type {
  FakeApplication,
  FakeAuth,
  FakeIcimsOptions,
  FakeNote,
  FakeRoute,
  FakeTokenRequest,
} from './fake-icims-types';

/** The iCIMS behaviour of the fake: routing, auth, the two wire styles, OAuth tokens. */

export interface FakeReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RoutedRequest {
  route: FakeRoute | 'unknown';
  style: 'applications' | 'workflows' | null;
  applicationId: string | null;
  customerId: string | null;
  field: string | null;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeReply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** iCIMS' error shape: `x-error` header plus `{ errors: [{ errorMessage, errorCode }] }`. */
export const icimsError = (status: number, errorMessage: string, errorCode: number): FakeReply =>
  json(status, { errors: [{ errorMessage, errorCode }] }, { 'x-error': errorMessage });

const seg = '([^/]+)';
const APP = new RegExp(`^/api/v1/applications/${seg}$`);
const APP_NOTES = new RegExp(`^/api/v1/applications/${seg}/notes$`);
const WF = new RegExp(`^/customers/${seg}/applicantworkflows/${seg}$`);
const WF_FIELD = new RegExp(`^/customers/${seg}/applicantworkflows/${seg}/fields/${seg}$`);

export function routeOf(method: string, path: string, tokenPath: string, query = new URLSearchParams()): RoutedRequest {
  const none: RoutedRequest = { route: 'unknown', style: null, applicationId: null, customerId: null, field: null };
  const d = (s: string | undefined) => (s === undefined ? null : decodeURIComponent(s));
  if (method === 'POST' && path === tokenPath) return { ...none, route: 'token' };
  let m: RegExpExecArray | null;
  if (method === 'GET' && (m = APP_NOTES.exec(path)))
    return { ...none, route: 'readNotes', style: 'applications', applicationId: d(m[1]) };
  if (method === 'GET' && query.has('fields') && (m = WF.exec(path)))
    return {
      route: 'readNotes',
      style: 'workflows',
      customerId: d(m[1]),
      applicationId: d(m[2]),
      field: query.get('fields'),
    };
  if (method === 'GET' && (m = APP.exec(path)))
    return { ...none, route: 'getApplication', style: 'applications', applicationId: d(m[1]) };
  if (method === 'POST' && (m = APP_NOTES.exec(path)))
    return { ...none, route: 'addNote', style: 'applications', applicationId: d(m[1]) };
  if (method === 'GET' && (m = WF.exec(path)))
    return { ...none, route: 'getApplication', style: 'workflows', customerId: d(m[1]), applicationId: d(m[2]) };
  if (method === 'POST' && (m = WF_FIELD.exec(path))) {
    return { route: 'addNote', style: 'workflows', customerId: d(m[1]), applicationId: d(m[2]), field: d(m[3]) };
  }
  return none;
}

export class FakeTokens {
  private readonly tokens = new Map<string, { expiresAt: number; valid: boolean }>();

  issue(expiresInSec: number): string {
    const token = `fake-token-${randomBytes(12).toString('hex')}`;
    this.tokens.set(token, { expiresAt: Date.now() + expiresInSec * 1000, valid: true });
    return token;
  }

  isValid(token: string): boolean {
    const t = this.tokens.get(token);
    return t !== undefined && t.valid && Date.now() < t.expiresAt;
  }

  invalidateAll(): void {
    for (const t of this.tokens.values()) t.valid = false;
  }

  clear(): void {
    this.tokens.clear();
  }
}

/** Null when the request may pass, else the 401 to answer. */
export function checkAuth(auth: FakeAuth, authorization: string | undefined, tokens: FakeTokens): FakeReply | null {
  if (auth.mode === 'none') return null;
  const [scheme = '', credential = ''] = (authorization ?? '').split(/\s+/, 2);
  const deny = (why: string) => icimsError(401, why, 4);
  if (!authorization) return deny('Authentication required');
  if (auth.mode === 'apiKey')
    return scheme.toLowerCase() === 'bearer' && credential === auth.apiKey ? null : deny('Invalid API key');
  if (auth.mode === 'basic') {
    const expected = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
    return scheme.toLowerCase() === 'basic' && credential === expected ? null : deny('Invalid username or password');
  }
  if (scheme.toLowerCase() !== 'bearer') return deny('Bearer token required');
  return tokens.isValid(credential) ? null : deny('Access token is invalid or expired');
}

export function handleToken(
  auth: FakeAuth,
  body: string,
  authorization: string | undefined,
  tokens: FakeTokens,
  log: (r: FakeTokenRequest) => void,
): FakeReply {
  const form = new URLSearchParams(body);
  let clientId = form.get('client_id');
  let clientSecret = form.get('client_secret');
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const [id, secret] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':', 2);
    clientId = id ?? null;
    clientSecret = secret ?? null;
  }
  const grantType = form.get('grant_type');
  const refuse = (status: number, error: string, description: string) => {
    log({ clientId, grantType, ok: false, time: Date.now() });
    return json(status, { error, error_description: description }, { 'x-error': description });
  };
  if (grantType !== 'client_credentials')
    return refuse(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
  if (auth.mode !== 'oauth') return refuse(400, 'unauthorized_client', 'OAuth is not enabled on this fake');
  if (clientId !== auth.clientId || clientSecret !== auth.clientSecret)
    return refuse(401, 'invalid_client', 'Client authentication failed');
  const expiresIn = auth.expiresInSec ?? 3600;
  log({ clientId, grantType, ok: true, time: Date.now() });
  return json(200, { access_token: tokens.issue(expiresIn), token_type: 'Bearer', expires_in: expiresIn });
}

export function findApplication(options: FakeIcimsOptions, id: string): FakeApplication | null {
  const apps = options.applications ?? 'accept-all';
  if (apps === 'accept-all') {
    if (id.startsWith(options.missingPrefix ?? 'MISSING')) return null;
    return {
      id,
      candidateName: 'John Doe',
      candidateEmail: 'john@example.com',
      requisitionId: 'REQ-456',
      requisitionTitle: 'Software Engineer',
      status: 'active',
    };
  }
  return apps.find((a) => a.id === id) ?? null;
}

/** One page of an application's notes in the style's read-back shape (docs/INTERFACES.md §5). */
function readBack(options: FakeIcimsOptions, routed: RoutedRequest, notes: FakeNote[], page: number): FakeReply {
  const size = Math.max(1, options.notesPageSize ?? 20);
  const all = notes.filter((n) => n.applicationId === routed.applicationId);
  const slice = all.slice((page - 1) * size, page * size);
  const nextPage = page * size < all.length ? page + 1 : null;
  const carry = options.carryKeys !== false;
  if (routed.style === 'applications') {
    return json(200, {
      notes: slice.map((n) => ({
        id: String(n.id),
        content: n.content,
        noteType: n.noteType,
        createdAt: new Date(n.time).toISOString(),
        ...(carry && n.idempotencyKey !== null ? { idempotencyKey: n.idempotencyKey } : {}),
      })),
      nextPage,
    });
  }
  const field = routed.field ?? 'notes';
  if (field !== (options.notesField ?? 'notes'))
    return icimsError(400, `Field ${field} is not a collection field of applicant workflows`, 12);
  return json(200, {
    [field]: slice.map((n) => ({ entry: n.id, note: n.content, date: new Date(n.time).toISOString() })),
    nextPage,
  });
}

/** GET application / read-back / POST note for either style, after auth and limits passed. */
export function handleIcims(
  options: FakeIcimsOptions,
  routed: RoutedRequest,
  body: string,
  idempotencyKey: string | undefined,
  notes: FakeNote[],
  seenKeys: Set<string>,
  page = 1,
): FakeReply {
  const customerId = options.customerId ?? '1000';
  if (routed.style === 'workflows' && routed.customerId !== customerId) {
    return icimsError(404, `Customer ${routed.customerId ?? ''} not found`, 11);
  }
  const id = routed.applicationId ?? '';
  const app = findApplication(options, id);
  if (!app) return icimsError(404, `Application ${id} does not exist`, 7);

  if (routed.route === 'readNotes') return readBack(options, routed, notes, page);

  if (routed.route === 'getApplication') {
    if (routed.style === 'applications') {
      return json(200, {
        id: app.id,
        candidateName: app.candidateName,
        candidateEmail: app.candidateEmail,
        requisitionId: app.requisitionId,
        requisitionTitle: app.requisitionTitle,
        status: app.status,
        unknownField: { nested: true },
      });
    }
    return json(200, {
      associatedprofile: { id: 4242, profile: `/customers/${customerId}/people/4242`, value: app.candidateName },
      baseprofile: {
        id: app.requisitionId,
        profile: `/customers/${customerId}/jobs/${app.requisitionId ?? ''}`,
        value: app.requisitionTitle,
      },
      status: { id: 'C2345', value: app.status },
      links: [{ rel: 'self', title: 'Applicant Workflow', url: `/customers/${customerId}/applicantworkflows/${id}` }],
    });
  }

  if (routed.style === 'workflows' && routed.field !== (options.notesField ?? 'notes')) {
    return icimsError(400, `Field ${routed.field ?? ''} is not a collection field of applicant workflows`, 12);
  }
  let parsed: { content?: unknown; note?: unknown; noteType?: unknown; idempotencyKey?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return icimsError(400, 'Request body is not valid JSON', 1);
  }
  const content = routed.style === 'applications' ? parsed.content : parsed.note;
  if (typeof content !== 'string' || content === '') {
    return icimsError(400, routed.style === 'applications' ? 'content is required' : 'note is required', 2);
  }
  const key = idempotencyKey ?? (typeof parsed.idempotencyKey === 'string' ? parsed.idempotencyKey : undefined) ?? null;
  // A deduplicating iCIMS ignores a repeated key: it stores nothing and answers as before.
  const dedupe = options.dedupe !== false;
  if (!dedupe || key === null || !seenKeys.has(key)) {
    if (key !== null) seenKeys.add(key);
    notes.push({
      id: notes.length + 1,
      applicationId: id,
      style: routed.style ?? 'applications',
      content,
      noteType: typeof parsed.noteType === 'string' ? parsed.noteType : null,
      field: routed.field,
      idempotencyKey: key,
      time: Date.now(),
    });
  }
  const stored = dedupe ? notes.findLast((n) => n.idempotencyKey === key) : notes.at(-1);
  return json(201, { id: String(stored?.id ?? notes.length) });
}
