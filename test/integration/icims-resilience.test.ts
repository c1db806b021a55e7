import type { TestContext } from 'vitest';
import { describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../src/main/engine/clock';
import { createIcimsClient } from '../../src/main/engine/icims/create-client';
import {
  CircuitOpenError,
  DailyLimitError,
  NetworkError,
  RateLimitError,
  ServerError,
  TimeoutError,
  WaitError,
} from '../../src/main/engine/icims/errors';
import type { FakeIcimsOptions } from '../fakes/fake-icims';
import { startFakeIcims } from '../fakes/fake-icims';
import { OffsetClock } from '../helpers/offset-clock';
import { configFor, fakeAuth } from '../fakes/icims-fixtures';
import { RecordingSink } from '../fakes/recording-sink';

async function setup(
  ctx: TestContext,
  env: Record<string, string> = {},
  fakeOptions: FakeIcimsOptions = {},
  deps: { dailyUsed?: number; clock?: Clock } = {},
) {
  const fake = await startFakeIcims({ auth: fakeAuth('apiKey'), ...fakeOptions });
  const sink = new RecordingSink();
  const client = createIcimsClient(configFor(fake, 'apiKey', 'applications', env).icims, {
    sink,
    random: () => 0.5,
    ...deps,
  });
  ctx.onTestFinished(async () => {
    await client.close();
    await fake.close();
  });
  return { fake, client, sink };
}

describe.concurrent('failures on the wire', () => {
  it('a hung response becomes a TimeoutError after ICIMS_TIMEOUT_MS (retried, then raised)', async (ctx) => {
    const { fake, client, sink } = await setup(ctx, { ICIMS_TIMEOUT_MS: '400' });
    fake.fail('getApplication', { hang: true });
    const error = await client.getApplication('APP-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain('within 400 ms (ICIMS_TIMEOUT_MS)');
    expect(fake.callsTo('getApplication')).toHaveLength(4);
    expect(sink.calls.every((c) => c.errorCode === 'timeout' && c.statusCode === null)).toBe(true);
  });

  it('a body that trickles in too slowly is a TimeoutError: the timeout covers the whole exchange', async (ctx) => {
    // One byte every 40 ms never trips a per-chunk idle timeout; the 250 ms deadline must.
    const { fake, client, sink } = await setup(ctx, { ICIMS_TIMEOUT_MS: '250' });
    fake.fail('getApplication', { trickleMs: 40 });
    const error = await client.getApplication('APP-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(sink.calls.map((c) => c.errorCode)).toEqual(['timeout', 'timeout', 'timeout', 'timeout']);
  });

  it('a reset connection is a NetworkError, retried in-request', async (ctx) => {
    const { fake, client } = await setup(ctx);
    fake.fail('getApplication', { reset: true });
    const error = await client.getApplication('APP-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).retryable).toBe(true);
    expect((error as Error).message).toMatch(/^Could not reach 127\.0\.0\.1:\d+: /);
    expect(fake.callsTo('getApplication')).toHaveLength(4);
  });

  it('a refused connection (nothing listening) is a NetworkError', async (ctx) => {
    const { fake, client } = await setup(ctx, { ICIMS_CIRCUIT_THRESHOLD: '50' });
    await fake.close();
    const error = await client.getApplication('APP-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('malformed JSON on a 200 is a clear, retryable error (not a crash, not a success)', async (ctx) => {
    const { fake, client } = await setup(ctx);
    fake.fail('getApplication', { malformedJson: true });
    const error = await client.getApplication('APP-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toMatch(
      /^200 OK but the application body is not valid JSON \(.+\); it starts with: \{"id": "APP-1"/,
    );
  });

  it('an HTML error page from a proxy ends up readable in the message', async (ctx) => {
    const { fake, client } = await setup(ctx);
    fake.fail('getApplication', {
      status: 502,
      body: '<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>',
    });
    const error = await client.getApplication('APP-1').catch((e: unknown) => e);
    expect((error as Error).message).toBe('502 Bad Gateway: 502 Bad Gateway nginx (gave up after 4 attempts)');
  });

  it('x-error and x-warning headers are part of the message', async (ctx) => {
    const { fake, client } = await setup(ctx);
    fake.fail('addNote', {
      status: 400,
      headers: { 'x-error': 'Field notes is read-only', 'x-warning': 'Deprecated endpoint' },
      body: '',
    });
    const error = await client.addApplicationNote('APP-1', 'n', 'k').catch((e: unknown) => e);
    expect((error as Error).message).toBe('400 Bad Request: Field notes is read-only; warning: Deprecated endpoint');
  });

  it('a 429 asking for 30 s or more is raised at once as RateLimitError and holds every other call', async (ctx) => {
    const { fake, client } = await setup(ctx);
    fake.fail('getApplication', { status: 429, headers: { 'retry-after': '120' }, times: 1 });
    const error = await client.getApplication('APP-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
    expect(error).toBeInstanceOf(WaitError);
    const next = await client.addApplicationNote('APP-1', 'n', 'k').catch((e: unknown) => e);
    expect(next).toBeInstanceOf(RateLimitError);
    expect(fake.calls).toHaveLength(1);
    expect(client.rateLimit().pausedUntil).not.toBeNull();
  });

  it('a 429 with X-RateLimit-Reset (seconds from now) is waited out', async (ctx) => {
    const { fake, client } = await setup(ctx);
    fake.fail('getApplication', {
      status: 429,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' },
      times: 1,
    });
    await expect(client.getApplication('APP-1')).resolves.toMatchObject({ id: 'APP-1' });
    const [first, second] = fake.callsTo('getApplication');
    expect((second?.time ?? 0) - (first?.time ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('an aborted call rejects with the abort reason, is not retried and is not counted as a failure', async (ctx) => {
    const { fake, client, sink } = await setup(ctx);
    fake.fail('getApplication', { hang: true });
    const controller = new AbortController();
    const pending = client.getApplication('APP-1', { signal: controller.signal }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(fake.calls).toHaveLength(1));
    controller.abort(new Error('engine stopping'));
    expect(((await pending) as Error).message).toBe('engine stopping');
    expect(fake.callsTo('getApplication')).toHaveLength(1);
    expect(sink.calls).toHaveLength(0);
    expect(client.breaker.snapshot().consecutiveFailures).toBe(0);
  });
});

describe.concurrent('circuit breaker over HTTP', () => {
  it('opens after the threshold, blocks without sending, and recovers via one probe after the cool-down', async (ctx) => {
    const clock = new OffsetClock();
    const { fake, client } = await setup(
      ctx,
      { ICIMS_CIRCUIT_THRESHOLD: '3', ICIMS_CIRCUIT_COOLDOWN_MS: '300' },
      {},
      { clock },
    );
    fake.fail('getApplication', { status: 500, times: 3 });
    // 1 call + 2 retries fail → 3 consecutive failures → open; the 3rd retry is not sent.
    const first = await client.getApplication('APP-1').catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ServerError);
    expect(fake.callsTo('getApplication')).toHaveLength(3);
    expect(client.breaker.snapshot()).toMatchObject({ state: 'open', consecutiveFailures: 3, threshold: 3 });

    const blocked = await client.addApplicationNote('APP-1', 'note', 'k-1').catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(CircuitOpenError);
    expect(blocked).toBeInstanceOf(WaitError);
    expect((blocked as CircuitOpenError).retryAfterMs).toBeGreaterThan(0);
    expect(fake.calls).toHaveLength(3);

    clock.advance(320);
    // Two callers after the cool-down: exactly one probe goes out; the other still fails fast.
    fake.fail('getApplication', { delayMs: 100, times: 1 });
    const [probe, other] = await Promise.allSettled([client.getApplication('APP-2'), client.getApplication('APP-3')]);
    expect(probe.status).toBe('fulfilled');
    expect(other.status === 'rejected' && other.reason instanceof CircuitOpenError).toBe(true);
    expect(fake.callsTo('getApplication')).toHaveLength(4);
    expect(client.breaker.snapshot().state).toBe('closed');
    await expect(client.getApplication('APP-4')).resolves.toMatchObject({ id: 'APP-4' });
  });

  it('a failed probe opens the circuit again for another cool-down', async (ctx) => {
    const clock = new OffsetClock();
    const { fake, client } = await setup(
      ctx,
      { ICIMS_CIRCUIT_THRESHOLD: '2', ICIMS_CIRCUIT_COOLDOWN_MS: '200' },
      {},
      { clock },
    );
    fake.fail('getApplication', { status: 503 });
    await client.getApplication('APP-1').catch(() => {});
    expect(client.breaker.snapshot().state).toBe('open');
    clock.advance(220);
    const error = await client.getApplication('APP-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(fake.callsTo('getApplication')).toHaveLength(3);
    const snap = client.breaker.snapshot();
    expect(snap.state).toBe('open');
    expect((snap.nextProbeAt ?? 0) - (snap.openedAt ?? 0)).toBe(200);
  });

  it('4xx answers prove iCIMS is up and do not open the circuit', async (ctx) => {
    const { client } = await setup(ctx, { ICIMS_CIRCUIT_THRESHOLD: '2' }, { applications: [] });
    for (let i = 0; i < 4; i += 1) await client.getApplication('APP-1').catch(() => {});
    expect(client.breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });
});

describe.concurrent('client-side limits', () => {
  it('the daily budget stops sending and says when it resets', async (ctx) => {
    const { fake, client } = await setup(ctx, { ICIMS_DAILY_LIMIT: '3' }, {}, { dailyUsed: 1 });
    await client.getApplication('APP-1');
    await client.getApplication('APP-2');
    const error = await client.getApplication('APP-3').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DailyLimitError);
    expect(error).toBeInstanceOf(WaitError);
    const midnight = Math.ceil(Date.now() / 86_400_000) * 86_400_000;
    expect((error as DailyLimitError).retryAfterMs).toBeLessThanOrEqual(midnight - Date.now() + 1000);
    expect((error as Error).message).toContain('3 of 3 calls today');
    expect(fake.calls).toHaveLength(2);
    expect(client.budget()).toMatchObject({ used: 3, limit: 3, resetsAt: midnight });
  });

  it('in-request retries spend the daily budget too', async (ctx) => {
    const { fake, client } = await setup(ctx, { ICIMS_DAILY_LIMIT: '2' });
    fake.fail('getApplication', { status: 503 });
    const error = await client.getApplication('APP-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DailyLimitError);
    expect(fake.calls).toHaveLength(2);
  });

  it('never has more than ICIMS_MAX_CONCURRENCY calls in flight', async (ctx) => {
    const { fake, client } = await setup(ctx, { ICIMS_MAX_CONCURRENCY: '2' }, { latencyMs: 40 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => client.getApplication(`APP-${i}`)));
    expect(fake.calls).toHaveLength(8);
    expect(fake.peakConcurrency()).toBe(2);
  });

  it('paces calls to ICIMS_RATE_LIMIT_PER_MIN: a burst of 5, then one per 60000/N ms', async (ctx) => {
    // 600/min: one call per 100 ms after the burst. Send times are the client's own clock.
    const { client, sink } = await setup(ctx, { ICIMS_RATE_LIMIT_PER_MIN: '600', ICIMS_MAX_CONCURRENCY: '10' });
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.getApplication(`APP-${i}`)));
    const sends = sink.calls.map((c) => c.at).sort((a, b) => a - b);
    expect(sends).toHaveLength(12);
    // GCRA with burst 5: any 6 consecutive sends span at least one interval (minus 1 ms of timer rounding).
    for (let i = 0; i + 5 < sends.length; i += 1)
      expect((sends[i + 5] ?? 0) - (sends[i] ?? 0)).toBeGreaterThanOrEqual(99);
    // Over the whole run: at most burst + elapsed/T calls.
    const span = (sends.at(-1) ?? 0) - (sends[0] ?? 0);
    expect(sends.length).toBeLessThanOrEqual(5 + Math.floor(span / 100) + 1);
  });

  it('adapts to X-RateLimit-Remaining/Reset: a server bucket far smaller than our own budget is never overrun', async (ctx) => {
    // Our budget is 6000/min; the server allows 120/min with a burst of 2 and says so in headers.
    const { fake, client } = await setup(ctx, {}, { rateLimit: { perMinute: 120, burst: 2 } });
    for (let i = 0; i < 4; i += 1) await client.getApplication(`APP-${i}`);
    expect(fake.calls.map((c) => c.status)).toEqual([200, 200, 200, 200]);
  });
});
