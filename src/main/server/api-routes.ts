import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallContext } from '../../shared/actor';
import { listAuditInputSchema } from '../../shared/audit';
import { listJobsInputSchema } from '../../shared/jobs';
import { applicationIdSchema, MAX_EVENTS_PER_REQUEST, toInputIssues } from '../../shared/scheduling-event';
import type { Engine } from '../engine/engine-types';
import { HttpError, sendJson } from './http-responses';
import { publicOpsSnapshot } from '../engine/ops/public-snapshot';
import { identifyCaller, requireApiToken, requireIngestOrApiToken } from './request-auth';
import { readJson } from './request-guards';

/** Whoever holds the API token: the audit trail names the token, since it carries no user. */
export const API_TOKEN_CONTEXT: CallContext = { actor: { kind: 'token', label: 'API token' } };

/**
 * The local API of docs/INTERFACES.md §3. `GET /api/ops/icims` is open (monitoring curls it) but
 * shows errors and application ids only to the API token; `POST /api/events` takes the ingest
 * token (or the API token); every other route needs the API token, and the ingest token gets 403.
 */
export async function handleApiRoute(
  engine: Engine,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const caller = identifyCaller(req, engine);

  if (path === '/api/ops/icims') {
    allow(method, 'GET');
    const snapshot = await engine.api.getSnapshot({});
    sendJson(res, 200, caller.kind === 'api' ? snapshot : publicOpsSnapshot(snapshot));
    return true;
  }

  if (path === '/api/events') {
    allow(method, 'POST');
    requireIngestOrApiToken(caller);
    await ingest(engine, req, res);
    return true;
  }

  if (path === '/api/jobs') {
    allow(method, 'GET');
    requireApiToken(caller);
    const query = Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ''));
    const parsed = listJobsInputSchema.safeParse(query);
    if (!parsed.success)
      throw new HttpError(400, 'invalid_input', 'Invalid query parameters', toInputIssues(parsed.error));
    const page = await engine.api.listJobs(parsed.data);
    // The route answers the fields docs/INTERFACES.md §3 lists; the destination is the console's.
    sendJson(res, 200, { ...page, jobs: page.jobs.map(({ destination: _destination, ...job }) => job) });
    return true;
  }

  const timeline = /^\/api\/applications\/([^/]+)\/timeline$/.exec(path);
  if (timeline) {
    allow(method, 'GET');
    requireApiToken(caller);
    let applicationId: string;
    try {
      applicationId = decodeURIComponent(timeline[1]!);
    } catch {
      throw new HttpError(400, 'invalid_input', 'The application id in the URL is not valid percent-encoding');
    }
    const parsed = applicationIdSchema.safeParse(applicationId);
    if (!parsed.success)
      throw new HttpError(
        400,
        'invalid_input',
        'Invalid application id',
        toInputIssues(parsed.error, ['applicationId']),
      );
    sendJson(res, 200, await engine.api.getApplicationTimeline({ applicationId: parsed.data }));
    return true;
  }

  if (path === '/api/issues') {
    allow(method, 'GET');
    requireApiToken(caller);
    sendJson(res, 200, await engine.api.listIssues({}, API_TOKEN_CONTEXT));
    return true;
  }

  if (path === '/api/audit') {
    allow(method, 'GET');
    requireApiToken(caller);
    const query = Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ''));
    const parsed = listAuditInputSchema.safeParse(query);
    if (!parsed.success)
      throw new HttpError(400, 'invalid_input', 'Invalid query parameters', toInputIssues(parsed.error));
    sendJson(res, 200, await engine.api.listAudit(parsed.data, API_TOKEN_CONTEXT));
    return true;
  }

  if (path === '/api/diagnostics') {
    allow(method, 'GET');
    requireApiToken(caller);
    const personal = url.searchParams.get('includePersonalData');
    if (personal !== null && personal !== 'true' && personal !== 'false') {
      throw new HttpError(400, 'invalid_input', 'includePersonalData must be true or false', [
        { path: 'includePersonalData', message: 'must be true or false' },
      ]);
    }
    const bundle = await engine.api.getDiagnostics({ includePersonalData: personal === 'true' }, API_TOKEN_CONTEXT);
    sendJson(res, 200, bundle);
    return true;
  }

  const action = /^\/api\/jobs\/([^/]+)\/(retry|cancel)$/.exec(path);
  if (action) {
    requireApiToken(caller);
    allow(method, 'POST');
    const id = Number(action[1]);
    if (!Number.isSafeInteger(id) || id <= 0) {
      throw new HttpError(400, 'invalid_input', 'Job id must be a positive integer', [
        { path: 'id', message: 'must be a positive integer' },
      ]);
    }
    if (action[2] === 'retry') await engine.api.retryJob({ id }, API_TOKEN_CONTEXT);
    else await engine.api.cancelJob({ id }, API_TOKEN_CONTEXT);
    const job = await engine.api.getJob({ id });
    sendJson(res, 200, { ok: true, jobId: id, status: job.status });
    return true;
  }

  return false;
}

async function ingest(engine: Engine, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  const single = !Array.isArray(body);
  if (body === undefined || body === null || typeof body !== 'object') {
    throw new HttpError(400, 'invalid_input', 'Body must be one event object or an array of events', [
      { path: '(root)', message: 'expected an object or an array' },
    ]);
  }
  const events = single ? [body] : (body as unknown[]);
  if (events.length === 0) {
    throw new HttpError(400, 'invalid_input', 'The array holds no events', [
      { path: '(root)', message: 'must hold at least one event' },
    ]);
  }
  if (events.length > MAX_EVENTS_PER_REQUEST) {
    throw new HttpError(
      400,
      'invalid_input',
      `At most ${MAX_EVENTS_PER_REQUEST} events per request; this one has ${events.length}`,
      [{ path: '(root)', message: `must hold at most ${MAX_EVENTS_PER_REQUEST} events` }],
    );
  }
  const result = await engine.ingest(events);
  if (!result.ok) {
    // A single object's issues are reported without the array index the engine adds.
    const issues = single
      ? result.issues.map((issue) => ({ ...issue, path: issue.path.replace(/^0\.?/, '') || '(root)' }))
      : result.issues;
    const bad = new Set(result.issues.map((issue) => issue.path.split('.')[0])).size;
    const message = single
      ? 'The event is invalid; nothing was stored'
      : `${bad} of ${events.length} events are invalid; nothing was stored`;
    throw new HttpError(400, 'invalid_input', message, issues);
  }
  sendJson(res, 202, single ? result.jobs[0] : { jobs: result.jobs });
}

function allow(method: string, expected: string): void {
  if (method !== expected)
    throw new HttpError(405, 'method_not_allowed', `Use ${expected} for this route`, undefined, { Allow: expected });
}
