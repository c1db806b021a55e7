import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/main/engine/config/resolve-config';
import type { IcimsClientDeps } from '../../src/main/engine/icims/create-client';
import { createIcimsClient } from '../../src/main/engine/icims/create-client';
import { CircuitOpenError, NotFoundError, ServerError } from '../../src/main/engine/icims/errors';
import { ManualClock } from '../fakes/manual-clock';
import { RecordingSink } from '../fakes/recording-sink';

function mockClient(mock: IcimsClientDeps['mock'], env: Record<string, string> = {}) {
  const clock = new ManualClock();
  const sink = new RecordingSink();
  const config = resolveConfig({ env: { ICIMS_RATE_LIMIT_PER_MIN: '6000', ...env } });
  const client = createIcimsClient(config.icims, { sink, clock, mock, random: () => 0.5 });
  return { clock, sink, client };
}

describe('mock client (ICIMS_MODE=mock)', () => {
  it('answers like iCIMS with simulated latency on the injected clock', async () => {
    const { clock, sink, client } = mockClient({
      seed: 7,
      failureRate: 0,
      rateLimitRate: 0,
      latencyMs: { min: 80, max: 400 },
    });
    expect(client.mode).toBe('mock');
    const app = await clock.drive(client.getApplication('APP-1'));
    expect(app).toMatchObject({ id: 'APP-1', candidateName: 'Sam Mock' });
    expect(sink.calls).toHaveLength(1);
    expect(sink.calls[0]?.latencyMs).toBeGreaterThanOrEqual(80);
    expect(sink.calls[0]?.latencyMs).toBeLessThanOrEqual(400);
    expect(sink.calls[0]).toMatchObject({
      operation: 'getApplication',
      statusCode: 200,
      outcome: 'success',
      applicationId: 'APP-1',
    });
  });

  it('is deterministic under the same seed', async () => {
    const run = async () => {
      const { clock, sink, client } = mockClient({ seed: 42, failureRate: 0.3, rateLimitRate: 0 });
      for (let i = 0; i < 10; i += 1) await clock.drive(client.getApplication(`APP-${i}`).catch(() => null));
      return sink.calls.map((c) => [c.statusCode, c.latencyMs]);
    };
    const first = await run();
    expect(first.some(([status]) => status === 503)).toBe(true);
    expect(await run()).toEqual(first);
  });

  it('keeps the notes it wrote, once per idempotency key, for both styles', async () => {
    for (const style of ['applications', 'workflows']) {
      const { clock, client } = mockClient({ seed: 1, failureRate: 0, rateLimitRate: 0 }, { ICIMS_API_STYLE: style });
      await clock.drive(client.addApplicationNote('APP-1', 'Interview booked', 'k-1'));
      const again = await clock.drive(client.addApplicationNote('APP-1', 'Interview booked', 'k-1'));
      expect(again.statusCode).toBe(201);
      await clock.drive(client.addApplicationNote('APP-2', 'Interview cancelled', 'k-2'));
      expect(client.mockNotes?.().map((n) => [n.applicationId, n.note, n.idempotencyKey])).toEqual([
        ['APP-1', 'Interview booked', 'k-1'],
        ['APP-2', 'Interview cancelled', 'k-2'],
      ]);
    }
  });

  it('goes through the same retries, breaker and metrics as the real client', async () => {
    const { clock, sink, client } = mockClient(
      { seed: 3, failureRate: 1, rateLimitRate: 0 },
      { ICIMS_CIRCUIT_THRESHOLD: '5' },
    );
    const first = await clock.drive(client.getApplication('APP-1').catch((e: unknown) => e));
    expect(first).toBeInstanceOf(ServerError);
    expect(sink.calls.map((c) => c.statusCode)).toEqual([503, 503, 503, 503]);
    await clock.drive(client.getApplication('APP-1').catch(() => null));
    expect(client.breaker.snapshot().state).toBe('open');
    expect(await clock.drive(client.getApplication('APP-1').catch((e: unknown) => e))).toBeInstanceOf(CircuitOpenError);
    expect(sink.calls).toHaveLength(5);
    expect(client.budget().used).toBe(5);
  });

  it('holds calls in flight to ICIMS_MAX_CONCURRENCY (no socket pool to hide behind here)', async () => {
    const { clock, client } = mockClient({ seed: 2, failureRate: 0, rateLimitRate: 0 }, { ICIMS_MAX_CONCURRENCY: '2' });
    let done = false;
    const all = Promise.all(Array.from({ length: 6 }, (_, i) => client.getApplication(`APP-${i}`))).finally(() => {
      done = true;
    });
    let peak = 0;
    while (!done) {
      await clock.advance(0);
      peak = Math.max(peak, client.inFlight());
      const next = clock.nextWake();
      if (next === null) break;
      await clock.advance(next - clock.now());
    }
    expect(await all).toHaveLength(6);
    expect(peak).toBe(2);
    expect(client.inFlight()).toBe(0);
  });

  it('ids starting with MISSING answer 404, so a failed job can be demonstrated', async () => {
    const { clock, client } = mockClient({ seed: 1, failureRate: 0, rateLimitRate: 0 });
    expect(await clock.drive(client.addApplicationNote('MISSING-7', 'n', 'k').catch((e: unknown) => e))).toBeInstanceOf(
      NotFoundError,
    );
  });

  it('simulated 429s are waited out like real ones', async () => {
    const { clock, sink, client } = mockClient({ seed: 5, failureRate: 0, rateLimitRate: 1, retryAfterSec: 2 });
    const error = await clock.drive(client.getApplication('APP-1').catch((e: unknown) => e));
    // Every answer is a 429: three are waited out (2 s each), the fourth is raised.
    expect((error as Error).name).toBe('RateLimitError');
    expect(sink.calls.map((c) => c.statusCode)).toEqual([429, 429, 429, 429]);
    expect(sink.calls.every((c) => c.rateLimited)).toBe(true);
  });
});
