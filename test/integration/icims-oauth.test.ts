import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/main/engine/clock';
import { AuthError } from '../../src/main/engine/icims/errors';
import { createIcimsClient } from '../../src/main/engine/icims/create-client';
import { startFakeIcims } from '../fakes/fake-icims';
import { configFor, CREDENTIALS, fakeAuth } from '../fakes/icims-fixtures';
import { ManualClock } from '../fakes/manual-clock';
import { RecordingSink } from '../fakes/recording-sink';

async function setup(
  ctx: TestContext,
  opts: { expiresInSec?: number; clock?: Clock; env?: Record<string, string>; wrongSecret?: boolean } = {},
) {
  const fake = await startFakeIcims({ auth: fakeAuth('oauth', opts.expiresInSec) });
  const sink = new RecordingSink();
  const config = configFor(fake, 'oauth', 'applications', opts.env, opts.wrongSecret);
  const client = createIcimsClient(config.icims, { sink, clock: opts.clock, random: () => 0.5 });
  ctx.onTestFinished(async () => {
    await client.close();
    await fake.close();
  });
  return { fake, client, sink };
}

describe.concurrent('OAuth 2.0 client credentials', () => {
  it('posts the client credentials as a form and caches the token across calls', async (ctx) => {
    const { fake, client, sink } = await setup(ctx);
    await client.getApplication('APP-1');
    await client.getApplication('APP-2');
    await client.addApplicationNote('APP-1', 'note', 'k-1');
    expect(fake.tokenRequests).toHaveLength(1);
    const tokenCall = fake.callsTo('token')[0];
    expect(tokenCall?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenCall?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: CREDENTIALS.clientId,
      client_secret: CREDENTIALS.clientSecret,
    });
    expect(sink.calls.filter((c) => c.operation === 'token')).toHaveLength(1);
  });

  it('fetches the token once for many concurrent callers (single flight)', async (ctx) => {
    const { fake, client } = await setup(ctx, { env: { ICIMS_MAX_CONCURRENCY: '10' } });
    fake.fail('token', { delayMs: 100, times: 1 });
    const apps = await Promise.all(Array.from({ length: 10 }, (_, i) => client.getApplication(`APP-${i}`)));
    expect(apps).toHaveLength(10);
    expect(fake.tokenRequests).toHaveLength(1);
    const tokens = new Set(fake.callsTo('getApplication').map((c) => c.headers.authorization));
    expect(tokens.size).toBe(1);
  });

  it('refreshes the token once when iCIMS answers 401, then succeeds', async (ctx) => {
    const { fake, client } = await setup(ctx);
    await client.getApplication('APP-1');
    fake.invalidateTokens();
    await expect(client.getApplication('APP-2')).resolves.toMatchObject({ id: 'APP-2' });
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.callsTo('getApplication').map((c) => c.status)).toEqual([200, 401, 200]);
  });

  it('concurrent 401s with the same stale token cause one refresh, not one each', async (ctx) => {
    const { fake, client } = await setup(ctx);
    await client.getApplication('APP-1');
    fake.invalidateTokens();
    await Promise.all([1, 2, 3, 4].map((i) => client.getApplication(`APP-${i}`)));
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('a 401 that survives the refresh is an AuthError (one refresh, no loop)', async (ctx) => {
    const { fake, client } = await setup(ctx);
    fake.fail('getApplication', {
      status: 401,
      body: { errors: [{ errorMessage: 'Token lacks scope recruiting.read', errorCode: 4 }] },
    });
    const error = await client.getApplication('APP-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toBe('401 Unauthorized: Token lacks scope recruiting.read (errorCode 4)');
    expect(fake.callsTo('getApplication')).toHaveLength(2);
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('refreshes shortly before expiry, using the injected clock', async (ctx) => {
    const clock = new ManualClock(Date.now());
    const { fake, client } = await setup(ctx, { expiresInSec: 60, clock });
    await client.getApplication('APP-1');
    await clock.advance(50_000);
    await client.getApplication('APP-2');
    expect(fake.tokenRequests).toHaveLength(1);
    // 60 s token, refreshed 6 s (10 %) early: at 55 s a new one is fetched before the call.
    await clock.advance(5_000);
    await client.getApplication('APP-3');
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.callsTo('getApplication').map((c) => c.status)).toEqual([200, 200, 200]);
  });

  it('refused client credentials are an AuthError naming the variables, never the secret', async (ctx) => {
    const { fake, client, sink } = await setup(ctx, { wrongSecret: true });
    const error = await client.getApplication('APP-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    const message = (error as Error).message;
    expect(message).toContain('OAuth token request to 127.0.0.1');
    expect(message).toContain('401 Unauthorized: invalid_client: Client authentication failed');
    expect(message).toContain('check ICIMS_CLIENT_ID and ICIMS_CLIENT_SECRET');
    expect(message).not.toContain(CREDENTIALS.clientSecret);
    expect(fake.callsTo('getApplication')).toHaveLength(0);
    expect(sink.calls).toMatchObject([{ operation: 'token', statusCode: 401, outcome: 'failure', errorCode: 'auth' }]);
  });

  it('a 400 from the token endpoint is an AuthError too', async (ctx) => {
    const { fake, client } = await setup(ctx);
    fake.fail('token', {
      status: 400,
      body: { error: 'invalid_request', error_description: 'client_id is malformed' },
    });
    const error = await client.getApplication('APP-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('400 Bad Request: invalid_request: client_id is malformed');
  });

  it('a token endpoint that is down fails retryably and is retried with the call', async (ctx) => {
    const { fake, client } = await setup(ctx);
    fake.fail('token', { status: 503, times: 2 });
    await expect(client.getApplication('APP-1')).resolves.toMatchObject({ id: 'APP-1' });
    expect(fake.callsTo('token').map((c) => c.status)).toEqual([503, 503, 200]);
  });
});
