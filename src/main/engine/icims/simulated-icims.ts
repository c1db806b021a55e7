import type { Clock } from '../clock';
import type { HttpRequest, HttpResponse, Transport } from './http-transport';
import type { RandomSource } from './retry-delays';
import { seededRandom } from './seeded-random';

export interface MockIcimsOptions {
  /** Same seed, same latencies and failures. Default: random. */
  seed?: number;
  /** Simulated latency per call, uniform in [min, max] ms. Default 80–400. */
  latencyMs?: { min: number; max: number };
  /** Share of calls answered 503. Default 0.02. */
  failureRate?: number;
  /** Share of calls answered 429. Default 0.005. */
  rateLimitRate?: number;
  /** Retry-After of a simulated 429, seconds. Default 2. */
  retryAfterSec?: number;
  /** Application ids starting with this answer 404, so failures can be demonstrated. Default `MISSING`. */
  missingPrefix?: string;
}

export interface MockNote {
  id: number;
  applicationId: string;
  note: string;
  idempotencyKey: string | null;
  /** Epoch ms (the client's clock). */
  at: number;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: body === undefined ? '' : JSON.stringify(body),
});

const APPLICATION_PATH = /^\/api\/v1\/applications\/([^/]+)$/;
const NOTES_PATH = /^\/api\/v1\/applications\/([^/]+)\/notes$/;
const WORKFLOW_PATH = /^\/customers\/[^/]+\/applicantworkflows\/([^/]+)$/;
const WORKFLOW_NOTES_PATH = /^\/customers\/[^/]+\/applicantworkflows\/([^/]+)\/fields\/[^/]+$/;

/**
 * The in-process iCIMS of mock mode, as a Transport: the mock client is the real client over
 * this, so limits, breaker, retries and metrics behave exactly as in real mode. It speaks both
 * wire styles, ignores auth, and keeps the notes it "wrote", deduplicated by Idempotency-Key
 * as iCIMS does.
 */
export class SimulatedIcims implements Transport {
  private readonly random: RandomSource;
  private readonly written: MockNote[] = [];
  private readonly keys = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly options: MockIcimsOptions = {},
  ) {
    this.random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  }

  notes(): MockNote[] {
    return [...this.written];
  }

  async send(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
    const { min, max } = this.options.latencyMs ?? { min: 80, max: 400 };
    const roll = this.random();
    const latency = min + Math.round(this.random() * Math.max(0, max - min));
    await this.clock.sleep(latency, signal);
    const failureRate = this.options.failureRate ?? 0.02;
    const rateLimitRate = this.options.rateLimitRate ?? 0.005;
    if (roll < rateLimitRate) {
      return json(
        429,
        { errors: [{ errorMessage: 'Simulated rate limit', errorCode: 429 }] },
        { 'retry-after': String(this.options.retryAfterSec ?? 2) },
      );
    }
    if (roll < rateLimitRate + failureRate) {
      return json(503, { errors: [{ errorMessage: 'Simulated iCIMS outage', errorCode: 503 }] });
    }
    return this.route(request);
  }

  async close(): Promise<void> {}

  private route(request: HttpRequest): HttpResponse {
    const path = new URL(request.url).pathname;
    const missing = this.options.missingPrefix ?? 'MISSING';
    const match = (pattern: RegExp) => {
      const m = pattern.exec(path);
      return m?.[1] === undefined ? null : decodeURIComponent(m[1]);
    };
    const notFound = (id: string) =>
      json(404, { errors: [{ errorMessage: `Application ${id} does not exist`, errorCode: 7 }] });

    if (request.method === 'GET') {
      const readBack =
        match(NOTES_PATH) ?? (new URL(request.url).searchParams.has('fields') ? match(WORKFLOW_PATH) : null);
      if (readBack !== null) return this.readBack(readBack, NOTES_PATH.test(path), new URL(request.url));
      const id = match(APPLICATION_PATH) ?? match(WORKFLOW_PATH);
      if (id === null) return json(404, { errors: [{ errorMessage: `No such resource: ${path}`, errorCode: 0 }] });
      if (id.startsWith(missing)) return notFound(id);
      if (APPLICATION_PATH.test(path)) {
        return json(200, {
          id,
          candidateName: 'Sam Mock',
          candidateEmail: 'sam.mock@example.com',
          requisitionId: 'REQ-1',
          requisitionTitle: 'Software Engineer',
          status: 'active',
        });
      }
      return json(200, {
        associatedprofile: { id: 1, value: 'Mock, Sam' },
        baseprofile: { id: 1, value: 'Software Engineer' },
        status: { id: 'C1', value: 'Interview' },
      });
    }

    const id = match(NOTES_PATH) ?? match(WORKFLOW_NOTES_PATH);
    if (id === null) return json(404, { errors: [{ errorMessage: `No such resource: ${path}`, errorCode: 0 }] });
    if (id.startsWith(missing)) return notFound(id);
    let body: { content?: unknown; note?: unknown };
    try {
      body = JSON.parse(request.body ?? '') as typeof body;
    } catch {
      return json(400, { errors: [{ errorMessage: 'Body is not JSON', errorCode: 1 }] });
    }
    const note = typeof body.content === 'string' ? body.content : typeof body.note === 'string' ? body.note : null;
    if (note === null) return json(400, { errors: [{ errorMessage: 'Note text is missing', errorCode: 2 }] });
    const key = request.headers['idempotency-key'] ?? null;
    if (key === null || !this.keys.has(key)) {
      if (key !== null) this.keys.add(key);
      this.written.push({
        id: this.written.length + 1,
        applicationId: id,
        note,
        idempotencyKey: key,
        at: this.clock.now(),
      });
    }
    return json(201, {
      id: String(this.written.findLast((n) => key !== null && n.idempotencyKey === key)?.id ?? this.written.length),
    });
  }

  /** The read-back of docs/INTERFACES.md §5, unpaged: a simulated application holds few notes. */
  private readBack(applicationId: string, applicationsStyle: boolean, url: URL): HttpResponse {
    const notes = this.written.filter((n) => n.applicationId === applicationId);
    if (applicationsStyle) {
      return json(200, {
        notes: notes.map((n) => ({
          id: String(n.id),
          content: n.note,
          noteType: 'scheduling',
          createdAt: new Date(n.at).toISOString(),
          idempotencyKey: n.idempotencyKey,
        })),
      });
    }
    const field = url.searchParams.get('fields') ?? 'notes';
    return json(200, {
      [field]: notes.map((n) => ({ id: n.id, note: n.note, createdAt: new Date(n.at).toISOString() })),
    });
  }
}
