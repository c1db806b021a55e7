import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin } from './fake-admin-routes';
import type { FakeReply } from './fake-icims-routes';
import { checkAuth, FakeTokens, handleIcims, handleToken, icimsError, json, routeOf } from './fake-icims-routes';
import type { FakeCall, FakeFault, FakeIcimsOptions, FakeNote, FakeRoute, FakeTokenRequest } from './fake-icims-types';
import { TokenBucket } from './token-bucket';

export type * from './fake-icims-types';

/**
 * A fake iCIMS over real HTTP (node:http on 127.0.0.1), for integration tests, end-to-end tests
 * in another process (through the `/__admin` API) and manual QA (`npm run fake-icims`).
 *
 * Per request, in order: record the call → global latency → scripted fault → rate limit (token
 * bucket) → auth → the route. Faults come first so a test can script any answer regardless of
 * credentials; the rate limit comes before auth because real gateways count every request.
 */
export interface FakeIcims {
  /** Base URL to use as ICIMS_BASE_URL, e.g. http://127.0.0.1:54321 */
  readonly url: string;
  /** ICIMS_TOKEN_URL for OAuth. */
  readonly tokenUrl: string;
  readonly options: FakeIcimsOptions;
  /** Every request but admin ones, in arrival order. */
  readonly calls: FakeCall[];
  /** Notes stored: one per idempotency key, or (dedupe: false) one per POST that got through. */
  readonly notes: FakeNote[];
  readonly tokenRequests: FakeTokenRequest[];
  /** The most iCIMS requests (admin excluded) that were being handled at the same time. */
  peakConcurrency(): number;
  callsTo(route: Exclude<FakeRoute, '*'>): FakeCall[];
  fail(route: FakeRoute, fault: FakeFault): void;
  clearFaults(): void;
  /** Changes options on the fly (auth, applications, latency, rate limit, …). */
  configure(options: Partial<FakeIcimsOptions>): void;
  /** Every issued OAuth token answers 401 from now on. */
  invalidateTokens(): void;
  /** Forgets calls, notes, tokens and faults; refills the rate-limit bucket. */
  reset(): void;
  close(): Promise<void>;
}

interface ActiveFault extends FakeFault {
  route: FakeRoute;
  remaining: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function headerMap(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function faultReply(fault: FakeFault): FakeReply {
  if (fault.malformedJson) {
    return {
      status: fault.status ?? 200,
      headers: { 'content-type': 'application/json', ...fault.headers },
      body: '{"id": "APP-1", "candidateName": "John',
    };
  }
  const status = fault.status ?? 500;
  const base =
    fault.body === undefined
      ? icimsError(status, `Scripted failure ${status}`, 99)
      : typeof fault.body === 'string'
        ? { status, headers: {}, body: fault.body }
        : json(status, fault.body);
  return { status, headers: { ...base.headers, ...fault.headers }, body: base.body };
}

export async function startFakeIcims(initial: FakeIcimsOptions = {}): Promise<FakeIcims> {
  const options: FakeIcimsOptions = { ...initial };
  const calls: FakeCall[] = [];
  const notes: FakeNote[] = [];
  const tokenRequests: FakeTokenRequest[] = [];
  const seenKeys = new Set<string>();
  const tokens = new FakeTokens();
  let faults: ActiveFault[] = [];
  let active = 0;
  let peak = 0;
  let bucket: TokenBucket | null = null;
  const makeBucket = () => {
    bucket = options.rateLimit
      ? new TokenBucket(options.rateLimit.perMinute, options.rateLimit.burst ?? options.rateLimit.perMinute)
      : null;
  };
  makeBucket();

  const takeFault = (route: FakeRoute | 'unknown'): FakeFault | null => {
    const fault = faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.route === route || f.route === '*') &&
        (f.probability === undefined || Math.random() < f.probability),
    );
    if (!fault) return null;
    fault.remaining -= 1;
    faults = faults.filter((f) => f.remaining > 0);
    return fault;
  };

  const rateHeaders = (): Record<string, string> => {
    if (!bucket) return {};
    const remaining = bucket.remaining();
    const resetMs = remaining === 0 ? bucket.msUntilToken() : bucket.msUntilFull();
    return {
      'x-ratelimit-limit': String(bucket.perMinute),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
    };
  };

