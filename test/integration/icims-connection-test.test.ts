import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/main/engine/config/resolve-config';
import { createIcimsClient } from '../../src/main/engine/icims/create-client';
import { startFakeIcims } from '../fakes/fake-icims';
import type { AuthKind } from '../fakes/icims-fixtures';
import { AUTH_KINDS, configFor, CUSTOMER_ID, fakeAuth } from '../fakes/icims-fixtures';
import { RecordingSink } from '../fakes/recording-sink';

async function setup(
  ctx: TestContext,
  auth: AuthKind,
  opts: { wrongSecret?: boolean; env?: Record<string, string> } = {},
) {
  // No applications are known: the probe id answers 404, as it would on a real tenant.
  const fake = await startFakeIcims({ auth: fakeAuth(auth), applications: [], customerId: CUSTOMER_ID });
  const sink = new RecordingSink();
  const client = createIcimsClient(configFor(fake, auth, 'applications', opts.env, opts.wrongSecret).icims, { sink });
  ctx.onTestFinished(async () => {
    await client.close();
    await fake.close();
  });
  return { fake, client, sink };
}

describe.concurrent('Test connection', () => {
  for (const auth of AUTH_KINDS) {
    it(`${auth}: a 404 for the probe id means the credentials were accepted`, async (ctx) => {
      const { fake, client } = await setup(ctx, auth);
      const result = await client.testConnection();
      expect(result).toMatchObject({ ok: true, statusCode: 404 });
      expect(result.message).toMatch(
        /^Connected to 127\.0\.0\.1:\d+: credentials accepted; the probe application "0" does not exist, as expected/,
      );
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      expect(fake.callsTo('getApplication')).toHaveLength(1);
      if (auth === 'oauth') expect(fake.tokenRequests).toHaveLength(1);
    });

    it(`${auth}: refused credentials are reported with iCIMS' own error`, async (ctx) => {
      const { client } = await setup(ctx, auth, { wrongSecret: true });
      const result = await client.testConnection();
      expect(result.ok).toBe(false);
      expect(result.statusCode).toBe(401);
      expect(result.message).toContain(
        auth === 'oauth' ? 'invalid_client: Client authentication failed' : '401 Unauthorized: Invalid',
      );
    });
  }

  it('OAuth: fetches a fresh token even when one is cached', async (ctx) => {
    const { fake, client } = await setup(ctx, 'oauth');
    await client.getApplication('APP-1').catch(() => {});
    await client.testConnection();
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('works while the circuit is open, without changing it', async (ctx) => {
    const { fake, client } = await setup(ctx, 'apiKey', { env: { ICIMS_CIRCUIT_THRESHOLD: '1' } });
    fake.fail('getApplication', { status: 503, times: 1 });
    await client.getApplication('APP-1').catch(() => {});
    expect(client.breaker.snapshot().state).toBe('open');
    const result = await client.testConnection();
    expect(result.ok).toBe(true);
    expect(client.breaker.snapshot().state).toBe('open');
  });

  it('an unreachable host is reported with the cause', async (ctx) => {
    const { fake, client } = await setup(ctx, 'apiKey');
    await fake.close();
    const result = await client.testConnection();
    expect(result).toMatchObject({ ok: false, statusCode: null, latencyMs: null });
    expect(result.message).toMatch(/^Could not connect to 127\.0\.0\.1:\d+: Could not reach .*ECONNREFUSED/);
  });

  it('a hung server is reported as a timeout', async (ctx) => {
    const { fake, client } = await setup(ctx, 'apiKey', { env: { ICIMS_TIMEOUT_MS: '150' } });
    fake.fail('getApplication', { hang: true });
    const result = await client.testConnection();
    expect(result.ok).toBe(false);
    expect(result.message).toContain('within 150 ms');
  });

  it('workflows: a wrong customer id shows iCIMS’ message', async (ctx) => {
    const { fake } = await setup(ctx, 'apiKey');
    const client = createIcimsClient(configFor(fake, 'apiKey', 'workflows', { ICIMS_CUSTOMER_ID: '9999' }).icims, {
      sink: new RecordingSink(),
    });
    ctx.onTestFinished(() => client.close());
    const result = await client.testConnection();
    expect(result.message).toContain('Customer 9999 not found');
  });

  it('mock mode connects to the simulated iCIMS', async () => {
    const config = resolveConfig({ env: {} });
    const client = createIcimsClient(config.icims, {
      sink: new RecordingSink(),
      mock: { seed: 1, failureRate: 0, rateLimitRate: 0, latencyMs: { min: 1, max: 2 } },
    });
    const result = await client.testConnection();
    expect(result).toMatchObject({ ok: true, statusCode: 200 });
    expect(result.message).toContain('the simulated iCIMS (mock mode)');
  });
});