  const fake: FakeIcims = {
    url: '',
    tokenUrl: '',
    options,
    calls,
    notes,
    tokenRequests,
    peakConcurrency: () => peak,
    callsTo: (route) => calls.filter((c) => c.route === route),
    fail: (route, fault) => {
      faults.push({ ...fault, route, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults: () => {
      faults = [];
    },
    configure: (next) => {
      Object.assign(options, next);
      if ('rateLimit' in next) makeBucket();
    },
    invalidateTokens: () => tokens.invalidateAll(),
    reset: () => {
      calls.length = 0;
      notes.length = 0;
      tokenRequests.length = 0;
      seenKeys.clear();
      tokens.clear();
      peak = active;
      faults = [];
      makeBucket();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const send = (res: ServerResponse, call: FakeCall | null, reply: FakeReply, trickleMs?: number) => {
    if (call) call.status = reply.status;
    const bytes = Buffer.from(reply.body);
    res.writeHead(reply.status, { ...reply.headers, 'content-length': bytes.length });
    if (!trickleMs) {
      res.end(bytes);
      return;
    }
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed || sent >= bytes.length) {
        clearInterval(timer);
        if (!res.destroyed) res.end();
        return;
      }
      res.write(bytes.subarray(sent, sent + 1));
      sent += 1;
    }, trickleMs);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname.startsWith('/__admin/')) {
      send(res, null, handleAdmin(fake, req.method ?? 'GET', url.pathname, await readBody(req)));
      return;
    }
    const headers = headerMap(req);
    const routed = routeOf(req.method ?? 'GET', url.pathname, options.tokenPath ?? '/oauth/token', url.searchParams);
    // Recorded on arrival, before the body is read: a client that gives up mid-request still
    // made the call, as its own metrics say.
    const call: FakeCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      route: routed.route,
      headers,
      body: '',
      status: null,
      time: Date.now(),
    };
    calls.push(call);
    const body = await readBody(req);
    call.body = body;
    active += 1;
    peak = Math.max(peak, active);
    let counted = true;
    const done = () => {
      if (counted) active -= 1;
      counted = false;
    };
    res.once('close', done);

    const latency = options.latencyMs;
    if (latency !== undefined)
      await sleep(typeof latency === 'number' ? latency : latency.min + Math.random() * (latency.max - latency.min));

    const taken = takeFault(routed.route);
    // An after-store fault lets the request be handled first; it misbehaves once that is done.
    const fault = taken?.afterStore ? null : taken;
    const afterStore = taken?.afterStore ? taken : null;
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.hang) return; // the socket stays open until the client gives up or close()
    if (fault?.reset) {
      req.socket.destroy();
      return;
    }
    if (fault && (fault.status !== undefined || fault.malformedJson || fault.body !== undefined)) {
      send(res, call, faultReply(fault));
      return;
    }

    if (routed.route === 'token') {
      send(
        res,
        call,
        handleToken(options.auth ?? { mode: 'none' }, body, headers.authorization, tokens, (r) =>
          tokenRequests.push(r),
        ),
      );
      return;
    }
    if (routed.route === 'unknown') {
      send(res, call, icimsError(404, `No route for ${call.method} ${call.path}`, 0));
      return;
    }
    if (bucket && !bucket.take()) {
      const wait = Math.max(1, Math.ceil(bucket.msUntilToken() / 1000));
      const reply = icimsError(429, 'Rate limit exceeded', 429);
      send(res, call, { ...reply, headers: { ...reply.headers, ...rateHeaders(), 'retry-after': String(wait) } });
      return;
    }
    const denied = checkAuth(options.auth ?? { mode: 'none' }, headers.authorization, tokens);
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const reply = denied ?? handleIcims(options, routed, body, headers['idempotency-key'], notes, seenKeys, page);
    if (afterStore) {
      if (afterStore.delayMs) await sleep(afterStore.delayMs);
      if (afterStore.hang) return;
      if (afterStore.reset || res.destroyed) {
        req.socket.destroy();
        return;
      }
      if (afterStore.status !== undefined) {
        send(res, call, faultReply(afterStore));
        return;
      }
    }
    send(res, call, { ...reply, headers: { ...reply.headers, ...rateHeaders() } }, fault?.trickleMs);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, null, json(500, { errors: [{ errorMessage: `Fake iCIMS bug: ${String(error)}`, errorCode: 500 }] }));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(initial.port ?? 0, initial.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  Object.assign(fake, { url, tokenUrl: `${url}${options.tokenPath ?? '/oauth/token'}` });
  return fake;
}
